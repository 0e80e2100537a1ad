"""The delivery-deadline grammar (DESIGN §4): clerks' English and Chinese deadline text -> date and window.

Owns parsing (text + reference time -> date, optional window, unscheduled, or an error naming what is
impossible) and the helpers built on it: due time, deadline groups, live preview, alert durations.
Pure: stdlib and python-dateutil only (relativedelta; not dateutil.parser, which reads "09:00-11:00"
as a UTC offset and guesses in fuzzy mode).

How it reads: normalise (NFKC, lower case, Chinese numerals -> digits); find one date, pattern family
by family in a fixed priority (absolute before relative), blanking its span so its digits are not read
as times; then one window or time; then, only without an explicit time, a day part (上午/morning).
Everything else is surrounding words. Decisions: a bare weekday ("friday", "周五") is the next one
strictly after the reference day; "this"/"本"/"这" and "next"/"下" are the current and next ISO week
(Mon-Sun); "周末"/"weekend"/"this week" are that week's Sunday; "24:00" and "晚上12点" are 23:59;
"after 3pm"/"3点后" is 15:00-23:59; a year-less date or a bare day ("5号") is the nearest occurrence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from notedesk.i18n import _

__all__ = ["GROUPS", "DeadlineError", "ParsedDeadline", "describe", "due_at", "format_window",
           "group_of", "parse_deadline", "parse_duration"]

GROUPS = ("overdue", "today", "tomorrow", "this_week", "later", "none")
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not %a: that follows the locale


def _month_name(n: int) -> str:
    """'February' / '2月' for an error message (calendar.month_name follows the process locale)."""
    return (_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
            _("August"), _("September"), _("October"), _("November"), _("December"))[n - 1]


class DeadlineError(ValueError):
    """Impossible date/time; str(e) names the problem, e.g. 'no day 30 in February 2026' or 'no hour 25 (25:00)'."""


@dataclass(frozen=True)
class ParsedDeadline:
    text: str  # the clerk's original text, stripped
    date: dt.date | None = None  # None = unscheduled
    start: dt.time | None = None  # window start; None for a single time or no time
    end: dt.time | None = None  # window end or the single time; None when no time at all

    @property
    def scheduled(self) -> bool:
        return self.date is not None


class _rx:
    """A pattern compiled on first use, with re.ASCII (\\d is 0-9 only, so int() never sees other
    scripts). The desk imports this module for group_of and due_at at start, long before anyone
    types a deadline; compiling the grammar's patterns then cost ~20 ms of the first paint."""

    __slots__ = ("pattern", "_compiled")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str):  # search, finditer, fullmatch, sub…: the compiled pattern's
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, re.ASCII)
        return getattr(self._compiled, name)


# --- normalisation -------------------------------------------------------------------------------

_CN_DIGITS = dict(zip("〇零一二两兩三四五六七八九", (0, 0, 1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9)))
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = _rx("[〇零一二两兩三四五六七八九十百千]+")
_A_BIT = _rx("(?<=[早晚快慢多少好大小高低])一(?=[点點])")  # 早一点 = "a bit earlier", not 01:00


def _cn_int(s: str) -> int:
    """十二 -> 12, 三十一 -> 31, 两 -> 2; without 十百千 the digits are read in place: 二〇二六 -> 2026."""
    if not any(c in _CN_UNITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total = digit = 0
    for c in s:
        if c in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[c]  # a bare 十 is ten
            digit = 0
        else:
            digit = _CN_DIGITS[c]
    return total + digit


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).lower()  # full-width digits, colons, ～ and spaces
    s = _A_BIT.sub("些", s)
    # a run longer than any date part is not a number a clerk meant (and int() caps digit strings)
    return _CN_NUMERAL.sub(lambda m: m.group() if len(m.group()) > 8 else str(_cn_int(m.group())), s)


# --- dates -----------------------------------------------------------------------------------------


def _make(y: int, mo: int, d: int, src: str) -> dt.date:
    if not 1 <= mo <= 12:
        raise DeadlineError(_("no month {month} ({text})").format(month=mo, text=src))
    if not 1 <= y <= 9999:
        raise DeadlineError(_("no year {year} ({text})").format(year=y, text=src))
    if not 1 <= d <= calendar.monthrange(y, mo)[1]:
        raise DeadlineError(_("no day {day} in {month} {year}").format(day=d, month=_month_name(mo), year=y))
    return dt.date(y, mo, d)


