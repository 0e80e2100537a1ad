"""Day arithmetic the date rules share: forward in time, weeks, months, years, festivals, working days.

Forward in time (docs/ARCHITECTURE.md, "Deadlines"): a date without a year is its next occurrence on
or after the reference day, a bare day of the month likewise; only words that say the past give a
past date.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from notedesk.deadline_grammar import calendars
from notedesk.deadline_grammar.pieces import Piece, make_date, month_end


class Ctx:
    """The reference moment a text is read against, and what the rules noticed on the way."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.ref = now.date()
        self.flags: list[str] = []


def forward_md(ref: dt.date, mo: int, d: int, src: str) -> dt.date:
    """Month and day without a year: this year's if not yet past, else next year's."""
    year = ref.year if (mo, d) >= (ref.month, ref.day) else ref.year + 1
    return make_date(year, mo, d, src)


def forward_day(ref: dt.date, d: int, src: str) -> dt.date:
    """A bare day of the month: the next month (this one included) that has it on or after ref."""
    first = ref.replace(day=1)
    for k in range(3):
        month = first + relativedelta(months=k)
        if (k or d >= ref.day) and d <= month_end(month.year, month.month).day:
            return month.replace(day=d)
    return make_date(ref.year, ref.month, d, src)  # raises: no day 32


def forward_month(ref: dt.date, mo: int) -> int:
    """The year of the next month `mo` (this month included)."""
    return ref.year if mo >= ref.month else ref.year + 1


def monday(ref: dt.date, weeks: int = 0) -> dt.date:
    return ref - dt.timedelta(days=ref.isoweekday() - 1) + dt.timedelta(weeks=weeks)


def bare_weekday(ref: dt.date, wd: int) -> dt.date:
    """周五 / friday: the coming one, strictly after the reference day."""
    return ref + dt.timedelta(days=(wd - ref.isoweekday()) % 7 or 7)


def this_weekday(ref: dt.date, wd: int) -> dt.date:
    """这周五 / this friday: this week's, or the coming one when this week's is past."""
    day = monday(ref) + dt.timedelta(days=wd - 1)
    return day if day >= ref else day + dt.timedelta(weeks=1)


def week_weekday(ref: dt.date, wd: int, weeks: int) -> dt.date:
    """下周五 (weeks=1), 上周五 (-1): that weekday of another ISO week (Monday to Sunday)."""
    return monday(ref, weeks) + dt.timedelta(days=wd - 1)


def nth_weekday(year: int, mo: int, n: int, wd: int, src: str) -> dt.date:
    """The n-th (1-5; -1 the last) weekday `wd` of a month; DeadlineError when there is no fifth."""
    if n < 0:
        last = month_end(year, mo)
        return last - dt.timedelta(days=(last.isoweekday() - wd) % 7)
    first = dt.date(year, mo, 1)
    day = first + dt.timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (n - 1))
    if day.month != mo:
        return make_date(year, mo, 32, src)  # raises naming the month
    return day


def add(ref: dt.date, n: int, unit: str) -> dt.date:
    """ref plus n days (d), weeks (w), months (m) or years (y); month ends clamp (Jan 31 + 1 month = Feb 28)."""
    if unit == "d":
        return ref + dt.timedelta(days=n)
    if unit == "w":
        return ref + dt.timedelta(weeks=n)
    if unit == "m":
        return ref + relativedelta(months=n)
    return ref + relativedelta(years=n)


def working_days(ctx: Ctx, n: int, trading: bool = False) -> dt.date:
    day, known = calendars.add_working_days(ctx.ref, n, trading)
    if not known:
        ctx.flags.append("weekdays_only")
    return day


def festival(ctx: Ctx, name: str, year: int | None, src: str) -> dt.date | None:
    """A festival by its library name: in `year`, or its next occurrence on or after the reference day."""
    if year is not None:
        return calendars.festival(name, year)
    for y in (ctx.ref.year, ctx.ref.year + 1):
        day = calendars.festival(name, y)
        if day is not None and day >= ctx.ref:
            return day
    return None


def two_digit_year(y: str) -> int:
    """Two-digit years are 20yy; four digits as written."""
    return int(y) + 2000 if len(y) <= 2 else int(y)


def date_piece(m: re.Match[str], date: dt.date | None, **kw) -> Piece | None:
    if date is None:
        return None
    return Piece("date", m.start(), m.end(), date=date, **kw)


def bare_day(m: re.Match[str], ctx: Ctx, d: int) -> Piece | None:
    """The 5th, 30日: the next such day; beside a weekday ("Thu 15th"), the next one on that weekday."""
    return date_piece(m, forward_day(ctx.ref, d, m.group()),
                      again=lambda after: forward_day(after + dt.timedelta(days=1), d, m.group()))
