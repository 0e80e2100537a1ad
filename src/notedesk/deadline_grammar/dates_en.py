"""English date rules, and the numeric forms both languages write (ISO, 12/1, 12/1/2026).

Same shape as dates_zh: (pattern over the normalised, lower-case text, reading). Number words are
digits by now ("first of march" -> "1st of march").
"""

from __future__ import annotations

import datetime as dt
import re

from notedesk.deadline_grammar import calendars, times
from notedesk.deadline_grammar.days import (
    Ctx,
    add,
    bare_day,
    bare_weekday,
    date_piece,
    festival,
    forward_md,
    forward_month,
    monday,
    nth_weekday,
    this_weekday,
    two_digit_year,
    week_weekday,
    working_days,
)
from notedesk.deadline_grammar.pieces import Piece, make_date, month_end, rx

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                      "dec"), 1)}
WEEKDAYS = {w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 1)}


def _mon(name: str = "mon") -> str:
    return (rf"(?<![a-z])(?P<{name}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")


def _wd(name: str = "wd") -> str:
    return (rf"\b(?P<{name}>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
            r"|sat(?:urday)?|sun(?:day)?)s?\b\.?")


_ORD = r"(?:st|nd|rd|th)?"
_NOT_TIME = r"(?![\d:])(?!\s*(?:a\.?m\b|p\.?m\b|[ap]\b|h\d|o'?clock|hours?|hrs?|minutes?|mins?))"
_YEAR = r"(?:\s*,?\s*(?P<y>\d{4})(?![\d:])|\s*'(?P<yy>\d{2})\b)?"
_RANGE = r"\s*(?:-+|~|\bto\b|\bthru\b|\bthrough\b|\btill?\b|\buntil\b)\s*"


def month_no(word: str) -> int:
    return MONTHS[word[:3]]


def weekday_no(word: str) -> int:
    return WEEKDAYS[word[:3]]


def _year(m) -> int | None:
    if m.groupdict().get("y"):
        return int(m["y"])
    if m.groupdict().get("yy"):
        return two_digit_year(m["yy"])
    return None


def _md(m, ctx: Ctx, mo: int, d: int):
    year = _year(m)
    if year is None:
        return date_piece(m, forward_md(ctx.ref, mo, d, m.group()))
    return date_piece(m, make_date(year, mo, d, m.group()), past=True)


def _range(m, ctx: Ctx):
    mo = month_no(m["mon"])
    mo2 = month_no(m["mon2"]) if m["mon2"] else mo
    first = _md(m, ctx, mo, int(m["d"]))
    if first is None:
        return None
    last = make_date(first.date.year + (mo2 < mo), mo2, int(m["d2"]), m.group())
    if last < first.date:
        return None
    return date_piece(m, last, earliest=first.date, past=first.past)


def _nth_of_month(m, ctx: Ctx):
    n = {"last": -1, "final": -1}.get(m["n"]) or int(m["n"][:-2])
    wd = weekday_no(m["wd"])
    if m["rel"]:
        first = ctx.ref.replace(day=1)
        month = (first + dt.timedelta(days=32)).replace(day=1) if m["rel"] == "next" else first
        return date_piece(m, nth_weekday(month.year, month.month, n, wd, m.group()))
    mo, year = month_no(m["mon"]), _year(m)
    if year is not None:
        return date_piece(m, nth_weekday(year, mo, n, wd, m.group()), past=True)
    day = nth_weekday(forward_month(ctx.ref, mo), mo, n, wd, m.group())
    if day < ctx.ref:
        day = nth_weekday(day.year + 1, mo, n, wd, m.group())
    return date_piece(m, day)


def _which_month(m, ctx: Ctx) -> tuple[int, int]:
    """(year, month) a rule names: this or next month, else its month name (this year's or the next)."""
    if m["rel"] or not m["mon"]:
        first = ctx.ref.replace(day=1)
        month = (first + dt.timedelta(days=32)).replace(day=1) if m["rel"] == "next" else first
        return month.year, month.month
    mo = month_no(m["mon"])
    return _year(m) or forward_month(ctx.ref, mo), mo


