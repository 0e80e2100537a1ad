"""Reading a deadline: every rule consumes what it understood; what is left decides whether to trust it.

1. normalise (normalise.py); 2. run the date rules (dates_zh, dates_en), then the time rules
(times.py), each consuming the span it read; 3. put the pieces together (a range of days, a
weekday beside its date, a day part beside its hour); 4. look at what no rule consumed: a digit, a
Chinese time character or an English date word left over means the text says something the grammar
did not read, and the reading is unscheduled with those words quoted (the first rule:
docs/ARCHITECTURE.md, "Deadlines").
"""

from __future__ import annotations

import datetime as dt
import re

from notedesk.deadline_grammar import dates_en, dates_zh, times, words
from notedesk.deadline_grammar.days import Ctx
from notedesk.deadline_grammar.normalise import Text, normalise
from notedesk.deadline_grammar.pieces import DIGITS, LETTERS, Clock, Piece, Vague
from notedesk.deadlines import DeadlineError, ParsedDeadline
from notedesk.i18n import _

RULES = [*times.EARLY_RULES, *dates_zh.RULES, *dates_en.RULES, *times.RULES]
_GONE = "\x00"  # a consumed character in the working copy of the text
_WORD = re.compile("[a-z]+", re.ASCII)
FAR_AHEAD = dt.timedelta(days=183)

_RANGE_GAP = re.compile(r"^\s*(?:至|到|-+|~|to|till?|until|through|thru|and)\s*$", re.ASCII)
_OPENS_BEFORE = re.compile(r"(?:after|from|since|starting(?:\s+at|\s+from)?|(?<!no\s)(?<!not\s)later\s+than"
                           r"|no\s+earlier\s+than|从)\s*$",
                           re.ASCII)
_OPENS_AFTER = re.compile(r"^\s*(?:以后|之后|往后|以来|后|起(?![床来身])|开始|or\s+later|onwards?|and\s+later)",
                         re.ASCII)
_EITHER = re.compile(r"\bor\b|或|还是|要么", re.ASCII)
_BEFORE_NOON = re.compile(r"^\s*(?:之前|以前|前)")
_SURROUNDING = re.compile(
    r"^(?:请于|请在|请|务必|要求|最晚|最迟|不晚于|截止|截至|在|于|到)+|(?:之前|以前|前|交付|交货|送达|发货|到货|完成|送到|送货)+$")


def _cls(c: str) -> str | None:
    return "d" if c.isdigit() else "a" if c.isascii() and c.isalpha() else None


def _aligned(s: str, start: int, end: int) -> bool:
    """Whether a match starts and ends on a word's edge: "12/1" in "12/1o" or "mon" in "money" does not."""
    if start > 0 and _cls(s[start - 1]) and _cls(s[start]):
        return False
    return not (end < len(s) and _cls(s[end - 1]) and _cls(s[end]))


def _present(s: str) -> frozenset[str]:
    """What a rule's `need` is checked against: the characters (LETTERS and DIGITS stand for any such),
    the English words and their first three letters."""
    chars = set(s)
    if any("a" <= c <= "z" for c in chars):
        chars.add(LETTERS)
        for word in _WORD.findall(s):
            chars.add(word)
            chars.add(word[:3])
    if any("0" <= c <= "9" for c in chars):
        chars.add(DIGITS)
    return frozenset(chars)


def _run(text: Text, ctx: Ctx) -> tuple[list[Piece], str]:
    work = text.s
    present = _present(work)
    pieces: list[Piece] = []
    for pattern, read in RULES:
        for need in pattern.need:  # a loop, not any(): this runs for every rule of every reading
            if present.isdisjoint(need):
                break
        else:
            taken: list[tuple[int, int]] = []
            _read(pattern, read, work, ctx, pieces, taken)
            for a, b in taken:
                work = work[:a] + _GONE * (b - a) + work[b:]
    return pieces, work


def _read(pattern, read, work: str, ctx: Ctx, pieces: list[Piece], taken: list[tuple[int, int]]) -> None:
    """One rule over the text: each match it understands becomes pieces and a span taken."""
    for m in pattern.finditer(work):
        if m.end() == m.start() or not _aligned(work, m.start(), m.end()):
            continue
        found = read(m, ctx)
        if found is None:
            continue
        pieces.extend(found if isinstance(found, list) else [found])
        taken.append(m.span())


