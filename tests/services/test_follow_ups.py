"""Follow-ups (issue 18): when they fall due, done / snooze / reassign on the timeline, the reminders
they make, acknowledgements per clerk, and `notedesk remind`'s claims sent once under concurrency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest

from conftest import race, sample_order
from notedesk.services import follow_ups, orders, reminders
from notedesk.services.edits import LogEntry, OrderEdits, save_edits
from notedesk.services.errors import InvalidInput, NotFound
from notedesk.services.types import Deadline, InstalmentData, NewFollowUp, Payment

SH = dt.timezone(dt.timedelta(hours=8))  # the tests' business zone, Asia/Shanghai
WED = dt.datetime(2026, 12, 2, 10, 0, tzinfo=SH)  # a Wednesday
FRI_AFTERNOON = dt.datetime(2026, 12, 4, 15, 0, tzinfo=SH)
N = "SO-2026-00042"
LATER = Deadline("2027-01-30", dt.date(2027, 1, 30))  # far from every reminder


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(N, deadline=LATER))


@pytest.mark.parametrize(("words", "due"), [
    ("周五下午回电确认颜色", dt.datetime(2026, 12, 4, 13, 0, tzinfo=SH)),  # a window: its start
    ("明天上午10点", dt.datetime(2026, 12, 3, 10, 0, tzinfo=SH)),  # a single time
    ("in 2 days", dt.datetime(2026, 12, 4, 9, 0, tzinfo=SH)),  # a day: DAY_START
    ("上午", WED),  # a window already open: at once
])
def test_when_a_follow_up_falls_due(database, words, due):
    assert follow_ups.read_when(words, WED) == due


@pytest.mark.parametrize("words", ["昨天", "回电确认颜色", "2026-02-30", ""])
def test_a_time_past_unreadable_or_missing_is_refused(database, words):
    with pytest.raises(InvalidInput):
        follow_ups.read_when(words, WED)


def test_add_reads_the_time_from_the_text_and_puts_it_on_the_timeline(order):
    f = follow_ups.add(N.lower(), "周五下午回电确认颜色", now=WED)
    assert (f.number, f.clerk, f.state, f.text) == (N, "li", "open", "周五下午回电确认颜色")
    assert f.due_at == dt.datetime(2026, 12, 4, 13, 0, tzinfo=SH)
    event = orders.get_order(N).events[0]
    assert (event.field, event.old, event.new, event.reason, event.clerk) == (
        "follow_up", "", "open · li · 2026-12-04 13:00", "周五下午回电确认颜色", "li")
    other = follow_ups.add(N, "寄样品", due="明天上午10点", clerk="wang", now=WED, by="li")
    assert (other.clerk, other.due_text) == ("wang", "明天上午10点")
    assert [x.id for x in follow_ups.pending(clerk="li")] == [f.id]
    assert [x.id for x in follow_ups.pending()] == [other.id, f.id]  # soonest first


def test_add_refuses_an_unknown_order_and_a_clerk_with_spaces(order):
    with pytest.raises(NotFound):
        follow_ups.add("SO-0000", "call", due="明天", now=WED)
    with pytest.raises(InvalidInput):
        follow_ups.add(N, "call", due="明天", clerk="li wang", now=WED)
    assert follow_ups.of_order(N) == []


def test_snooze_moves_it_and_it_reminds_again_at_the_new_time(order):
    f = follow_ups.add(N, "周五下午回电确认颜色", now=WED)
    [first] = [r for r in reminders.current(FRI_AFTERNOON) if r.kind == "follow_up"]
    snoozed = follow_ups.snooze(f.id, "2h", now=FRI_AFTERNOON, clerk="li")
    assert (snoozed.state, snoozed.due_at) == ("snoozed", FRI_AFTERNOON + dt.timedelta(hours=2))
    assert not [r for r in reminders.current(FRI_AFTERNOON) if r.kind == "follow_up"]
    [again] = [r for r in reminders.current(FRI_AFTERNOON + dt.timedelta(hours=2)) if r.kind == "follow_up"]
    assert again.key != first.key  # a new reminder: sent and shown again
    assert follow_ups.snooze(f.id, "下周一上午", now=FRI_AFTERNOON).due_at == dt.datetime(2026, 12, 7, 9, 0, tzinfo=SH)
    event = orders.get_order(N).events[1]
    assert (event.old, event.new) == ("open · li · 2026-12-04 13:00", "snoozed · li · 2026-12-04 17:00")


def test_reassign_and_done_are_on_the_timeline_and_done_is_final(order):
    f = follow_ups.add(N, "周五下午回电确认颜色", now=WED)
    moved = follow_ups.reassign(f.id, "wang", clerk="li", now=WED)
    assert moved.clerk == "wang"
    assert follow_ups.pending(clerk="li") == [] and [x.id for x in follow_ups.pending(clerk="wang")] == [f.id]
    with pytest.raises(InvalidInput):
        follow_ups.reassign(f.id, "wang", now=WED)
    [r] = [r for r in reminders.current(FRI_AFTERNOON) if r.kind == "follow_up"]
    assert r.clerk == "wang"
    assert reminders.waiting("li", FRI_AFTERNOON).reminders == ()  # not li's any more
    assert [x.kind for x in reminders.waiting("wang", FRI_AFTERNOON).reminders] == ["follow_up"]
    finished = follow_ups.done(f.id, clerk="wang", now=FRI_AFTERNOON)
    assert finished.state == "done" and finished.changed_by == "wang"
    with pytest.raises(InvalidInput):
        follow_ups.done(f.id)
    with pytest.raises(InvalidInput):
        follow_ups.snooze(f.id, "2h")
    assert reminders.current(FRI_AFTERNOON) == []
    timeline = [(e.old, e.new, e.clerk) for e in orders.get_order(N).events if e.field == "follow_up"]
    assert timeline == [("open · wang · 2026-12-04 13:00", "done · wang · 2026-12-04 13:00", "wang"),
                        ("open · li · 2026-12-04 13:00", "open · wang · 2026-12-04 13:00", "li"),
                        ("", "open · li · 2026-12-04 13:00", "li")]
    assert [x.state for x in follow_ups.of_order(N)] == ["done"]


def test_logging_a_call_with_a_follow_up_is_one_transaction(order):
    edits = OrderEdits(log_entry=LogEntry("客户来电：颜色待定"), follow_up=NewFollowUp("周五下午回电确认颜色", at=WED))
    result = save_edits(N, edits)
    assert result.saved and result.logged is not None and result.follow_up is not None
    assert result.follow_up.due_at == dt.datetime(2026, 12, 4, 13, 0, tzinfo=SH)
    # an unreadable follow-up saves nothing, not even the log entry
    with pytest.raises(InvalidInput):
        save_edits(N, OrderEdits(log_entry=LogEntry("第二次来电"), follow_up=NewFollowUp("回电", at=WED)))
    assert [c.text for c in communications_of(N)] == ["客户来电：颜色待定"]


def communications_of(number):
    return orders.get_order(number).communications


# --- reminders ----------------------------------------------------------------------------------


def test_an_order_reminds_once_coming_due_then_once_overdue(database):
    deadline = Deadline("周五下午", dt.date(2026, 12, 4), dt.time(13), dt.time(18))
    orders.create_order(sample_order(N, deadline=deadline))
    due = dt.datetime(2026, 12, 4, 18, 0, tzinfo=SH)
    assert reminders.current(due - dt.timedelta(hours=25)) == []  # alert_hours: 24
    [soon] = reminders.current(due - dt.timedelta(hours=23))
    assert (soon.kind, soon.due) == ("due_soon", due)
    assert reminders.claim("a", due - dt.timedelta(hours=23)) == [soon]
    reminders.sent("a", [soon.key])
    assert reminders.claim("b", due - dt.timedelta(hours=1)) == []  # still due soon: sent already
    [late] = reminders.claim("c", due + dt.timedelta(minutes=1))
    assert late.kind == "overdue"
    reminders.sent("c", [late.key])
    assert reminders.claim("d", due + dt.timedelta(days=3)) == []
    assert reminders.unsent(due + dt.timedelta(days=3)) == []


def test_instalments_falling_due_remind_by_order_and_day(database):
    payment = Payment(method="instalments", instalments=(
        InstalmentData(dt.date(2026, 12, 3), Decimal("1000.00")),
        InstalmentData(dt.date(2026, 12, 3), Decimal("500.00")),
        InstalmentData(dt.date(2026, 12, 20), Decimal("2000.00")),
        InstalmentData(dt.date(2026, 12, 1), Decimal("9.00"), paid=True)))
    orders.create_order(sample_order(N, deadline=LATER, payment=payment))
    [r] = reminders.current(WED + dt.timedelta(hours=16))  # Thu 02:00: the 3rd ends within 24 h
    assert (r.kind, r.amount, r.deadline.date) == ("instalment", Decimal("1500.00"), dt.date(2026, 12, 3))


def test_a_failed_send_releases_the_claim_and_a_dead_run_s_claim_goes_stale(order, monkeypatch):
    follow_ups.add(N, "周五下午回电确认颜色", now=WED)
    [r] = reminders.claim("a", FRI_AFTERNOON)
    assert reminders.claim("b", FRI_AFTERNOON) == []  # a is sending it
    assert reminders.unsent(FRI_AFTERNOON) == []
    reminders.release("a", [r.key])
    assert reminders.unsent(FRI_AFTERNOON) == [r]
    assert reminders.claim("b", FRI_AFTERNOON) == [r]  # b died without sending or releasing
    later = reminders._wall_clock() + reminders.STALE_CLAIM + dt.timedelta(seconds=1)
    monkeypatch.setattr(reminders, "_wall_clock", lambda: later)
    assert reminders.claim("c", FRI_AFTERNOON) == [r]
    reminders.sent("b", [r.key])  # b's late word counts for nothing: the claim is c's
    assert reminders.claim("d", FRI_AFTERNOON) == []
    reminders.sent("c", [r.key])
    monkeypatch.setattr(reminders, "_wall_clock", lambda: later + dt.timedelta(days=1))
    assert reminders.unsent(FRI_AFTERNOON) == [] and reminders.claim("e", FRI_AFTERNOON) == []


def test_racing_runs_claim_each_reminder_once(database):
    for i in range(6):
        deadline = Deadline("x", dt.date(2026, 12, 1 + i % 3), None, dt.time(10 + i))
        orders.create_order(sample_order(f"SO-2026-{i:05d}", deadline=deadline))
        follow_ups.add(f"SO-2026-{i:05d}", f"call {i}", due="明天上午", now=WED)
    now = FRI_AFTERNOON
    expected = {r.key for r in reminders.current(now)}
    assert len(expected) == 12
    for round_ in range(3):
        results = race(*(partial(reminders.claim, f"run{round_}-{n}", now) for n in range(4)))
        assert not any(isinstance(r, Exception) for r in results), results
        claimed = [r.key for batch in results for r in batch]
        assert len(claimed) == len(set(claimed))  # nobody claimed what another did
        if round_ == 0:
            assert set(claimed) == expected
        for n, batch in enumerate(results):
            if round_ == 0 and n % 2:
                reminders.release(f"run{round_}-{n}", [r.key for r in batch])  # its send failed
            else:
                reminders.sent(f"run{round_}-{n}", [r.key for r in batch])
    assert reminders.unsent(now) == []


def test_acknowledged_reminders_leave_that_clerk_s_screen_only(order):
    follow_ups.add(N, "周五下午回电确认颜色", now=WED)
    orders.set_deadline(N, Deadline("周五", dt.date(2026, 12, 4)))
    waiting = reminders.waiting("li", FRI_AFTERNOON)
    assert [r.kind for r in waiting.reminders] == ["follow_up", "due_soon"]
    assert reminders.acknowledge("li", [waiting.reminders[0].key], FRI_AFTERNOON) == 1
    assert reminders.acknowledge("li", [waiting.reminders[0].key], FRI_AFTERNOON) == 0
    assert [r.kind for r in reminders.waiting("li", FRI_AFTERNOON).reminders] == ["due_soon"]
    assert [r.kind for r in reminders.waiting("wang", FRI_AFTERNOON).reminders] == ["due_soon"]
    # the order becomes overdue: a new reminder, waiting again
    assert [r.kind for r in reminders.waiting("li", FRI_AFTERNOON + dt.timedelta(days=1)).reminders] == ["overdue"]


def test_closed_orders_remind_of_nothing(order):
    orders.set_deadline(N, Deadline("周五", dt.date(2026, 12, 4)))
    payment = Payment(method="instalments", instalments=(InstalmentData(dt.date(2026, 12, 4), Decimal("1.00")),))
    orders.set_payment(N, payment)
    assert {r.kind for r in reminders.current(FRI_AFTERNOON)} == {"due_soon", "instalment"}
    orders.set_status(N, "delivered")
    assert reminders.current(FRI_AFTERNOON) == []



# --- the exchange format --------------------------------------------------------------------------


def test_follow_ups_travel_in_the_exchange_document_and_round_trip(order, tmp_path, db_url):
    import io
    import json

    from notedesk.services import exchange
    from notedesk.store.connection import close_database, open_database

    first_f = follow_ups.add(N, "周五下午回电确认颜色", now=WED)
    follow_ups.add(N, "寄样品", due="明天上午10点", clerk="wang", now=WED)
    follow_ups.done(first_f.id, now=FRI_AFTERNOON)

    def export() -> str:
        out = io.StringIO()
        exchange.export(out, "json", None)
        return out.getvalue()

    text = export()
    doc = json.loads(text)["orders"][0]
    assert doc["follow_ups"] == [
        {"clerk": "wang", "text": "寄样品", "when": "明天上午10点", "due": "2026-12-03T10:00:00+08:00",
         "state": "open", "created_at": "2026-12-02T10:00:00+08:00"},
        {"clerk": "li", "text": "周五下午回电确认颜色", "when": "周五下午回电确认颜色",
         "due": "2026-12-04T13:00:00+08:00", "state": "done", "created_at": "2026-12-02T10:00:00+08:00"}]
    assert exchange.import_json_text(text, update=True).unchanged == (N,)  # nothing new: nothing added
    close_database()
    open_database(str(tmp_path / "other.db"))
    exchange.import_json_text(text)
    assert export() == text
    assert [f.state for f in follow_ups.of_order(N)] == ["open", "done"]
    # an older document without follow_ups still imports; a bad state is named
    del doc["follow_ups"]
    doc["number"] = "SO-2026-00043"
    exchange.import_json_text(json.dumps({"format": "notedesk/1", "orders": [doc]}))
    doc["number"] = "SO-2026-00044"
    doc["follow_ups"] = [{"text": "x", "due": "2026-12-03T10:00:00+08:00", "state": "later"}]
    with pytest.raises(InvalidInput, match=r"SO-2026-00044 follow_ups\[0\].state"):
        exchange.import_json_text(json.dumps({"format": "notedesk/1", "orders": [doc]}))
