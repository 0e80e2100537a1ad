"""The communication log: append-only entries; a correction is a new entry pointing at the old one.

A log is read a page at a time, newest first (`log_page`): an order of many years has thousands of
entries, and reading and drawing them all made its detail take seconds (issue 21). Pages follow one
another by keyset on (at, id), as the order list does, so entries added meanwhile are neither shown
twice nor skipped: newer ones are above what is shown, and an older page starts strictly below the
last entry shown."""

from __future__ import annotations

import datetime as dt

from peewee import Value

from notedesk import clock
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import validation as v
from notedesk.services import views
from notedesk.services.errors import InvalidInput
from notedesk.services.orders import find
from notedesk.services.transaction import operation
from notedesk.services.types import CommunicationView, LogKey, LogPage
from notedesk.store import models as m

LOG_PAGE = 50  # entries a screen reads at a time: a few screens' worth at 80x24
_C = m.Communication
_LOG_COLUMNS = (_C.id, _C.at, _C.channel, _C.contact, _C.clerk, _C.text, _C.corrects, m.Order.number)


def append(order: m.Order, *, text: str, channel: str, contact: str, clerk: str, at: dt.datetime,
           corrects: int | None, recorded_by: str) -> m.Communication:
    """Insert one checked entry (shared with the importer). Raises InvalidInput."""
    v.within_text_limit(text, f"{order.number} communication.text")
    if corrects is not None and not m.Communication.select().where(
        (m.Communication.id == corrects) & (m.Communication.order == order.id)
    ).exists():
        raise InvalidInput(_("no entry {corrects} on order {number} to correct").format(
            corrects=corrects, number=order.number), "corrects")
    now = clock.now()
    row = m.Communication.create(order=order.id, at=at, channel=channel, contact=contact, clerk=clerk,
                                 text=text, corrects=corrects, created_at=now, updated_at=now,
                                 changed_by=recorded_by)
    m.Order.update(updated_at=now, changed_by=recorded_by).where(m.Order.id == order.id).execute()
    return row


@operation
def log_communication(number: str, text: str, *, channel: str = "phone", contact: str = "",
                      at: dt.datetime | None = None, corrects: int | None = None,
                      clerk: str | None = None) -> CommunicationView:
    """Append an entry to an order's log. Raises NotFound, InvalidInput."""
    clerk = clerk or current_clerk()
    order = find(number)
    row = append(
        order,
        text=v.clean_text(text, f"{number} communication.text", required=True),
        channel=v.channel(channel),
        contact=v.clean_text(contact, f"{number} communication.contact", limit=200),
        clerk=clerk, at=at or clock.now(), corrects=corrects, recorded_by=clerk,
    )
    return views.communication(row, order.number)


def _raw(value):
    """A key value exactly as the database returned it (no conversion: the comparison is the index's)."""
    return Value(value, converter=lambda v: v)


def newest_page(where, *, before: LogKey | None = None, down_to: LogKey | None = None,
                limit: int | None = LOG_PAGE) -> LogPage:
    """The entries matching `where` (a condition on Communication), newest first, inside an operation:
    `limit` of them older than `before`, or every one from the newest down to `down_to` inclusive."""
    at, ident = _C.at, _C.id
    if before is not None:
        b_at, b_id = _raw(before[0]), _raw(before[1])
        where &= (at <= b_at) & ((at < b_at) | (ident < b_id))
    if down_to is not None:
        d_at, d_id = _raw(down_to[0]), _raw(down_to[1])
        where &= (at >= d_at) & ((at > d_at) | (ident >= d_id))
        limit = None
    query = (_C.select(*_LOG_COLUMNS).join(m.Order, on=(_C.order == m.Order.id)).where(where)
             .order_by(at.desc(), ident.desc()))
    if limit is not None:
        query = query.limit(limit + 1)
    sql, params = query.sql()
    rows = m.db.execute_sql(sql, params).fetchall()
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    to_at = _C.at.python_value
    entries = tuple(CommunicationView(id=r[0], at=to_at(r[1]), channel=r[2], contact=r[3], clerk=r[4], text=r[5],
                                      corrects=r[6], order_number=r[7]) for r in rows)
    keys = tuple((r[1], r[0]) for r in rows)
    return LogPage(entries, keys[-1] if more and keys else None, keys)


@operation(read_only=True)
def log_page(number: str | None = None, *, customer_id: int | None = None, before: LogKey | None = None,
             down_to: LogKey | None = None, limit: int = LOG_PAGE) -> LogPage:
    """A page of a communication log, newest first: of the order `number`, or of every order of the
    customer `customer_id` (each entry says its order_number). `before`: the page's `older` key, for
    the next older entries; `down_to`: instead of a page, every entry from the newest down to this key
    (what a screen shows, read again when something changed). Raises NotFound."""
    if (number is None) == (customer_id is None):
        raise InvalidInput("a log is an order's or a customer's", "log")
    if number is not None:
        where = _C.order == find(number).id
    else:
        where = _C.order.in_(m.Order.select(m.Order.id).where(m.Order.customer == customer_id))
    return newest_page(where, before=before, down_to=down_to, limit=limit)