def _day_of_month(m, ctx: Ctx):
    """last day of october, 3rd day of october, first day of next month."""
    year, mo = _which_month(m, ctx)
    day = month_end(year, mo).day if m["n"] == "last" else int(m["n"][:-2])
    date = make_date(year, mo, day, m.group())
    if date < ctx.ref and not m["rel"] and _year(m) is None:
        date = make_date(year + 1, mo, day, m.group())
    return date_piece(m, date, past=_year(m) is not None)


def _week_of(m, ctx: Ctx):
    """the week of oct 6: its Friday (the deadline rules: docs/ARCHITECTURE.md)."""
    day = forward_md(ctx.ref, month_no(m["mon"]), int(m["d"]), m.group())
    if day.isoweekday() == 7:  # the week of Sunday the 6th: the working week it begins
        return date_piece(m, day + dt.timedelta(days=5))
    return date_piece(m, monday(day) + dt.timedelta(days=4))


_PART_DAY = {"early": 10, "beginning": 10, "start": 10, "mid": 20, "middle": 20}


def _month_part(m, ctx: Ctx):
    part = (m["p"] or "").replace("the ", "").replace("-", " ").split()[0]
    year, mo = _which_month(m, ctx)  # end of month, end of next month, late march
    day = _PART_DAY.get(part)
    date = dt.date(year, mo, day) if day else month_end(year, mo)
    if date < ctx.ref and _year(m) is None:  # early march written in late march: next year's
        if not m["mon"]:
            nxt = month_end(year, mo) + dt.timedelta(days=1)
            year, mo = nxt.year, nxt.month
        else:
            year += 1
        date = dt.date(year, mo, day) if day else month_end(year, mo)
    return date_piece(m, date, past=_year(m) is not None and date < ctx.ref)


def _month_alone(m, ctx: Ctx):
    mo = month_no(m["mon"])
    if m["mon"] == "may" and not (m["lead"] or _year(m)):
        return None  # "may" alone is the verb far more often
    year = _year(m)
    if year is None and m["lead"] == "last":  # last september: the one before this year's next
        return date_piece(m, month_end(ctx.ref.year if mo < ctx.ref.month else ctx.ref.year - 1, mo), past=True)
    return date_piece(m, month_end(year or forward_month(ctx.ref, mo), mo), past=year is not None)


def _rel_month(m, ctx: Ctx):
    first = ctx.ref.replace(day=1)
    shift = {"next": 1, "following": 1, "this": 0, "current": 0, "last": -1, "previous": -1}[m["rel"].split()[-1]]
    month = add(first, shift, "m")
    if m["d"]:
        return date_piece(m, make_date(month.year, month.month, int(m["d"]), m.group()), past=shift < 0)
    return date_piece(m, month_end(month.year, month.month), past=shift < 0)


def _year_end(m, ctx: Ctx):
    if m["y"]:
        return date_piece(m, dt.date(int(m["y"]), 12, 31), past=True)
    shift = {"next": 1, "last": -1}.get(m["rel"] or "", 0)
    return date_piece(m, dt.date(ctx.ref.year + shift, 12, 31), past=shift < 0)


_DAYS = {"today": 0, "tonight": 0, "eod": 0, "cob": 0, "tomorrow": 1, "tomorrows": 1, "tmrw": 1, "tmr": 1, "tmw": 1,
         "2morrow": 1, "overmorrow": 2, "yesterday": -1}


