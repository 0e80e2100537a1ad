"""Time-of-day rules, Chinese and English: clock times, windows, day parts, "in 2 hours".

A clock keeps its own am/pm or day part (Clock.mer); a day part written apart from it ("tomorrow
afternoon at 5") is a separate piece the reader applies. The hour is resolved only then (Clock.at).
"""

from __future__ import annotations

import datetime as dt
import re

from notedesk.deadline_grammar.days import Ctx
from notedesk.deadline_grammar.pieces import Clock, Piece, rx

# Day parts and the half of the day each gives an hour (Clock.at), with the window each is alone.
PART_MER = {
    "上午": "am", "早上": "am", "早晨": "am", "清晨": "am", "朝早": "am", "上昼": "am", "早": "am", "朝": "am",
    "morning": "am", "in the morning": "am", "in the am": "am", "this morning": "am",
    "中午": "noon", "午间": "noon", "晌午": "noon", "noon": "noon", "midday": "noon", "lunch": "noon",
    "lunchtime": "noon", "at lunch": "noon", "lunch time": "noon",
    "下午": "pm", "午后": "pm", "下昼": "pm", "晏昼": "pm", "afternoon": "pm", "in the afternoon": "pm",
    "this afternoon": "pm", "in the pm": "pm",
    "傍晚": "night", "黄昏": "night", "晚上": "night", "晚间": "night", "夜晚": "night", "夜里": "night",
    "夜间": "night", "晚": "night", "夜": "night", "evening": "night", "in the evening": "night",
    "this evening": "night", "tonight": "night", "night": "night", "at night": "night",
    "凌晨": "early", "半夜": "early", "深夜": "early",
}
WINDOWS = {"am": (dt.time(9), dt.time(12)), "noon": (dt.time(11), dt.time(13)), "pm": (dt.time(13), dt.time(18)),
           "night": (dt.time(18), dt.time(21))}

_ZH_PARTS = ("上午|早上|早晨|清晨|朝早|上昼|中午|午间|晌午|下午|午后|下昼|晏昼|傍晚|黄昏|晚上|晚间|夜晚|夜里|夜间"
             "|凌晨|半夜|深夜")
# 晚/早/朝/夜 alone are day parts only beside a day (今晚, 周一晚, 明早) or an hour (晚8点).
_ZH_SHORT = r"(?:(?<=[今明昨当听次天日号1-7\x00])(?:晚|早|朝|夜)|(?<!最)(?:晚|早)(?=\s*\d))"
_AP = r"(?:\s*(?P<ap{n}>a\.\s?m\.?|p\.\s?m\.?|am|pm|a\s+m\b|p\s+m\b)|(?P<apx{n}>[ap])(?![a-z]))"


def _clock(n: int) -> str:
    """One clock reading, groups suffixed by n: 3, 3pm, 下午3点半, 9:30, 9h30, 三点一刻, 5点多."""
    mark = (rf"(?:\s*(?:[点时](?:\s*(?P<q{n}>[1-3])\s*刻|\s*(?P<zi{n}>\d{{1,2}})\s*个字|\s*(?P<half{n}>半)"
            # minutes: 15, 09 (零九) or 5分; a lone digit is a decimal (八点八 = 8.8), not 08:08
            rf"|\s*(?P<m{n}>\d{{2}}(?!\d)|\d(?=\s*分))(?!\s*[日号天月])\s*分?(?:\s*\d{{1,2}}\s*秒)?|\s*整|\s*钟)?"
            rf"(?P<more{n}>多)?(?:\s*钟)?"
            rf"|:(?P<cm{n}>\d{{2}})(?::\d{{2}})?|h(?P<fm{n}>\d{{2}})|\.(?P<dm{n}>[0-5]\d)(?=\s*[ap]\.?\s?m\b)))")
    return (rf"(?:(?P<part{n}>{_ZH_PARTS}|{_ZH_SHORT})\s*)?(?<![\d:.])(?P<h{n}>\d{{1,2}})"
            rf"{mark}?{_AP.format(n=n)}?(?![a-z\d])")


def clock_of(m: re.Match[str], n: int) -> tuple[Clock, bool, bool]:
    """(the Clock, whether it was marked as a time, whether it said "多" (a while after))."""
    g = lambda k: m.group(f"{k}{n}")  # noqa: E731
    minute = int(g("m") or g("cm") or g("fm") or g("dm") or 0) + (30 if g("half") else 0) + 15 * int(g("q") or 0)
    minute += 5 * int(g("zi") or 0)
    ap = (g("ap") or g("apx") or "").replace(" ", "")
    mer = ("am" if ap[0] == "a" else "pm") if ap else PART_MER.get(g("part") or "")
    after_hour = m.string[m.end(f"h{n}"):m.end(f"h{n}") + 2]
    marked = bool(ap or g("part") or g("cm") or g("fm") or g("dm") or re.match(r"\s*[点时]", after_hour))
    padded = bool(g("cm") or g("fm")) and len(g("h")) == 2 and g("h")[0] == "0"
    return Clock(int(g("h")), minute, mer, padded), marked, bool(g("more"))


