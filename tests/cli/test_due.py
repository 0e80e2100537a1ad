"""`notedesk due`: text and json with a frozen now, --within, bad durations, empty databases."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run_cli
from notedesk.cli import main
from notedesk.store.connection import close_database
from services.test_due import BOARD, DUE_ORDER, NOW, seed_board


@pytest.fixture
def board(database, db_url, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", NOW)
    seed_board()
    close_database()
    return db_url


def due(capsys, *argv):
    code = main(["due", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_exactly_the_dated_open_orders_overdue_first(board, capsys):
    code, out, err = due(capsys, "--db", board, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [o["number"] for o in data] == DUE_ORDER
    assert [o["group"] for o in data] == [BOARD[n][4] for n in DUE_ORDER]
    first = next(o for o in data if o["number"] == "SO-2026-00005")
    assert first == {
        "kind": "order", "number": "SO-2026-00005", "customer": "客户5", "status": "confirmed",
        "deadline": {"text": "2026-11-26 11:00:00", "date": "2026-11-26", "start": "10:00", "end": "11:00"},
        "due": "2026-11-26T11:00:00+08:00", "group": "today",
        "payment": {"method": "other", "status": "unpaid", "amount_due": "7000.00", "received": "0.00",
                    "balance": "7000.00", "currency": "CNY"},
        "address": "", "contact_phone": "13800000004",  # where to deliver, whom to call (issue 15)
    }
    end_of_day = next(o for o in data if o["number"] == "SO-2026-00004")
    assert end_of_day["due"] == "2026-11-27T00:00:00+08:00" and end_of_day["deadline"]["start"] is None


def test_within_keeps_overdue_and_what_is_due_before_now_plus_within(board, capsys):
    _, out, _ = due(capsys, "--within", "24h", "--format", "json", "--db", board)
    assert [o["number"] for o in json.loads(out)] == DUE_ORDER[:5]
    _, out, _ = due(capsys, "--db", board, "--within", "1d2h", "--format", "json")
    assert [o["number"] for o in json.loads(out)] == DUE_ORDER[:6]
    _, out, _ = due(capsys, "--db", board, "--within", "0m", "--format", "json")
    assert [o["group"] for o in json.loads(out)] == ["overdue"] * 3


def test_text_is_one_aligned_line_per_order_without_colour_when_piped(board, capsys):
    code, out, _ = due(capsys, "--db", board, "--within", "7d")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 8  # up to Mon 11-30; not 2027-01-05
    assert "\x1b" not in out
    assert lines[0].split()[:4] == ["overdue", "Tue", "2026-11-24", "by"]
    assert "SO-2026-00003" in lines[0] and "shipped" in lines[0]
    assert lines[3].split()[:5] == ["today", "Thu", "2026-11-26", "10:00–11:00", "SO-2026-00005"]
    assert "COD collect 100.00 CNY" in lines[2]  # SO-2026-00001 is the first (COD) order
    assert "prepaid NOT PAID" in lines[1]
    columns = {line.index("SO-2026-") for line in lines}
    assert len(columns) == 1  # numbers line up (Chinese customers are double width after them)


def test_stored_control_characters_never_reach_the_terminal(board, capsys, monkeypatch):
    from conftest import sample_order
    from notedesk.services import orders
    from notedesk.services.types import CustomerData
    from notedesk.store.connection import open_database

    open_database(board)
    orders.create_order(sample_order("SO-2026-00500", customer=CustomerData(name="Ev\x1b]0;p\x07\nC")))
    close_database()
    _, out, _ = due(capsys, "--db", board)
    assert "\x1b" not in out and "\x07" not in out
    assert "Ev\ufffd]0;p\ufffd C " in out


def test_empty_database_prints_nothing_and_exits_0(database, db_url, capsys):
    close_database()
    assert due(capsys, "--db", db_url) == (0, "", "")
    assert due(capsys, "--db", db_url, "--format", "json") == (0, "[]\n", "")


@pytest.mark.parametrize("value", ["soon", "24", "-3d", "", "3x"])
def test_bad_duration_is_one_line_exit_1(database, db_url, capsys, value):
    code, out, err = due(capsys, "--db", db_url, f"--within={value}")
    assert code == 1 and out == ""
    assert err.startswith("notedesk: --within: not a duration") and err.count("\n") == 1


def test_real_process_with_frozen_now_env(board):
    proc = run_cli("due", "--format", "json", "--within", "2d", db=board, env={"NOTEDESK_NOW": NOW})
    assert proc.returncode == 0, proc.stderr
    assert [o["number"] for o in json.loads(proc.stdout)] == DUE_ORDER[:6]


@given(st.lists(st.text(alphabet=st.sampled_from("aZ9 -·芳华服饰…"), max_size=12), max_size=8))
def test_a_column_is_padded_to_its_widest_in_terminal_cells(cells):
    from notedesk.cli.due import _padded
    from notedesk.text import cell_width

    padded = _padded(cells, cell_width)
    assert [p[:len(c)] for p, c in zip(padded, cells)] == cells
    assert all(p[len(c):].strip() == "" for p, c in zip(padded, cells))
    assert {cell_width(p) for p in padded} <= {max(map(cell_width, cells), default=0)}
    ascii_cells = [c.encode("ascii", "replace").decode() for c in cells]
    assert {len(p) for p in _padded(ascii_cells)} <= {max(map(len, ascii_cells), default=0)}


def test_each_line_ends_with_where_to_deliver_and_whom_to_call(database, db_url, monkeypatch, capsys):
    """Issue 15: the address the order picked and its contact's phone, last on the line and in JSON."""
    from dataclasses import replace

    from conftest import sample_order
    from notedesk.services import orders
    from notedesk.services.types import ContactData

    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-30T10:00:00+08:00")
    c = replace(sample_order().customer, address="杭州仓库", contact="张三",
                contacts=(ContactData("张三", "13911112222", "仓管"),))
    orders.create_order(sample_order("SO-2026-00001", customer=c))
    close_database()
    code, out, err = due(capsys, "--db", db_url)
    assert (code, err) == (0, "") and out.rstrip().endswith("→ 杭州仓库 · 13911112222")
    code, out, _err = due(capsys, "--db", db_url, "--format", "json")
    item = json.loads(out)[0]
    assert (item["address"], item["contact_phone"]) == ("杭州仓库", "13911112222")