def _nearest(ref: dt.date, firsts: list[dt.date], d: int, src: str) -> dt.date:
    """Of the candidate months (given by their 1st), the one whose day d is nearest ref.

    Short months are compared as if clamped, so "2月29日" in 2026 is an error naming February 2026
    rather than silently becoming a date two years away; ties go to the future."""
    if not 1 <= d <= 31:
        raise DeadlineError(_("no day {day} ({text})").format(day=d, text=src))

    def distance(first: dt.date) -> tuple[int, bool]:
        days = (first.replace(day=min(d, calendar.monthrange(first.year, first.month)[1])) - ref).days
        return abs(days), days < 0

    best = min(firsts, key=distance)
    return _make(best.year, best.month, d, src)


def _month_day(ref: dt.date, y: str | None, mo: str, d: str, src: str) -> dt.date:
    if y:
        year = int(y) + (2000 if len(y) == 2 else 0)
        return _make(year, int(mo), int(d), src)
    if not 1 <= int(mo) <= 12:
        raise DeadlineError(_("no month {month} ({text})").format(month=int(mo), text=src))
    years = [y for y in (ref.year - 1, ref.year, ref.year + 1) if 1 <= y <= 9999]
    return _nearest(ref, [dt.date(y, int(mo), 1) for y in years], int(d), src)


def _add(ref: dt.date, n: int, unit: str) -> dt.date:
    if unit[0] in "d天日":
        return ref + dt.timedelta(days=n)
    if unit[0] in "w周週星礼禮":
        return ref + dt.timedelta(weeks=n)
    return ref + relativedelta(months=n)


def _business(ref: dt.date, n: int) -> dt.date:
    day = ref
    while n > 0:
        day += dt.timedelta(days=1)
        n -= day.isoweekday() <= 5
    return day


def _monday(ref: dt.date, weeks: int) -> dt.date:
    return ref - dt.timedelta(days=ref.isoweekday() - 1) + dt.timedelta(weeks=weeks)


def _weekday(ref: dt.date, wd: int, mod: str | None) -> dt.date:
    if mod in _WEEK_SHIFT:
        return _monday(ref, _WEEK_SHIFT[mod]) + dt.timedelta(days=wd - 1)
    return ref + dt.timedelta(days=(wd - ref.isoweekday()) % 7 or 7)  # bare: strictly after today


def _month_end(ref: dt.date, months: int) -> dt.date:
    first = ref.replace(day=1) + relativedelta(months=months)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_WEEKDAYS = {w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 1)}
_WEEK_SHIFT: dict[str | None, int] = {"this": 0, "本": 0, "这": 0, "這": 0, "next": 1, "下": 1, "下下": 2,
                                      "last": -1, "上": -1}
_MONTH_SHIFT: dict[str | None, int] = {**_WEEK_SHIFT, None: 0, "": 0, "the": 0}
_NUM_WORDS = dict(a=1, an=1, one=1, two=2, three=3, four=4, five=5, six=6, seven=7, eight=8, nine=9, ten=10)

_MON = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_ORD = r"(?:st|nd|rd|th)?"
_N = r"(\d{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
_UNIT_EN = r"(day|week|month)s?"
_ZH_WEEK = r"(?:周|週|星期|礼拜|禮拜)"
_ZH_MOD = r"(下下|下|上|本|这|這)\s*(?:个|個)?\s*"
_EN_WD = (r"(?P<wd>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
          r"|sat(?:urday)?|sun(?:day)?)")

