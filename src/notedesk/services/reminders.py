"""Reminders: what is coming due or was missed, kept until a clerk acknowledges it, sent once by `notedesk remind`.

A reminder is one of:

- `due_soon`: an open order due within `alert_hours` (config) from now;
- `overdue`: an open order past its due time;
- `instalment`: unpaid instalments of an open order falling due on one day, within `alert_hours` or past;
- `follow_up`: a follow-up not done whose time has come (services.follow_ups).

Its key is (subject, subject id, kind, due time): a postponed order or a snoozed follow-up is a new
reminder at its new time, and an order coming due is one reminder, then another when it is overdue.
Instalments are keyed by their order and day, not their rows (an order's change rewrites its rows).

The desk keeps, per clerk, what was acknowledged (`reminder_ack`); the reminders screen shows the rest
(the orders' reminders and the clerk's own follow-ups). `notedesk remind` sends each reminder once:
`claim()` inserts a `reminder_sent` row per reminder in one write transaction (the unique key makes a
racing run skip it), the run sends, then `sent()` marks what went out and `release()` deletes the
claims of what failed, so the next run tries again. A claim left by a run that died (never sent,
never released) is taken over after STALE_CLAIM.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from notedesk import clock, domain
from notedesk import deadlines as grammar
from notedesk.config import settings
from notedesk.services.transaction import operation
from notedesk.services.types import Deadline, FollowUpView
from notedesk.store import models as m

KINDS = ("due_soon", "overdue", "instalment", "follow_up")
STALE_CLAIM = dt.timedelta(minutes=15)  # a claim this old, never sent, belongs to a run that died
_CHUNK = 500  # ids per IN (...) when looking keys up

Key = tuple[str, int, str, dt.datetime]


@dataclass(frozen=True)
class Reminder:
    subject: str  # "order", "instalment" (both: the order's id) or "follow_up" (the follow-up's id)
    subject_id: int
    kind: str  # KINDS
    due: dt.datetime  # aware UTC: the order's due time, the instalment's day's end, the follow-up's time
    number: str
    customer: str
    deadline: Deadline | None = None  # orders
    amount: Decimal | None = None  # instalments: what falls due that day
    currency: str = ""
    clerk: str = ""  # follow-ups: whose
    text: str = ""  # follow-ups: the to-do

    @property
    def key(self) -> Key:
        return (self.subject, self.subject_id, self.kind, self.due)


def _now(now: dt.datetime | None) -> dt.datetime:
    return clock.as_utc(now) if now is not None else clock.now()


def _alert(alert: dt.timedelta | None) -> dt.timedelta:
    return alert if alert is not None else dt.timedelta(hours=settings().alert_hours)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _orders(now: dt.datetime, horizon: dt.datetime, tz: dt.tzinfo) -> list[Reminder]:
    Od = m.Order
    bound = horizon.astimezone(tz).date()
    rows = m.db.execute(
        Od.select(Od.id, Od.number, Od.customer_name, Od.deadline_text, Od.deadline_date, Od.deadline_start,
                  Od.deadline_end)
        .where(Od.status.in_(domain.OPEN_STATUSES) & Od.deadline_date.is_null(False) & (Od.deadline_date <= bound))
        .order_by(Od.deadline_date, Od.deadline_end.asc(nulls="LAST"), Od.number)).fetchall()
    date_of, time_of = functools.cache(Od.deadline_date.python_value), functools.cache(Od.deadline_end.python_value)
    out = []
    for oid, number, customer, text, date, start, end in rows:
        date, start, end = date_of(date), time_of(start), time_of(end)
        due = _utc(grammar.due_at(date, end, tz))
        if due > horizon:
            continue
        kind = "overdue" if due <= now else "due_soon"
        out.append(Reminder("order", oid, kind, due, number, customer, deadline=Deadline(text, date, start, end)))
    return out


def _instalments(now: dt.datetime, horizon: dt.datetime, tz: dt.tzinfo) -> list[Reminder]:
    Od, In = m.Order, m.Instalment
    bound = horizon.astimezone(tz).date()
    rows = m.db.execute(
        In.select(In.order, In.due, In.amount, Od.number, Od.customer_name, Od.currency)
        .join(Od, on=(In.order == Od.id))
        .where(Od.status.in_(domain.OPEN_STATUSES) & (In.paid == False) & (In.due <= bound))  # noqa: E712
        .order_by(In.due, Od.number)).fetchall()
    days: dict[tuple[int, dt.date], list] = {}
    for oid, due, amount, number, customer, currency in rows:
        day = In.due.python_value(due)
        entry = days.setdefault((oid, day), [number, customer, currency, Decimal("0.00")])
        entry[3] += In.amount.python_value(amount)
    out = []
    for (oid, day), (number, customer, currency, amount) in days.items():
        due = _utc(grammar.due_at(day, None, tz))
        if due <= horizon:
            out.append(Reminder("instalment", oid, "instalment", due, number, customer,
                                deadline=Deadline("", day), amount=amount, currency=currency))
    return out


def _follow_ups(now: dt.datetime, clerk: str | None) -> list[Reminder]:
    F, Od = m.FollowUp, m.Order
    q = (F.select(F.id, F.due_at, F.clerk, F.text, Od.number, Od.customer_name).join(Od, on=(F.order == Od.id))
         .where(F.state.in_(domain.FOLLOW_UP_PENDING) & (F.due_at <= now)))
    if clerk is not None:
        q = q.where(F.clerk == clerk)
    rows = m.db.execute(q.order_by(F.due_at, F.id)).fetchall()
    return [Reminder("follow_up", fid, "follow_up", F.due_at.python_value(due), number, customer, clerk=who, text=text)
            for fid, due, who, text, number, customer in rows]


def _current(now: dt.datetime, alert: dt.timedelta, clerk: str | None) -> list[Reminder]:
    tz = clock.business_tz()
    try:
        horizon = now + alert
    except OverflowError:
        horizon = dt.datetime.max.replace(tzinfo=dt.UTC)
    found = [*_orders(now, horizon, tz), *_instalments(now, horizon, tz), *_follow_ups(now, clerk)]
    return sorted(found, key=lambda r: (r.due, r.number, KINDS.index(r.kind), r.subject_id))


@operation(read_only=True)
def current(now: dt.datetime | None = None, *, alert: dt.timedelta | None = None,
            clerk: str | None = None) -> list[Reminder]:
    """Every reminder that holds now, by due time: the orders' and instalments', and the follow-ups
    of `clerk` (everyone's when None)."""
    return _current(_now(now), _alert(alert), clerk)


def _recorded(model, reminders: Iterable[Reminder], *extra) -> dict[Key, object]:
    """The rows of `model` (ReminderSent or ReminderAck) with the keys of `reminders`, by key."""
    wanted = {r.key for r in reminders}
    found: dict[Key, object] = {}
    ids = sorted({k[1] for k in wanted})
    for n in range(0, len(ids), _CHUNK):
        q = model.select().where(model.subject_id.in_(ids[n:n + _CHUNK]), *extra)
        for row in q:
            key = (row.subject, row.subject_id, row.kind, row.due)
            if key in wanted:
                found[key] = row
    return found


# --- the desk: per clerk, kept until acknowledged ------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """What the reminders screen shows a clerk: the reminders not acknowledged yet, by due time."""

    now: dt.datetime
    reminders: tuple[Reminder, ...]

    def __len__(self) -> int:
        return len(self.reminders)


@operation(read_only=True)
def waiting(clerk: str, now: dt.datetime | None = None, *, alert: dt.timedelta | None = None) -> Waiting:
    """The reminders `clerk` has not acknowledged: the orders' and instalments', and their own follow-ups."""
    now = _now(now)
    found = _current(now, _alert(alert), clerk)
    acked = _recorded(m.ReminderAck, found, m.ReminderAck.clerk == clerk)
    return Waiting(now, tuple(r for r in found if r.key not in acked))


@dataclass(frozen=True)
class Desk:
    """The reminders screen: what waits for the clerk, and all their follow-ups not done."""

    waiting: Waiting
    follow_ups: tuple[FollowUpView, ...]


@operation(read_only=True)
def desk(clerk: str, now: dt.datetime | None = None, *, alert: dt.timedelta | None = None) -> Desk:
    """What the reminders screen shows `clerk`, in one snapshot."""
    from notedesk.services import follow_ups

    return Desk(waiting(clerk, now, alert=alert), tuple(follow_ups.pending(clerk=clerk)))


@operation(live=False)
def acknowledge(clerk: str, keys: Iterable[Key], now: dt.datetime | None = None) -> int:
    """`clerk` has seen these reminders: they leave their reminders screen. Returns how many were new."""
    at = _now(now)
    rows = [dict(clerk=clerk, subject=s, subject_id=i, kind=k, due=d, at=at) for s, i, k, d in set(keys)]
    if not rows:
        return 0
    return m.ReminderAck.insert_many(rows).on_conflict_ignore().as_rowcount().execute() or 0


# --- notedesk remind: each reminder sent once ----------------------------------------------------


def _wall_clock() -> dt.datetime:
    """Real time for claims (NOTEDESK_NOW freezes the reminders' now, not how old a claim is)."""
    return dt.datetime.now(dt.UTC)


@operation(read_only=True)
def unsent(now: dt.datetime | None = None, *, alert: dt.timedelta | None = None) -> list[Reminder]:
    """What a run of `notedesk remind` would send now (for --dry-run): every current reminder not
    sent and not claimed by a run still going."""
    found = _current(_now(now), _alert(alert), None)
    stale = _wall_clock() - STALE_CLAIM
    recorded = _recorded(m.ReminderSent, found)
    return [r for r in found
            if r.key not in recorded or (recorded[r.key].sent_at is None  # type: ignore[attr-defined]
                                         and recorded[r.key].claimed_at < stale)]  # type: ignore[attr-defined]


@operation(live=False)
def claim(token: str, now: dt.datetime | None = None, *, alert: dt.timedelta | None = None) -> list[Reminder]:
    """Claim every current reminder no run has sent or is sending, for the run `token`, and return
    them: a racing run's insert of the same key is ignored, so each reminder is claimed by one run."""
    found = _current(_now(now), _alert(alert), None)
    if not found:
        return []
    wall = _wall_clock()
    S = m.ReminderSent
    rows = [dict(subject=r.subject, subject_id=r.subject_id, kind=r.kind, due=r.due, claim=token, claimed_at=wall)
            for r in found]
    for n in range(0, len(rows), _CHUNK):
        S.insert_many(rows[n:n + _CHUNK]).on_conflict_ignore().execute()
    recorded = _recorded(S, found, S.sent_at.is_null(True))
    mine = []
    for r in found:
        row = recorded.get(r.key)
        if row is None:
            continue  # sent already
        if row.claim != token:  # type: ignore[attr-defined]
            if row.claimed_at >= wall - STALE_CLAIM:  # type: ignore[attr-defined]
                continue  # another run is sending it
            S.update(claim=token, claimed_at=wall).where(S.id == row.id).execute()  # type: ignore[attr-defined]
        mine.append(r)
    return mine


def _where(token: str, keys: Iterable[Key]):
    S = m.ReminderSent
    for subject, sid, kind, due in set(keys):
        yield (S.claim == token) & (S.subject == subject) & (S.subject_id == sid) & (S.kind == kind) & (S.due == due)


@operation(live=False)
def sent(token: str, keys: Iterable[Key]) -> None:
    """The run `token` sent these reminders: never again."""
    at = _wall_clock()
    for condition in _where(token, keys):
        m.ReminderSent.update(sent_at=at).where(condition & m.ReminderSent.sent_at.is_null(True)).execute()


@operation(live=False)
def release(token: str, keys: Iterable[Key]) -> None:
    """The run `token` could not send these reminders: the next run tries again."""
    for condition in _where(token, keys):
        m.ReminderSent.delete().where(condition & m.ReminderSent.sent_at.is_null(True)).execute()