_SEP = r"\s*(?:-+|~|至|到|\bto\b|\btill?\b|\buntil\b|\bthrough\b|\bthru\b|\band\b)\s*"
_COUNTS = r"(?!\s*(?:[天日号月周个件箱台套只张年岁]|[a-z]))"


def _meridiem(ap: str | None) -> str | None:
    return ("am" if ap[0] == "a" else "pm") if ap else None


def _window(m, ctx: Ctx):
    a, marked_a, _ = clock_of(m, 1)
    b, marked_b, _ = clock_of(m, 2)
    if re.search(r"\band\b", m.group()) and not m["between"]:
        return None
    bare = not (marked_a or marked_b)
    return Piece("time", m.start(), m.end(), first=a, last=b, flags=["bare"] if bare else [])


def _single(m, ctx: Ctx):
    c, marked, more = clock_of(m, 1)
    if not marked:
        return None
    if more:  # 5点多: between five and six
        return Piece("time", m.start(), m.end(), first=c, last=Clock(c.hour + 1, 0, c.mer, c.padded))
    return Piece("time", m.start(), m.end(), last=c)


def _at_hour(m, ctx: Ctx):
    """at 5, @ 3, by 5, at 1030: an hour English marks as one by the word before it."""
    if m["hm"]:
        h, minute = int(m["hm"][:-2]), int(m["hm"][-2:])
    else:
        h, minute = int(m["h"]), int(m["min"] or 0)
    return Piece("time", m.start(), m.end(), last=Clock(h, minute))


