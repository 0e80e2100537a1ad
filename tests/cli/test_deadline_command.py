"""`notedesk deadline TEXT [--from ISO-TIME] [--format text|json]`: what the desk reads, and exit status."""

from __future__ import annotations

import json

import pytest

from notedesk import i18n
from notedesk.cli import main

FROM = ["--from", "2026-11-26T10:00"]  # a Thursday


def deadline(capsys, *argv):
    code = main(["deadline", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_shows_date_window_and_due_time(capsys):
    code, out, err = deadline(capsys, "请在12月1日前交付,上午9点至11点送达", *FROM)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["date", "2026-12-01", "Tue"]
    assert lines[1].split() == ["window", "09:00–11:00"]
    assert lines[2].split()[:3] == ["due", "2026-12-01", "11:00"]


def test_a_date_without_a_time_is_due_at_the_end_of_its_day(capsys):
    code, out, _err = deadline(capsys, "下周五", *FROM)
    assert code == 0
    assert out.splitlines()[-1].split()[:3] == ["due", "2026-12-04", "24:00"]


def test_a_range_of_days_shows_its_first_day(capsys):
    _code, out, _err = deadline(capsys, "12月10日至12日", *FROM)
    assert [line.split()[:2] for line in out.splitlines()[:2]] == [["date", "2026-12-12"], ["earliest", "2026-12-10"]]


def test_json_for_scripts(capsys):
    code, out, err = deadline(capsys, "明天下午七八点", *FROM, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    keys = ("understood", "date", "start", "end", "earliest", "not_understood", "flags", "error")
    assert {k: data[k] for k in keys} == {"understood": True, "date": "2026-11-27", "start": "19:00", "end": "20:00",
                                          "earliest": None, "not_understood": [], "flags": [], "error": None}
    assert data["due"].startswith("2026-11-27T20:00")


def test_what_is_not_understood_is_named_and_exits_1(capsys):
    code, out, err = deadline(capsys, "国庆节后送", *FROM)
    assert (code, out) == (1, "")
    assert err == "notedesk: not understood: 国庆节后\n"


@pytest.mark.parametrize(("text", "problem"), [("2026-02-30", "no day 30 in February 2026"),
                                               ("25:00", "no hour 25 (25:00)"),
                                               ("12月3日周五", "2026-12-03 is a Thu, not a Fri")])
def test_an_impossible_date_is_an_error_that_names_the_problem(capsys, text, problem):
    code, out, err = deadline(capsys, text, *FROM)
    assert (code, out) == (1, "")
    assert problem in err


def test_text_without_a_date(capsys):
    code, _out, err = deadline(capsys, "尽快", *FROM, "--format", "json")
    assert code == 1
    assert err == "notedesk: no date in this text\n"


def test_flags_say_what_to_check(capsys):
    code, out, _err = deadline(capsys, "国庆节晚上", *FROM)
    assert code == 0
    assert "more than six months ahead: check the year" in out
    code, out, _err = deadline(capsys, "5个工作日内", "--from", "2026-12-28T10:00", "--format", "json")
    data = json.loads(out)
    assert (code, data["date"], data["flags"]) == (0, "2027-01-04", ["weekdays_only"])
    assert "Monday to Friday" in data["remarks"][0]


def test_from_must_be_a_time(capsys):
    code, _out, err = deadline(capsys, "明天", "--from", "yesterday")
    assert code == 2
    assert "yesterday" in err


def test_now_is_the_default_reference(capsys, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:00")
    _code, out, _err = deadline(capsys, "明天")
    assert out.split()[1] == "2026-11-27"


def test_chinese_interface(capsys):
    try:
        code = main(["--lang", "zh", "deadline", "国庆节后送", *FROM])
        out, err = capsys.readouterr()
        assert (code, out, err) == (1, "", "notedesk: 没看懂：国庆节后\n")
        main(["--lang", "zh", "deadline", "明天下午3点", *FROM])
        out, _err = capsys.readouterr()
        assert out.split()[:4] == ["日期", "2026-11-27", "周五", "时间"]
    finally:
        i18n.set_language("en")
