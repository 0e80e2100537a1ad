"""What a deadline is once read: the parsed result, due times, deadline groups and their display.

The grammar that reads a clerk's words lives in `notedesk.deadline_grammar` (imported on first use:
the desk needs due_at and the groups at start, long before anyone types a deadline);
`parse_deadline` here is its entry point. Pure: stdlib and python-dateutil only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from notedesk.i18n import _

__all__ = ["FLAGS", "GROUPS", "DeadlineError", "ParsedDeadline", "describe", "due_at", "format_window",
           "group_of", "parse_deadline", "parse_duration"]

GROUPS = ("overdue", "today", "tomorrow", "this_week", "later", "none")
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not %a: that follows the locale


class DeadlineError(ValueError):
    """Impossible date/time; str(e) names the problem, e.g. 'no day 30 in February 2026' or 'no hour 25 (25:00)'."""


@dataclass(frozen=True)
class ParsedDeadline:
    text: str  # the clerk's original text, stripped
    date: dt.date | None = None  # None = unscheduled
    start: dt.time | None = None  # window start; None for a single time or no time
    end: dt.time | None = None  # window end or the single time; None when no time at all
    earliest: dt.date | None = None  # a range of days: its first day (the deadline is the last)
    unread: tuple[str, ...] = ()  # the clerk's words the grammar did not understand (then unscheduled)
    flags: tuple[str, ...] = ()  # FLAGS: what the preview should point out about a reading

    @property
    def scheduled(self) -> bool:
        return self.date is not None


# far_ahead: more than six months ahead (check the year); weekdays_only: working days counted
# Monday-Friday for a year China's holiday calendar does not know yet.
FLAGS = ("far_ahead", "weekdays_only")


# --- public ------------------------------------------------------------------------------------------


def parse_deadline(text: str, reference: dt.datetime | dt.date) -> ParsedDeadline:
    """Read a deadline relative to `reference` (when the text was written), on its wall-clock date.

    Raises DeadlineError only for impossible dates and times; text it cannot wholly read is returned
    unscheduled, with what it did not understand in `unread`."""
    from notedesk.deadline_grammar.reading import read

    raw = (text or "").strip()
    now = reference if isinstance(reference, dt.datetime) else dt.datetime.combine(reference, dt.time(0))
    try:
        return read(raw, now.replace(tzinfo=None))
    except DeadlineError:
        raise
    except (OverflowError, ValueError):  # arithmetic past year 9999 or before year 1
        raise DeadlineError(_("date out of range ({text})").format(text=raw)) from None


def _aware(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


_ONE_DAY, _MIDNIGHT = dt.timedelta(days=1), dt.time(0)


def due_at(date: dt.date, end: dt.time | None, tz: dt.tzinfo) -> dt.datetime:
    """The aware due time: date at end in tz, or the end of the day (next day 00:00) without an end."""
    if end is None:
        date, end = date + _ONE_DAY, _MIDNIGHT
    return dt.datetime.combine(date, end, tzinfo=tz)  # a third of combine() then replace(tzinfo=)


def grouper(now: dt.datetime, tz: dt.tzinfo) -> Callable[[dt.date | None, dt.time | None], str]:
    """group_of with `now` and `tz` fixed, for many orders at once: the local day is worked out once,
    and due times are compared as local wall-clock times (as the deadline queries do in SQL), since
    comparing aware times in a dateutil zone costs a zone lookup each."""
    local = _aware(now, tz).astimezone(tz)
    today, at = local.date(), local.time().replace(tzinfo=None)
    week_left = 7 - today.isoweekday()  # days until the coming Sunday

    def group(date: dt.date | None, end: dt.time | None) -> str:
        if date is None:
            return "none"
        days = (date - today).days
        if days < 0 or (days == 0 and end is not None and end <= at):
            return "overdue"  # now >= due_at(date, end): without an end, due is the next midnight
        if days <= 1:
            return "today" if days == 0 else "tomorrow"
        return "this_week" if days <= week_left else "later"

    return group


def group_of(date: dt.date | None, end: dt.time | None, now: dt.datetime, tz: dt.tzinfo) -> str:
    """One of GROUPS: 'none' without a date, 'overdue' once now >= due, else by the local date in tz."""
    return grouper(now, tz)(date, end)


def format_window(start: dt.time | None, end: dt.time | None) -> str:
    """'09:00–11:00', 'by 15:00', or '' without a time."""
    hm = "minutes"  # isoformat's HH:MM, many times cheaper than strftime's
    if start and end:
        return f"{start.isoformat(hm)}–{end.isoformat(hm)}"
    if end:
        return f"by {end.isoformat(hm)}"
    return f"from {start.isoformat(hm)}" if start else ""


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    n, unit = ((minutes // 1440, "day") if minutes >= 1440
               else (minutes // 60, "hour") if minutes >= 60 else (minutes, "minute"))
    return f"{n} {unit}{'' if n == 1 else 's'}"


def describe(parsed: ParsedDeadline, now: dt.datetime, tz: dt.tzinfo) -> str:
    """Live English preview: '→ Tue 2026-12-01, 09:00–11:00, in 5 days', '→ Sun 2026-11-29, by 15:00,
    overdue by 2 days', or 'unscheduled'."""
    if parsed.date is None:
        return "unscheduled"
    now = _aware(now, tz)
    parts = [f"→ {_DAY_ABBR[parsed.date.weekday()]} {parsed.date.isoformat()}"]
    if window := format_window(parsed.start, parsed.end):
        parts.append(window)
    due = due_at(parsed.date, parsed.end, tz)
    if now >= due:
        parts.append(f"overdue by {_span(now - due)}")
    else:
        days = (parsed.date - now.astimezone(tz).date()).days
        parts.append("today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days")
    return ", ".join(parts)


_DURATION_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_DURATION = re.compile(r"(\d{1,9})\s*(w|weeks?|d|days?|h|hrs?|hours?|m|mins?|minutes?)\s*")


def parse_duration(text: str) -> dt.timedelta:
    """'24h', '7d', '30m', '2w' (also '1d12h', '90 minutes') -> timedelta; DeadlineError otherwise."""
    s = (text or "").strip().lower()
    if not s or not re.fullmatch(rf"(?:{_DURATION.pattern})+", s, re.ASCII):
        raise DeadlineError(_("not a duration: {text!r} (use e.g. 24h, 7d, 30m, 2w)").format(text=text))
    try:
        return sum((dt.timedelta(**{_DURATION_UNITS[m[2][0]]: int(m[1])}) for m in _DURATION.finditer(s)),
                   dt.timedelta())
    except OverflowError:
        raise DeadlineError(_("duration too long: {text!r}").format(text=text)) from None
