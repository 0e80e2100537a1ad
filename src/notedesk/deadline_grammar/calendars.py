"""Days the grammar looks up rather than computes: festivals by name, lunar dates, and China's working days.

Festivals come from lunar-python's own tables of solar, lunar and week festivals and its solar terms
(清明), lunar dates from lunardate's table (lunar-python computes them astronomically, ~80 ms a
year; lunardate looks them up), so 春节 2027 or 中秋 2031 are the libraries', not a hand table.
Working days come from chinese-calendar, which carries the State Council's holidays and make-up
working days (调休) for the years it knows and refuses the others: there the count falls back to
Monday-Friday and the reading is flagged. Both are imported on first use: most deadlines need neither.
"""

from __future__ import annotations

import datetime as dt
import functools

from dateutil.easter import easter
from dateutil.relativedelta import FR, TH, relativedelta

# Surface names (simplified, lower case) -> the library's festival name, or a rule of our own where
# the library has none. Several names may share a festival.
FESTIVALS = {
    "元旦": "元旦节", "元旦节": "元旦节", "阳历新年": "元旦节", "new year's day": "元旦节", "new years day": "元旦节",
    "new year day": "元旦节", "new year": "元旦节", "new years": "元旦节", "new year's": "元旦节",
    "情人节": "情人节", "valentine's day": "情人节", "valentines day": "情人节", "valentine day": "情人节",
    "valentine's": "情人节", "妇女节": "妇女节", "三八节": "妇女节", "植树节": "植树节", "愚人节": "愚人节",
    "april fools day": "愚人节", "april fool's day": "愚人节", "劳动节": "劳动节", "五一劳动节": "劳动节",
    "五一国际劳动节": "劳动节", "国际劳动节": "劳动节", "五一节": "劳动节", "五一": "劳动节",
    "青年节": "青年节", "五四青年节": "青年节", "儿童节": "儿童节", "六一儿童节": "儿童节", "国际儿童节": "儿童节",
    "六一": "儿童节", "建党节": "建党节", "建军节": "建军节", "八一建军节": "建军节", "教师节": "教师节",
    "国庆节": "国庆节", "国庆": "国庆节", "national day": "国庆节", "平安夜": "平安夜", "christmas eve": "平安夜",
    "xmas eve": "平安夜", "圣诞节": "圣诞节", "圣诞": "圣诞节", "christmas": "圣诞节", "christmas day": "圣诞节",
    "xmas": "圣诞节", "x-mas": "圣诞节", "halloween": "万圣节前夜", "万圣节前夜": "万圣节前夜",
    "春节": "春节", "农历新年": "春节", "新春": "春节", "大年初一": "春节", "chinese new year": "春节",
    "lunar new year": "春节", "spring festival": "春节", "元宵节": "元宵节", "元宵": "元宵节",
    "lantern festival": "元宵节", "端午节": "端午节", "端午": "端午节", "dragon boat festival": "端午节",
    "七夕节": "七夕节", "七夕": "七夕节", "中秋节": "中秋节", "中秋": "中秋节", "mid-autumn festival": "中秋节",
    "mid autumn festival": "中秋节", "moon festival": "中秋节", "重阳节": "重阳节", "重阳": "重阳节",
    "腊八节": "腊八节", "腊八": "腊八节", "清明节": "清明", "清明": "清明", "qingming festival": "清明",
    "tomb sweeping day": "清明", "冬至": "冬至", "除夕": "除夕", "大年三十": "除夕", "年三十": "除夕",
    "母亲节": "母亲节", "mother's day": "母亲节", "mothers day": "母亲节", "mother day": "母亲节",
    "父亲节": "父亲节", "father's day": "父亲节", "fathers day": "父亲节", "father day": "父亲节",
    "感恩节": "感恩节", "thanksgiving": "感恩节", "thanksgiving day": "感恩节",
    "black friday": "black friday", "黑色星期五": "black friday",
    "new year's eve": "new year's eve", "new years eve": "new year's eve", "new year eve": "new year's eve",
    "跨年夜": "new year's eve", "independence day": "independence day", "4th of july": "independence day",
    "fourth of july": "independence day", "july 4th": "independence day",
    "easter": "easter", "easter sunday": "easter", "复活节": "easter", "easter monday": "easter monday",
    "good friday": "good friday", "双十一": "双十一", "双11": "双十一", "singles day": "双十一",
    "singles' day": "双十一", "double 11": "双十一", "双十二": "双十二", "双12": "双十二", "double 12": "双十二",
    "六一八": "618",
}


