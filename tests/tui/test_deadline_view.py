"""DeadlineViewScreen and PostponeModal through Pilot on a real SQLite file, with a frozen now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from harness import screen_text
from textual.screen import Screen
from textual.widgets import Input, Static

import notedesk.tui.app as app_module
from conftest import sample_order
from notedesk.services import deadlines as svc
from notedesk.services import orders
from notedesk.services.types import CustomerData, Deadline
from notedesk.tui import input_patch
from notedesk.tui.app import NotedeskApp
from notedesk.tui.screens.deadline_view import DeadlineViewScreen, GroupedTable
from notedesk.tui.screens.postpone import PostponeModal
from notedesk.tui.widgets.choice_modal import ChoiceModal
from services.test_due import DUE_ORDER, NOW, seed_board

ROWS = (["\0overdue", *DUE_ORDER[:3], "\0today", *DUE_ORDER[3:5], "\0tomorrow", DUE_ORDER[5], "\0this_week",
         DUE_ORDER[6], "\0later", *DUE_ORDER[7:9], "\0none", "SO-2026-00010"])


class Harness(NotedeskApp):
    """The desk app opened straight on the deadline view."""

    CSS_PATH = str(Path(app_module.__file__).with_name("notedesk.tcss"))

    def __init__(self) -> None:
        super().__init__("test")

    def get_default_screen(self) -> Screen:
        return Screen()  # a blank base, not the order list

    def on_mount(self, event) -> None:
        event.prevent_default()  # skip the app's live refresh and reminders
        input_patch.install()
        self.push_screen(DeadlineViewScreen())


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def keys(table: GroupedTable) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


def current(app) -> str:
    table = app.screen.query_one(GroupedTable)
    return keys(table)[table.cursor_row]


@pytest.fixture
def board(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", NOW)
    seed_board()


async def test_groups_in_order_and_cursor_skips_headers(board):
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(GroupedTable)
        assert keys(table) == ROWS
        assert current(app) == DUE_ORDER[0]  # not the "Overdue" header
        await pilot.press("down", "down", "down")
        assert current(app) == DUE_ORDER[3]  # stepped over the "Today" header
        await pilot.press("up")
        assert current(app) == DUE_ORDER[2]
        await pilot.press("up", "up", "up")
        assert current(app) == DUE_ORDER[0]  # the top header bounces back
        text = screen_text(app)
        for label in ("Overdue (3)", "Today (2)", "Tomorrow (1)", "This week (1)", "Later (2)", "No deadline (1)"):
            assert label in text
        assert "SO-2026-00011" not in text and "SO-2026-00012" not in text  # cancelled, delivered
        assert "Overdue 3  Today 2  Tomorrow 1  This week 1  Later 2  No date 1" in text
        await pilot.press("g")
        assert current(app) == DUE_ORDER[3]  # first of Today
        await pilot.press("g", "g", "g", "g")
        assert current(app) == "SO-2026-00010"  # No deadline
        await pilot.press("g")
        assert current(app) == DUE_ORDER[0]  # round again


async def test_rows_drawn_before_the_table_measured_them_are_drawn_whole(board, monkeypatch):
    """DataTable measures auto-width columns when next idle; a frame drawn before that used to keep the
    title-wide columns ("SO-20") until something else changed the table."""
    monkeypatch.setattr(DeadlineViewScreen, "reload", lambda self: None)  # filled by hand below
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(GroupedTable)
        table.loading = False  # (the screen does this as it fills the table)
        await settle(pilot)
        app.screen._show(svc.deadline_groups())
        for y in range(table.size.height):  # a frame drawn before the table's idle
            table.render_line(y)
        await settle(pilot)
        text = screen_text(app)
        assert DUE_ORDER[0] in text and "Overdue (3)" in text, text


async def test_rows_show_window_payment_and_warnings(board):
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if "SO-2026-00005" in line)
        assert "Thu 26 Nov 10:00–11:00" in row and "客户5" in row and "confirmed" in row
        cod = next(line for line in lines if "SO-2026-00001" in line)
        assert "COD 100.00" in cod and "Thu 26 Nov 09:00–10:00" in cod
        prepaid = next(line for line in lines if "SO-2026-00002" in line)
        assert "! prepaid 7,000.00" in prepaid
        later = next(line for line in lines if "SO-2026-00009" in line)
        assert "Tue 5 Jan 2027" in later
        assert "尽快" in next(line for line in lines if "SO-2026-00010" in line)


async def test_x_marks_delivered_and_the_row_disappears(board):
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        assert current(app) == DUE_ORDER[1]
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("y")
        await settle(pilot)
        table = app.screen.query_one(GroupedTable)
        assert DUE_ORDER[1] not in keys(table)
        assert current(app) == DUE_ORDER[2]  # the next order took its place
        assert orders.get_order(DUE_ORDER[1]).status == "delivered"
        assert "Overdue (2)" in screen_text(app)


async def test_x_then_no_changes_nothing(board):
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, DeadlineViewScreen)
        assert orders.get_order(DUE_ORDER[0]).status != "delivered"


async def test_p_postpones_with_live_preview_and_required_reason(board):
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")  # SO-2026-00005, today 10:00–11:00
        await pilot.press("p")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PostponeModal)
        await pilot.press(*"2026-02-30")
        preview = str(modal.query_one("#postpone-preview", Static).render())
        assert "no day 30 in February 2026" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal  # blocked
        modal.query_one("#postpone-deadline", Input).value = "12月3日下午"
        await pilot.pause()
        assert "→ Thu 3 Dec 13:00–18:00, in 7 days" in str(modal.query_one("#postpone-preview", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "reason is required" in str(modal.query_one("#postpone-error", Static).render())
        await pilot.press("enter")  # from the deadline field to the reason field
        await pilot.press(*"truck")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeadlineViewScreen)
        assert current(app) == "SO-2026-00005"  # the cursor followed the order to its new group
        table = app.screen.query_one(GroupedTable)
        assert keys(table).index("SO-2026-00005") > keys(table).index("\0later")
    detail = orders.get_order("SO-2026-00005")
    assert detail.deadline == Deadline("12月3日下午", dt.date(2026, 12, 3), dt.time(13), dt.time(18))
    assert (detail.events[0].field, detail.events[0].reason) == ("deadline", "truck")
    assert detail.communications[0].text.endswith("to 2026-12-03 13:00–18:00: truck")


async def test_postpone_conflict_keeps_the_dialog_and_saves_on_second_try(board):
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        modal = app.screen
        modal.query_one("#postpone-deadline", Input).value = "明天下午"
        modal.query_one("#postpone-reason", Input).value = "客户要求"
        orders.set_status(DUE_ORDER[0], "shipped", clerk="wang")  # another clerk, meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "wang changed this order meanwhile" in str(modal.query_one("#postpone-error", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DeadlineViewScreen)
    assert orders.get_order(DUE_ORDER[0]).deadline.date == dt.date(2026, 11, 27)


async def test_enter_opens_the_order_and_escape_comes_back(board):
    from notedesk.tui.screens.order_detail import OrderDetailScreen

    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen) and app.screen.number == DUE_ORDER[0]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DeadlineViewScreen)
        assert current(app) == DUE_ORDER[0]


async def test_reload_keeps_the_cursor_on_the_same_order(board):
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "down")
        assert current(app) == DUE_ORDER[4]
        orders.create_order(sample_order("SO-2026-00300", deadline=Deadline("", dt.date(2026, 11, 1)),
                                         customer=CustomerData(name="新客户")))
        app.screen.reload()
        await settle(pilot)
        assert current(app) == DUE_ORDER[4]
        assert "Overdue (4)" in screen_text(app)


async def test_stored_markup_is_shown_literally(board):
    orders.create_order(sample_order("SO-2026-00400", customer=CustomerData(name="[b]Tom[/]"),
                                     deadline=Deadline("", dt.date(2026, 11, 26))))
    orders.create_order(sample_order("SO-2026-00401", deadline=Deadline("[@click=app.quit][/]")))
    app = Harness()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "[b]Tom[/]" in screen_text(app), screen_text(app)
        assert "[@click=app.quit][/]" in screen_text(app)
        assert app.is_running


async def test_fits_80x24(board):
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if "SO-2026-00001" in line)
        assert "COD 100.00" in row and "confirmed" in row  # every column is on screen
        assert any("Delivered" in line and "p Deadline" in line for line in lines[-2:])  # footer keys
        await pilot.press("p")
        await settle(pilot)
        text = screen_text(app)
        assert "New deadline" in text and "Reason" in text and "Change the deadline" in text


async def test_left_out_orders_are_counted_where_they_would_be(board, monkeypatch):
    import functools

    from notedesk.tui.screens import deadline_view

    limited = functools.partial(svc.deadline_groups, overdue_limit=1, later_limit=1, none_limit=0)
    monkeypatch.setattr(deadline_view.deadlines, "deadline_groups", limited)
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(GroupedTable)
        assert keys(table)[:3] == ["\0overdue", "\0more-overdue", DUE_ORDER[2]]
        assert keys(table)[-4:] == [DUE_ORDER[7], "\0more-later", "\0none", "\0more-none"]
        assert current(app) == DUE_ORDER[2]
        text = screen_text(app)
        assert "Overdue (3)" in text and "+2 older" in text and "+1 more" in text and "No deadline (1)" in text
        await pilot.press("g", "g", "g", "g")
        assert current(app) == DUE_ORDER[7]  # Later; "No deadline" has no rows loaded: round again
        await pilot.press("g")
        assert current(app) == DUE_ORDER[2]
