"""Chinese date rules (simplified; traditional and Cantonese words arrive simplified by normalise).

Each rule is a pattern over the normalised text and a reading that returns a Piece, None (not
understood: the words stay unread), or raises DeadlineError (an impossible date). Order matters:
longer forms (ranges, lunar dates, year + month + day) come before the parts they contain.
"""

from __future__ import annotations

import datetime as dt
import re

from notedesk.deadline_grammar import calendars
from notedesk.deadline_grammar.days import (
    Ctx,
    add,
    bare_day,
    bare_weekday,
    date_piece,
    festival,
    forward_day,
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

_YQ = r"(?:(?P<yn>\d{4}|\d{2})\s*年|(?P<yw>今年|本年|明年|次年|来年|翌年|下年|大后年|后年|去年|上年|大前年|前年))"
_YEAR_SHIFT = {"今年": 0, "本年": 0, "明年": 1, "次年": 1, "来年": 1, "翌年": 1, "下年": 1, "后年": 2, "大后年": 3,
               "去年": -1, "上年": -1, "前年": -2, "大前年": -3}
_WEEK = r"(?:周|星期|礼拜)"
_WD = r"(?P<wd>[1-7日天])"
_END = r"(?![\d:.])"
_TO = r"\s*(?:至|到|-+|~|、)\s*"
_MONTH_PART = r"(?P<p>上旬|中旬|下旬|初|中(?![午间])|底|末|尾|头)"
_PART_DAY = {"上旬": 10, "初": 10, "头": 10, "中旬": 20, "中": 20}  # 底/末/尾/下旬: the month's last day
_MOD_MONTH = r"(?P<mm>这个|这|本|今个|今|当|同|下个|下下个|下|上个|上上个|上|次)"
_MONTH_SHIFT = {"这个": 0, "这": 0, "本": 0, "今个": 0, "今": 0, "当": 0, "同": 0, "下个": 1, "下": 1,
                "下下个": 2, "次": 1, "上个": -1, "上": -1, "上上个": -2}
_MOD_WEEK = r"(?P<wm>这个|这|本|今个|今|下个|下下个|下下|下|上个|上上个|上上|上)"
_WEEK_SHIFT = {"这个": 0, "这": 0, "本": 0, "今个": 0, "今": 0, "下个": 1, "下": 1, "下下个": 2, "下下": 2,
               "上个": -1, "上": -1, "上上个": -2, "上上": -2}


def _wd(c: str) -> int:
    return 7 if c in "日天" else int(c)


def year_of(m: re.Match[str], ref: dt.date) -> tuple[int | None, bool]:
    """(the year a 年 qualifier names, whether it may be past); (None, False) without one."""
    groups = m.groupdict()
    if groups.get("yn"):
        return two_digit_year(groups["yn"]), True
    if groups.get("yw"):
        shift = _YEAR_SHIFT[groups["yw"]]
        return ref.year + shift, shift <= 0
    return None, False


def _part_day(year: int, mo: int, part: str) -> dt.date:
    day = _PART_DAY.get(part)
    return dt.date(year, mo, day) if day else month_end(year, mo)


def _month_day(m, ctx: Ctx, mo: str, d: str) -> tuple[dt.date, bool]:
    year, past = year_of(m, ctx.ref)
    if year is None:
        return forward_md(ctx.ref, int(mo), int(d), m.group()), False
    return make_date(year, int(mo), int(d), m.group()), past


def _ymd(m, ctx: Ctx):
    return date_piece(m, make_date(int(m["y"]), int(m["mo"]), int(m["d"]), m.group()), past=True)


def _md(m, ctx: Ctx):
    date, past = _month_day(m, ctx, m["mo"], m["d"])
    return date_piece(m, date, past=past)


def _md_range(m, ctx: Ctx):
    first, past = _month_day(m, ctx, m["mo"], m["d"])
    mo2 = int(m["mo2"] or first.month)
    year2 = int(m["y2"]) if m["y2"] else first.year
    last = make_date(year2, mo2, int(m["d2"]), m.group())
    if last < first and not m["y2"]:
        last = make_date(year2 + 1, mo2, int(m["d2"]), m.group())  # 12月1日到1月1日
    if last < first:
        return None
    return date_piece(m, last, earliest=first, past=past)


def _day_range(m, ctx: Ctx):
    first = forward_day(ctx.ref, int(m["d"]), m.group())
    last = forward_day(first, int(m["d2"]), m.group())
    return date_piece(m, last, earliest=first)


def _lunar_day(raw: str) -> int:
    raw = raw.replace(" ", "")
    if raw[0] == "廿":
        return 20 + int(raw[1:] or 0)
    return 30 if raw[0] == "卅" else int(raw.lstrip("初"))


def _lunar(m, ctx: Ctx):
    """农历八月十五, 正月初八, 腊月廿三, 五月初五: a day of the Chinese calendar (the lunar year the
    Gregorian year names, or the next one on or after the reference day)."""
    d = m["d"].replace(" ", "")
    if not (m["lun"] or m["mo"] in "正冬腊" or d[0] in "初廿卅"):
        return None  # 3月15日: a Gregorian date, read by the next rule
    mo = {"正": 1, "冬": 11, "腊": 12}.get(m["mo"]) or int(m["mo"])
    return _lunar_piece(m, ctx, mo, _lunar_day(d))


def _lunar_piece(m, ctx: Ctx, mo: int, d: int):
    year, past = year_of(m, ctx.ref)
    if year is not None:
        return date_piece(m, calendars.lunar_to_solar(year, mo, d), past=past)
    for y in (ctx.ref.year - 1, ctx.ref.year, ctx.ref.year + 1):
        day = calendars.lunar_to_solar(y, mo, d)
        if day is not None and day >= ctx.ref:
            return date_piece(m, day)
    return None


def _month_part(m, ctx: Ctx):
    mo = int(m["mo"])
    year, past = year_of(m, ctx.ref)
    if not 1 <= mo <= 12:
        return date_piece(m, make_date(ctx.ref.year, mo, 1, m.group()))  # raises: no month 13
    part = m["p"] or ""
    if year is None:
        year = forward_month(ctx.ref, mo)
        if _part_day(year, mo, part) < ctx.ref:
            year += 1
    return date_piece(m, _part_day(year, mo, part), past=past)


def _month(m, ctx: Ctx):
    m2 = m  # a month alone: its last day (docs/ARCHITECTURE.md, "Deadlines")
    mo = int(m2["mo"])
    if not 1 <= mo <= 12:
        make_date(ctx.ref.year, mo, 1, m.group())
    year, past = year_of(m2, ctx.ref)
    return date_piece(m, month_end(year if year is not None else forward_month(ctx.ref, mo), mo), past=past)


def _relative_month(m, ctx: Ctx):
    shift = _MONTH_SHIFT[m["mm"]]
    first = ctx.ref.replace(day=1)
    month = (first.replace(year=first.year + (first.month - 1 + shift) // 12, month=(first.month - 1 + shift) % 12 + 1))
    if m["d"]:  # 本月9日 is this month's ninth, passed or not: the words name it
        return date_piece(m, make_date(month.year, month.month, int(m["d"]), m.group()), past=shift <= 0)
    if m["n"] or m["last"]:
        wd = _wd(m["wd"])
        return date_piece(m, nth_weekday(month.year, month.month, -1 if m["last"] else int(m["n"]), wd, m.group()),
                          past=shift < 0)
    past = shift < 0 or bool(shift == 0 and m["p"])  # 本月初 written on the 20th names this month's, passed
    return date_piece(m, _part_day(month.year, month.month, m["p"] or ""), past=past)


def _bare_month_part(m, ctx: Ctx):
    part = m["p"] or m["p2"]
    day = _part_day(ctx.ref.year, ctx.ref.month, part)
    if day < ctx.ref:  # 月初 written on the 20th: next month's
        nxt = month_end(ctx.ref.year, ctx.ref.month) + dt.timedelta(days=1)
        day = _part_day(nxt.year, nxt.month, part)
    return date_piece(m, day)


def _nth_in_month(m, ctx: Ctx):
    mo, wd = int(m["mo"]), _wd(m["wd"])
    n = -1 if m["last"] else int(m["n"])
    year, past = year_of(m, ctx.ref)
    if year is not None:
        return date_piece(m, nth_weekday(year, mo, n, wd, m.group()), past=past)
    year = forward_month(ctx.ref, mo)
    day = nth_weekday(year, mo, n, wd, m.group())
    if day < ctx.ref:
        day = nth_weekday(year + 1, mo, n, wd, m.group())
    return date_piece(m, day)


def _year_end(m, ctx: Ctx):
    year, past = year_of(m, ctx.ref)
    return date_piece(m, dt.date(year if year is not None else ctx.ref.year, 12, 31), past=past)


def _year_alone(m, ctx: Ctx):
    year, past = year_of(m, ctx.ref)
    return date_piece(m, dt.date(year, 12, 31), past=past) if year is not None else None


_DAY_SHIFT = {"大后天": 3, "大后日": 3, "后天": 2, "后日": 2, "明天": 1, "明日": 1, "明儿": 1, "听日": 1, "翌日": 1,
              "次日": 1, "隔天": 1, "转天": 1, "今天": 0, "今日": 0, "今儿": 0, "当天": 0, "当日": 0, "即日": 0,
              "本日": 0, "昨天": -1, "昨日": -1, "寻日": -1, "琴日": -1, "前天": -2, "前日": -2, "大前天": -3,
              "今": 0, "当": 0, "明": 1, "听": 1, "次": 1, "昨": -1}


def _relative_day(m, ctx: Ctx):
    shift = _DAY_SHIFT[m["w"]]
    return date_piece(m, ctx.ref + dt.timedelta(days=shift), past=shift < 0)


def _nth_day(m, ctx: Ctx):
    n = int(m["n"])
    return date_piece(m, ctx.ref + dt.timedelta(days=n - 1)) if n >= 1 else None


_UNITS = {"天": "d", "日": "d", "周": "w", "星期": "w", "礼拜": "w", "月": "m", "年": "y"}


def _anchored(m) -> bool:
    """收到货款后3天内, 下单之后7天: counted from an event, not from when the note was written."""
    return bool(re.search(r"(?:后|之后|以后|起|开始)\s*$", m.string[:m.start()]))


def _by(m) -> bool:
    """请在3天前交付: after 在/于 a 前 closes the deadline ("before three days from now"), not "ago"."""
    return bool(re.search(r"(?:在|于)\s*$", m.string[:m.start()]))


def _duration(m, ctx: Ctx):
    pre, suf = m["pre"] or "", (m["suf"] or "").replace(" ", "")
    if (not pre or pre in ("下", "后")) and _anchored(m) or (pre in ("下", "后") and re.search(
            r"[\u4e00-\u9fff]$", m.string[:m.start()])):
        return None
    if pre in ("近", "最近", "最近的") or (not pre and not suf and m["verb"] is None):
        return None  # the past few days, or a bare length of time: no deadline
    if suf in ("前", "之前", "以前") and m["unit"] == "日" and _by(m):
        return None  # 请在5日前: before the 5th
    if suf in ("前", "之前", "以前") and not _by(m):  # 3天前: three days ago
        if pre:
            return None
        n = -int(m["n"])
    else:
        n = int((m["n"] or "0").split("-")[-1])
    unit = _UNITS[m["unit"]]
    if pre == "下" and n == 1:  # 下一周, 下一个月: next week, next month (read by their own rules)
        return None
    if m["half"] or m["n"] is None:  # 半个月, 两个半月, 半年
        if unit == "m":
            return date_piece(m, add(add(ctx.ref, n, "m"), 15, "d") if n >= 0 else None)
        if unit == "y":
            return date_piece(m, add(ctx.ref, n * 12 + 6, "m"))
        return None
    return date_piece(m, add(ctx.ref, n, unit), past=n < 0)


def _working(m, ctx: Ctx):
    if (m["suf"] or "").strip() in ("前", "之前", "以前") and not _by(m) or (not m["pre"] and _anchored(m)):
        return None
    return date_piece(m, working_days(ctx, int(m["n"]), trading=m["unit"] == "交易日"))


def _weekday(m, ctx: Ctx):
    wd = _wd(m["wd"])
    mod = m["wm"]
    if mod is None:
        return Piece("weekday", m.start(), m.end(), date=bare_weekday(ctx.ref, wd), weekday=wd)
    shift = _WEEK_SHIFT[mod]
    if shift == 0:
        return date_piece(m, this_weekday(ctx.ref, wd), weekday=wd)
    return date_piece(m, week_weekday(ctx.ref, wd, shift), past=shift < 0, weekday=wd)


def _weekday_range(m, ctx: Ctx):
    first_wd, last_wd = _wd(m["wd"]), _wd(m["wd2"])
    if last_wd <= first_wd:
        return None
    mod = m["wm"]
    if mod is None:
        last = bare_weekday(ctx.ref, last_wd)
    elif _WEEK_SHIFT[mod] == 0:
        last = this_weekday(ctx.ref, last_wd)
    else:
        last = week_weekday(ctx.ref, last_wd, _WEEK_SHIFT[mod])
    return date_piece(m, last, earliest=last - dt.timedelta(days=last_wd - first_wd), past=last < ctx.ref)


def _week(m, ctx: Ctx):
    shift = _WEEK_SHIFT[m["wm"]] if m["wm"] else 0
    return date_piece(m, monday(ctx.ref, shift) + dt.timedelta(days=6), past=shift < 0)


def _festival_names() -> dict[str, str]:
    """Chinese festival words as the normaliser leaves them, plus 十一 (国庆) and the long holidays."""
    from notedesk.deadline_grammar.normalise import normalise

    words = {k: v for k, v in calendars.FESTIVALS.items() if not k.isascii()}
    words |= {"十一": "国庆节", "十一长假": "国庆节", "国庆长假": "国庆节", "国庆假期": "国庆节", "五一长假": "劳动节",
              "五一假期": "劳动节", "双十二": "双十二"}
    return {normalise(k).s: v for k, v in words.items()}


_FESTIVAL_NAMES = _festival_names()
_FESTIVAL_RX = "|".join(map(re.escape, sorted(_FESTIVAL_NAMES, key=len, reverse=True)))


def _festival(m, ctx: Ctx):
    year, past = year_of(m, ctx.ref)
    return date_piece(m, festival(ctx, _FESTIVAL_NAMES[m["f"]], year, m.group()), past=past)


RULES = [
    (rx(rf"(?:{_YQ}\s*)?(?P<mo>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]?{_TO}(?:(?P<y2>\d{{4}})\s*年\s*)?"
        rf"(?:(?P<mo2>\d{{1,2}})\s*月\s*)?(?P<d2>\d{{1,2}})(?!\s*[点时:.\d])\s*[日号]?", ("月",
            "至到-~、")), _md_range),
    (rx(rf"(?<![\d月])(?P<d>\d{{1,2}})\s*[日号]{_TO}(?P<d2>\d{{1,2}})\s*[日号]", ("日号", "至到-~、")), _day_range),
    (rx(r"(?<![\d.])(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<mo>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?:\s*[日号])?(?![\d.])",
        "-/."),
     _ymd),
    (rx(rf"(?:{_YQ}\s*)?(?:(?P<lun>农历|阴历)\s*)?(?P<mo>正|冬|腊|\d{{1,2}})\s*月\s*"
        r"(?P<d>初\s*\d{1,2}|廿\s*\d?|卅|\d{1,2})\s*[日号]?", ("月", "农阴正冬腊初廿卅")), _lunar),
    (rx(r"大年初\s*(?P<d>\d{1,2})", "初"), lambda m, ctx: _lunar_piece(m, ctx, 1, int(m["d"]))),
    (rx(rf"(?:{_YQ}\s*)?(?P<mo>\d{{1,2}})\s*月\s*份?\s*(?:的\s*)?(?:第\s*(?P<n>[1-5])\s*个?|(?P<last>最后(?:1|一)?个?))"
        rf"\s*{_WEEK}\s*{_WD}", ("月", "第最")), _nth_in_month),
    (rx(rf"(?:{_YQ}\s*)?(?P<mo>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})(?!\s*[\d:.])\s*[日号]?", "月"), _md),
    (rx(rf"(?:{_YQ}\s*)?(?P<mo>\d{{1,2}})\s*月\s*份?\s*(?:的\s*)?月?\s*{_MONTH_PART}", ("月",
        "初中底末尾头旬")), _month_part),
    (rx(rf"{_MOD_MONTH}\s*月\s*份?\s*(?:的\s*)?(?:(?P<d>\d{{1,2}})\s*[日号]"
        rf"|(?:第\s*(?P<n>[1-5])\s*个?|(?P<last>最后(?:1|一)?个?))\s*{_WEEK}\s*{_WD}|{_MONTH_PART})?", ("月",
            "这本今当同下上次")), _relative_month),
    (rx(r"(?<![\d月年个])(?:月\s*(?P<p>初|中(?![午间])|底|末|尾|头)|(?P<p2>上旬|中旬|下旬))", ("月旬",
        "初中底末尾头旬")), _bare_month_part),
    (rx(rf"(?:{_YQ}\s*)?(?P<mo>\d{{1,2}})\s*月\s*份?(?![\d日号])", "月"), _month),
    (rx(rf"{_YQ}\s*(?:年\s*)?(?:底|末|尾|终)|(?:年底|年末|年尾|年终)", ("年", "底末尾终")), _year_end),
    (rx(r"(?P<w>大后天|大后日|后天|后日|明天|明日|明儿|听日|翌日|次日|隔天|转天|今天|今日|今儿|当天|当日|即日|本日|昨天|昨日"
        r"|寻日|琴日|大前天|前天|前日|(?:今|当|明|听|次|昨)(?=晚|早|朝|夜))",
            "天日今明昨后前当听次寻琴"), _relative_day),
    (rx(r"第\s*(?P<n>\d{1,3})\s*[天日]", "第"), _nth_day),
    (rx(r"(?:(?P<pre>未来|接下来的?|今后|最近的?|近)\s*)?(?P<n>\d{1,3})\s*个?\s*(?P<unit>工作日|工作天|交易日)"
        r"\s*(?P<suf>之内|以内|内|之后|以后|后|之前|以前|前)?", "工交"), _working),
    (rx(r"(?:(?P<pre>过|再过|未来|接下来的?|今后|最近的?|近|下|后)\s*)?(?:(?P<n>\d{1,3}(?:-\d{1,3})?)\s*(?:个\s*)?(?P<half>半)?|半\s*个?)"
        r"\s*(?P<unit>天|日|周|星期|礼拜|(?<=[个半])月|年)"
        r"\s*(?P<suf>之内|以内|内|之后|以后|后|之前|以前|前|左右)?"
        r"(?P<verb>(?<![内后前右])\s*(?=发货|交货|交付|送达|到货|出货|完成|寄出|送到|到))?", ("天日周期拜月年",
            "0123456789半")), _duration),
    (rx(rf"(?:{_YQ}\s*(?:的\s*)?)?(?P<f>{_FESTIVAL_RX})", "".join({w[0] for w in _FESTIVAL_NAMES})), _festival),
    (rx(rf"{_YQ}(?:\s*(?:内|之内|以内))?", "年"), _year_alone),
    (rx(rf"{_MOD_WEEK}?\s*{_WEEK}?\s*(?:的\s*)?{_WEEK}\s*{_WD}{_TO}{_WEEK}?\s*(?P<wd2>[1-7日天])(?!\d)", ("周期拜",
        "至到-~、")), _weekday_range),
    (rx(rf"(?:{_MOD_WEEK}\s*(?:{_WEEK}\s*)?(?:的\s*)?)?{_WEEK}\s*{_WD}(?!\d)", "周期拜"), _weekday),
    (rx(rf"{_MOD_WEEK}\s*(?:1\s*)?{_WEEK}(?:\s*(?:末|内|之内|以内))?|(?:这|本)?\s*周\s*末", "周期拜"), _week),
    (rx(r"(?<![\d月/.:\-年第个])(?P<d>\d{1,2})\s*[日号]", "日号"), lambda m, ctx: bare_day(m, ctx, int(m["d"]))),
    (rx(r"(?<![\d.:/\-])(?P<mo>\d{1,2})\s*\u00b7\s*(?P<d>\d{1,2})(?!\d)", "·"), lambda m, ctx: date_piece(
        m, forward_md(ctx.ref, int(m["mo"]), int(m["d"]), m.group()))),
]