def _minutes_word(m, ctx: Ctx):
    """quarter past 3pm, half past 2, 20 to 2pm, 15 to noon, twenty after 3."""
    word = m["mw"].replace("a ", "").strip()
    minutes = {"quarter": 15, "half": 30}.get(word) or int(word)
    to = m["rel"] in ("to", "till", "before", "of")
    if minutes > 59 or (to and minutes > 30):
        return None
    if to and word.isdigit() and minutes <= 12 and not m["unit"]:
        return None  # "10 to 12" is a window, not 11:50
    ap = m["ap"]
    if m["h"] in ("noon", "midday", "midnight"):
        hour, mer = (12, "noon") if m["h"] != "midnight" else (24, None)
    else:
        hour, mer = int(m["h"]), (("am" if ap[0] == "a" else "pm") if ap else None)
    if not to:
        return Piece("time", m.start(), m.end(), last=Clock(hour, minutes, mer))
    whole = Clock(hour, 0, mer).at(None, m.group()) if hour != 24 else dt.time(23, 59)
    total = (whole.hour if hour != 24 else 24) * 60 + whole.minute - minutes
    return Piece("time", m.start(), m.end(), last=Clock(total // 60, total % 60, padded=True))


def _noon(m, ctx: Ctx):
    if m["w"] == "midnight":
        return Piece("time", m.start(), m.end(), last=Clock(24))
    if not m["pre"]:
        return None  # noon alone is a day part (11-13), read by the next rule
    return Piece("time", m.start(), m.end(), last=Clock(12, 0, "noon"), opens=m["pre"] in ("after", "from"))


def _part(m, ctx: Ctx):
    word = re.sub(r"^(?:in the|this|at) ", "", re.sub(r"\s+", " ", m["part"]))
    mer = PART_MER.get(word) or PART_MER[f"in the {word}"]
    return Piece("part", m.start(), m.end(), mer=mer, window=WINDOWS.get(mer))


def _for(m, ctx: Ctx):
    n = m["n"]
    count = 1 if n in ("a", "an", "one") else 0.5 if n == "half an" else float(n)
    minutes = int(count * (60 if m["unit"].startswith("h") else 1))
    return Piece("for", m.start(), m.end(), minutes=minutes)


def _moment(m, ctx: Ctx):
    """in 2 hours, within 30 minutes, 2小时内, 半小时后: a moment from the reference time."""
    groups = {k.rstrip("_"): v for k, v in m.groupdict().items() if v is not None}
    n = groups.get("n")
    if n is None or n == "half an":
        count = 0.5
    elif n in ("a", "an", "one"):
        count = 1.0
    else:
        count = float(n.split("-")[-1]) + (0.5 if groups.get("half") else 0)
    hours = groups["unit"][0] in "h小钟个"
    at = ctx.now + dt.timedelta(minutes=count * (60 if hours else 1))
    return Piece("moment", m.start(), m.end(), moment=at.replace(second=0, microsecond=0))


_AMPM = frozenset({"am", "pm", "a", "p"})
_PARTS_NEED = frozenset("上早清朝中午晌下傍黄晚夜凌半深") | frozenset(
    {"morning", "afternoon", "evening", "night", "tonight", "am", "pm", "noon", "midday", "lunch", "lunchtime"})

# Read before the date rules, which take "tonight" as a day: "8 tonight", "at 8 this evening".
EARLY_RULES = [
    (rx(r"(?<![\d:.])(?<!to\s)(?<!-\s)(?<!-)(?<!and\s)(?<!till\s)(?P<h>\d{1,2})(?::(?P<min>\d{2}))?(?=\s+(?:tonight|this\s+(?:morning|afternoon|evening)"
        r"|in\s+the\s+(?:morning|afternoon|evening|[ap]m)|at\s+night)\b)",
        ("\x02", frozenset({"tonight", "this", "in", "at"}))),
     lambda m, ctx: Piece(
        "time", m.start(), m.end(), last=Clock(int(m["h"]), int(m["min"] or 0)))),
    (rx(r"(?<![\d:.])(?P<h>\d{1,2})\s*o'?\s?clock(?:\s*(?P<ap>a\.m\.?|p\.m\.?|am|pm))?(?![a-z])",
        "\x01"), lambda m, ctx: Piece(
        "time", m.start(), m.end(), last=Clock(int(m["h"]), 0, _meridiem(m["ap"])))),
]

RULES = [
    (rx(r"(?:in|within|inside(?:\s+of)?|after|in\s+the\s+next|over\s+the\s+next|the\s+next|next)\s+"
        r"(?P<n>\d{1,3}(?:\.\d)?|an?|one|half\s+an)\s*(?P<unit>hours?|hrs?|h|minutes?|mins?)\b",
        frozenset({"h", "hr", "hrs", "hour", "hours", "min", "mins", "minute", "minutes"})), _moment),
    (rx(r"(?:过|再过)\s*(?:(?P<n_>\d{1,3})\s*个?\s*(?P<half_>半)?|半\s*个?)\s*(?P<unit_>小时|钟头|个钟|分钟)"
        r"|(?:(?P<n>\d{1,3}(?:-\d{1,3})?)\s*个?\s*(?P<half>半)?|半\s*个?)\s*(?P<unit>小时|钟头|个钟|分钟)"
        r"\s*(?:之内|以内|内|之后|以后|后)", "小钟分"), _moment),
    (rx(r"(?<![\d:])(?P<mw>half|a\s+quarter|quarter|\d{1,2})\s+(?P<unit>minutes?\s+|mins?\s+)?(?P<rel>past|after|to|till|before|of)\s+"
        r"(?P<h>\d{1,2}|noon|midday|midnight)(?:\s*(?P<ap>a\.m\.?|p\.m\.?|am|pm))?(?![a-z\d:])",
            "\x01"), _minutes_word),
    (rx(rf"(?:(?P<between>between)\s+|from\s+|从\s*)?{_clock(1)}{_SEP}{_clock(2)}{_COUNTS}", ("\x02",
        "-~至到\x01")), _window),
    (rx(r"(?P<hm>\d{3,4})\s*(?P<ap>a\.m\.?|p\.m\.?|am|pm)(?![a-z])", _AMPM),
     lambda m, ctx: Piece("time", m.start(), m.end(), last=Clock(int(m["hm"][:-2]), int(m["hm"][-2:]),
                                                                 "am" if m["ap"][0] == "a" else "pm"))),
    (rx(r"(?<![\d:])(?P<h>\d{1,2})\s+(?P<min>[0-5]\d)\s*(?P<ap>a\.m\.?|p\.m\.?|am|pm|a\s+m\b|p\s+m\b)", "\x01"),
     lambda m, ctx: Piece("time", m.start(), m.end(), last=Clock(int(m["h"]), int(m["min"]),
                                                                 "am" if m["ap"][0] == "a" else "pm"))),
    (rx(_clock(1), "\x02"), _single),
    (rx(r"(?:(?<=\bat)|(?<=@)|(?<=\baround)|(?<=\babout)|(?<=approximately))\s*(?P<hm>[12]?\d[0-5]\d)(?![\d:])"
        r"|(?:\bat|@|\baround|\babout|\bby|\buntil|\btill|\bbefore)\s*(?P<h>\d{1,2})(?:\s+(?P<min>[0-5]\d))?(?![\d:.,/])"
        r"(?!\s*(?:st|nd|rd|th|days?|weeks?|months?|years?|hours?|minutes?|mins?|pcs|pieces|units|boxes|cartons|%)\b)",
            "\x01@"),
     _at_hour),
    (rx(r"(?:(?P<pre>\bat|\bby|\bbefore|\buntil|\btill|\bafter|\bfrom|\b12)\s+)?\b(?P<w>noon|midday|midnight)\b",
        "\x01"), _noon),
    (rx(r"(?<!good )(?<!good)(?P<part>(?:in\s+the\s+|this\s+|at\s+)?(?:morning|afternoon|evening|night)|tonight"
        r"|in\s+the\s+[ap]m\b|\bnoon"
        rf"|\bmidday|(?<!after )(?<!before )(?<!by )(?<!until )(?:at\s+)?lunch(?:\s*time)?|{_ZH_PARTS}|{_ZH_SHORT})"
        r"(?![a-z好])", _PARTS_NEED), _part),
    (rx(r"\bfor\s+(?P<n>\d{1,3}(?:\.\d)?|an?|one|half\s+an)\s*(?P<unit>hours?|hrs?|h|minutes?|mins?)\b",
        frozenset({"for"})), _for),
]
