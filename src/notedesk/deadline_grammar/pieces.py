"""What a rule reads from a stretch of text: a date, a weekday, a clock time or window, a day part.

Rules return pieces; the reader (reading.py) puts them together. A piece knows the span it
consumed, so what no rule read is left over and can be reported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from notedesk.deadlines import DeadlineError
from notedesk.i18n import _

LETTERS, DIGITS = "\x01", "\x02"  # in Rule.need: any ASCII letter, any digit


Need = str | frozenset[str] | tuple[str | frozenset[str], ...] | None


class Rule:
    """A pattern (re.ASCII: \\d is 0-9, \\b sees CJK as a word's edge) and what a text must contain for
    it to be worth running: for each string of `need`, one of its characters (LETTERS / DIGITS: any);
    for each frozenset, one of its characters, English words, or words' first three letters."""

    __slots__ = ("_compiled", "need", "source")

    def __init__(self, source: str, need: Need = None) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None
        self.need = (need,) if isinstance(need, str | frozenset) else need or ()

    @property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on first use: most texts need few of the rules (an English rule never meets
        Chinese text), and compiling them all costs more than reading a deadline."""
        if self._compiled is None:
            self._compiled = re.compile(self.source, re.ASCII)
        return self._compiled

    def finditer(self, text: str):
        return self.pattern.finditer(text)


def rx(pattern: str, need: Need = None) -> Rule:
    """A rule's pattern (the rule modules' shorthand)."""
    return Rule(pattern, need)


class Vague(Exception):
    """A reading that cannot be made without guessing (晚上2点: 02:00 or 14:00?): not understood."""


def month_name(n: int) -> str:
    """'February' / '2月' for an error message (calendar.month_name follows the process locale)."""
    return (_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
            _("August"), _("September"), _("October"), _("November"), _("December"))[n - 1]


def make_date(y: int, mo: int, d: int, src: str) -> dt.date:
    """A real date, or DeadlineError naming why not (no day 30 in February 2026)."""
    if not 1 <= mo <= 12:
        raise DeadlineError(_("no month {month} ({text})").format(month=mo, text=src))
    if not 1 <= y <= 9999:
        raise DeadlineError(_("no year {year} ({text})").format(year=y, text=src))
    if not 1 <= d <= calendar.monthrange(y, mo)[1]:
        if not 1 <= d <= 31:
            raise DeadlineError(_("no day {day} ({text})").format(day=d, text=src))
        raise DeadlineError(_("no day {day} in {month} {year}").format(day=d, month=month_name(mo), year=y))
    return dt.date(y, mo, d)


def month_end(y: int, mo: int) -> dt.date:
    return dt.date(y, mo, calendar.monthrange(y, mo)[1])


@dataclass(frozen=True)
class Clock:
    """A clock reading as written: hour and minute, and its own am/pm or day part if it has one."""

    hour: int
    minute: int = 0
    mer: str | None = None  # am, pm, night, noon, early: from am/pm or 上午/下午/晚上/中午/凌晨
    padded: bool = False  # "03:00": the 24-hour clock, no guessing of the half of the day

    def at(self, mer: str | None, src: str) -> dt.time:
        """The time this reading means, given the day part in force."""
        mer = self.mer or mer
        h, m = self.hour, self.minute
        if m > 59:
            raise DeadlineError(_("no minute {minute} ({text})").format(minute=m, text=src))
        if h > 24 or (h == 24 and m):
            raise DeadlineError(_("no hour {hour} ({text})").format(hour=h, text=src))
        if h == 24:
            return dt.time(23, 59)
        if h > 12 or h == 0:  # the 24-hour clock: 下午15点 is redundant, 15am nonsense
            if mer in ("am", "early") and h > 12:
                raise Vague(src)
            return dt.time(h, m)
        if mer is None and self.padded:  # "03:00", "09:30": written on the 24-hour clock
            return dt.time(h, m)
        if mer == "am":  # 12am is midnight: the end of the day, as 24:00 is
            return dt.time(23, 59) if (h, m) == (12, 0) else dt.time(0 if h == 12 else h, m)
        if mer == "early":  # 凌晨: the small hours
            if h > 6:
                raise Vague(src)
            return dt.time(h, m)
        if mer == "pm":
            return dt.time(h if h == 12 else h + 12, m)
        if mer == "night":  # 晚上/tonight: 5-11 pm, 12 is midnight; 1-4 could be either side of it
            if h == 12:
                return dt.time(23, 59) if m == 0 else dt.time(0, m)
            if h < 5:
                raise Vague(src)
            return dt.time(h + 12, m)
        if mer == "noon":  # 中午: 11, 12, then 1-2 pm
            if h in (11, 12):
                return dt.time(h, m)
            if h <= 3:
                return dt.time(h + 12, m)
            raise Vague(src)
        # bare: 1-6 is the afternoon, 7-11 the morning, 12 noon (docs/ARCHITECTURE.md, "Deadlines")
        return dt.time(h + 12 if h <= 6 else h, m)


@dataclass
class Piece:
    kind: str  # date, weekday, time, part, moment, after, before
    start: int
    end: int
    date: dt.date | None = None
    earliest: dt.date | None = None  # the first day of a range of days
    weekday: int | None = None  # ISO weekday a date must fall on (a weekday written beside a date)
    past: bool = False  # the words say the past (昨天, last week, an explicit year)
    first: Clock | None = None  # window start, or the single time
    last: Clock | None = None  # window end
    minutes: int | None = None  # "4pm for 30 mins"
    mer: str | None = None  # a day part's half of the day (part pieces)
    window: tuple[dt.time | None, dt.time | None] | None = None  # a day part alone
    opens: bool = False  # "after 2pm": from then to the end of the day
    moment: dt.datetime | None = None  # "in 2 hours"
    flags: list[str] = field(default_factory=list)
    again: Callable[[dt.date], dt.date] | None = None  # a bare day of the month: its next occurrence after a day