# (pattern, reading) in priority order; the first family that matches anywhere gives the date.
_DATES: list[tuple[_rx, Callable[[re.Match[str], dt.date], dt.date]]] = [
    (_rx(r"(?<!\d)(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)"),
     lambda m, ref: _make(int(m[1]), int(m[3]), int(m[4]), m[0])),
    (_rx(r"(?<!\d)(?:(\d{4}|\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})(?!\d)\s*[日号號]?"),
     lambda m, ref: _month_day(ref, m[1], m[2], m[3], m[0])),
    (_rx(rf"(?<![\d.:/-])(?P<d>\d{{1,2}}){_ORD}\s*(?:of\s+)?{_MON}(?:,?\s*(?P<y>\d{{4}}))?(?!\d)"),
     lambda m, ref: _month_day(ref, m["y"], str(_MONTHS[m["mon"][:3]]), m["d"], m[0])),
    (_rx(rf"\b{_MON}\s*(?P<d>\d{{1,2}}){_ORD}(?![\d:])(?!\s*[ap]\.?m\b)(?:\s*,?\s*(?P<y>\d{{4}}))?(?!\d)"),
     lambda m, ref: _month_day(ref, m["y"], str(_MONTHS[m["mon"][:3]]), m["d"], m[0])),
    (_rx(r"(?<![\d/.:])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/:])"),  # US order: month/day
     lambda m, ref: _month_day(ref, m[3], m[1], m[2], m[0])),
    (_rx(rf"{_ZH_MOD}月\s*(?:的\s*)?(\d{{1,2}})(?!\d)\s*[日号號]?"),  # 下个月5号
     lambda m, ref: _in_month(ref, m[1], m[2], m[0])),
    (_rx(rf"\b(this|next)\s+month\s*(?:on\s+)?(?:the\s+)?(\d{{1,2}}){_ORD}\b"),
     lambda m, ref: _in_month(ref, m[1], m[2], m[0])),
    (_rx(rf"\b(?:the\s+)?(\d{{1,2}}){_ORD}\s+of\s+(this|next)\s+month\b"),
     lambda m, ref: _in_month(ref, m[2], m[1], m[0])),
    (_rx(rf"(?<!\d)(\d{{1,2}})\s*月\s*[底末]|(?:{_ZH_MOD})?月\s*[底末]"
         r"|\bend\s+of\s+(?:(the|this|next)\s+)?month\b|\beom\b|\bmonth[- ]end\b"),
     lambda m, ref: _end_of_month(ref, m)),
    (_rx(r"年\s*[底末]|end\s+of\s+(?:the\s+|this\s+)?year"),
     lambda m, ref: dt.date(ref.year, 12, 31)),
    (_rx(r"(?<!\d)(\d{1,4})\s*(?:个|個)?\s*工作日|\b" + _N + r"\s+(?:business|working)\s+days?"),
     lambda m, ref: _business(ref, int(m[1] or _NUM_WORDS.get(m[2]) or m[2]))),
    (_rx(rf"(?<!\d)(\d{{1,4}})\s*(天|日|(?:个|個)?\s*{_ZH_WEEK}|(?:个|個)\s*月)\s*(?:之|以)?(?:后|後|内|內)"
         rf"|\b(?:in|within)\s+{_N}\s+{_UNIT_EN}\b|\b{_N}\s+{_UNIT_EN}\s+(?:later|from\s+(?:now|today))"
         r"|\+\s*(\d{1,4})\s*(d|w|days?|weeks?)\b"),
     lambda m, ref: _relative(ref, m)),
    (_rx(r"大后天|大後天|(后天|後天|day\s+after\s+tomorrow|overmorrow)|(明天|明日|明儿|明早|明晚|\btomorrow\b|\btmrw?\b)"
         r"|(今天|今日|今儿|今早|今晚|\btoday\b|\btonight\b|\beod\b|\bend\s+of\s+(?:the\s+)?day\b)"
         r"|(昨天|\byesterday\b)"),
     lambda m, ref: ref + dt.timedelta(days=3 if not m.lastindex else (2, 1, 0, -1)[m.lastindex - 1])),
    (_rx(rf"(?:{_ZH_MOD})?{_ZH_WEEK}\s*([1-7日天])(?!\d)"),
     lambda m, ref: _weekday(ref, 7 if m[2] in "日天" else int(m[2]), m[1])),
    (_rx(rf"\b(?:(this|next|last|coming|on)\s+(?:week\s+)?)?{_EN_WD}\b(?:\s+(?:of\s+)?(this|next|last)\s+week)?"),
     lambda m, ref: _weekday(ref, _WEEKDAYS[m["wd"][:3]], m[1] if m[1] in _WEEK_SHIFT else m[3])),
    (_rx(rf"(?:{_ZH_MOD}){_ZH_WEEK}\s*[末内內]?|(?:周|週)\s*末|\b(?:(this|next)\s+)?weekend\b"
         r"|\bend\s+of\s+(?:the\s+|(this|next)\s+)?week\b|\beow\b|\b(this|next)\s+week\b"),
     lambda m, ref: _monday(ref, _WEEK_SHIFT.get(m[1] or m[2] or m[3] or m[4], 0)) + dt.timedelta(days=6)),
    (_rx(r"(?<![\d月/.:-])(\d{1,2})\s*[日号號](?!\d)|(?<![\d.:/-])\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b"),
     lambda m, ref: _nearest(ref, [ref.replace(day=1) + relativedelta(months=k) for k in (-1, 0, 1)],
                             int(m[1] or m[2]), m[0])),
]


