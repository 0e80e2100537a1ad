"""`notedesk pay` end to end, in a subprocess as a clerk or a script runs it: what it records and prints,
every bad input as one line and exit 1, and payments through export and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli_failure, cli_ok, run_cli, sample_order
from notedesk.services import orders
from notedesk.store.connection import close_database, open_database

N = "SO-2026-00042"
NOW = {"NOTEDESK_NOW": "2026-11-28T10:00:00+08:00"}


@pytest.fixture
def desk(tmp_path, migrated_file) -> Path:
    path = migrated_file(tmp_path / "desk.db")
    open_database(str(path))
    orders.create_order(sample_order(N))  # COD, amount due 7,000.00
    close_database()
    return path


def test_half_the_total_is_partial_with_the_balance(desk):
    out = cli_ok(run_cli("pay", N.lower(), "3500", "--via", "transfer", "--note", "定金", db=desk, env=NOW))
    assert out.splitlines() == [f"{N}: received 3,500.00 CNY via bank transfer",
                                "  amount due 7,000.00 · received 3,500.00 · balance 3,500.00 · partly paid"]
    out = cli_ok(run_cli("pay", N, "3,600", "--at", "昨天下午3点", db=desk, env=NOW))
    assert "overpaid 100.00 · paid" in out
    out = cli_ok(run_cli("pay", N, "-100", "--via", "wechat", "--at", "2026-11-28 09:00", db=desk, env=NOW))
    assert out.splitlines()[0] == f"{N}: refunded 100.00 CNY via WeChat Pay"
    doc = json.loads(cli_ok(run_cli("export", "--order", N, db=desk, env=NOW)))
    assert doc["orders"][0]["payments"] == [
        {"at": "2026-11-27T15:00:00+08:00", "amount": "3600.00", "via": "other", "note": "", "clerk": "li"},
        {"at": "2026-11-28T09:00:00+08:00", "amount": "-100.00", "via": "wechat", "note": "", "clerk": "li"},
        {"at": "2026-11-28T10:00:00+08:00", "amount": "3500.00", "via": "transfer", "note": "定金", "clerk": "li"},
    ]
    assert doc["orders"][0]["payment"]["status"] == "paid"
    md = cli_ok(run_cli("export", "--format", "md", "--order", N, db=desk, env=NOW))
    assert "**Received**: 7,000.00 CNY · **Balance**: 0.00 CNY" in md


def test_in_chinese(desk):
    out = cli_ok(run_cli("pay", N, "3500", "--via", "alipay", db=desk, env={**NOW, "NOTEDESK_LANG": "zh"}))
    assert "支付宝" in out and "部分付款" in out and "3,500.00" in out


@pytest.mark.parametrize(("argv", "words"), [
    (["3500", "--via", "bitcoin"], ("--via", "bitcoin")),
    (["abc"], ("abc", "not an amount")),
    (["0"], ("0",)),
    (["1.234"], ("two decimals",)),
    (["1e13"], ("too large",)),
    (["NaN"], ("not an amount",)),
    (["-1"], ("refund", "more than")),
    (["10", "--at", "明天"], ("future",)),
    (["10", "--at", "2026-12-01 10:00"], ("future",)),
    (["10", "--at", "2026-02-30"], ("2026-02-30",)),
    (["10", "--at", "sometime"], ("sometime",)),
    (["10", "--at", ""], ("when",)),
])
def test_every_bad_input_is_one_line_and_records_nothing(desk, argv, words):
    cli_failure(run_cli("pay", N, *argv, db=desk, env=NOW), *words)
    doc = json.loads(cli_ok(run_cli("export", "--order", N, db=desk)))
    assert "payments" not in doc["orders"][0]


def test_an_unknown_order_and_a_missing_database_are_one_line(desk, tmp_path):
    cli_failure(run_cli("pay", "SO-1999-00001", "10", db=desk), "no order")
    cli_failure(run_cli("pay", N, "10", db=tmp_path / "none.db"))
    assert not (tmp_path / "none.db").exists()


def test_export_import_export_keeps_the_payments(desk, tmp_path):
    cli_ok(run_cli("pay", N, "3500", "--via", "cash", "--note", "首付", db=desk, env=NOW))
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    cli_ok(run_cli("export", "-o", str(first), db=desk))
    empty = tmp_path / "empty.db"
    cli_ok(run_cli("import", str(first), db=empty))
    cli_ok(run_cli("export", "-o", str(second), db=empty))
    assert second.read_bytes() == first.read_bytes()
    again = cli_ok(run_cli("import", "--update", str(first), db=empty))  # the same payments: nothing added
    assert "0 updated" in again


def test_an_old_file_without_payments_still_imports(tmp_path):
    doc = {"format": "notedesk/1", "orders": [
        {"number": "SO-1", "customer": {"name": "王芳"}, "lines": [{"product": "T恤", "quantity": 10,
                                                                   "unit_price": "10.00"}],
         "payment": {"method": "prepaid", "status": "paid"}},
        {"number": "SO-2", "customer": {"name": "王芳"}, "lines": [{"product": "T恤", "quantity": 10,
                                                                   "unit_price": "10.00"}],
         "payment": {"method": "instalments", "instalments": [
             {"due": "2026-12-01", "amount": "40.00", "paid": True}, {"due": "2027-01-01", "amount": "60.00"}]}},
    ]}
    source = tmp_path / "old.json"
    source.write_text(json.dumps(doc, ensure_ascii=False))
    db = tmp_path / "desk.db"
    cli_ok(run_cli("import", str(source), db=db))
    out = json.loads(cli_ok(run_cli("export", db=db)))["orders"]
    assert (out[0]["payment"]["status"], [p["amount"] for p in out[0]["payments"]]) == ("paid", ["100.00"])
    assert (out[1]["payment"]["status"], [p["amount"] for p in out[1]["payments"]]) == ("partial", ["40.00"])
    assert [i["paid"] for i in out[1]["payment"]["instalments"]] == [True, False]


@pytest.mark.parametrize(("payments", "words"), [
    ([{"at": "2026-11-27T10:00:00+08:00", "amount": 35.5}], ("payments[0].amount", "string")),
    ([{"at": "2026-11-27T10:00:00+08:00", "amount": "abc"}], ("payments[0].amount",)),
    ([{"at": "2026-11-27T10:00:00+08:00", "amount": "0"}], ("payments[0]",)),
    ([{"at": "2026-11-27T10:00:00+08:00", "amount": "1", "via": "bitcoin"}], ("payments[0].via",)),
    ([{"amount": "1"}], ("payments[0].at", "missing")),
    ([{"at": "2026-11-27T10:00:00+08:00", "amount": "1", "how": "x"}], ("payments[0].how",)),
    ([{"at": "2026-11-27T10:00:00+08:00", "amount": "-1"}], ("refunds",)),
    ({"at": "x"}, ("payments", "list")),
])
def test_bad_payments_in_a_file_name_the_order_and_import_nothing(tmp_path, payments, words):
    doc = {"format": "notedesk/1", "orders": [{"number": "SO-1", "customer": {"name": "王芳"}, "payments": payments}]}
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(doc))
    db = tmp_path / "desk.db"
    cli_failure(run_cli("import", str(source), db=db), "SO-1", *words)
