"""The deadline grammar against our phrase table, other projects' phrases, and properties the deadline
rules state (docs/ARCHITECTURE.md, "Deadlines").

tests/deadline_phrases/table.py is ours (every answer worked out by hand); outside.py holds phrases
from duckling, JioNLP and ctparse with the answer our rules give. `python -m tests.deadline_phrases.judge`
prints the scores.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deadline_phrases import outside, table
from deadline_phrases.judge import answer, score
from notedesk.deadline_grammar.normalise import normalise
from notedesk.deadlines import DeadlineError, parse_deadline

TABLE = [case for cases in table.ALL.values() for case in cases]
OUTSIDE = [case for cases in outside.ALL.values() for case in cases]


def _id(case) -> str:
    return f"{case[0]}@{case[1]:%Y-%m-%d}"


def test_the_table_is_big_enough():
    assert len(TABLE) >= 400
    assert len(table.ALL["zh"]) >= 200 and len(table.ALL["en"]) >= 200


@pytest.mark.parametrize(("text", "ref", "expected"), TABLE, ids=map(_id, TABLE))
def test_phrase_table(text, ref, expected):
    assert answer(text, ref) == expected


@pytest.mark.parametrize(("text", "ref", "expected"), OUTSIDE, ids=map(_id, OUTSIDE))
def test_outside_phrases_are_never_read_wrong(text, ref, expected):
    assert answer(text, ref) in (expected, None)


@pytest.mark.parametrize(("source", "least"), [("duckling zh", 0.9), ("jionlp", 0.9), ("duckling en", 0.8),
                                               ("ctparse en", 0.8)])
def test_outside_phrases_are_mostly_read(source, least):
    result = score(outside.ALL[source])
    assert len(result["right"]) >= least * len(outside.ALL[source])


# --- properties ------------------------------------------------------------------------------------

# Phrases whose words say nothing of the past (no year, no 昨天/last): read forward from any day.
FORWARD = sorted({text for text, _ref, expected in TABLE if expected and not re.search(
    r"\d{2,4}\s*年|\d{4}|[昨去上前]|last|yesterday|ago|本月初|本月\d|this (?:month|week|year)|today|今天|今日|当天"
    r"|tonight|今晚|当晚|this (?:morning|afternoon|evening)|eod|end of day|close of business|\d{1,2}/\d{1,2}/\d|"
    r"^[^a-z\u4e00-\u9fff]*$|[点时:]|[ap]m\b|noon|midnight|morning|afternoon|evening|night|上午|下午|晚上|中午|早上"
    r"|小时|分钟|hour|minute|thanksgiving", normalise(text).s)})
REFERENCES = st.datetimes(dt.datetime(2004, 1, 1), dt.datetime(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FORWARD), REFERENCES)
def test_a_deadline_is_never_before_the_day_it_was_written_unless_the_words_say_so(text, ref):
    try:
        parsed = parse_deadline(text, ref)
    except DeadlineError:
        return  # 2月29日 written in a year before a common year names the problem
    if parsed.date is not None:
        assert parsed.date >= ref.date(), text


SCHEDULED = sorted({text for text, _ref, expected in TABLE if expected})
TYPOS = ["1O日", "l2月", "tomorow", "fridya", "decmber 3", "每", "不", "3ish", "0点半刻钟", "the 32nd", "9:7O"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCHEDULED), st.sampled_from(TYPOS), st.sampled_from([" ", "，", ", ", ""]), st.booleans(),
       REFERENCES)
def test_an_unreadable_date_like_token_is_never_scheduled(text, typo, gap, before, ref):
    phrase = f"{typo}{gap}{text}" if before else f"{text}{gap}{typo}"
    try:
        parsed = parse_deadline(phrase, ref)
    except DeadlineError:
        return
    assert not parsed.scheduled, phrase
    assert parsed.unread


# Not the phrases that already say before or after, and not 中午 alone: 中午前 is "before noon", 12:00,
# where 中午 is the lunch hour, 11:00-13:00.
WRAPPABLE = sorted({text for text, _ref, expected in TABLE if expected and not re.search(
    r"[前后起]|以来|开始|after|from|before|by|until|onwards|^\W|[a-z]$|^中午$", text.lower())})


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WRAPPABLE), REFERENCES)
def test_wrapping_a_phrase_in_please_deliver_before_changes_nothing(text, ref):
    try:
        bare = parse_deadline(text, ref)
    except DeadlineError as error:
        with pytest.raises(DeadlineError, match=re.escape(str(error).split(" (")[0])):
            parse_deadline(f"请在{text}前交付", ref)
        return
    wrapped = parse_deadline(f"请在{text}前交付", ref)
    assert (wrapped.date, wrapped.start, wrapped.end) == (bare.date, bare.start, bare.end), text
