"""Deadlines from the database: open orders by due time and group, header counts, and moving a deadline.

The grammar (text -> date and window, groups, due time) is the pure `notedesk.deadlines`; this module
only reads and writes orders with it. Every read is one query on the `orders_due` index (open
statuses, then due order; migrations 0002 and 0003), bounded by date where a bound is known; the
customer's name comes with the order (migration 0003), not from a join.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from itertools import compress, repeat

from peewee import fn

from notedesk import clock, domain, labels
from notedesk import deadlines as grammar
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import amend, orders
from notedesk.services import validation as v
from notedesk.services.errors import InvalidInput
from notedesk.services.transaction import operation
from notedesk.services.types import Deadline, DueItem, DueTable, OrderDetail, collects_on_delivery
from notedesk.store import models as m

# The view loads every order due this week, and bounded slices of the rest, so a desk with years
# of stale overdue orders still opens at once and still shows today's.
OVERDUE_LIMIT = 500  # the most recently overdue; older ones are counted ("+N older")
LATER_LIMIT = 500  # the soonest due after this week; the rest are counted
NEAR_LIMIT = 5000  # today, tomorrow and this week: a safety bound, not expected to be reached
NONE_LIMIT = 200  # open orders without a date, newest first; the rest are counted


@dataclass(frozen=True)
class DeadlineGroups:
    """What the deadline view shows: every group of deadlines.GROUPS (in that order, possibly empty),
    each in due order, and per group how many orders were not loaded (`more`)."""

    now: dt.datetime
    groups: dict[str, list[DueItem]] = field(default_factory=dict)
    more: dict[str, int] = field(default_factory=dict)  # overdue: the oldest; others: the latest

    def __getitem__(self, group: str) -> list[DueItem]:
        return self.groups[group]

    def total(self, group: str) -> int:
        return len(self.groups[group]) + self.more.get(group, 0)

    def items(self) -> list[DueItem]:
        """Every loaded order in view order."""
        return [item for g in grammar.GROUPS for item in self.groups[g]]


def _now(now: dt.datetime | None) -> dt.datetime:
    return clock.as_utc(now) if now is not None else clock.now()


# What a DueItem needs, read as plain tuples. At 100,000 orders `notedesk due` lists thousands of open
# orders: full model instances cost most of its time, and Peewee's conversion of every column a third
# of the rest, though only dates, times and money need it (_Items converts those).
# The delivery address and the contact's phone the order picked (migration 0012) come last, each a
# lookup by primary key (orders_due carries the two ids on SQLite). Subqueries, not joins: a COUNT of
# a group (_bounded) then never reads them, where joins doubled the deadline view's time at 100,000 orders.
_DELIVERY = (fn.COALESCE(m.CustomerAddress.select(m.CustomerAddress.text)
                         .where(m.CustomerAddress.id == m.Order.address), ""),
             fn.COALESCE(m.CustomerContact.select(m.CustomerContact.phone)
                         .where(m.CustomerContact.id == m.Order.contact), ""))
_COLUMNS = (m.Order.number, m.Order.customer_name, m.Order.customer_company, m.Order.status, m.Order.deadline_text,
            m.Order.deadline_date, m.Order.deadline_start, m.Order.deadline_end, m.Order.payment_method,
            m.Order.payment_status, m.Order.amount_due, m.Order.total, m.Order.currency, m.Order.version,
            m.Order.received, *_DELIVERY)
# What a DueTable needs: not the deadline's text, the company or the version (a fifth of the query's time).
_TABLE_COLUMNS = (m.Order.number, m.Order.customer_name, m.Order.status, m.Order.deadline_date, m.Order.deadline_start,
                  m.Order.deadline_end, m.Order.payment_method, m.Order.payment_status, m.Order.amount_due,
                  m.Order.total, m.Order.currency, m.Order.received, *_DELIVERY)
_DATE, _TIME, _MONEY = m.Order.deadline_date.python_value, m.Order.deadline_end.python_value, m.Order.total.python_value


def _open_orders(columns: tuple = _COLUMNS):
    return m.Order.select(*columns).where(m.Order.status.in_(domain.OPEN_STATUSES))


def _rows(query) -> list[tuple]:
    """The query's rows as the driver returns them (see _Items)."""
    return m.db.execute(query).fetchall()