def _leftovers(text: Text, work: str) -> list[str]:
    """The clerk's words behind every unconsumed date- or time-like token, one fragment per chunk."""
    for a, b in words.fillers(text.s):
        work = work[:a] + _GONE * (b - a) + work[b:]
    chunks: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\x00\s,，。;；、()（）!！?？:：]+", work):
        chunk = m.group()
        temporal = any(c.isdigit() or words.is_zh_temporal(c) for c in chunk) or (
            chunk[-1] in "上下" and m.end() < len(work) and work[m.end()] == _GONE)  # 下下下周一: one 下 unread
        temporal = temporal or any(words.is_en_temporal(w) for w in re.findall(r"[a-z][a-z'.]*", chunk))
        if temporal:
            chunks.append(m.span())
    out = []
    for a, b in chunks:
        if b - a <= 2 and not text.s[a:b].isascii():  # 每, 不行: quote them with the words they change
            while a > 0 and work[a - 1] == _GONE and not text.s[a - 1].isspace():
                a -= 1
            while b < len(work) and work[b] == _GONE and not text.s[b].isspace():
                b += 1
        fragment = text.origin(a, b).strip()
        trimmed = _SURROUNDING.sub("", fragment)
        out.append(trimmed or fragment)
    return out


def _gap(s: str, a: Piece, b: Piece) -> str:
    return s[a.end:b.start]


def _join_ranges(pieces: list[Piece], s: str) -> list[Piece]:
    """DATE 至 DATE, from DATE to DATE: one range (the deadline is the last day)."""
    dated = sorted((p for p in pieces if p.kind in ("date", "weekday")), key=lambda p: p.start)
    for a, b in zip(dated, dated[1:]):
        if _RANGE_GAP.match(_gap(s, a, b)) and a.date and b.date and b.again and b.date < a.date:
            b.date = b.again(a.date - dt.timedelta(days=1))  # 下月10号至12号: the 12th after the 10th
        if _RANGE_GAP.match(_gap(s, a, b)) and a.date and b.date and a.date <= b.date:
            joined = Piece("date", a.start, b.end, date=b.date, earliest=a.earliest or a.date, past=a.past or b.past)
            return _join_ranges([p for p in pieces if p is not a and p is not b] + [joined], s)
    return pieces


def _agree(date_piece: Piece, weekday: int, src: str) -> dt.date:
    """An explicit date beside a weekday: they must name the same day (a date written without a year
    moves on to its next occurrence that falls on that weekday, as "Fri, Jul 18" does)."""
    first = day = date_piece.date
    assert first is not None and day is not None
    for _tries in range(14 if date_piece.again else 1):
        if day.isoweekday() == weekday:
            return day
        if date_piece.again:
            day = date_piece.again(day)
    day = first
    from notedesk import labels

    raise DeadlineError(_("{date} is a {actual}, not a {written} ({text})").format(
        date=day.isoformat(), actual=labels.weekday(day), written=labels.weekday(
            day + dt.timedelta(days=weekday - day.isoweekday())), text=src))


_COMPATIBLE = {"am": {"am", "early"}, "early": {"am", "early"}, "pm": {"pm", "night", "noon"},
               "night": {"pm", "night"}, "noon": {"noon", "pm", "am"}}