@functools.cache
def _tables() -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]], dict[str, tuple[int, int, int]]]:
    from lunar_python.util import LunarUtil, SolarUtil

    def invert(table: dict[str, str]) -> dict:
        return {name: tuple(int(x) for x in key.split("-")) for key, name in table.items()}

    return invert(LunarUtil.FESTIVAL), invert(SolarUtil.FESTIVAL), invert(SolarUtil.WEEK_FESTIVAL)


def lunar_to_solar(year: int, month: int, day: int) -> dt.date | None:
    """A day of the Chinese calendar (the lunar year, month 1-12, day 1-30) as a Gregorian date; None
    when that lunar month has no such day or the year is beyond the table (1900-2099)."""
    from lunardate import LunarDate

    try:
        return LunarDate(year, month, day).to_solar_date()
    except ValueError:
        return None


def _lunar_year_end(year: int) -> dt.date | None:
    """除夕: the last day of the lunar year `year`."""
    first = lunar_to_solar(year + 1, 1, 1)
    return first - dt.timedelta(days=1) if first else None


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> dt.date:
    """The n-th (1-5) given weekday (0 = Sunday as lunar-python counts) of a month."""
    first = dt.date(year, month, 1)
    iso = 7 if weekday == 0 else weekday
    return first + dt.timedelta(days=(iso - first.isoweekday()) % 7 + 7 * (n - 1))


@functools.lru_cache(maxsize=512)
def festival(name: str, year: int) -> dt.date | None:
    """The festival's day in the Gregorian `year` (lunar festivals: the one that falls in it)."""
    lunar, solar, weekly = _tables()
    if name in solar:
        month, day = solar[name]
        return dt.date(year, month, day)
    if name in weekly:
        month, n, weekday = weekly[name]
        return _nth_weekday(year, month, n, weekday)
    if name in lunar:  # the lunar year that starts in `year`, or the one before (腊八 falls in January)
        month, day = lunar[name]
        found = [d for y in (year, year - 1) if (d := lunar_to_solar(y, month, day)) and d.year == year]
        return found[0] if found else None
    if name == "除夕":
        found = [d for y in (year, year - 1) if (d := _lunar_year_end(y)) and d.year == year]
        return found[0] if found else None
    if name in ("清明", "冬至"):
        from lunar_python import Solar

        term = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()[name]
        return dt.date(term.getYear(), term.getMonth(), term.getDay())
    if name == "感恩节":
        return dt.date(year, 11, 1) + relativedelta(weekday=TH(4))
    if name == "black friday":
        return dt.date(year, 11, 1) + relativedelta(weekday=TH(4)) + dt.timedelta(days=1)
    if name == "easter":
        return easter(year)
    if name == "easter monday":
        return easter(year) + dt.timedelta(days=1)
    if name == "good friday":
        return easter(year) + relativedelta(days=-1, weekday=FR(-1))
    fixed = {"new year's eve": (12, 31), "independence day": (7, 4), "双十一": (11, 11), "双十二": (12, 12),
             "618": (6, 18)}
    if name in fixed:
        return dt.date(year, *fixed[name])
    return None


# --- working days --------------------------------------------------------------------------------


@functools.cache
def known_years() -> tuple[int, int]:
    """The first and last year whose official holidays and make-up days chinese-calendar knows."""
    from chinese_calendar import constants

    days = [*constants.holidays, *constants.workdays]
    return min(days).year, max(days).year


def is_working_day(day: dt.date, trading: bool = False) -> tuple[bool, bool]:
    """(is it a working day, was the official calendar known for its year). Trading days (交易日)
    are weekdays that are not holidays: exchanges do not open on make-up Saturdays."""
    first, last = known_years()
    if not first <= day.year <= last:
        return day.isoweekday() <= 5, False
    import chinese_calendar

    if trading:
        return day.isoweekday() <= 5 and not chinese_calendar.is_holiday(day), True
    return chinese_calendar.is_workday(day), True


def add_working_days(start: dt.date, n: int, trading: bool = False) -> tuple[dt.date, bool]:
    """The n-th working day after `start`, and whether every year crossed was in the calendar."""
    day, known = start, True
    while n > 0:
        day += dt.timedelta(days=1)
        working, in_calendar = is_working_day(day, trading)
        known &= in_calendar
        n -= working
    return day, known
