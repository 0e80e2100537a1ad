"""The small ones of issue 13.12: output to a closed pipe ends quietly, an unknown order prints nothing
before its error, no hits are said on stderr, JSON escapes what a terminal would act on, a bad
PostgreSQL URL setting is named."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli.test_failures import NUMBER, desk  # noqa: F401  (desk: a fixture)
from conftest import cli_failure, run_cli, sample_order
from notedesk.services import communications, orders
from notedesk.store.connection import close_database, open_database


@pytest.mark.parametrize("command", [("search", "SO"), ("due", "--format", "json"), ("export",)], ids=" ".join)
def test_a_reader_that_leaves_early_ends_the_output_quietly(tmp_path, command):
    path = tmp_path / "desk.db"
    open_database(str(path))
    for n in range(60):
        orders.create_order(sample_order(f"SO-2026-{n:05d}"))
    close_database()
    shell = (f"{sys.executable} -m notedesk --db {path} {' '.join(command)} | head -1")
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=120)
    assert proc.stderr == "" and proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_an_unknown_order_prints_nothing_before_its_error(desk, fmt):
    proc = run_cli("--db", str(desk), "export", "--format", fmt, "--order", NUMBER, "--order", "NOPE")
    cli_failure(proc, "no order NOPE")
    assert proc.stdout == ""


def test_order_numbers_match_without_regard_to_case(desk):
    proc = run_cli("--db", str(desk), "export", "--order", NUMBER.lower())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["orders"][0]["number"] == NUMBER
    assert run_cli("--db", str(desk), "note", NUMBER.lower(), "special", "--append", "x").returncode == 0


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_hits_are_said_on_stderr(desk, fmt):
    proc = run_cli("--db", str(desk), "search", "zzz-nothing", "--format", fmt)
    assert proc.returncode == 0
    assert proc.stdout in ("", "[]\n")
    assert "no orders found" in proc.stderr and "zzz-nothing" in proc.stderr


def test_json_output_escapes_c1_and_bidi_controls(desk):
    import sqlite3

    conn = sqlite3.connect(desk)  # another tool wrote raw controls; the desk itself stores them cleaned
    conn.execute("UPDATE customer SET name = ?", ("王\u202eevil\x9b31m",))
    conn.commit()
    conn.close()
    open_database(str(desk))
    communications.log_communication(NUMBER, "searchable")
    close_database()
    for command in (("search", "searchable", "--format", "json"), ("due", "--format", "json"), ("export",)):
        proc = run_cli("--db", str(desk), *command, env={"NOTEDESK_NOW": "2026-11-26T10:00"})
        assert proc.returncode == 0, proc.stderr
        assert "\u202e" not in proc.stdout and "\x9b" not in proc.stdout, command
        if command == ("export",):  # the stored text exactly, as escapes
            assert json.loads(proc.stdout)["orders"][0]["customer"]["name"] == "王\u202eevil\x9b31m"
            assert "\\u202e" in proc.stdout


def test_a_bad_sslmode_in_a_postgresql_url_names_the_setting():
    proc = run_cli("--db", "postgresql://clerk@/notedesk?host=/nonexistent&sslmode=bogus", "due")
    cli_failure(proc, "sslmode", "bogus")
