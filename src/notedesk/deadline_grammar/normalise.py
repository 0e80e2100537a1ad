"""Deadline text made uniform before it is read, keeping where each character came from.

NFKC and lower case (full-width digits, colons and spaces), traditional characters as simplified
ones (only those the grammar reads: OpenCC's whole table would load a dictionary for a dozen
characters), Chinese numerals as digits (二十一 -> 21, 七八 -> 7-8, 二〇二六 -> 2026) and English
number words as digits (twenty-one -> 21, first -> 1st). `Text.origin(start, end)` maps a span of
the normalised text back to the clerk's own characters, so "not understood" quotes what they typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Traditional (and a few variant) characters the grammar's words use, as simplified ones.
_TRADITIONAL = str.maketrans(dict(zip(
    "週點後時號個內兩這鐘間節慶聖誕勞動兒陽曆農陰臘與從開頭晝當禮聽尋歲數幾過於還為僅貨達給請須準業會緊終雙婦軍復"
    "紀權費義國際萬燈齋愛親師來夠務產廠單裡裏門線歡樂氣東買賣寫說讓長們對發現寶場問題關專傳運輸塊錢隻聯絡訂價額預盡"
    "趕遲誤約團圓陸慶龍餅歷壹貳參叁肆伍陸柒捌玖拾佰仟",
    "周点后时号个内两这钟间节庆圣诞劳动儿阳历农阴腊与从开头昼当礼听寻岁数几过于还为仅货达给请须准业会紧终双妇军复"
    "纪权费义国际万灯斋爱亲师来够务产厂单里里门线欢乐气东买卖写说让长们对发现宝场问题关专传运输块钱只联络订价额预尽"
    "赶迟误约团圆陆庆龙饼历一二三三四五六七八九十百千",
)))
_DASHES = str.maketrans(dict.fromkeys("–—―−‐‑‒﹣－", "-") | {"〜": "~", "～": "~", "・": "·", "．": "."})

_CN_DIGIT = dict(zip("〇零一二两三四五六七八九俩", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 2)))
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_RUN = re.compile("[〇零一二两三四五六七八九俩十百千]+")
# Words whose numerals count nothing: 一定 (surely), 统一, 早一点 (a bit earlier), 十分 (very), …
_NOT_NUMBERS = re.compile(
    # not after a word that counts (周一下午 is Monday afternoon, 周一起 from Monday on)
    "(?<![周期拜月日号第十点时初])(?:一定|一起|一下|一直|一样|一般|一律|一旦|一致|一些|一切|一共|一并|一同|一再|一次性"
    "|一批|一半)|统一|万一|唯一"
    "|(?<![〇零一二两三四五六七八九十])(?:(?:双)?十[一二](?=$|\\s|节|长假|假期|黄金周|前|之前|以前|期间|后|之后|以后)(?![点时月号日])"
    "|双十[一二]|[五六八]一(?=$|\\s|节|劳动|儿童|建军|长假|假期|黄金周|前|之前|以前|期间|后|之后|以后)|五四(?=青年|节)"
    "|六一八(?![〇零一二两三四五六七八九十]))"
    "|第一时间|一会|[早晚快慢多少好大小高低差有]一点|(?<![点时\\d一二两三四五六七八九])十分(?![钟\\d])|三五成群|五金|一手|一边|一方面"
)
_D = "([一二两三四五六七八九])"
_STANDARD = re.compile(f"^(?:{_D}?千)?(?:{_D}?百)?(?:{_D}?十)?{_D}?$")


def _standard(run: str) -> int | None:
    """十二 -> 12, 三十一 -> 31, 两百 -> 200; None when the run is not one number written with units."""
    m = _STANDARD.match(run)
    if not m or not run:
        return None
    thousands, hundreds, tens, ones = (_CN_DIGIT[g] if g else 0 for g in m.groups())
    if "千" in run:
        thousands = thousands or 1
    if "百" in run:
        hundreds = hundreds or 1
    if "十" in run:
        tens = tens or 1
    return thousands * 1000 + hundreds * 100 + tens * 10 + ones


def _cn_run(run: str, after: str) -> str | None:
    """A run of Chinese numerals as digits, or None to leave it as written (then it is not understood).

    七八点 is 7-8 (a range), 两三天 2-3; 十一二点 11-12; 二〇二六 and 零七年 are digits in place."""
    if any(c in _CN_UNIT for c in run):
        value = _standard(run)
        if value is not None:
            return str(value)
        head, last = _standard(run[:-1]), _CN_DIGIT.get(run[-1])  # 十一二 = 11-12, 二十三四 = 23-24
        if head is not None and last is not None and head % 10 and last == head % 10 + 1:
            return f"{head}-{head + 1}"
        return None
    digits = [_CN_DIGIT[c] for c in run]
    if len(digits) == 1:
        return str(digits[0])
    pair = len(digits) == 2 and after != "年" and 0 < digits[0] < digits[1]
    if pair and (digits[1] - digits[0] == 1 or digits == [3, 5]):
        return f"{digits[0]}-{digits[1]}"
    if len(digits) in (2, 4) or (len(digits) == 3 and after == "年"):
        return "".join(map(str, digits))
    return None


_EN_UNITS = dict(zip("""
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen
""".split(), range(1, 20)))  # noqa: SIM905
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_EN_ORDINALS = dict(zip("""
    first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth
    fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth
