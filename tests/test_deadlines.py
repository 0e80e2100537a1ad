"""Tests for notedesk.deadlines: the phrase table (both languages), impossible dates, unscheduled text,
due/group/describe/duration helpers, and hypothesis properties of the parser."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from notedesk.deadlines import (
    GROUPS,
    DeadlineError,
    ParsedDeadline,
    describe,
    due_at,
    format_window,
    group_of,
    grouper,
    parse_deadline,
    parse_duration,
)

D, T = dt.date, dt.time
SH = ZoneInfo("Asia/Shanghai")

# Reference times (when the text was written). Weekdays noted because the rules depend on them.
R = dt.datetime(2026, 11, 26, 10, 0)  # Thursday
FRI = dt.datetime(2026, 11, 27, 16, 0)  # Friday
SUN = dt.datetime(2026, 11, 29, 9, 0)  # Sunday
YEAR_END = dt.datetime(2026, 12, 28, 10, 0)  # Monday, the year's last week
DEC31 = dt.datetime(2026, 12, 31, 23, 0)  # Thursday, the year's last day
YEAR_START = dt.datetime(2026, 1, 2, 10, 0)  # Friday
JAN31 = dt.datetime(2026, 1, 31, 10, 0)  # Saturday, a month end before a short month
LEAP = dt.datetime(2028, 2, 10, 10, 0)  # Thursday in a leap February
AWARE = dt.datetime(2026, 11, 26, 23, 30, tzinfo=SH)  # aware: its own wall-clock date counts

CASES = [
    # --- absolute dates -------------------------------------------------------------------------
    ("2026-12-01", R, D(2026, 12, 1), None, None),
    ("2026/12/1", R, D(2026, 12, 1), None, None),
    ("2026.12.01", R, D(2026, 12, 1), None, None),
    ("12/1", R, D(2026, 12, 1), None, None),
    ("12/1/2026", R, D(2026, 12, 1), None, None),
    ("Dec 1", R, D(2026, 12, 1), None, None),
    ("dec 1st", R, D(2026, 12, 1), None, None),
    ("1 December 2026", R, D(2026, 12, 1), None, None),
    ("December 1, 2026", R, D(2026, 12, 1), None, None),
    ("1st of December", R, D(2026, 12, 1), None, None),
    ("March 3rd, 2027", R, D(2027, 3, 3), None, None),
    ("2026年12月1日", R, D(2026, 12, 1), None, None),
    ("12月1日", R, D(2026, 12, 1), None, None),
    ("12月1号", R, D(2026, 12, 1), None, None),
    ("12 月 1 日", R, D(2026, 12, 1), None, None),
    ("１２月１日", R, D(2026, 12, 1), None, None),  # full-width digits
    ("十二月一日", R, D(2026, 12, 1), None, None),
    ("二〇二六年十二月一日", R, D(2026, 12, 1), None, None),
    ("二零二六年十二月一号", R, D(2026, 12, 1), None, None),
    ("26年12月1日", R, D(2026, 12, 1), None, None),
    ("2028-02-29", R, D(2028, 2, 29), None, None),  # leap day
    # a date without a year: its next occurrence on or after the reference day (docs/ARCHITECTURE.md)
    ("1月3日", R, D(2027, 1, 3), None, None),
    ("Jan 15", R, D(2027, 1, 15), None, None),
    ("6月1日", R, D(2027, 6, 1), None, None),  # never back in time
    ("1月3日", YEAR_END, D(2027, 1, 3), None, None),
    ("Jan 3", YEAR_END, D(2027, 1, 3), None, None),
    ("12月30日", YEAR_END, D(2026, 12, 30), None, None),
    ("12月30日", YEAR_START, D(2026, 12, 30), None, None),
    ("Dec 30", YEAR_START, D(2026, 12, 30), None, None),
    ("12/30", YEAR_START, D(2026, 12, 30), None, None),
    ("2月29日", LEAP, D(2028, 2, 29), None, None),
    ("Feb 29", LEAP, D(2028, 2, 29), None, None),
    # a bare day of the month: the next one on or after the reference day
    ("三十日", R, D(2026, 11, 30), None, None),
    ("三十一日", DEC31, D(2026, 12, 31), None, None),
    ("5号", R, D(2026, 12, 5), None, None),
    ("20号", R, D(2026, 12, 20), None, None),
    ("the 5th", R, D(2026, 12, 5), None, None),
    ("3号", YEAR_END, D(2027, 1, 3), None, None),
    ("31号", YEAR_START, D(2026, 1, 31), None, None),
    # --- times and windows on the reference day ---------------------------------------------------
    ("9-11am", R, D(2026, 11, 26), T(9), T(11)),
    ("9am-11am", R, D(2026, 11, 26), T(9), T(11)),
    ("09:00-11:00", R, D(2026, 11, 26), T(9), T(11)),
    ("9:00–11:00", R, D(2026, 11, 26), T(9), T(11)),
    ("9:00—11:00", R, D(2026, 11, 26), T(9), T(11)),
    ("9:00~11:00", R, D(2026, 11, 26), T(9), T(11)),
    ("9:00～11:00", R, D(2026, 11, 26), T(9), T(11)),
    ("9:00至11:00", R, D(2026, 11, 26), T(9), T(11)),
    ("9:00到11:00", R, D(2026, 11, 26), T(9), T(11)),
    ("9:30-11:30am", R, D(2026, 11, 26), T(9, 30), T(11, 30)),
    ("上午9点至11点", R, D(2026, 11, 26), T(9), T(11)),
    ("上午九点到十一点", R, D(2026, 11, 26), T(9), T(11)),
    ("9点到11点", R, D(2026, 11, 26), T(9), T(11)),
    ("下午2点到4点", R, D(2026, 11, 26), T(14), T(16)),
    ("下午两点到四点", R, D(2026, 11, 26), T(14), T(16)),
    ("上午11点到1点", R, D(2026, 11, 26), T(11), T(13)),
    ("10am to 2pm", R, D(2026, 11, 26), T(10), T(14)),
    ("11-1pm", R, D(2026, 11, 26), T(11), T(13)),
    ("下午3点", R, D(2026, 11, 26), None, T(15)),
    ("下午3点半", R, D(2026, 11, 26), None, T(15, 30)),
    ("下午三点一刻", R, D(2026, 11, 26), None, T(15, 15)),
    ("十点半", R, D(2026, 11, 26), None, T(10, 30)),
    ("14:00前", R, D(2026, 11, 26), None, T(14)),
    ("by 3pm", R, D(2026, 11, 26), None, T(15)),
    ("before 14:00", R, D(2026, 11, 26), None, T(14)),
    ("3pm", R, D(2026, 11, 26), None, T(15)),
    ("3 p.m.", R, D(2026, 11, 26), None, T(15)),
    ("noon", R, D(2026, 11, 26), T(11), T(13)),  # a day part (docs/ARCHITECTURE.md)
    ("by noon", R, D(2026, 11, 26), None, T(12)),
    ("中午12点", R, D(2026, 11, 26), None, T(12)),
    ("中午1点", R, D(2026, 11, 26), None, T(13)),
    ("晚上8点前", R, D(2026, 11, 26), None, T(20)),
    ("晚上十二点前", R, D(2026, 11, 26), None, T(23, 59)),
    ("24:00", R, D(2026, 11, 26), None, T(23, 59)),
    ("after 3pm", R, D(2026, 11, 26), T(15), T(23, 59)),
    ("下午3点以后", R, D(2026, 11, 26), T(15), T(23, 59)),
    # day parts alone
    ("上午", R, D(2026, 11, 26), T(9), T(12)),
    ("morning", R, D(2026, 11, 26), T(9), T(12)),
    ("下午", R, D(2026, 11, 26), T(13), T(18)),
    ("afternoon", R, D(2026, 11, 26), T(13), T(18)),
    ("晚上", R, D(2026, 11, 26), T(18), T(21)),
    ("evening", R, D(2026, 11, 26), T(18), T(21)),
    ("tonight", R, D(2026, 11, 26), T(18), T(21)),
    # --- relative days ------------------------------------------------------------------------------
    ("today", R, D(2026, 11, 26), None, None),
    ("今天", R, D(2026, 11, 26), None, None),
    ("今日", R, D(2026, 11, 26), None, None),
    ("today", AWARE, D(2026, 11, 26), None, None),
    ("tomorrow", R, D(2026, 11, 27), None, None),
    ("明天", R, D(2026, 11, 27), None, None),
    ("明日", R, D(2026, 11, 27), None, None),
    ("明天", JAN31, D(2026, 2, 1), None, None),
    ("明天", DEC31, D(2027, 1, 1), None, None),
    ("后天", R, D(2026, 11, 28), None, None),
    ("day after tomorrow", R, D(2026, 11, 28), None, None),
    ("大后天", R, D(2026, 11, 29), None, None),
    ("大后天", YEAR_END, D(2026, 12, 31), None, None),
    ("in 3 days", R, D(2026, 11, 29), None, None),
    ("3天后", R, D(2026, 11, 29), None, None),
    ("三天后", R, D(2026, 11, 29), None, None),
    ("3日内", R, D(2026, 11, 29), None, None),
    ("+3d", R, D(2026, 11, 29), None, None),
    ("in 5 days", YEAR_END, D(2027, 1, 2), None, None),
    ("in 2 days", DEC31, D(2027, 1, 2), None, None),
    ("in a week", R, D(2026, 12, 3), None, None),
    ("+1w", R, D(2026, 12, 3), None, None),
    ("in 2 weeks", R, D(2026, 12, 10), None, None),
    ("两周后", R, D(2026, 12, 10), None, None),
    ("1个月后", R, D(2026, 12, 26), None, None),
    ("1个月后", JAN31, D(2026, 2, 28), None, None),
    ("1个月后", YEAR_END, D(2027, 1, 28), None, None),
    ("3个工作日内", R, D(2026, 12, 1), None, None),  # Fri, Mon, Tue
    # --- weekdays (R is a Thursday) -----------------------------------------------------------------
    ("friday", R, D(2026, 11, 27), None, None),
    ("周五", R, D(2026, 11, 27), None, None),
    ("星期五", R, D(2026, 11, 27), None, None),
    ("礼拜五", R, D(2026, 11, 27), None, None),
    ("本周五", R, D(2026, 11, 27), None, None),
    ("这周五", R, D(2026, 11, 27), None, None),
    ("this friday", R, D(2026, 11, 27), None, None),
    ("下周五", R, D(2026, 12, 4), None, None),
    ("next friday", R, D(2026, 12, 4), None, None),
    ("friday next week", R, D(2026, 12, 4), None, None),
    ("周四", R, D(2026, 12, 3), None, None),  # bare weekday = strictly after today
    ("thursday", R, D(2026, 12, 3), None, None),
    ("本周四", R, D(2026, 11, 26), None, None),
    ("周一", R, D(2026, 11, 30), None, None),
    ("本周一", R, D(2026, 11, 30), None, None),  # this week's Monday is past: the coming one
    ("周日", R, D(2026, 11, 29), None, None),
    ("周天", R, D(2026, 11, 29), None, None),
    ("星期天", R, D(2026, 11, 29), None, None),
    ("星期日", R, D(2026, 11, 29), None, None),
    ("礼拜日", R, D(2026, 11, 29), None, None),
    ("下周日", R, D(2026, 12, 6), None, None),
    ("下下周一", R, D(2026, 12, 7), None, None),
    ("上周五", R, D(2026, 11, 20), None, None),
    ("周末", R, D(2026, 11, 29), None, None),
    ("next week", R, D(2026, 12, 6), None, None),
    # same weekday as the reference: Friday
    ("周五", FRI, D(2026, 12, 4), None, None),
    ("friday", FRI, D(2026, 12, 4), None, None),
    ("本周五", FRI, D(2026, 11, 27), None, None),
    ("this friday", FRI, D(2026, 11, 27), None, None),
    ("下周五", FRI, D(2026, 12, 4), None, None),
    ("周六", FRI, D(2026, 11, 28), None, None),
    # Sunday references: the ISO week ends today
    ("周日", SUN, D(2026, 12, 6), None, None),
    ("本周日", SUN, D(2026, 11, 29), None, None),
    ("下周日", SUN, D(2026, 12, 6), None, None),
    ("周一", SUN, D(2026, 11, 30), None, None),
    ("下周一", SUN, D(2026, 11, 30), None, None),
    ("本周一", SUN, D(2026, 11, 30), None, None),
    ("this weekend", SUN, D(2026, 11, 29), None, None),
    ("明天", SUN, D(2026, 11, 30), None, None),
    # across the year end
    ("周五", YEAR_END, D(2027, 1, 1), None, None),
    ("下周五", YEAR_END, D(2027, 1, 8), None, None),
    ("下周一", DEC31, D(2027, 1, 4), None, None),
    # --- months ---------------------------------------------------------------------------------------
    ("end of month", R, D(2026, 11, 30), None, None),
    ("月底", R, D(2026, 11, 30), None, None),
    ("月底", YEAR_END, D(2026, 12, 31), None, None),
    ("月底", JAN31, D(2026, 1, 31), None, None),
    ("月底", LEAP, D(2028, 2, 29), None, None),
    ("下个月底", R, D(2026, 12, 31), None, None),
    ("下个月底", JAN31, D(2026, 2, 28), None, None),
    ("end of next month", R, D(2026, 12, 31), None, None),
    ("12月底", R, D(2026, 12, 31), None, None),
    ("年底", R, D(2026, 12, 31), None, None),
    ("下个月5号", R, D(2026, 12, 5), None, None),
    ("下月5日", R, D(2026, 12, 5), None, None),
    ("下个月五号", YEAR_END, D(2027, 1, 5), None, None),
    ("下个月5号", DEC31, D(2027, 1, 5), None, None),
    ("next month 5th", R, D(2026, 12, 5), None, None),
    ("5th of next month", R, D(2026, 12, 5), None, None),
    # --- surrounding words and whole sentences -------------------------------------------------------
    ("请在2023年12月1日前交付,上午9点至11点送达", R, D(2023, 12, 1), T(9), T(11)),
    ("请在2026年12月1日前交付，上午9点至11点送达。", R, D(2026, 12, 1), T(9), T(11)),
    ("明天下午3点前送达", R, D(2026, 11, 27), None, T(15)),
    ("Dec 1 9-11am", R, D(2026, 12, 1), T(9), T(11)),
    ("deliver by Dec 1", R, D(2026, 12, 1), None, None),
    ("Due: 12/1 by 3pm.", R, D(2026, 12, 1), None, T(15)),
    ("12月1日之前交货", R, D(2026, 12, 1), None, None),
    ("12月1日以前送达", R, D(2026, 12, 1), None, None),
    ("交货时间：十二月一日上午", R, D(2026, 12, 1), T(9), T(12)),
    ("下周五下午送达", R, D(2026, 12, 4), T(13), T(18)),
    ("周五下午3点前交付", R, D(2026, 11, 27), None, T(15)),
    ("明天上午", R, D(2026, 11, 27), T(9), T(12)),
    ("后天晚上7点", R, D(2026, 11, 28), None, T(19)),
    ("tomorrow morning", R, D(2026, 11, 27), T(9), T(12)),
    ("friday 9-11am", R, D(2026, 11, 27), T(9), T(11)),
    ("12月25日 9:00-12:00", R, D(2026, 12, 25), T(9), T(12)),
    ("Tue 2026-12-01, 09:00–11:00", R, D(2026, 12, 1), T(9), T(11)),  # describe()'s own output
    ("good morning, deliver tomorrow", R, D(2026, 11, 27), None, None),  # a greeting, not a window
    # mixed Chinese and English
    ("Dec 1 上午9点至11点", R, D(2026, 12, 1), T(9), T(11)),
    ("明天 by 3pm", R, D(2026, 11, 27), None, T(15)),
    ("下周五 9-11am", R, D(2026, 12, 4), T(9), T(11)),
    ("next friday 下午", R, D(2026, 12, 4), T(13), T(18)),
    ("12月1日 before 14:00", R, D(2026, 12, 1), None, T(14)),
    # after a date, a bare range is a window; one that counts something is not
    ("明天9-11", R, D(2026, 11, 27), T(9), T(11)),
    ("周五 14-16", R, D(2026, 11, 27), T(14), T(16)),
    ("2026-12-01 ~ 2026-12-03", R, D(2026, 12, 3), None, None),  # a range of days: its last day
]


@pytest.mark.parametrize(("text", "ref", "date", "start", "end"), CASES, ids=[f"{c[0]}@{c[1]:%m-%d}" for c in CASES])
def test_phrase_table(text, ref, date, start, end):
    parsed = parse_deadline(text, ref)
    assert (parsed.date, parsed.start, parsed.end) == (date, start, end)
    assert parsed.text == text.strip()
    assert parsed.scheduled


def test_table_is_big_enough():
    assert len(CASES) >= 110


@pytest.mark.parametrize(
    ("text", "ref", "problem"),
    [
        ("2026-02-30", R, "no day 30 in February 2026"),
        ("2026-02-29", R, "no day 29 in February 2026"),  # not a leap year
        ("2月29日", dt.datetime(2026, 3, 1), "no day 29 in February 2027"),
        ("Feb 30, 2026", R, "no day 30 in February 2026"),
        ("4月31日", R, "no day 31 in April"),
        ("12月32日", R, "no day 32"),
        ("下个月31号", JAN31, "no day 31 in February 2026"),
        ("13月1日", R, "no month 13"),
        ("2026/13/01", R, "no month 13"),
        ("25:00", R, "no hour 25 (25:00)"),
        ("明天25点", R, "no hour 25"),
        ("12:61", R, "no minute 61 (12:61)"),
        ("11:00-09:00", R, "11:00"),
        ("下午3点到1点", R, "15:00"),
        ("请在2026年2月30日前交付", R, "no day 30 in February 2026"),
    ],
)
def test_impossible_dates_name_the_problem(text, ref, problem):
    with pytest.raises(DeadlineError) as error:
        parse_deadline(text, ref)
    assert problem in str(error.value)


def test_backwards_window_names_both_ends():
    with pytest.raises(DeadlineError, match="11:00.*09:00"):
        parse_deadline("11:00-09:00", R)


@pytest.mark.parametrize(
    "text", ["尽快", "ASAP", "as soon as possible", "", "   ", "TBD", "待定", "越快越好", "早一点送", "晚上好",
             "good morning"]
)
def test_text_without_a_date_is_unscheduled(text):
    parsed = parse_deadline(text, R)
    assert parsed == ParsedDeadline(text.strip(), None, None, None)
    assert not parsed.scheduled


@pytest.mark.parametrize(("text", "unread"), [("call first", "first"), ("周五不行", "周五不行"), ("not friday", "not"),
                                              ("每周三", "每周三"), ("12月1O日", "12月1O日"), ("国庆节后", "国庆节后")])
def test_text_the_grammar_cannot_wholly_read_is_unscheduled_with_what_it_did_not_read(text, unread):
    parsed = parse_deadline(text, R)
    assert not parsed.scheduled
    assert unread in parsed.unread


def test_reference_may_be_a_date():
    assert parse_deadline("明天", dt.date(2026, 11, 26)).date == D(2026, 11, 27)


# --- due_at / group_of / describe / format_window / parse_duration ------------------------------------


def test_due_at_is_end_of_window_or_end_of_day():
    assert due_at(D(2026, 12, 1), T(11), SH) == dt.datetime(2026, 12, 1, 11, tzinfo=SH)
    assert due_at(D(2026, 12, 1), None, SH) == dt.datetime(2026, 12, 2, 0, tzinfo=SH)
    assert due_at(D(2026, 12, 31), None, SH) == dt.datetime(2027, 1, 1, tzinfo=SH)
    assert due_at(D(2026, 12, 1), T(11), SH).utcoffset() == dt.timedelta(hours=8)


NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=SH)  # Thursday


@pytest.mark.parametrize(
    ("date", "end", "now", "group"),
    [
        (None, None, NOW, "none"),
        (D(2026, 11, 26), T(9), NOW, "overdue"),
        (D(2026, 11, 26), T(10), NOW, "overdue"),  # now == due counts as overdue
        (D(2026, 11, 25), None, NOW, "overdue"),
        (D(2026, 11, 26), T(11), NOW, "today"),
        (D(2026, 11, 26), None, NOW, "today"),
        (D(2026, 11, 27), T(9), NOW, "tomorrow"),
        (D(2026, 11, 29), None, NOW, "this_week"),  # the coming Sunday
        (D(2026, 11, 30), None, NOW, "later"),  # next ISO week
        (D(2026, 11, 29), None, dt.datetime(2026, 11, 29, 8, tzinfo=SH), "today"),
        (D(2026, 11, 30), None, dt.datetime(2026, 11, 29, 8, tzinfo=SH), "tomorrow"),
        (D(2026, 12, 1), None, dt.datetime(2026, 11, 29, 8, tzinfo=SH), "later"),
        # now given in UTC: 2026-11-25 17:00Z is already 11-26 01:00 in Shanghai
        (D(2026, 11, 26), None, dt.datetime(2026, 11, 25, 17, tzinfo=dt.UTC), "today"),
        # a naive now is wall-clock time in the business zone
        (D(2026, 11, 26), T(11), dt.datetime(2026, 11, 26, 10, 30), "today"),
        (D(2026, 11, 26), T(11), dt.datetime(2026, 11, 26, 11, 30), "overdue"),
    ],
)
def test_group_of(date, end, now, group):
    assert group_of(date, end, now, SH) == group
    assert group in GROUPS


def test_describe():
    def preview(text, now=NOW, ref=R):
        return describe(parse_deadline(text, ref), now, SH)

    assert preview("12/1 9-11am") == "→ Tue 2026-12-01, 09:00–11:00, in 5 days"
    assert preview("12月4日下午3点前", dt.datetime(2026, 12, 3, 9, tzinfo=SH)) == "→ Fri 2026-12-04, by 15:00, tomorrow"
    assert preview("下午3点") == "→ Thu 2026-11-26, by 15:00, today"
    assert preview("下个月5号") == "→ Sat 2026-12-05, in 9 days"
    assert preview("2026年11月23日") == "→ Mon 2026-11-23, overdue by 2 days"
    assert preview("9点前") == "→ Thu 2026-11-26, by 09:00, overdue by 1 hour"
    assert preview("9:45前") == "→ Thu 2026-11-26, by 09:45, overdue by 15 minutes"
    assert preview("尽快") == "unscheduled"


def test_format_window():
    assert format_window(T(9), T(11)) == "09:00–11:00"
    assert format_window(None, T(15)) == "by 15:00"
    assert format_window(None, None) == ""


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("24h", dt.timedelta(hours=24)),
        ("7d", dt.timedelta(days=7)),
        ("30m", dt.timedelta(minutes=30)),
        ("2w", dt.timedelta(weeks=2)),
        (" 1d12h ", dt.timedelta(days=1, hours=12)),
        ("90 minutes", dt.timedelta(minutes=90)),
        ("0h", dt.timedelta(0)),
    ],
)
def test_parse_duration(text, delta):
    assert parse_duration(text) == delta


@pytest.mark.parametrize("text", ["", "abc", "24", "-1h", "1y", "h24", "999999999w"])
def test_parse_duration_rejects(text):
    with pytest.raises(DeadlineError):
        parse_duration(text)


# --- properties -----------------------------------------------------------------------------------------

TOKENS = [
    "2026", "12", "1", "31", "29", "0", "99", "9999", "-", "/", ".", ":", "年", "月", "日", "号", "点", "半",
    "刻", "上午", "下午", "晚上", "中午", "至", "到", "~", "–", "前", "后", "以后", "内", "天", "周", "星期",
    "个", "下", "本", "这", "大后天", "明天", "今天", "底", "工作日", "十", "二", "〇", "两", "三十一", "am",
    "pm", "noon", "morning", "dec", "feb", "friday", "next", "this", "week", "month", "end of", "in",
    "days", "the", "th", "of", "+", "d", "w", " ", ",", "after", "by", "9999-12-31", "0001-01-01",
]
phrases = st.one_of(
    st.text(),
    st.lists(st.sampled_from(TOKENS), max_size=12).map("".join),
    st.text(alphabet="0123456789:-/. 年月日号点到至上下午晚周天后前内+dwampm"),
)
references = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59))
fixture_ok = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@fixture_ok
@given(phrases, references)
@example("9999-12-31 明天", R)
@example("明天", dt.datetime(9999, 12, 31))
@example("in 9999 months", R)
@example("九" * 5000, R)
def test_parser_raises_only_its_own_error_and_windows_are_ordered(text, ref):
    try:
        parsed = parse_deadline(text, ref)
    except DeadlineError as error:
        assert str(error)
        return
    assert parsed.text == text.strip()
    if parsed.start is not None and parsed.end is not None:
        assert parsed.start < parsed.end
    if parsed.start is not None:
        assert parsed.end is not None
    if parsed.date is None:
        assert parsed.start is None and parsed.end is None


_CN = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    """1..31 the way it is written: 一, 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else "十" if tens == 1 else _CN[tens] + "十") + (_CN[ones] if ones else "")


dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


@fixture_ok
@given(dates)
def test_every_real_date_round_trips(day):
    assert parse_deadline(day.isoformat(), R).date == day
    assert parse_deadline(f"{day.year}年{day.month}月{day.day}日", R).date == day
    chinese = "".join(_CN[int(c)] for c in str(day.year)) + f"年{_cn_small(day.month)}月{_cn_small(day.day)}日"
    assert parse_deadline(chinese, R).date == day
    assert parse_deadline(f"{day:%B} {day.day}, {day.year}", R).date == day


@fixture_ok
@given(st.times(), st.times())
def test_every_ordered_window_round_trips(a, b):
    start, end = sorted((a.replace(second=0, microsecond=0), b.replace(second=0, microsecond=0)))
    text = f"{start:%H:%M}-{end:%H:%M}"
    if start == end:
        with pytest.raises(DeadlineError):
            parse_deadline(text, R)
    else:
        assert parse_deadline(text, R) == ParsedDeadline(text, R.date(), start, end)


@given(st.dates(D(2026, 1, 1), D(2027, 12, 31)), st.none() | st.times(),
       st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2027, 12, 31)),
       st.sampled_from([SH, dt.UTC, ZoneInfo("Asia/Tokyo")]))
def test_grouper_agrees_with_the_aware_due_time_in_zones_without_daylight_saving(date, end, now, tz):
    # grouper compares local wall-clock times (as the deadline SQL does); where no clock is ever set
    # back that is the same as comparing the aware due time with now.
    now = now.replace(tzinfo=dt.UTC)
    group = grouper(now, tz)(date, end)
    overdue = now >= due_at(date, end, tz)
    assert (group == "overdue") == overdue
    if not overdue:
        days = (date - now.astimezone(tz).date()).days
        assert group == ("today" if days == 0 else "tomorrow" if days == 1 else
                         "this_week" if days <= 7 - now.astimezone(tz).isoweekday() else "later")
    assert group == group_of(date, end, now, tz)
