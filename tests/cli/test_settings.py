"""Bad configuration, bad environment and values at the edge of a type's range are one line naming the
setting or field, exit 1, never a traceback (issue 13.9); a note or log entry past the text limit is
refused clearly (issue 13.12)."""

from __future__ import annotations

import json

import pytest

from cli.test_failures import NUMBER, desk  # noqa: F401  (desk: a fixture)
from conftest import cli_failure, run_cli
from notedesk import config


@pytest.mark.parametrize(("line", "setting"), [
    ("lang = 3", "lang"),
    ("timezone = 8", "timezone"),
    ("db = 42", "db"),
    ('timezone = "/etc/passwd"', "timezone"),
    ('alert_hours = "soon"', "alert_hours"),
    ("alert_hours = -1", "alert_hours"),
    ('lang = "fr"', "lang"),
    ("colour = 1", "colour"),
])
@pytest.mark.parametrize("command", [(), ("due",), ("note", NUMBER, "special", "--append", "x")],
                         ids=["desk", "due", "note"])
def test_a_bad_setting_is_one_line_naming_it(desk, tmp_path, line, setting, command):
    (tmp_path / "config" / "config.toml").write_text(line + "\n")
    proc = run_cli("--db", str(desk), *command)
    cli_failure(proc, setting, "config.toml")


@pytest.mark.parametrize(("name", "value"), [("NOTEDESK_ALERT_HOURS", "soon"), ("NOTEDESK_TIMEZONE", "/etc/passwd"),
                                             ("NOTEDESK_LANG", "klingon")])
def test_a_bad_environment_value_is_one_line_naming_it(desk, name, value):
    proc = run_cli("--db", str(desk), "due", env={name: value})
    cli_failure(proc, name)


def test_a_setting_from_the_environment_wins_over_the_file(monkeypatch):
    monkeypatch.setenv("NOTEDESK_ALERT_HOURS", "6")
    config.reload()
    assert config.settings().alert_hours == 6.0


def test_now_at_the_end_of_time_is_one_line(desk):
    proc = run_cli("--db", str(desk), "due", "--within", "24h", env={"NOTEDESK_NOW": "9999-12-31T23:59"})
    cli_failure(proc, "NOTEDESK_NOW", "out of range")


def test_a_long_duration_from_a_late_now_lists_everything(desk):
    proc = run_cli("--db", str(desk), "due", "--within", "2000000d", "--format", "json",
                   env={"NOTEDESK_NOW": "8999-12-31T23:59"})
    assert proc.returncode == 0, proc.stderr
    assert [item["number"] for item in json.loads(proc.stdout)] == [NUMBER]


@pytest.mark.parametrize(("quantity", "created_at", "field"), [
    ("9" * 5000, '"2026-11-26T10:00:00+08:00"', "JSON"),  # a 5,000-digit number: past Python's int limit
    ("1", '"0001-01-01T00:00:00+08:00"', "created_at"),
    ("1", '"9999-12-31T23:00:00-05:00"', "created_at"),
])
def test_values_at_the_edge_of_a_type_are_one_line(desk, tmp_path, quantity, created_at, field):
    path = tmp_path / "edge.json"
    path.write_text('{"format": "notedesk/1", "orders": [{"number": "SO-2027-00001", "created_at": ' + created_at
                    + ', "customer": {"name": "王芳"}, "lines": [{"product": "T恤", "quantity": ' + quantity
                    + ', "unit_price": "1.00"}]}]}', encoding="utf-8")
    proc = run_cli("--db", str(desk), "import", str(path))
    cli_failure(proc, field)


def test_a_note_or_log_entry_past_the_limit_is_refused(desk, tmp_path):
    (tmp_path / "config" / "config.toml").write_text("text_limit = 1000\n")
    for command in (("note", NUMBER, "special", "--set", "长" * 400), ("log", NUMBER, "x" * 1001)):
        proc = run_cli("--db", str(desk), *command)
        cli_failure(proc, "too long", "text_limit")
    assert run_cli("--db", str(desk), "log", NUMBER, "x" * 999).returncode == 0