# A DueItem from the tuple of its fields, in their order: the named tuple's own __new__ is a Python
# call per item, this is not.
_DUE_ITEM = functools.partial(tuple.__new__, DueItem)


class _Items:
    """Rows of _COLUMNS into DueItems (or a DueTable), for one `now`. Thousands of orders share a
    couple of thousand deadlines, a few hundred dates and windows and fewer amounts: each distinct one
    is converted (and placed in a group) once, and the rows are taken a column at a time, so that an
    order whose deadline and amounts were seen before costs no Python call at all."""

    def __init__(self, now: dt.datetime, tz: dt.tzinfo) -> None:
        group_of, memo = grammar.grouper(now, tz), functools.lru_cache(maxsize=None)
        date_of, time_of = memo(_DATE), memo(_TIME)

        @memo
        def window(date, start, end) -> tuple[dt.date | None, dt.time | None, dt.time | None, dt.datetime | None, str]:
            """A stored deadline's date, start and end, its due time and its group."""
            date, end = date_of(date), time_of(end)
            return date, time_of(start), end, (grammar.due_at(date, end, tz) if date else None), group_of(date, end)

        @memo
        def deadline(text: str, date, start, end) -> tuple[Deadline, dt.datetime | None, str]:
            date, start, end, due, group = window(date, start, end)
            return Deadline(text, date, start, end), due, group

        self.window, self.deadline, self.money = window, deadline, memo(_MONEY)

    def __call__(self, rows: list[tuple]) -> list[DueItem]:
        if not rows:
            return []
        (numbers, customers, companies, statuses, texts, dates, starts, ends, methods, pay_statuses, amounts_due,
         totals, currencies, versions, received, addresses, phones) = zip(*rows)
        deadlines, dues, groups = zip(*map(self.deadline, texts, dates, starts, ends))
        money = self.money
        return list(map(_DUE_ITEM, zip(numbers, customers, statuses, deadlines, dues, groups, methods, pay_statuses,
                                       map(money, amounts_due), map(money, totals), currencies, versions, companies,
                                       map(money, received), addresses, phones)))

    def table(self, rows: list[tuple], horizon: dt.datetime | None) -> DueTable:
        """Rows of _TABLE_COLUMNS as DueTable columns: no Deadline, DueItem or Decimal per order (only the
        amounts a cash on delivery collects). With `horizon`, as due_orders: overdue orders, and those
        due before it."""
        if not rows:
            return DueTable()
        (numbers, customers, statuses, dates, starts, ends, methods, pay_statuses, amounts_due, totals, currencies,
         received, addresses, phones) = zip(*rows)
        dates, starts, ends, dues, groups = zip(*map(self.window, dates, starts, ends))
        cod = functools.lru_cache(maxsize=None)(collects_on_delivery)
        money = self.money
        due = tuple(map(money, amounts_due))
        due = tuple([money(total) if amount is None else amount for amount, total in zip(due, totals)])
        received = tuple(map(money, received))
        collect = tuple([d - r if yes else None
                         for yes, d, r in zip(map(cod, methods, pay_statuses), due, received)])
        columns: tuple[tuple, ...] = (numbers, customers, statuses, groups, dates, starts, ends, methods,
                                      pay_statuses, collect, currencies, due, received, addresses, phones)
        if horizon is not None:
            kept = list(map(_before, groups, dues, repeat(horizon)))
            columns = tuple(tuple(compress(column, kept)) for column in columns)
        return DueTable(*columns)


def _before(group: str, due: dt.datetime | None, horizon: dt.datetime) -> bool:
    """What `within` keeps: overdue orders, and those due before the horizon."""
    return group == "overdue" or (due is not None and due < horizon)


def _by_due(q):
    # Due = end of window, else end of day; so (date, end with no end last) is due order.
    return q.order_by(m.Order.deadline_date.asc(), m.Order.deadline_end.asc(nulls="LAST"), m.Order.number)


