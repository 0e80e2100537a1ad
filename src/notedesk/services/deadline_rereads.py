"""Stored deadlines the grammar of today would read differently: a report for `notedesk check`.

A stored deadline keeps its stored date and window: nothing is re-read silently (the grammar changed
under deadlines clerks already confirmed). This only says which open orders' words now read
otherwise, each re-read as of when it was written: the last time the deadline was set (the
timeline's deadline event), else when the order was created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from notedesk import clock, domain
from notedesk import deadlines as grammar
from notedesk.services.transaction import operation
from notedesk.services.types import Deadline
from notedesk.store import models as m


@dataclass(frozen=True)
class Reread:
    """An open order whose stored deadline reads differently now: `now` is today's reading (None with
    `error`, when the words now name an impossible date)."""

    number: str
    stored: Deadline
    now: grammar.ParsedDeadline | None
    error: str | None = None


def _same(stored: Deadline, reading: grammar.ParsedDeadline) -> bool:
    return (stored.date, stored.start, stored.end) == (reading.date, reading.start, reading.end)


@operation
def reread_deadlines() -> list[Reread]:
    """Open orders with deadline text whose stored date and window differ from today's reading of
    that text, by order number. Reads only; two queries."""
    tz = clock.business_tz()
    set_at: dict[int, dt.datetime | str] = dict(
        m.Event.select(m.Event.order, peewee.fn.MAX(m.Event.created_at))
        .where(m.Event.field == "deadline").group_by(m.Event.order).tuples().iterator())
    rows: list[tuple] = list(
        m.Order.select(m.Order.id, m.Order.number, m.Order.created_at, m.Order.deadline_text, m.Order.deadline_date,
                       m.Order.deadline_start, m.Order.deadline_end)
        .where(m.Order.status.in_(domain.OPEN_STATUSES), m.Order.deadline_text != "")
        .order_by(m.Order.number).tuples().iterator())
    out = []
    for order_id, number, created, text, date, start, end in rows:
        stored = Deadline(text, date, start, end)
        written = set_at.get(order_id) or created
        if isinstance(written, str):  # SQLite hands back what an aggregate saw as text
            written = dt.datetime.fromisoformat(written)
        reference = clock.as_utc(written if written.tzinfo else written.replace(tzinfo=dt.UTC)).astimezone(tz)
        try:
            reading = grammar.parse_deadline(text, reference.replace(tzinfo=None))
        except grammar.DeadlineError as exc:
            out.append(Reread(number, stored, None, str(exc)))
            continue
        if not _same(stored, reading):
            out.append(Reread(number, stored, reading))
    return out
