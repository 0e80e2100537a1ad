"""OrderDetailScreen through Pilot on a real SQLite file: every part shows, keys open the right screens."""

from __future__ import annotations

import datetime as dt

import pytest
from harness import Harness, click_actions, screen_text, settle
from textual.widgets import OptionList

from conftest import sample_order
from notedesk.services import communications, notes, orders
from notedesk.services.types import CustomerData
from notedesk.tui.screens.note_editor import NoteEditorScreen
from notedesk.tui.screens.order_detail import OrderDetailScreen
from notedesk.tui.widgets.note_area import NoteArea

NUMBER = "SO-2026-00042"


@pytest.fixture
def order(database):
    detail = orders.create_order(sample_order())
    communications.log_communication(NUMBER, "数量改为300件", channel="wechat", contact="王芳", clerk="wang")
    orders.set_status(NUMBER, "in_production", clerk="zhao")
    return detail


async def test_detail_shows_every_part(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        text = screen_text(app)
    for expected in (NUMBER, "in production", "王芳", "芳华服饰有限公司", "13800138000", "7,000.00 CNY",  # header
                     "只接受顺丰快递", "standing preferences",  # preferences
                     "T恤", "红色 / XL", "200", "35.00",  # lines
                     "Tue 1 Dec", "09:00–11:00", "请在2026年12月1日前交付",  # deadline
                     "cash on delivery", "unpaid",  # payment
                     "Requirements", "红色T恤200件,XL码", "Special", "胸前印LOGO",  # notes
                     "数量改为300件", "WeChat", "wang",  # communication log
                     "status: confirmed → in production", "zhao"):  # timeline
        assert expected in text, expected


async def test_detail_at_80x24_shows_header_and_keys(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).split("\n")
    assert NUMBER in lines[0] and "王芳" in lines[0]
    for key in ("Edit notes", "Amend", "Log call", "Status", "History", "Back"):
        assert key in lines[-1]


async def test_communication_log_is_newest_first(order):
    communications.log_communication(NUMBER, "后来的电话", contact="王芳")
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        text = screen_text(app)
    assert text.index("后来的电话") < text.index("数量改为300件")


async def test_markup_in_stored_text_is_shown_literally(database):
    hostile = "A[@click=app.quit]B[/]C Call [Tom] asap"
    orders.create_order(sample_order(
        notes={"requirements": hostile, "special": "[b]not bold[/b]"},
        customer=CustomerData(name="[red]Tom[/red]", preferences="[/] prefs")))
    communications.log_communication(NUMBER, hostile, contact="[Tom]")
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        actions = click_actions(app)
    assert text.count(hostile) == 2
    assert "[b]not bold[/b]" in text and "[red]Tom[/red]" in text and "[/] prefs" in text
    assert actions == []


async def test_e_opens_editor_on_requirements_with_the_cursor_in_it(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        assert isinstance(app.focused, NoteArea) and app.focused.kind == "requirements"
        assert app.focused.text == "红色T恤200件,XL码"


async def test_editor_save_shows_on_detail_after_escape(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end", *"加急")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert "红色T恤200件,XL码加急" in screen_text(app)


async def test_l_logs_a_communication(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"客户要求改成蓝色")
        await pilot.press("ctrl+s")
        await settle(pilot, 3)
        assert isinstance(app.screen, OrderDetailScreen)
    entries = orders.get_order(NUMBER).communications
    assert entries[0].text == "客户要求改成蓝色" and entries[0].clerk == "li"
    assert entries[0].contact == "王芳"  # prefilled from the last entry


async def test_l_escape_with_text_asks_and_discard_logs_nothing(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"draft")
        await pilot.press("escape")
        await settle(pilot)
        assert "not logged yet" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
    assert len(orders.get_order(NUMBER).communications) == 1


async def test_s_changes_the_status(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 2  # in_production, the current status
        await pilot.press("down", "enter")  # shipped
        await settle(pilot, 3)
        assert isinstance(app.screen, OrderDetailScreen)
    assert orders.get_order(NUMBER).status == "shipped"


async def test_status_saved_on_top_when_another_clerk_changed_something_else(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        orders.set_payment(NUMBER, order.payment.__class__(method="prepaid", status="paid"), clerk="wang")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot, 3)
    stored = orders.get_order(NUMBER)
    assert (stored.status, stored.payment.method) == ("shipped", "prepaid")


async def test_h_opens_history(order):
    from notedesk.tui.screens.history import HistoryScreen

    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and app.screen.kind == "requirements"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)


async def test_reload_updates_in_place_and_keeps_the_scroll_position(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        body = app.screen.query_one("#detail-body")
        await pilot.press("pagedown")
        await settle(pilot)
        before = body.scroll_y
        assert before > 0
        notes.save_note(NUMBER, "payment", "另一位同事写的付款说明", base_version=0, clerk="wang")
        app.screen.reload()
        await settle(pilot)
        assert body.scroll_y == before
        assert "另一位同事写的付款说明" in str(app.screen.query_one("#detail-note-payment").render())


async def test_escape_goes_back(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, OrderDetailScreen)


async def test_unknown_order_says_so(database):
    app = Harness(lambda: OrderDetailScreen("SO-0000-00000"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, OrderDetailScreen)
        assert any("no order SO-0000-00000" in message for message in app.notified)


async def test_who_else_is_editing_never_hides_the_header(order):
    """Issue 13.5: the presence line sits under the header (number, status, customer), not over it."""
    from notedesk.services.presence import PresenceView

    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.show_presence([PresenceView("wang", dt.datetime(2026, 11, 26, 4, 30, tzinfo=dt.UTC))])
        await settle(pilot)
        lines = screen_text(app).split("\n")
    assert NUMBER in lines[0] and "in production" in lines[0] and "王芳" in lines[0]
    assert any("wang is editing since 12:30" in line for line in lines[1:4])


async def test_the_headers_changed_by_follows_live_changes(order):
    """Issue 13.5: a note saved by another clerk is a change of the order: the header says who."""
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "changed by zhao" in screen_text(app)
        notes.save_note(NUMBER, "special", "丝印", base_version=1, clerk="wang")
        app.screen.reload()  # what the live refresh calls
        await settle(pilot)
        assert "changed by wang" in screen_text(app)