def _rel_day(m, ctx: Ctx):
    word = m["w"]
    if "after" in word:
        shift = 2
    elif "before" in word:
        shift = -2
    elif word.startswith(("end", "close")) or word in ("eod", "cob"):  # "COB friday": friday's close
        return Piece("eod", m.start(), m.end(), date=ctx.ref)
    else:
        shift = _DAYS[word]
    piece = date_piece(m, ctx.ref + dt.timedelta(days=shift), past=shift < 0)
    if word == "tonight" and piece is not None:
        return [piece, Piece("part", m.start(), m.end(), mer="night", window=times.WINDOWS["night"])]
    return piece


def _weekday(m, ctx: Ctx):
    wd = weekday_no(m["wd"])
    pre, post = (m["pre"] or "").split(), (m["post"] or "").split()
    word = (pre[-1] if pre else "") if not post else post[-2] if post[-1] == "week" else post[-1]
    word = {"following": "next", "past": "last"}.get(word, word)
    if post[:2] == ["after", "next"]:
        return date_piece(m, bare_weekday(ctx.ref, wd) + dt.timedelta(weeks=1))
    if word == "next":
        return date_piece(m, week_weekday(ctx.ref, wd, 1), weekday=wd)
    if word == "last":
        return date_piece(m, week_weekday(ctx.ref, wd, -1), past=True, weekday=wd)
    if word == "this" and pre[-2:] != ["this", "coming"]:
        return date_piece(m, this_weekday(ctx.ref, wd), weekday=wd)
    # bare, on, coming: the coming one, which a date beside it may pin down ("on Fri, Sep 20")
    return Piece("weekday", m.start(), m.end(), date=bare_weekday(ctx.ref, wd), weekday=wd)


def _week(m, ctx: Ctx):
    words = m.group().split()
    if "coming" in words or "ahead" in words:
        return date_piece(m, ctx.ref + dt.timedelta(days=7))
    shift = 1 if ("next" in words or "following" in words) else -1 if ("last" in words or "past" in words
                                                                        or "previous" in words) else 0
    start = monday(ctx.ref, shift)
    if any(w in words for w in ("beginning", "start", "early")):
        day = start
    elif any(w in words for w in ("mid", "middle")):
        day = start + dt.timedelta(days=2)
    else:
        day = start + dt.timedelta(days=6)
    return date_piece(m, day, past=shift < 0)


_UNIT = {"day": "d", "days": "d", "week": "w", "weeks": "w", "wk": "w", "wks": "w", "month": "m", "months": "m",
         "year": "y", "years": "y", "yr": "y", "yrs": "y", "fortnight": "f", "fortnights": "f", "d": "d", "w": "w",
         "m": "m"}
