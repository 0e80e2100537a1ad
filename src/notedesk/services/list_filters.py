"""The order list's filters beyond its text box: deadline ranges (named or typed), payment statuses, customer.

A deadline range is resolved to dates when the clerk sets it (`due_range`), so a query is a plain
value the list can compare and cache; "overdue" alone is judged when the query runs (it moves with the
clock). Typed ranges are read by the deadline grammar, like a deadline field: "12月3日到5日",
"dec 3 to dec 9", "下周一到下周五", "friday". As there, a date without a year is the next one on or
after today: a range in the past needs its year ("2026-11-01 to 2026-11-30").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from notedesk import clock, domain
from notedesk import deadlines as grammar
from notedesk.i18n import _
from notedesk.services.errors import InvalidInput
from notedesk.store import models as m

# Named ranges, in both interface languages whatever the one in use: a clerk may type either.
_NAMED = {
    "today": ("today", "今天", "今日"),
    "by_today": ("by today", "until today", "today or overdue", "今天及以前", "截至今天", "今天前"),
    "tomorrow": ("tomorrow", "明天"),
    "this_week": ("this week", "week", "本周", "这周", "这个星期"),
    "next_week": ("next week", "下周", "下个星期"),
    "overdue": ("overdue", "late", "逾期", "已逾期", "过期"),
}
NAMED_RANGES = tuple(_NAMED)
# Payment filters a clerk picks: one status, or "not paid" (unpaid or partly paid).
PAYMENT_FILTERS = {"unpaid": ("unpaid",), "partial": ("partial",), "paid": ("paid",),
                   "not_paid": ("unpaid", "partial")}


@dataclass(frozen=True)
class DueRange:
    """Deadlines from `first` to `last` (local dates, both inclusive, either open), or `overdue`: past
    due and still open, as of when the list is read. `words` is what the clerk chose or typed."""

    first: dt.date | None = None
    last: dt.date | None = None
    overdue: bool = False
    words: str = ""
    name: str = ""  # one of NAMED_RANGES when it was named


def _named(words: str) -> str | None:
    folded = " ".join(words.lower().split())
    for name, spellings in _NAMED.items():
        if folded in spellings or folded == name:
            return name
    return None


def due_range(words: str, now: dt.datetime | None = None, tz: dt.tzinfo | None = None) -> DueRange | None:
    """The range `words` name ("today", "this week", "overdue", "下周") or read as a deadline range;
    None for empty words. Raises InvalidInput naming what was not understood."""
    words = words.strip()
    if not words:
        return None
    tz = tz or clock.business_tz()
    local = (now or clock.now()).astimezone(tz)
    today = local.date()
    name = _named(words)
    if name == "overdue":
        return DueRange(overdue=True, words=words, name=name)
    if name is not None:
        monday = today - dt.timedelta(days=today.weekday())
        first, last = {
            "today": (today, today),
            "by_today": (None, today),
            "tomorrow": (today + dt.timedelta(days=1),) * 2,
            "this_week": (today, monday + dt.timedelta(days=6)),
            "next_week": (monday + dt.timedelta(days=7), monday + dt.timedelta(days=13)),
        }[name]
        return DueRange(first, last, words=words, name=name)
    try:
        parsed = grammar.parse_deadline(words, local.replace(tzinfo=None))
    except grammar.DeadlineError as exc:
        raise InvalidInput(str(exc), "due") from None
    if parsed.date is None:
        unread = "; ".join(parsed.unread) or words
        raise InvalidInput(_("deadline range not understood: {words} (try today, this week, overdue, "
                             "or dates like 12-01 to 12-05)").format(words=unread), "due")
    return DueRange(parsed.earliest or parsed.date, parsed.date, words=words)


def describe_range(r: DueRange) -> str:
    """What the list's summary says of a range: 'overdue', 'today', '2026-12-01 → 2026-12-05'."""
    if r.overdue:
        return _("overdue")
    if r.name:
        return {"today": _("due today"), "by_today": _("due by today"), "tomorrow": _("due tomorrow"),
                "this_week": _("due this week"), "next_week": _("due next week")}[r.name]
    if r.first == r.last and r.first is not None:
        return _("due {date}").format(date=r.first.isoformat())
    return _("due {first} → {last}").format(first=r.first.isoformat() if r.first else "…",
                                            last=r.last.isoformat() if r.last else "…")


def due_condition(r: DueRange, now: dt.datetime | None = None):
    """SQL for the range: a date range on the deadline (an index range), or overdue as the deadline
    view judges it (services.deadlines): an earlier day, or today with its window's end reached."""
    if r.overdue:
        tz = clock.business_tz()
        local = (now or clock.now()).astimezone(tz)
        today, at = local.date(), local.time().replace(microsecond=0, tzinfo=None)
        late = (m.Order.deadline_date < today) | (
            (m.Order.deadline_date == today) & m.Order.deadline_end.is_null(False) & (m.Order.deadline_end <= at))
        return late & m.Order.status.in_(domain.OPEN_STATUSES)
    condition = m.Order.deadline_date.is_null(False)
    if r.first is not None:
        condition &= m.Order.deadline_date >= r.first
    if r.last is not None:
        condition &= m.Order.deadline_date <= r.last
    return condition


def customers_matching(needle: str):
    """Customers whose name, company or phone contains `needle` (any case)."""
    return m.Customer.select(m.Customer.id).where(
        m.Customer.name.contains(needle) | m.Customer.company.contains(needle) | m.Customer.phone.contains(needle))