def _in_month(ref: dt.date, mod: str, day: str, src: str) -> dt.date:
    """下个月5号 / 本月5日 / next month 5th / the 5th of next month."""
    first = ref.replace(day=1) + relativedelta(months=_MONTH_SHIFT[mod])
    return _make(first.year, first.month, int(day), src)


def _end_of_month(ref: dt.date, m: re.Match[str]) -> dt.date:
    """月底 / 下个月底 / end of next month, or 12月底 (the nearest December)."""
    if m[1]:
        return _month_end(_month_day(ref, None, m[1], "28", m[0]), 0)
    return _month_end(ref, _MONTH_SHIFT[m[2] or m[3]])


def _relative(ref: dt.date, m: re.Match[str]) -> dt.date:
    if m[1]:  # 3天后, 2周后, 3个月后, 3日内
        return _add(ref, int(m[1]), m[2].replace(" ", "").lstrip("个個") or "d")
    if m[7]:  # +3d
        return _add(ref, int(m[7]), m[8])
    n, unit = (m[3], m[4]) if m[3] else (m[5], m[6])
    return _add(ref, _NUM_WORDS.get(n) or int(n), unit)


def _find_date(s: str, ref: dt.date) -> tuple[dt.date | None, str]:
    for pattern, read in _DATES:
        m = pattern.search(s)
        if m:
            blank = s[: m.start()] + " " * (m.end() - m.start()) + s[m.end():]
            return read(m, ref), blank
    return None, s


# --- times -----------------------------------------------------------------------------------------

_PARTS = r"上午|早上|早晨|清晨|凌晨|中午|下午|傍晚|晚上|夜里|夜間|夜间"


def _time(n: int) -> str:
    behind = r"(?<![\d:./-])" if n == 1 else ""  # not the tail of a date or number ("2026-12-03")
    return (rf"(?:(?P<part{n}>{_PARTS})\s*)?{behind}(?P<h{n}>\d{{1,2}})"
            rf"(?::(?P<m{n}>\d{{1,2}})|\s*(?P<pt{n}>[点點时時])(?![点點])"
            rf"(?:\s*(?P<q{n}>[1-3])\s*刻|\s*(?P<cm{n}>\d{{1,2}})\s*分?|\s*(?P<half{n}>半)|整)?)?"
            rf"(?:\s*(?P<ap{n}>[ap])\.?m\b\.?)?(?!\d)")


_SEP = r"\s*(?:[-–—―~〜−‐‑‒至到]|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*"
_WINDOW = _rx(_time(1) + _SEP + _time(2))
_SINGLE = _rx(_time(1))
_COUNTED = _rx(r"\s*(?:[天日号號月周个個]|[a-z])")
_AFTER_BEFORE = _rx(r"\bafter\s*$")
_AFTER_AFTER = _rx(r"^\s*(?:之后|以后|之後|以後|后|後|起)")

# How a day part or am/pm moves an hour of 1-12 (hours above 12 are already on the 24-hour clock).
_PM = {"pm", "下午", "傍晚"}
_NIGHT = {"晚上", "夜里", "夜間", "夜间"}  # like pm, but 晚上12点 is midnight, not noon


def _shift(h: int, mer: str | None) -> int:
    if mer is None or h > 12:
        return h
    if mer == "am":
        return 0 if h == 12 else h
    if mer in _PM or mer in _NIGHT:
        return h + 12 if h < 12 or mer in _NIGHT else h
    if mer == "中午":
        return h + 12 if h <= 5 else h
    return h  # 上午, 早上, 凌晨 keep the hour


class _Tok:
    """One clock reading from a match: hour, minute, its own am/pm or day part, and its text."""

    def __init__(self, m: re.Match[str], n: int) -> None:
        g = lambda k: m.group(f"{k}{n}")  # noqa: E731
        self.hour = int(g("h"))
        self.minute = int(g("m") or g("cm") or 0) + (30 if g("half") else 0) + 15 * int(g("q") or 0)
        self.mer = g("part") or (g("ap") + "m" if g("ap") else None)
        self.marked = bool(g("m") or g("pt") or self.mer)  # a bare "9" is a time only inside a window

    def clock(self, mer: str | None, src: str) -> dt.time:
        if self.minute > 59:
            raise DeadlineError(_("no minute {minute} ({text})").format(minute=self.minute, text=src))
        h = _shift(self.hour, mer)
        if h > 24 or (h == 24 and self.minute):
            raise DeadlineError(_("no hour {hour} ({text})").format(hour=self.hour, text=src))
        return dt.time(23, 59) if h == 24 else dt.time(h, self.minute)