_COUNT = {"a": 1, "an": 1, "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3, "several": None}


def _duration(m, ctx: Ctx):
    n = _COUNT.get(re.sub(r"\s+", " ", m["n"]), 0) if not m["n"].isdigit() else int(m["n"])
    ago = m.groupdict().get("ago")
    if not n:
        return None
    if m["unit"].split()[-1].startswith("day") and len(m["unit"].split()) > 1:  # business/working days
        if ago:
            return None
        return date_piece(m, working_days(ctx, n))
    unit = _UNIT[m["unit"]]
    if unit == "f":
        n, unit = n * 2, "w"
    if ago:
        return date_piece(m, add(ctx.ref, -n, unit), past=True)
    return date_piece(m, add(ctx.ref, n, unit))


def _festival(m, ctx: Ctx):
    name = calendars.FESTIVALS[re.sub(r"\s+", " ", m["f"])]
    if m["y"]:
        return date_piece(m, festival(ctx, name, int(m["y"]), m.group()), past=True)
    if m["rel"] == "last" or m["yrel"] == "last":
        return date_piece(m, festival(ctx, name, ctx.ref.year - 1, m.group()), past=True)
    if m["yrel"] == "next":
        return date_piece(m, festival(ctx, name, ctx.ref.year + 1, m.group()))
    return date_piece(m, festival(ctx, name, None, m.group()))


def _numeric(m, ctx: Ctx):
    mo, d = int(m["mo"]), int(m["d"])
    if m["y"]:
        return date_piece(m, make_date(two_digit_year(m["y"]), mo, d, m.group()), past=True)
    return date_piece(m, forward_md(ctx.ref, mo, d, m.group()))


MONTH = frozenset(MONTHS)  # Rule.need: a word of the text, or its first three letters, is one of these
WEEKDAY = frozenset(WEEKDAYS)
UNIT_WORDS = frozenset({
    "day", "days", "week", "weeks", "wk", "wks", "month", "months", "year", "years", "yr", "yrs",
    "fortnight", "fortnights", "d", "w"
})
DAY_WORDS = frozenset({
    "today", "tonight", "tomorrow", "tomorrows", "tmrw", "tmw", "tmr", "overmorrow", "yesterday", "eod",
    "cob", "day", "business"
})
WEEK_WORDS = frozenset({"week", "weekend", "weekends", "wkend", "eow"})
FESTIVAL_WORDS = frozenset(re.split(r"[\s']", k)[0] for k in calendars.FESTIVALS if k.isascii())
_FESTIVALS_EN = "|".join(re.escape(k).replace(r"\ ", r"\s+").replace("'", "'?")
                         for k in sorted((k for k in calendars.FESTIVALS if k.isascii()), key=len, reverse=True))
_N = r"(?P<n>\d{1,4}|an?|a\s+couple(?:\s+of)?|couple\s+of|a\s+few|few)"
_UNITS = r"(?P<unit>(?:business|working|work)\s+days?|days?|weeks?|wks?|months?|years?|yrs?|fortnights?)"

RULES = [
    (rx(rf"(?:(?P<rel>this|next|last)\s+)?(?P<f>{_FESTIVALS_EN})(?:\s+(?:of\s+)?(?P<y>\d{{4}})|\s+of\s+(?P<yrel>this|next|last)"
        r"\s+year)?\b", FESTIVAL_WORDS), _festival),
    (rx(rf"(?:from\s+|between\s+)?{_mon()}\s*(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}{_RANGE}(?:{_mon('mon2')}\s*)?"
        rf"(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}{_NOT_TIME}{_YEAR}", MONTH), _range),
    (rx(rf"(?:from\s+|between\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}{_RANGE}(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}\s*(?:of\s+)?"
        rf"{_mon()}{_YEAR}", MONTH), lambda m, ctx: _range(_Same(m), ctx)),
    (rx(r"(?<![\d.])(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<mo>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?![\d.])", "-/."),
     lambda m, ctx: date_piece(m, make_date(int(m["y"]), int(m["mo"]), int(m["d"]), m.group()), past=True)),
    (rx(rf"(?:the\s+)?(?P<n>1st|2nd|3rd|4th|5th|last|final)\s+{_wd()}\s+(?:of|in)\s+(?:{_mon()}|(?P<rel>this|next)\s+month)"
        rf"{_YEAR}", frozenset(MONTH | {"month"})), _nth_of_month),
    (rx(rf"(?:the\s+)?(?P<n>last|\d{{1,2}}(?:st|nd|rd|th))\s+day\s+(?:of|in)\s+(?:{_mon()}|(?P<rel>this|next)\s+month)"
        rf"{_YEAR}", frozenset({"day"})), _day_of_month),
    (rx(rf"(?:the\s+)?week\s+of\s+(?:{_mon()}\s*(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}|(?:the\s+)?(?P<d_>\d{{1,2}}){_ORD}\s*"
        rf"(?:of\s+)?{_mon('mon_')})", frozenset({"week"})), lambda m, ctx: _week_of(_Same(m), ctx)),
    (rx(rf"(?:(?P<lead>in|by|before|until|till|on|during)\s+)?(?:the\s+)?(?P<p>early|mid-?|middle\s+of|the\s+middle\s+of"
        rf"|beginning\s+of|the\s+beginning\s+of|start\s+of|the\s+start\s+of|late|end\s+of|the\s+end\s+of)\s*"
        rf"(?:the\s+month\s+of\s+)?(?:{_mon()}{_YEAR}|(?P<rel>this|next|the)\s+month\b|month\b)",
        MONTH | {"month"}), _month_part),
    (rx(r"\beom\b|\bmonth[- ]end\b", frozenset({"eom", "month"})),
     lambda m, ctx: date_piece(m, month_end(ctx.ref.year, ctx.ref.month))),
    (rx(rf"(?:the\s+)?(?<![\d.:/-])(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?\s*(?:of\s+|-)?{_mon()}(?:\s*,?\s*(?P<y>\d{{4}})(?![\d:])"
        rf"|\s*'(?P<yy>\d{{2}})\b|(?(ord)\s+(?P<yyy>\d{{2}})(?![\d:.a-z])))?", MONTH), lambda m, ctx: _md(
        _Yy(m), ctx, month_no(m["mon"]), int(m["d"]))),
    (rx(rf"{_mon()}\s*(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}{_NOT_TIME}{_YEAR}", MONTH),
     lambda m, ctx: _md(m, ctx, month_no(m["mon"]), int(m["d"]))),
    (rx(rf"(?P<lead>in|by|before|until|till|during|next|this|last|end\s+of)?\s*{_mon()}{_YEAR}(?!\s*\d)",
        MONTH), _month_alone),
    (rx(r"(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+of\s+(?P<rel>this|next|the\s+following)\s+month"
        r"|(?P<rel_>this|next)\s+month\s+(?:on\s+)?(?:the\s+)?(?P<d_>\d{1,2})(?:st|nd|rd|th)\b",
            frozenset({"month"})), lambda m, ctx: _rel_month(
        _Same(m), ctx)),
    (rx(r"(?:by\s+)?(?:the\s+)?(?P<rel>next|this|current|last|previous|following)\s+month\b",
        frozenset({"month"})), lambda m, ctx: _rel_month(
        _Same(m), ctx)),
    (rx(r"(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:(?P<rel>this|next|last)\s+)?year|year[- ]end"
        r"|(?P<rel_>next|this)\s+year"
        r"(?:'s)?\s+end)|\beoy\b|end\s+of\s+(?P<y>\d{4})|(?P<rel__>next|this|current|last)\s+year\b",
            frozenset({"year", "eoy"})), lambda m, ctx: _year_end(
        _Same(m), ctx)),
    (rx(rf"(?:(?:in|within|inside(?:\s+of)?|after|over)\s+(?:the\s+next\s+)?|(?P<next>(?:the\s+)?next)\s+)?{_N}\s+{_UNITS}\b"
        r"(?:\s+(?P<ago>ago)|\s+(?:from\s+(?:now|today)|later|hence|after\s+today|time))?"
        r"(?!\s+(?:of|after|from|following|since)\b)", UNIT_WORDS), lambda m, ctx: _duration_guard(m, ctx)),
    (rx(r"(?P<w>(?:the\s+)?day\s+after\s+tomorrow|(?:the\s+)?day\s+before\s+yesterday|today|tonight|tomorrows?|tmrw|tmw|tmr"
        r"|2morrow|overmorrow|yesterday|eod|cob|end\s+of\s+(?:the\s+)?(?:business\s+|working\s+)?day"
        r"|close\s+of\s+business)\b", DAY_WORDS), lambda m, ctx: _rel_day(_W(m), ctx)),
    (rx(rf"(?P<pre>next|last|this)\s+week'?s?\s+{_wd()}", frozenset({"week"})), lambda m, ctx: _weekday(_Post(m), ctx)),
    (rx(rf"(?:(?P<pre>(?:this\s+)?coming|the\s+coming|upcoming|(?:on\s+)?the\s+following|following|this\s+past|past|this|next|last|on)\s+)?{_wd()}(?:\s+(?P<post>after\s+next"
        r"|(?:of\s+)?(?:this|next|last)\s+week|from\s+last\s+week))?", WEEKDAY), _weekday),
    (rx(r"(?:by\s+)?(?:the\s+)?(?:(?:beginning|start|middle|end)\s+of\s+(?:the\s+)?(?:(?:this|next|last)\s+)?week"
        r"|(?:early|mid|late(?:r)?)\s+(?:this|next)\s+week|(?:this|current|next|last|past|previous|the\s+following|following"
        r"|the\s+coming|coming)\s+(?:week(?:\s*-?\s*end)?|wkend)|week\s+ahead|(?:this\s+|next\s+)?week\s*-?\s*end|wkend|eow)\b",
            WEEK_WORDS),
     _week),
    (rx(r"\+\s*(?P<n>\d{1,4})\s*(?P<unit>d|w|days?|weeks?)\b", "+"), _duration),
    (rx(r"(?<![\d/.:-])(?P<mo>\d{1,2})\s*/\s*(?P<d>\d{1,2})(?:\s*/\s*(?P<y>\d{4}|\d{2}))?(?![\d/:])"
        r"|(?<![\d/.:-])(?P<mo_>\d{1,2})-(?P<d_>\d{1,2})-(?P<y_>\d{4}|\d{2})(?![\d:-])"
        # 09-01 (zero-padded: 10-12 may as well be a window)
        r"|(?<![\d/.:-])(?P<mo__>0[1-9])-(?P<d__>[0-3]\d)(?![\d:-])(?!\s*(?:[点时]|[ap]\.?m\b))", "/-"),
     lambda m, ctx: _numeric(_Num(m), ctx)),
    (rx(r"(?:on\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b|\b(?P<d_>\d{1,2})(?:st|nd|rd|th)\b"
        r"(?!\s*(?:of|week|day|quarter|qtr|time|floor|mon|tue|wed|thu|fri|sat|sun))", "\x01"),
     lambda m, ctx: bare_day(m, ctx, int(m["d"] or m["d_"]))),
]


def _duration_guard(m, ctx: Ctx):
    """A bare length of time ("3 days") is no deadline; "in 3 days", "3 days from now", "next 3 days" are."""
    words = m.group()
    if not (m["ago"] or m["next"] or re.match(r"(in|within|inside|after|over)\b", words)
            or re.search(r"(from (now|today)|later|hence|after today|time)$", words) or "business" in words
            or "working" in words):
        return None
    return _duration(m, ctx)


class _View:
    """A match seen through other group names (the alternatives of one pattern name their groups apart)."""

    names: dict[str, tuple[str, ...]] = {}

    def __init__(self, m: re.Match[str]) -> None:
        self._m = m

    def __getitem__(self, key: str):
        for name in (key, *self.names.get(key, ())):
            if name in self._m.re.groupindex and self._m[name] is not None:
                return self._m[name]
        return None

    def groupdict(self) -> dict:
        return {k: self[k] for k in ("y", "yy")}

    def __getattr__(self, name: str):
        return getattr(self._m, name)


class _Same(_View):
    names = {"d": ("d_",), "mon": ("mon_",), "mon2": ("mon",), "rel": ("rel_", "rel__"), "y": ()}


class _Yy(_View):
    names = {"yy": ("yyy",)}


class _W(_View):
    names = {"w": ()}

    def __getitem__(self, key: str):
        return re.sub(r"\s+", " ", self._m["w"]) if key == "w" else super().__getitem__(key)


class _Post(_View):
    def __getitem__(self, key: str):
        if key == "post":
            return f"of {self._m['pre']} week"
        if key == "pre":
            return None
        return self._m[key]


class _Num(_View):
    names = {"mo": ("mo_", "mo__"), "d": ("d_", "d__"), "y": ("y_",)}
