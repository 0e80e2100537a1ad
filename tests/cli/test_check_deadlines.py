"""`notedesk check` reports stored deadlines today's grammar reads differently, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import sample_order
from notedesk.cli import main
from notedesk.services import orders
from notedesk.services.deadline_rereads import reread_deadlines
from notedesk.services.types import Deadline
from notedesk.store.connection import close_database, open_database

D, T = dt.date, dt.time
WRITTEN = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Thursday


@pytest.fixture
def stored(database, db_url, monkeypatch):
    """Open orders whose deadlines an older grammar read (some wrongly), and a delivered one."""
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:00")
    for number, text, deadline, status in [
        ("SO-1", "6月1日", (D(2026, 6, 1), None, None), "confirmed"),  # the nearest, back in time
        ("SO-2", "明天", (D(2026, 11, 27), None, None), "confirmed"),  # reads the same
        ("SO-3", "国庆节晚上", (D(2026, 11, 26), T(18), T(21)), "in_production"),  # the holiday unread
        ("SO-4", "12月1O日", (D(2026, 12, 1), None, None), "new"),  # a typo read as a date
        ("SO-5", "6月1日", (D(2026, 6, 1), None, None), "delivered"),  # closed: not reported
        ("SO-6", "", (D(2026, 12, 5), None, None), "confirmed"),  # no words: nothing to re-read
    ]:
        orders.create_order(sample_order(number, status=status, deadline=Deadline(text, *deadline),
                                         created_at=WRITTEN))
    # set two days later: "明天" then meant the 29th, and still does when read as of then
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-28T09:00")
    orders.set_deadline("SO-2", Deadline("明天", D(2026, 11, 29)))
    close_database()
    return db_url


def test_the_service_lists_open_orders_whose_words_now_read_differently(stored):
    open_database(stored)
    try:
        rereads = {r.number: r for r in reread_deadlines()}
    finally:
        close_database()
    assert sorted(rereads) == ["SO-1", "SO-3", "SO-4"]
    assert rereads["SO-1"].now.date == D(2027, 6, 1)
    assert (rereads["SO-3"].now.date, rereads["SO-3"].now.start) == (D(2027, 10, 1), T(18))
    assert not rereads["SO-4"].now.scheduled and rereads["SO-4"].now.unread == ("12月1O日",)


def test_check_reports_them_and_changes_nothing(stored, capsys):
    assert main(["check", "--db", stored]) == 0  # a report, not a problem
    out = capsys.readouterr().out
    assert "deadlines: 3 open order(s) whose words read differently today" in out
    assert "SO-1 “6月1日”: stored Mon 1 Jun 2026; read today Tue 1 Jun 2027" in out
    assert "SO-4 “12月1O日”: stored Tue 1 Dec 2026; read today not understood: 12月1O日" in out
    assert "SO-2" not in out and "SO-5" not in out
    open_database(stored)
    try:
        assert orders.get_order("SO-1").deadline.date == D(2026, 6, 1)  # kept as stored
        assert orders.get_order("SO-3").deadline.start == T(18)
    finally:
        close_database()


def test_check_says_when_every_deadline_reads_the_same(database, db_url, capsys, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:00")
    orders.create_order(sample_order("SO-7", created_at=WRITTEN))  # the design's seed sentence
    close_database()
    assert main(["check", "--db", db_url]) == 0
    assert "deadlines: every open order's deadline reads as stored" in capsys.readouterr().out
