"""`notedesk search QUERY [--format text|json] [--limit N] [--rebuild]`."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from conftest import run_cli, sample_order
from notedesk.cli import main
from notedesk.services import communications, orders
from notedesk.store.connection import close_database

UTC = dt.UTC
N1, N2 = "SO-2026-00042", "SO-2026-00043"


@pytest.fixture
def desk(database, db_url):
    orders.create_order(sample_order(N1))  # requirements 红色T恤200件,XL码; special 胸前印LOGO
    orders.create_order(sample_order(N2, notes={"requirements": "红色帽子 red caps\n第二行"}))
    communications.log_communication(N1, "客户确认红色", at=dt.datetime(2026, 11, 27, 1, tzinfo=UTC))
    close_database()
    return db_url


def search(capsys, *argv):
    code = main(["search", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_is_one_line_per_hit_newest_first(desk, capsys):
    code, out, err = search(capsys, "红色", "--db", desk)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].split()[:3] == [N1, "王芳", "communication"] and lines[0].endswith("客户确认红色")
    assert {tuple(line.split()[:3]) for line in lines[1:]} == {(N1, "王芳", "requirements"),
                                                                (N2, "王芳", "requirements")}
    assert "红色帽子 red caps 第二行" in out  # the note's two lines folded onto one


def test_json_is_a_list_of_objects(desk, capsys):
    code, out, _ = search(capsys, "--format", "json", "--db", desk, "LOGO")
    assert code == 0
    assert json.loads(out) == [{"number": N1, "customer": "王芳", "status": "confirmed", "source": "special",
                                "snippet": "胸前印LOGO", "match": [3, 7], "at": "2026-11-26T02:00:00+00:00"}]
    _, out, _ = search(capsys, "红", "--format", "json", "--limit", "2", "--db", desk)
    assert [h["source"] for h in json.loads(out)] == ["communication", "requirements"]


def test_no_hits_is_success_with_no_output_and_a_word_on_stderr(desk, capsys):
    assert search(capsys, "没有", "--db", desk) == (0, "", "no orders found for 没有\n")
    assert search(capsys, "没有", "--format", "json", "--db", desk) == (0, "[]\n", "no orders found for 没有\n")


def test_usage_errors(desk, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["search", "--db", desk])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["search", "x", "--limit", "0", "--db", desk])
    assert exc.value.code == 2


def test_rebuild(desk, capsys):
    code, out, err = search(capsys, "--rebuild", "--db", desk)
    assert (code, out) == (0, "") and "indexed 6 texts" in err  # 2 orders, 3 notes, 1 log entry
    code, out, _ = search(capsys, "--rebuild", "帽子", "--db", desk)
    assert code == 0 and out.split()[:3] == [N2, "王芳", "requirements"]


def test_hostile_stored_text_prints_as_one_clean_line(desk):
    conn = sqlite3.connect(desk)
    with conn:
        conn.execute("UPDATE communication SET text = ?", ("确认\x1b]0;pwned\x07红色\x1b[2J\nnext line \u202ex",))
    conn.close()
    proc = run_cli("search", "红色", "--db", desk)
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith(N1) and "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "\u202e" not in proc.stdout and "next line" in first and "\ufffd" in first