def _is_window(a: _Tok, b: _Tok, src: str) -> bool:
    try:
        return a.clock(None, src) < b.clock(None, src)
    except DeadlineError:
        return False


def _find_window(s: str, dated: bool) -> tuple[dt.time | None, dt.time | None] | None:
    for m in _WINDOW.finditer(s):
        a, b = _Tok(m, 1), _Tok(m, 2)
        src = m.group().strip()
        if not (a.marked or b.marked):
            # "明天9-11": after a date a bare range is a window, unless it counts something ("3-5天")
            if not dated or _COUNTED.match(s, m.end()) or not _is_window(a, b, src):
                continue
        start, end = a.clock(a.mer or b.mer, src), b.clock(b.mer or a.mer, src)
        if start >= end and a.mer is None and b.mer:  # "11-1pm": the pm belongs to the end only
            start = a.clock(None, src)
        if start >= end and b.mer is None and a.mer and end.hour < 12:  # "上午11点到1点" means 13:00
            end = end.replace(hour=end.hour + 12)
        if start >= end:
            raise DeadlineError(_("window start {start} is not before its end {end} ({text})").format(
                start=f"{start:%H:%M}", end=f"{end:%H:%M}", text=src))
        return start, end
    for m in _SINGLE.finditer(s):
        tok = _Tok(m, 1)
        if tok.marked:
            t = tok.clock(tok.mer, m.group().strip())
            if _AFTER_BEFORE.search(s[: m.start()]) or _AFTER_AFTER.match(s[m.end():]):
                if t < dt.time(23, 59):  # "after 3pm": from then to the end of the day
                    return t, dt.time(23, 59)
            return None, t
    return None


_DAY_PARTS = [
    (_rx(r"(?<!good )\bmorning\b|(?:上午|早上|早晨|清晨)(?!好)|今早|明早"), (dt.time(9), dt.time(12))),
    (_rx(r"(?<!good )\bafternoon\b|下午(?![好茶])"), (dt.time(13), dt.time(18))),
    (_rx(r"(?<!good )\bevening\b|\btonight\b|\bnight\b|(?:晚上|傍晚|夜里)(?!好)|今晚|明晚"),
     (dt.time(18), dt.time(21))),
    (_rx(r"\bnoon\b|\bmidday\b|中午"), (None, dt.time(12))),
]


def _find_day_part(s: str) -> tuple[dt.time | None, dt.time | None] | None:
    found = [(m.start(), window) for rx, window in _DAY_PARTS for m in [rx.search(s)] if m]
    return min(found, key=lambda f: f[0])[1] if found else None


# --- public ------------------------------------------------------------------------------------------


def parse_deadline(text: str, reference: dt.datetime) -> ParsedDeadline:
    """Read a deadline relative to `reference` (when the text was written), on its wall-clock date.

    Raises DeadlineError only for impossible dates and times; text it cannot read is returned
    unscheduled: ParsedDeadline(text, None, None, None)."""
    raw = (text or "").strip()
    ref = reference.date() if isinstance(reference, dt.datetime) else reference
    s = _normalise(raw)
    try:
        date, rest = _find_date(s, ref)
        window = _find_window(rest, date is not None) or _find_day_part(s)
    except DeadlineError:
        raise
    except (OverflowError, ValueError):  # arithmetic past year 9999 or before year 1
        raise DeadlineError(_("date out of range ({text})").format(text=raw)) from None
    if window is None:
        return ParsedDeadline(raw, date)
    return ParsedDeadline(raw, date or ref, *window)


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
_DURATION = _rx(r"(\d{1,9})\s*(w|weeks?|d|days?|h|hrs?|hours?|m|mins?|minutes?)\s*")


def parse_duration(text: str) -> dt.timedelta:
    """'24h', '7d', '30m', '2w' (also '1d12h', '90 minutes') -> timedelta; DeadlineError otherwise."""
    s = (text or "").strip().lower()
    if not s or not _rx(rf"(?:{_DURATION.pattern})+").fullmatch(s):
        raise DeadlineError(_("not a duration: {text!r} (use e.g. 24h, 7d, 30m, 2w)").format(text=text))
    try:
        return sum((dt.timedelta(**{_DURATION_UNITS[m[2][0]]: int(m[1])}) for m in _DURATION.finditer(s)),
                   dt.timedelta())
    except OverflowError:
        raise DeadlineError(_("duration too long: {text!r}").format(text=text)) from None