def _times(pieces: list[Piece], s: str, has_date: bool) -> tuple[dt.time | None, dt.time | None]:
    """The window from the time pieces, the day part and "for 30 mins"; Vague when it needs a guess."""
    clocks = [p for p in pieces if p.kind == "time"]
    parts = [p for p in pieces if p.kind == "part"]
    spans = [p for p in pieces if p.kind == "for"]
    mers = {p.mer for p in parts}
    if len(clocks) > 1 or len(mers) > 1 or len(spans) > 1 or (spans and not clocks):
        raise Vague("")
    part = mers.pop() if mers else None
    if not clocks:
        if part is None:
            return None, None
        if part == "noon" and _BEFORE_NOON.match(s[parts[0].end:]):  # 中午前: by 12:00
            return None, dt.time(12)
        if part not in times.WINDOWS:
            raise Vague("")
        return times.WINDOWS[part]
    clock = clocks[0]
    src = s[clock.start:clock.end].strip()
    for c in (clock.first, clock.last):
        if c is not None and c.mer and part and c.mer not in _COMPATIBLE[part]:
            raise Vague(src)
    if clock.first is not None:
        assert clock.last is not None
        if "bare" in clock.flags and not has_date and part is None:
            raise Vague(src)
        return _window(clock.first, clock.last, part, src)
    assert clock.last is not None
    end = clock.last.at(part, src)
    before, after = s[:clock.start], s[clock.end:]
    if spans:
        total = end.hour * 60 + end.minute + (spans[0].minutes or 0)
        if total >= 24 * 60:
            raise Vague(src)
        return end, dt.time(total // 60, total % 60)
    if end == dt.time(0) and not clock.last.padded:  # 零点: this day's start or its end? ask
        raise Vague(src)
    if clock.opens or _OPENS_BEFORE.search(before) or _OPENS_AFTER.match(after):
        if end >= dt.time(23, 59):
            raise Vague(src)
        return end, dt.time(23, 59)
    return None, end


def _window(a: Clock, b: Clock, part: str | None, src: str) -> tuple[dt.time, dt.time]:
    if a.mer is None and b.mer is None and part is None:  # 9-11, 11:30-1:30, 6-8: the end follows the start
        start, end = a.at(None, src), b.at(None, src)
        if end <= start and start.hour >= 12 and 1 <= b.hour < 12 and not b.padded:  # 6-8: 18:00-20:00
            end = b.at("pm", src)
    else:
        start = a.at(a.mer or part or b.mer, src)
        inherited = b.mer or part or a.mer
        end = b.at("noon" if inherited == "am" and b.hour == 12 and not b.mer else inherited, src)  # 上午11点到12点
        if start >= end and a.mer is None and b.mer:  # 11-1pm: the pm is the end's only
            start = a.at(part, src)
        if start >= end and b.mer is None and a.mer and end.hour < 12 and b.hour < 12:  # 上午11点到1点
            end = end.replace(hour=end.hour + 12)
    if start >= end:
        raise DeadlineError(_("window start {start} is not before its end {end} ({text})").format(
            start=f"{start:%H:%M}", end=f"{end:%H:%M}", text=src))
    return start, end


def read(raw: str, now: dt.datetime) -> ParsedDeadline:
    text = normalise(raw)
    ctx = Ctx(now)
    pieces, work = _run(text, ctx)
    unread = _leftovers(text, work)
    s = text.s

    def unscheduled(*extra: Piece) -> ParsedDeadline:
        quoted = [text.origin(p.start, p.end).strip() for p in extra]
        return ParsedDeadline(raw, unread=tuple(dict.fromkeys(quoted + unread)))

    if unread:
        return unscheduled()
    pieces = _join_ranges(pieces, s)
    explicit = [p for p in pieces if p.kind == "date"]
    weekdays = [p for p in pieces if p.kind == "weekday"]
    if not explicit and not weekdays:  # EOD alone is today's end; beside a day ("COB friday"), that day's
        explicit = [p for p in pieces if p.kind == "eod"][:1]
    moments = [p for p in pieces if p.kind == "moment"]
    if len({p.date for p in explicit}) > 1 or len({p.weekday for p in weekdays}) > 1 or (
            len(explicit) + len(weekdays) > 1 and _EITHER.search(s)):  # 周二或周三, this monday or tuesday
        return unscheduled(*explicit, *weekdays)
    if moments and (len(moments) > 1 or explicit or weekdays or any(p.kind in ("time", "part") for p in pieces)):
        return unscheduled(*pieces)
    for p in explicit + weekdays:
        after = _OPENS_AFTER.match(s[p.end:])
        if _OPENS_BEFORE.search(s[:p.start]) and not p.earliest or after:  # "after Dec 1": a start, not a deadline
            return unscheduled(Piece(p.kind, p.start, p.end + (after.end() if after else 0)))
    date_piece = explicit[0] if explicit else weekdays[0] if weekdays else None
    date = date_piece.date if date_piece else None
    if explicit and weekdays:
        src = text.origin(min(p.start for p in pieces), max(p.end for p in pieces))
        date = _agree(explicit[0], weekdays[0].weekday or 0, src)
    if moments:
        at = moments[0].moment
        assert at is not None
        return _result(raw, at.date(), None, at.time(), None, ctx, past=False)
    try:
        start, end = _times(pieces, s, date is not None)
    except Vague:
        return unscheduled(*[p for p in pieces if p.kind in ("time", "part", "for")])
    if date is None:
        if start is None and end is None:
            return ParsedDeadline(raw)
        date = ctx.ref
    past = any(p.past for p in pieces)
    return _result(raw, date, start, end, date_piece.earliest if date_piece else None, ctx, past=past)


def _result(raw: str, date: dt.date, start, end, earliest, ctx: Ctx, *, past: bool) -> ParsedDeadline:
    if date < ctx.ref and not past:  # a rule broke the forward rule: say so rather than trust it
        return ParsedDeadline(raw, unread=(raw.strip(),))
    flags = list(dict.fromkeys(ctx.flags))
    if date - ctx.ref > FAR_AHEAD:
        flags.append("far_ahead")
    return ParsedDeadline(raw, date, start, end, earliest=earliest, flags=tuple(flags))
