"""OrderListScreen and OrderTable through Pilot on a real SQLite file: rows, filter, sort, open,
status (and its conflict), paging on demand, two-line cursor repaints, errors as messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from harness import screen_text
from rich.cells import cell_len
from textual.geometry import Region

from conftest import sample_order
from notedesk.services import listing, orders
from notedesk.services.types import CustomerData, Deadline, LineData
from notedesk.store.errors import StoreError
from notedesk.tui.app import NotedeskApp
from notedesk.tui.live import LiveRefresh
from notedesk.tui.screens.conflict import FieldConflictModal
from notedesk.tui.screens.help import HelpScreen
from notedesk.tui.screens.message import MessageModal
from notedesk.tui.screens.order_list import OrderListScreen
from notedesk.tui.screens.status import StatusModal
from notedesk.tui.widgets import order_table
from notedesk.tui.widgets.order_cells import layout
from notedesk.tui.widgets.order_lines import LinePainter
from notedesk.tui.widgets.order_table import OrderTable

CUSTOMERS = [("王芳", "芳华服饰有限公司"), ("Anna Smith", "Acme Ltd"), ("李伟", ""), ("Bob", "")]


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def make(i: int, **overrides):
    name, company = CUSTOMERS[i % len(CUSTOMERS)]
    fields = dict(
        customer=CustomerData(name=name, company=company, phone=f"1380000{i:04d}"),
        created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC) + dt.timedelta(hours=i),
        deadline=Deadline(text="x", date=dt.date(2026, 12, 1) + dt.timedelta(days=(7 * i) % 5),
                          start=dt.time(9), end=dt.time(11)),
        lines=(LineData(product="T恤", quantity=1 + i, unit_price=Decimal("10.00")),),
    )
    fields.update(overrides)
    return orders.create_order(sample_order(number=f"SO-2026-{i + 1:05d}", **fields))


@pytest.fixture
def four(database):
    return [make(i) for i in range(4)]


def table_of(app) -> OrderTable:
    return app.screen.query_one(OrderTable)


def rows(table: OrderTable) -> list[str]:
    return [table.render_line(y).text for y in range(1, 1 + (table.count or 0))]


async def test_the_list_shows_every_order_with_its_columns(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
        await pilot.pause(app.FIRST_REMINDER_S + 0.2)  # the counts come after the first paint
        await settle(pilot)
        assert app.sub_title == f"{db_url} · {app.reminders.counts_text()}"  # header counts overdue/today
        table = table_of(app)
        assert table.count == 4
        lines = rows(table)
        assert [line.split()[0] for line in lines] == ["SO-2026-00004", "SO-2026-00003", "SO-2026-00002",
                                                       "SO-2026-00001"]  # newest change first
        wang = next(line for line in lines if "王芳" in line)
        assert "芳华服饰有限公司" in wang and "confirmed" in wang and "12-01 09:00–11:00" in wang
        assert "COD 7,000.00" in wang and "7,000.00 CNY" not in wang  # amount column is the lines' total
        assert wang.rstrip().endswith(" 10.00")  # the business's own currency: named once, in the title
        header = table.render_line(0).text
        assert header.split()[:3] == ["Number", "Customer", "Status"]


async def test_chinese_text_stays_aligned_and_is_cut_with_an_ellipsis(database, db_url):
    make(0, customer=CustomerData(name="欧阳娜娜欧阳娜娜欧阳娜娜欧阳娜娜", company="上海市浦东新区世纪大道有限公司",
                                  phone="1"))
    make(1, customer=CustomerData(name="Li", company="", phone="2"))
    make(2, customer=CustomerData(name="混合Mixed名字", company="公司", phone="3"))
    for i in range(3, 30):  # more than a screen: the vertical scrollbar takes a column
        make(i)
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("end", "up", "up")  # the three special rows are the oldest: at the end
        await settle(pilot)
        top = int(table.scroll_offset.y)
        ys = [0] + [i - top + 1 for i in range(table.count - 3, table.count)]
        lines = [table.render_line(y) for y in ys]
        width = table.scrollable_content_region.width
        assert width == 79 and table.show_vertical_scrollbar
        assert all(strip.cell_length == width for strip in lines)
        texts = [strip.text for strip in lines]
        assert texts[0].rstrip().endswith("Amount CNY")  # the last column is whole, not under the scrollbar
        # the Status column starts at the same cell on every line, Chinese or not
        columns = layout(width)
        status_at = columns[0].width + 1 + columns[1].width + 1
        for text in texts[1:]:
            assert text.startswith("SO-2026-")
            cells, i = 0, 0
            while cells < status_at:
                cells += cell_len(text[i])
                i += 1
            assert cells == status_at  # no wide character straddles the column edge
            assert text[i:].startswith("confirmed")
        assert any("…" in text for text in texts[1:])  # the long Chinese name was cut


async def test_filter_narrows_to_one_order_by_number_and_escape_clears(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"00002", "enter")
        await settle(pilot)
        table = table_of(app)
        assert table.count == 1
        assert app.focused is table
        assert table.cursor_number == "SO-2026-00002"
        assert "1 order" in str(app.screen.query_one("#list-summary").render())
        await pilot.press("escape")
        await settle(pilot)
        assert table.count == 4
        assert table.cursor_number == "SO-2026-00002"  # still on the order it was on


async def test_escape_in_the_filter_box_clears_it_and_returns_to_the_list(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"0000")
        await pilot.pause(0.3)
        await settle(pilot)
        box = app.screen.query_one("#list-filter")
        assert app.focused is box and table_of(app).query.text == "0000"
        await pilot.press("slash")  # "/" typed in the box is text, not the filter key again
        assert box.value == "0000/"
        await pilot.press("escape")
        await settle(pilot)
        assert box.value == "" and app.focused is table_of(app)
        assert table_of(app).count == 4


async def test_filter_by_chinese_customer_live(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.screen.query_one("#list-filter").value = "芳华"
        await pilot.pause(0.3)
        await settle(pilot)
        assert table_of(app).count == 1
        assert table_of(app).row(0).customer == "王芳"


async def test_sort_keys_cycle_and_reverse(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("o")  # next sort: deadline, soonest first
        await settle(pilot)
        assert table.query.sort == "deadline" and not table.query.descending
        expected = [o.number for o in listing.list_orders(table.query)]
        assert [table.row(i).number for i in range(4)] == expected
        assert "Deadline ▲" in table.render_line(0).text
        assert "sort: deadline ▲" in str(app.screen.query_one("#list-summary").render())
        await pilot.press("r")
        await settle(pilot)
        assert [table.row(i).number for i in range(4)] == expected[::-1]
        assert "Deadline ▼" in table.render_line(0).text


async def test_enter_opens_the_detail_and_coming_back_reloads_without_moving(four, db_url):
    from notedesk.tui.screens import order_detail as detail_module
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("down", "down")
        number = table.cursor_number
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, detail_module.OrderDetailScreen)
        assert app.screen.number == number
        orders.set_status(number, "shipped", clerk="wang")  # changed while the detail was open
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
        # the change moved the order to the top (sorted by last change): the cursor went with it
        assert table.cursor == 0
        assert table.cursor_number == number and table.cursor_order.status == "shipped"


async def test_reload_keeps_the_cursor_line_when_the_order_stays_in_place(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("o", "o")  # sort by number: a status change does not move the row
        await settle(pilot)
        await pilot.press("down", "down")
        number = table.cursor_number
        orders.set_status(number, "shipped", clerk="wang")
        app.screen.reload()
        await settle(pilot)
        assert table.cursor == 2 and table.cursor_number == number
        assert table.cursor_order.status == "shipped"


async def test_new_order_appears_with_the_cursor_on_it(four, db_url):
    from notedesk.tui.screens.new_order import NewOrderScreen

    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"anna", "enter")  # a filter the new order does not match
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewOrderScreen)
        form = app.screen
        form.query_one("#customer-name").value = "赵敏"
        form.query_one("#customer-company").value = "敏捷贸易"
        form.query_one("#new-lines").text = "帆布包 | 米色 | 50 | 88.00"
        form.query_one("#new-requirements").text = "包口要加拉链"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("tab", "enter")  # yes, a new customer (issue 15: only when the clerk says so)
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
        table = table_of(app)
        assert table.count == 5
        assert table.cursor_order.customer == "赵敏"
        detail = orders.get_order(table.cursor_number)
        assert detail.notes["requirements"].body == "包口要加拉链"
        assert detail.total == Decimal("4400.00")


async def test_status_modal_changes_the_status_and_logs_an_event(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = table_of(app)
        number = table.cursor_number
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StatusModal)
        await pilot.press("down", "enter")  # confirmed -> in_production
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
        detail = orders.get_order(number)
        assert detail.status == "in_production"
        assert (detail.events[0].field, detail.events[0].old, detail.events[0].new, detail.events[0].clerk) == \
            ("status", "confirmed", "in_production", "li")
        assert table.cursor_order.status == "in_production"


@pytest.mark.parametrize("choice, stored", [("t", "on_hold"), ("k", "in_production")])
async def test_a_status_conflict_shows_both_and_the_clerk_decides(four, db_url, choice, stored):
    """The one status rule (services.order_status), shown the same way as on the detail."""
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        number = table_of(app).cursor_number
        await pilot.press("s")
        await settle(pilot)
        orders.set_status(number, "on_hold", clerk="wang")  # another clerk, while the modal is open
        await pilot.press("down", "enter")  # confirmed -> in_production
        await settle(pilot)
        assert isinstance(app.screen, FieldConflictModal)
        text = screen_text(app)
        assert "wang changed this order" in text and "on hold" in text and "in production" in text
        assert orders.get_order(number).status == "on_hold"  # nothing overwritten
        await pilot.press(choice)
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
        assert orders.get_order(number).status == stored
        assert table_of(app).cursor_order.status == stored


async def test_pages_load_on_demand_and_the_end_key_reaches_the_last_order(database, db_url, monkeypatch):
    monkeypatch.setattr(order_table, "PAGE_SIZE", 10)
    monkeypatch.setattr(order_table, "KEEP_PAGES", 4)  # the view (19 rows: 2 pages) and one either side
    for i in range(57):
        make(i)
    calls = []
    real = listing.fetch_page

    def spy(query, **kw):
        calls.append({k: v for k, v in kw.items() if k in ("offset", "after", "before")})
        return real(query, **kw)

    monkeypatch.setattr(listing, "fetch_page", spy)
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(app)
        assert table.count == 57
        assert len(table._pages) <= 4 and sum(len(p.rows) for p in table._pages.values()) <= 40
        # The first page comes with the count (one round trip before the first paint); the pages
        # after it continue from their neighbour's key.
        assert calls[0] == {"offset": 0} and "after" in calls[1], calls
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.cursor == table._rows_visible()
        assert table.scroll_offset.y == table._rows_visible()
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor == 56
        assert table.cursor_number == "SO-2026-00001"  # oldest change, last
        assert len(table._pages) <= 4 and 0 not in table._pages
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        assert any("before" in c for c in calls)  # and the previous one from the key after it
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor_number == "SO-2026-00057"
        assert [table.row(i).number for i in range(5)] == [f"SO-2026-{n:05d}" for n in range(57, 52, -1)]


async def test_a_cursor_move_repaints_two_lines_and_leaving_the_view_pages(database, db_url):
    for i in range(40):
        make(i)
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(app)
        regions: list[tuple] = []
        real_refresh = table.refresh

        def spy(*args, **kwargs):
            regions.append(args)
            return real_refresh(*args, **kwargs)

        table.refresh = spy
        await pilot.press("down")
        await pilot.pause()
        assert len(regions) == 2 and all(len(r) == 1 and r[0].height == 1 for r in regions)
        assert [r[0].y for r in regions] == [1, 2]  # header is line 0: rows 0 and 1 on screen
        assert all(isinstance(r[0], Region) for r in regions)
        visible = table._rows_visible()
        for _ in range(visible - 2):
            await pilot.press("down")
        regions.clear()
        assert table.scroll_offset.y == 0
        await pilot.press("down")  # out of the view: a page, not a line
        await settle(pilot)
        assert table.cursor == visible
        assert table.scroll_offset.y == visible


async def test_a_page_jump_finds_its_rows_drawn_ahead(database, db_url, monkeypatch):
    for i in range(60):
        make(i)
    drawn: list[tuple[str, bool]] = []
    real = LinePainter._draw_row

    def spy(self, order, is_cursor):
        drawn.append((order.number, is_cursor))
        return real(self, order, is_cursor)

    monkeypatch.setattr(LinePainter, "_draw_row", spy)
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(app)
        visible = table._rows_visible()

        def next_page_drawn() -> bool:
            rows = [table.row(i) for i in range(visible, 2 * visible)]
            return all(row is not None and table._painter.has(row) for row in rows)

        for _ in range(100):  # drawn after the first paint, a few rows per turn of the event loop
            if next_page_drawn():
                break
            await pilot.pause(0.02)
        assert next_page_drawn()
        for _ in range(visible - 1):
            await pilot.press("down")
        drawn.clear()
        await pilot.press("down")  # out of the view: the next page
        await pilot.pause()
        assert table.scroll_offset.y == visible and table.cursor == visible
        shown = {table.row(i).number for i in range(visible, 2 * visible)}
        assert [d for d in drawn if d[0] in shown] == [(table.cursor_number, True)]  # only the cursor's line


async def test_a_mouse_click_selects_a_row(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.click(OrderTable, offset=(5, 3))  # header, then rows 0, 1, 2
        await pilot.pause()
        assert table.cursor == 2


async def test_the_desk_shows_the_rows_read_before_it_started_without_asking_again(four, db_url, monkeypatch):
    """cli/desk.py reads the list's first screen before Textual loads: the list is the base screen,
    composed with the app, and has its rows as soon as it is mounted (issue 7: first paint)."""
    first = listing.first_screen()

    def asked(*args, **kwargs):
        raise AssertionError("the list asked the database again")

    monkeypatch.setattr(listing, "count_orders", asked)
    monkeypatch.setattr(listing, "fetch_page", asked)
    app = NotedeskApp(db_url, first=first)
    async with app.run_test(size=(100, 30)) as pilot:
        table = table_of(app)
        assert app.screen_stack == [app.screen] and isinstance(app.screen, OrderListScreen)
        assert table.count == 4  # no worker has run: the rows came with the app
        assert [line.split()[0] for line in rows(table)] == ["SO-2026-00004", "SO-2026-00003",
                                                             "SO-2026-00002", "SO-2026-00001"]
        await settle(pilot)
        assert app.screen_stack == [app.screen]  # no error message either


async def test_rows_read_for_another_list_are_not_shown(four, db_url):
    first = listing.first_screen(listing.OrderQuery(text="王芳"))
    assert first.count == 1
    app = NotedeskApp(db_url, first=first)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert table_of(app).count == 4


async def test_a_change_made_after_the_first_rows_were_read_reloads_the_list(four, db_url, monkeypatch):
    """Another clerk's order saved between the desk's read and its change watcher starting."""
    monkeypatch.setattr(LiveRefresh, "POLL_S", 0.1)
    monkeypatch.setattr(LiveRefresh, "TICK_S", 0.1)
    first = listing.first_screen()
    make(4)
    app = NotedeskApp(db_url, first=first)
    async with app.run_test(size=(100, 30)) as pilot:
        table = table_of(app)
        assert table.count == 4  # what was read

        def reloaded() -> bool:  # the count, and the rows drawn from it (they come a frame later)
            return table.count == 5 and rows(table)[0].split()[0] == "SO-2026-00005"

        for _ in range(600):  # waits for the change, not for a time; the limit only ends a hang
            if reloaded():
                break
            await pilot.pause(0.05)
        assert reloaded(), (table.count, rows(table)[:1])


async def test_a_database_error_in_a_worker_is_a_message_not_a_crash(four, db_url, monkeypatch):
    """A busy database: the page fetch fails while the modal is up, then works again (as a busy
    database does); a fetch that kept failing would rightly show the message again after OK."""
    real, busy = listing.fetch_page, [True]

    def broken(*args, **kwargs):
        if busy[0]:
            raise StoreError("the database is busy: another clerk is writing; try again")
        return real(*args, **kwargs)

    monkeypatch.setattr(listing, "fetch_page", broken)
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MessageModal)
        assert "busy" in str(app.screen.query_one("#message-text").render())
        busy[0] = False
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
        assert app.is_running


async def test_help_lists_the_keys_of_the_list_and_escape_closes(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        groups = dict(app.screen.groups)
        this_screen = dict(groups["This screen"])
        assert {"/", "e", "n", "d", "s", "o", "r", "q"} <= set(this_screen)
        assert this_screen["/"].startswith("Filter")
        assert dict(groups["Everywhere"])["?"] == "Help"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrderListScreen)


async def test_an_empty_desk_says_how_to_add_an_order(database, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(app)
        assert table.count == 0 and table.cursor_number is None
        assert "n adds one" in table.render_line(1).text
        await pilot.press("s")  # nothing under the cursor: a warning, no crash
        await pilot.pause()
        assert isinstance(app.screen, OrderListScreen)


def test_deadline_cells_and_urgency():
    from notedesk.tui.widgets.order_cells import amount_cell, deadline_cell, deadline_urgency, payment_cell

    tz = dt.timezone(dt.timedelta(hours=8))
    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=tz)

    def order(date, end=None, status="confirmed", start=None, method="cod", due=None, paid="unpaid"):
        from notedesk.services.types import OrderSummary

        return OrderSummary(id=1, number="N", customer="c", company="", status=status,
                            deadline=Deadline("x", date, start, end), payment_method=method,
                            payment_status=paid, total=Decimal("1234.50"), amount_due=due, currency="CNY",
                            updated_at=now)

    d = dt.date
    assert deadline_urgency(order(d(2026, 12, 1), dt.time(9)), now, tz) == "overdue"
    assert deadline_urgency(order(d(2026, 12, 1), dt.time(11)), now, tz) == "today"
    assert deadline_urgency(order(d(2026, 12, 4)), now, tz) == "soon"
    assert deadline_urgency(order(d(2026, 12, 5)), now, tz) is None
    assert deadline_urgency(order(d(2026, 11, 1), status="delivered"), now, tz) is None
    assert deadline_cell(order(d(2026, 12, 1), dt.time(11), start=dt.time(9)), d(2026, 12, 1)) == "12-01 09:00–11:00"
    assert deadline_cell(order(d(2027, 1, 5)), d(2026, 12, 1)) == "2027-01-05"
    assert payment_cell(order(None)) == "COD"  # collects the amount beside it: said once
    assert amount_cell(order(None), "CNY") == "1,234.50" and amount_cell(order(None), "USD") == "1,234.50 CNY"
    assert payment_cell(order(None, due=Decimal("7000.00"))) == "COD 7,000.00"
    assert payment_cell(order(None, paid="paid")) == "COD paid"
    assert payment_cell(order(None, method="prepaid")) == "prepaid"


async def test_the_same_error_from_several_workers_is_one_message(four, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(3):
            app.show_error("the database is busy: another clerk is writing; try again")
        await pilot.pause()
        assert isinstance(app.screen, MessageModal)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OrderListScreen)


def test_an_amount_is_whole_in_its_column_or_visibly_cut():
    from dataclasses import replace

    from notedesk.services.types import OrderSummary
    from notedesk.tui.widgets.order_cells import amount_cell, money_cell

    assert money_cell(Decimal("1234567.50"), 12) == "1,234,567.50"
    assert money_cell(Decimal("1234567.50"), 10) == "1234567.50"  # no separators before a cut
    assert money_cell(Decimal("20000000.00"), 10) == "20000000"  # then no zero cents
    assert money_cell(Decimal("20000000.50"), 10) == "20,000,000.50"  # left for fit() to cut with '…'
    assert money_cell(None, 10) == ""
    usd = OrderSummary(id=1, number="N", customer="c", company="", status="confirmed", deadline=Deadline("x"),
                       payment_method="cod", payment_status="unpaid", total=Decimal("123456.00"), amount_due=None,
                       currency="USD", updated_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert amount_cell(usd, "CNY") == "123,456.00 USD"
    assert amount_cell(usd, "CNY", 13) == "123456.00 USD"  # the plain list's amount column at 80 columns
    assert amount_cell(replace(usd, currency="CNY"), "CNY", 13) == "123,456.00"