def _due_rows(now: dt.datetime, tz: dt.tzinfo, within: dt.timedelta | None,
              columns: tuple = _COLUMNS) -> tuple[list[tuple], dt.datetime | None]:
    """Open orders with a deadline in due order (up to the horizon's date with `within`), and the horizon."""
    q = _open_orders(columns).where(m.Order.deadline_date.is_null(False))
    horizon = None
    if within is not None:
        try:
            horizon = now + within
            bound = horizon.astimezone(tz).date()
        except OverflowError:  # past the year 9999: every order is within
            horizon = None
        else:
            q = q.where(m.Order.deadline_date <= bound)  # the index bound
    return _rows(_by_due(q)), horizon


@operation(read_only=True)
def due_orders(now: dt.datetime | None = None, within: dt.timedelta | None = None) -> list[DueItem]:
    """Open orders with a deadline, overdue first then by due time; with `within`, only those due
    before now + within (overdue ones always)."""
    now, tz = _now(now), clock.business_tz()
    rows, horizon = _due_rows(now, tz, within)
    items = _Items(now, tz)(rows)
    if horizon is not None:
        items = [i for i in items if _before(i.group, i.due, horizon)]
    return items  # due order is overdue first: overdue means due before now


@operation(read_only=True)
def due_table(now: dt.datetime | None = None, within: dt.timedelta | None = None) -> DueTable:
    """due_orders as columns, for `notedesk due`'s text."""
    now, tz = _now(now), clock.business_tz()
    rows, horizon = _due_rows(now, tz, within, _TABLE_COLUMNS)
    return _Items(now, tz).table(rows, horizon)


def _local(now: dt.datetime, tz: dt.tzinfo) -> tuple[dt.date, dt.time]:
    local = now.astimezone(tz)
    return local.date(), local.time().replace(microsecond=0, tzinfo=None)


def _overdue(today: dt.date, at: dt.time):
    """SQL for deadlines.group_of(...) == "overdue": an earlier day, or today with a window end
    already reached (without an end, due is midnight)."""
    return (m.Order.deadline_date < today) | (
        (m.Order.deadline_date == today) & m.Order.deadline_end.is_null(False) & (m.Order.deadline_end <= at))


def _bounded(query, limit: int) -> tuple[list, int]:
    """At most `limit` rows, and how many more there are (a COUNT only when the limit is hit)."""
    rows = _rows(query.limit(limit + 1))
    if len(rows) <= limit:
        return rows, 0
    return rows[:limit], query.order_by().count() - limit


@operation(read_only=True)
def deadline_groups(now: dt.datetime | None = None, *, overdue_limit: int = OVERDUE_LIMIT,
                    later_limit: int = LATER_LIMIT, none_limit: int = NONE_LIMIT) -> DeadlineGroups:
    """The deadline view: open orders by group (deadlines.GROUPS), each group by due time. Every
    order due this week; the `overdue_limit` most recently overdue; the `later_limit` soonest after
    this week; the `none_limit` newest without a date. Four queries (plus a COUNT per limit hit)."""
    now, tz = _now(now), clock.business_tz()
    today, at = _local(now, tz)
    sunday = today + dt.timedelta(days=7 - today.isoweekday())  # deadlines.group_of's "this week"
    dated = _open_orders().where(m.Order.deadline_date.is_null(False))
    overdue_q = dated.where(_overdue(today, at)).order_by(
        m.Order.deadline_date.desc(), m.Order.deadline_end.desc(nulls="FIRST"), m.Order.number.desc())
    overdue, more_overdue = _bounded(overdue_q, overdue_limit)
    near_q = _by_due(dated.where(
        ((m.Order.deadline_date == today) & (m.Order.deadline_end.is_null(True) | (m.Order.deadline_end > at)))
        | ((m.Order.deadline_date > today) & (m.Order.deadline_date <= sunday))))
    near, more_near = _bounded(near_q, NEAR_LIMIT)
    later, more_later = _bounded(_by_due(dated.where(m.Order.deadline_date > sunday)), later_limit)
    undated, more_none = _bounded(_open_orders().where(m.Order.deadline_date.is_null(True))
                                  .order_by(m.Order.created_at.desc(), m.Order.id.desc()), none_limit)
    groups: dict[str, list[DueItem]] = {g: [] for g in grammar.GROUPS}
    for item in _Items(now, tz)([*reversed(overdue), *near, *later, *undated]):
        groups[item.group].append(item)
    more = {"overdue": more_overdue, "later": more_later, "none": more_none}
    if more_near:  # the safety bound cut the week: say so on its last group
        more[next(g for g in ("this_week", "tomorrow", "today") if groups[g])] = more_near
    return DeadlineGroups(now=now, groups=groups, more=more)