""".split(), range(1, 20)))  # noqa: SIM905
_EN_ORDINAL_TENS = {"twentieth": 20, "thirtieth": 30}
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}
_UNIT_WORDS = "|".join(sorted(_EN_UNITS, key=len, reverse=True))
_ORDINAL_WORDS = "|".join(sorted(set(_EN_ORDINALS) - {"second"}, key=len, reverse=True))
_EN_NUMBER = re.compile(
    rf"\b(?:(?P<tens>twenty|thirty|forty|fifty)(?:[- ](?P<unit>{_UNIT_WORDS}|(?P<ord>{_ORDINAL_WORDS})))?"
    rf"|(?P<tenth>twentieth|thirtieth)|(?P<one>{_UNIT_WORDS})|(?P<first>{_ORDINAL_WORDS})"
    r"|(?P<second>second)(?=\s+(?:mon|tue|wed|thu|fri|sat|sun|week|day|of|half)))\b")
# An ordinal word is a day or an ordinal only where one is meant ("the first", "first monday",
# "march first", "first of march"); "call first" keeps its word.
_ORDINAL_BEFORE = re.compile(r"(?:\bthe|\bon|jan\w*|feb\w*|mar\w*|apr\w*|may|june?|july?|aug\w*|sep\w*|oct\w*|nov\w*"
                             r"|dec\w*)\s+$")
_ORDINAL_AFTER = re.compile(r"^\s+(?:of\b|day|week|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct"
                            r"|nov|dec|quarter|qtr|to\b|-)")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else _SUFFIX.get(n % 10, 'th')}"


def _en_number(m: re.Match[str]) -> str | None:
    if (m["ord"] or m["tenth"] or m["first"] or m["second"]) and not (
            _ORDINAL_BEFORE.search(m.string[:m.start()]) or _ORDINAL_AFTER.match(m.string[m.end():])):
        return None
    if m["tens"]:
        tens = _EN_TENS[m["tens"]]
        if m["ord"]:
            return _ordinal(tens + _EN_ORDINALS[m["ord"]])
        return str(tens + (_EN_UNITS[m["unit"]] if m["unit"] else 0))
    if m["tenth"]:
        return _ordinal(_EN_ORDINAL_TENS[m["tenth"]])
    if m["one"]:
        return str(_EN_UNITS[m["one"]])
    return _ordinal(_EN_ORDINALS.get(m["first"] or "", 2))


@dataclass(frozen=True)
class Text:
    """Normalised text and, per character, the span of the original text it came from."""

    raw: str
    s: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def origin(self, start: int, end: int) -> str:
        """The clerk's characters behind s[start:end]."""
        return self.raw[self.starts[start]:self.ends[end - 1]] if end > start else ""


def _replace(chars: list[str], starts: list[int], ends: list[int], pattern: re.Pattern[str], repl) -> None:
    """Replace matches of `pattern` in the joined chars; replaced characters take the span of the match."""
    s = "".join(chars)
    out_c: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    last = 0
    for m in pattern.finditer(s):
        new = repl(m)
        if new is None or new == m.group():
            continue
        out_c += chars[last:m.start()]
        out_s += starts[last:m.start()]
        out_e += ends[last:m.start()]
        start, end = starts[m.start()], ends[m.end() - 1]
        out_c += list(new)
        out_s += [start] * len(new)
        out_e += [end] * len(new)
        last = m.end()
    if last:
        chars[:] = out_c + chars[last:]
        starts[:] = out_s + starts[last:]
        ends[:] = out_e + ends[last:]


def normalise(raw: str) -> Text:
    lower = raw.lower()
    if len(lower) == len(raw) and (raw.isascii() or unicodedata.is_normalized("NFKC", raw)):
        s = lower.translate(_TRADITIONAL).translate(_DASHES)  # one character for one: the common case
        chars, starts, ends = list(s), list(range(len(s))), list(range(1, len(s) + 1))
    else:
        chars, starts, ends = [], [], []
        for i, c in enumerate(raw):
            n = c if c.isascii() else unicodedata.normalize("NFKC", c)
            for piece in n.lower().translate(_TRADITIONAL).translate(_DASHES):
                chars.append(piece)
                starts.append(i)
                ends.append(i + 1)
        s = "".join(chars)
    if not s.isascii():
        protected = [m.span() for m in _NOT_NUMBERS.finditer(s)]

        def chinese(m: re.Match[str]) -> str | None:
            if any(a < m.end() and m.start() < b for a, b in protected):
                return None
            return _cn_run(m.group(), s[m.end():m.end() + 1])

        _replace(chars, starts, ends, _CN_RUN, chinese)
    if any("a" <= c <= "z" for c in s):
        _replace(chars, starts, ends, _EN_NUMBER, _en_number)
    return Text(raw, "".join(chars), tuple(starts), tuple(ends))
