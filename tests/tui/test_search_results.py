"""SearchResultsScreen through Pilot on a real SQLite file: ctrl+f from the list (and from its filter
box) carries the filter text over, hits newest first with the match marked, typing searches again,
enter opens the order, hostile stored text is shown literally, 80x24 fits."""

from __future__ import annotations

import datetime as dt

import pytest
from harness import screen_text
from textual.widgets import DataTable, Input

from conftest import sample_order
from notedesk.services import communications, orders, search
from notedesk.services.types import CustomerData
from notedesk.store import models as m
from notedesk.tui.app import NotedeskApp
from notedesk.tui.screens.order_detail import OrderDetailScreen
from notedesk.tui.screens.order_list import OrderListScreen
from notedesk.tui.screens.search_results import MATCH_STYLE, SearchResultsScreen

UTC = dt.UTC
N1, N2 = "SO-2026-00042", "SO-2026-00043"


@pytest.fixture
def desk(database):
    orders.create_order(sample_order(N1))  # requirements 红色T恤200件,XL码
    orders.create_order(sample_order(N2, customer=CustomerData(name="Sarah Connor", company="Acme Ltd.",
                                                               phone="+1 555-0100"),
                                     notes={"delivery": "Call Tom before arrival"}))
    communications.log_communication(N1, "客户说T恤要加急", at=dt.datetime(2026, 11, 27, 3, tzinfo=UTC))
    return database


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def results(pilot) -> None:
    """Until the search's answer is on the screen (a loaded machine can take a while)."""
    for _ in range(100):
        await settle(pilot, 1)
        summary = str(pilot.app.screen.query_one("#search-summary").render())
        if "hit" in summary or "Nothing" in summary:
            await settle(pilot, 1)  # the frame after it
            return
        await pilot.pause(0.05)


def cells(app, column: str) -> list[str]:
    table = app.screen.query_one("#search-hits", DataTable)
    return [table.get_cell(row.key, column).plain for row in table.ordered_rows]


async def test_ctrl_f_from_the_filter_box_searches_the_full_text(desk, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"T恤")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await results(pilot)
        assert isinstance(app.screen, SearchResultsScreen)
        assert app.screen.query_one("#search-query", Input).value == "T恤"
        assert cells(app, "number") == [N1, N1]
        assert cells(app, "where") == ["Log", "Req."]  # newest first: the log entry of 11-27
        table = app.screen.query_one("#search-hits", DataTable)
        found = table.get_cell(table.ordered_rows[0].key, "snippet")
        assert found.plain == "客户说T恤要加急"
        assert [(s.start, s.end, str(s.style)) for s in found.spans] == [(3, 5, MATCH_STYLE)]
        text = screen_text(app)
        assert "2 hits for “T恤”" in text and "客户说T恤要加急" in text, text.replace(" " * 8, "")
        assert all(len(line) <= 80 for line in text.splitlines())
        await pilot.press("enter")  # the table has the focus: open the order under the cursor
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen) and app.screen.number == N1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchResultsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)


async def test_typing_a_new_query_searches_again(desk, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")  # from the list, an empty filter: the query box has the focus
        await settle(pilot)
        assert isinstance(app.screen, SearchResultsScreen)
        assert isinstance(app.screen.focused, Input)
        await pilot.press(*"call tom")
        await pilot.pause(0.4)
        await results(pilot)
        assert cells(app, "number") == [N2] and cells(app, "where") == ["Delivery"]
        await pilot.press("enter")  # in the box: to the hits, not open yet
        await settle(pilot)
        assert isinstance(app.screen, SearchResultsScreen) and isinstance(app.screen.focused, DataTable)
        await pilot.press("ctrl+f", "ctrl+u", *"没有这个", "enter")
        await pilot.pause(0.1)
        await results(pilot)
        assert cells(app, "number") == []
        assert "Nothing has “没有这个”" in screen_text(app)


async def test_stored_text_is_shown_literally(desk, db_url):
    with m.db.connection_context():  # bypass the services' gate, as an old or foreign writer would
        m.Note.update(body="[@click=app.quit] 红色 [/] \x1b]0;x\x07").where(m.Note.kind == "special").execute()
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(SearchResultsScreen("红色"))
        await results(pilot)
        shown = screen_text(app)
        assert "[@click=app.quit] 红色 [/]" in shown, shown.replace(" " * 8, "")
        assert "\x1b" not in shown
        await pilot.click("#search-hits", offset=(60, 1))
        await settle(pilot)
        assert app.is_running


async def test_hits_drawn_before_the_table_measured_them_are_drawn_whole(desk, db_url):
    """A frame painted between filling the table and DataTable's idle-time column measuring used to
    keep the title-wide columns ("SO-20") until something else changed: CI caught it on a loaded
    machine. The screen measures the columns itself now."""
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(SearchResultsScreen(""))
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#search-hits", DataTable)
        screen.shown_query, screen.hits = "红色", search.search("红色", limit=10)
        screen._fill(table)
        for y in range(table.size.height):  # a frame drawn before the table's idle
            table.render_line(y)
        await settle(pilot)
        assert N1 in screen_text(app), screen_text(app).replace(" " * 8, "")