@operation(read_only=True)
def counts(now: dt.datetime | None = None) -> tuple[int, int]:
    """(overdue, due today) among open orders: two COUNT queries on the deadline index, for the header."""
    today, at = _local(_now(now), clock.business_tz())
    dated = m.Order.select().where(m.Order.status.in_(domain.OPEN_STATUSES))
    overdue = dated.where(_overdue(today, at)).count()
    due_today = dated.where((m.Order.deadline_date == today)
                            & (m.Order.deadline_end.is_null(True) | (m.Order.deadline_end > at))).count()
    return overdue, due_today


def parse_new_deadline(text: str, now: dt.datetime | None = None) -> grammar.ParsedDeadline:
    """A new deadline typed by a clerk, read relative to now: it must name a date that is not past.
    Raises InvalidInput naming the problem (shared by the deadline dialog's live check and `change_deadline`)."""
    now, tz = _now(now), clock.business_tz()
    try:
        parsed = grammar.parse_deadline(text, now.astimezone(tz))
    except grammar.DeadlineError as exc:
        raise InvalidInput(str(exc), "deadline") from None
    if not parsed.scheduled:  # name what was not understood ("not understood: 国庆节"), if anything
        raise InvalidInput(labels.unread_words(parsed) or _("no date in this text"), "deadline")
    if grammar.due_at(parsed.date, parsed.end, tz) <= now:  # type: ignore[arg-type]  # scheduled: dated
        raise InvalidInput(_("that time is already past"), "deadline")
    return parsed


@operation
def change_deadline(number: str, new_deadline_text: str, reason: str, base_version: int | None = None, *,
                    now: dt.datetime | None = None, clerk: str | None = None) -> OrderDetail:
    """Move an order's deadline, earlier or later, to `new_deadline_text` (read relative to now) for
    `reason`: an amend (services.amend) of the deadline whose log entry (channel "other") says which way
    it moved ("postponed" only when later) and why, linked to the timeline's deadline event. Raises
    NotFound, InvalidInput (unreadable, past or unchanged deadline, empty reason), Conflict (changed
    since `base_version`)."""
    now, clerk = _now(now), clerk or current_clerk()
    reason = v.clean_text(reason, f"{number} reason", required=True).strip()
    text = v.clean_text(new_deadline_text, f"{number} deadline", required=True).strip()
    parsed = parse_new_deadline(text, now)
    new = Deadline(text, parsed.date, parsed.start, parsed.end)
    before = orders.get_order(number)
    old_words, new_words = orders.describe_deadline(before.deadline), orders.describe_deadline(new)
    if old_words == new_words:
        raise InvalidInput(_("the deadline is already {when}").format(when=new_words), f"{number} deadline")
    tz = clock.business_tz()
    if before.deadline.date is None:
        message = _("Deadline set to {new}: {reason}")
    elif grammar.due_at(parsed.date, parsed.end, tz) > grammar.due_at(before.deadline.date, before.deadline.end, tz):  # type: ignore[arg-type]
        message = _("Deadline postponed from {old} to {new}: {reason}")
    else:
        message = _("Deadline brought forward from {old} to {new}: {reason}")
    change = amend.Amendment((("deadline", new),), reason=reason, channel="other",
                             log_text=message.format(old=old_words, new=new_words, reason=reason))
    return amend.amend_order(number, change, base_version=base_version, clerk=clerk, at=now).order
