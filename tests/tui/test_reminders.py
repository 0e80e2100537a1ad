"""Reminders in the desk (issue 18): the toasts that name the order, the header's count, the reminders
screen through Pilot, and the whole walk in a real terminal (a pty) down to `notedesk remind`.

NOTEDESK_NOW moves time: the services read it, so the desk and the commands agree on "now".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from harness import screen_text
from pty_desk import DeskInPty
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

import notedesk.tui.app as app_module
from cli.test_remind import Robot
from conftest import cli_ok, run_cli, sample_order
from notedesk import clock
from notedesk.services import deadlines as svc
from notedesk.services import follow_ups, orders, reminders
from notedesk.services.types import Deadline
from notedesk.store.connection import close_database
from notedesk.tui import input_patch
from notedesk.tui.app import NotedeskApp
from notedesk.tui.reminders import Reminders
from notedesk.tui.screens.follow_up import FollowUpModal, SnoozeModal
from notedesk.tui.screens.order_detail import OrderDetailScreen
from notedesk.tui.screens.reminders import RemindersScreen
from services.test_due import NOW, seed_board

N = "SO-2026-00042"
WED = "2026-12-02T10:00"
FRI_AFTERNOON = "2026-12-04T15:00"


def at(local: str) -> dt.datetime:
    return clock.as_utc(dt.datetime.fromisoformat(local))


@pytest.fixture
def board(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", NOW)
    seed_board()


# --- the toasts and the header (pure logic; the app polls it from a timer) ----------------------------


def test_counts_text_puts_the_waiting_reminders_first(board):
    r = Reminders(alert_hours=24)
    r.set_counts(2, 3)
    assert r.counts_text() == "2 overdue · 3 due today"
    r.set_counts(0, 0)
    assert r.counts_text() == "nothing due today"
    r.poll()
    assert r.counts_text() == "5 reminders (m) · 3 overdue · 2 due today"


def test_alert_window_comes_from_config(tmp_path):
    from notedesk import config

    (tmp_path / "config" / "config.toml").write_text('timezone = "Asia/Shanghai"\nalert_hours = 2\n')
    config.reload()
    assert Reminders().alert == dt.timedelta(hours=2)


def test_the_first_poll_names_the_orders_then_each_reminder_once(board):
    r = Reminders(alert_hours=24)
    [first] = r.poll(at("2026-11-26T10:00"))
    assert first == ("5 reminders waiting: SO-2026-00003, SO-2026-00002, SO-2026-00001, SO-2026-00005, …"
                     " (m shows them)")
    assert r.poll(at("2026-11-26T10:30")) == []
    # SO-2026-00005 falls due; SO-2026-00006 (11-27 11:00) enters the window
    assert r.poll(at("2026-11-26T11:00")) == [
        "SO-2026-00005 (客户5) is overdue: due Thu 26 Nov 10:00–11:00",
        "SO-2026-00006 (客户6) is due in 1 day: Fri 27 Nov 09:00–11:00",
    ]
    assert r.poll(at("2026-11-26T11:00")) == []


def test_a_postponed_order_is_announced_again_and_an_acknowledged_one_leaves(board):
    r = Reminders(alert_hours=2)
    now = at("2026-11-26T10:00")
    r.poll(now)
    svc.change_deadline("SO-2026-00002", "今天下午1点", "customer asked", now=now)  # due 13:00: 3 h away
    assert r.poll(now) == []  # left the overdue list, not yet in the window
    assert r.poll(at("2026-11-26T11:30")) == [
        "SO-2026-00005 (客户5) is overdue: due Thu 26 Nov 10:00–11:00",  # was due soon: now a new reminder
        "SO-2026-00002 (客户2) is due in 1 hour: Thu 26 Nov by 13:00",
    ]
    reminders.acknowledge("li", [x.key for x in r.waiting if x.number == "SO-2026-00005"])
    assert r.poll(at("2026-11-26T11:30")) == []
    assert "SO-2026-00005" not in {x.number for x in r.waiting}
    orders.set_status("SO-2026-00002", "delivered")
    assert r.poll(at("2026-11-26T13:30")) == []  # delivered: never "overdue"
    assert "SO-2026-00002" not in {x.number for x in r.waiting}


def test_a_follow_up_toast_names_the_order_and_the_words(database):
    orders.create_order(sample_order(N, deadline=Deadline("2027-01-30", dt.date(2027, 1, 30))))
    follow_ups.add(N, "周五下午回电确认颜色", now=at(WED))
    r = Reminders()
    assert r.poll(at(WED)) == []
    assert r.poll(at(FRI_AFTERNOON)) == [
        "SO-2026-00042 (王芳): follow-up for li, Fri 4 Dec 13:00: 周五下午回电确认颜色"]
    assert Reminders(clerk="wang").poll(at(FRI_AFTERNOON)) == []  # not wang's


def test_no_database_no_textual():
    import subprocess
    import sys

    code = ("import sys, notedesk.tui.reminders; "
            "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- the desk through Pilot -----------------------------------------------------------------------


class Desk(NotedeskApp):
    """The desk opened on a blank base with the reminders polled by hand (no timers)."""

    CSS_PATH = str(Path(app_module.__file__).with_name("notedesk.tcss"))

    def __init__(self, first=None) -> None:
        super().__init__("test")
        self.first = first
        self.notified: list[str] = []
        self.bells = 0

    def notify(self, message, *args, **kwargs) -> None:
        self.notified.append(str(message))
        super().notify(message, *args, **kwargs)

    def bell(self) -> None:
        self.bells += 1

    def get_default_screen(self) -> Screen:
        return Screen()

    def on_mount(self, event) -> None:
        event.prevent_default()
        input_patch.install()
        self.reminders = Reminders()
        if self.first is not None:
            self.push_screen(self.first())


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def friday(database, monkeypatch):
    """An order with li's follow-ups due Friday 13:00 and Monday 9:00, another order due Saturday noon;
    now Friday 15:00."""
    orders.create_order(sample_order(N, deadline=Deadline("2027-01-30", dt.date(2027, 1, 30))))
    orders.create_order(sample_order("SO-2026-00043", deadline=Deadline("周六上午", dt.date(2026, 12, 5),
                                                                       dt.time(9), dt.time(12))))
    follow_ups.add(N, "周五下午回电确认颜色", now=at(WED))
    follow_ups.add(N, "寄样品", due="下周一上午", now=at(WED))
    monkeypatch.setenv("NOTEDESK_NOW", FRI_AFTERNOON)


async def test_the_poll_changes_only_the_header_names_the_order_and_rings_when_asked(friday, tmp_path):
    from notedesk import config

    (tmp_path / "config" / "config.toml").write_text('timezone = "Asia/Shanghai"\nbell = true\n')
    config.reload()
    app = Desk()
    async with app.run_test(size=(80, 24)) as pilot:
        app.poll_reminders()
        await settle(pilot)
        assert app.sub_title == "test · 2 reminders (m) · nothing due today"
        assert any("周五下午回电确认颜色" in t and N in t for t in app.notified) and app.bells == 1
        before = list(app.notified)
        app.poll_reminders()
        await settle(pilot)
        assert app.notified == before and app.bells == 1  # nothing new: no toast, no bell


async def test_the_reminders_screen_acknowledges_finishes_and_snoozes(friday):
    app = Desk(RemindersScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "2 reminders waiting" in text and "My follow-ups" in text
        assert "SO-2026-00043 (王芳) is due in" in text and "周五下午回电确认颜色" in text and "寄样品" in text
        options = app.screen.query_one(OptionList)
        assert options.highlighted_option.id == "r0"  # the follow-up, due first
        await pilot.press("a")  # seen: it leaves the list, the follow-up itself stays below
        await settle(pilot)
        assert "1 reminder waiting" in screen_text(app)
        assert [r.kind for r in reminders.waiting("li").reminders] == ["due_soon"]
        await pilot.press("A")
        await settle(pilot)
        assert "Nothing waiting." in screen_text(app) and reminders.waiting("li").reminders == ()
        # on "寄样品" (the second follow-up): snooze it, then mark the first done
        sample = next(f for f in follow_ups.pending(clerk="li") if f.text == "寄样品")
        ids = [o.id for o in options.options]
        options.highlighted = ids.index(f"f{sample.id}")
        await pilot.pause()
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, SnoozeModal)
        await pilot.press(*"2h")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RemindersScreen)
        snoozed = [f for f in follow_ups.pending(clerk="li") if f.state == "snoozed"]
        assert [(f.text, f.due_at) for f in snoozed] == [("寄样品", at("2026-12-04T17:00"))]
        first = next(f for f in follow_ups.pending(clerk="li") if f.text != "寄样品")
        options.highlighted = [o.id for o in options.options].index(f"f{first.id}")
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        assert len(follow_ups.pending(clerk="li")) == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen) and app.screen.number == N


async def test_the_detail_adds_a_follow_up_read_from_its_text(friday):
    app = Desk(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpModal)
        app.screen.query_one("#follow-up-text", Input).value = "明天上午10点寄发票"
        await pilot.pause()
        assert "Sat 5 Dec 10:00" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        added = [f for f in follow_ups.of_order(N) if f.text == "明天上午10点寄发票"]
        assert [(f.clerk, f.due_at) for f in added] == [("li", at("2026-12-05T10:00"))]
        section = app.screen.query_one("#detail-follow-ups", Static)
        assert "明天上午10点寄发票" in str(section.content)  # the detail's follow-ups section


# --- the walk in a real terminal -----------------------------------------------------------------


@pytest.fixture
def walk_db(database, db_url, monkeypatch):
    orders.create_order(sample_order(N, deadline=Deadline("2027-01-30", dt.date(2027, 1, 30))))
    # coming due Friday 18:00: within alert_hours (24) on Thursday evening, overdue after Friday 18:00
    orders.create_order(sample_order("SO-2026-00043", deadline=Deadline("周五", dt.date(2026, 12, 4),
                                                                       None, dt.time(18))))
    close_database()
    return db_url


def test_done_means_walk_in_a_real_terminal(walk_db):
    """Log a call with "周五下午回电确认颜色" in the editor's Communication tab; it is in the reminders
    screen and `due --mine`; on Friday afternoon `remind` posts it once; an order coming due is posted
    once, then once more when overdue."""
    desk = DeskInPty("--db", walk_db, env={"NOTEDESK_NOW": WED, "NOTEDESK_CLERK": "li"}, size=(80, 24))
    try:
        desk.wait_for(N, "? Help", timeout=30)
        desk.press("down")  # the list's newest change first: SO-2026-00043, then SO-2026-00042
        desk.press("enter")
        desk.wait_for(f"{N}   confirmed", "Log call")
        desk.press("e")
        desk.wait_for("Communication")
        desk.press("f6")
        desk.wait_for("What was said")
        desk.write("客户来电：颜色待定".encode() + b"\t" + "周五下午回电确认颜色".encode())
        desk.wait_for("Fri 4 Dec 13:00")
        desk.press("ctrl+s")
        desk.wait_for("Saved: log entry, follow-up for li")
        desk.press("escape")
        desk.wait_for("Log call")
        desk.press("escape")
        desk.wait_for("/ Filter")
        desk.press("m")
        screen = desk.wait_for("My follow-ups", "周五下午回电确认颜色")
        assert "Fri 4 Dec 13:00" in screen
        desk.press("escape", "q")
        assert desk.finish() == 0
    finally:
        desk.kill()
    mine = cli_ok(run_cli("due", "--mine", db=walk_db, env={"NOTEDESK_NOW": WED}))
    assert "周五下午回电确认颜色" in mine and N in mine
    robot = Robot()
    try:
        def remind(now: str) -> None:
            cli_ok(run_cli("remind", "--webhook", robot.url, db=walk_db, env={"NOTEDESK_NOW": now}))

        remind("2026-12-03T19:00")  # Thursday evening: SO-2026-00043 is due within 24 h
        assert len(robot.posts) == 1 and "SO-2026-00043" in robot.texts()[0] and "due in" in robot.texts()[0]
        remind(FRI_AFTERNOON)
        assert len(robot.posts) == 2
        assert N in robot.texts()[1] and "周五下午回电确认颜色" in robot.texts()[1]
        assert "SO-2026-00043" not in robot.texts()[1]  # due soon was said already
        remind(FRI_AFTERNOON)
        assert len(robot.posts) == 2  # the second run posts nothing
        remind("2026-12-04T18:30")
        assert len(robot.posts) == 3 and "SO-2026-00043" in robot.texts()[2] and "overdue" in robot.texts()[2]
        remind("2026-12-07T09:00")
        assert len(robot.posts) == 3
        body = robot.posts[1]["body"]
        assert json.loads(json.dumps(body)) == {"msgtype": "text", "text": {"content": robot.texts()[1]}}
    finally:
        robot.stop()
