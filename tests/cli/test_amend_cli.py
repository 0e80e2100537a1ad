"""`notedesk amend` end to end in a subprocess, as a script runs it: the change, the timeline and the
log entry; every bad input one line on stderr with exit status 1 and nothing saved."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import cli_failure, cli_ok, run_cli, sample_order
from notedesk.services import orders
from notedesk.services.types import LineData
from notedesk.store.connection import close_database, open_database

N = "SO-2026-00042"


@pytest.fixture
def desk(db_url):
    """An order of 500 T-shirts, closed again (the command opens it itself)."""
    open_database(db_url)
    orders.create_order(sample_order(N, lines=(LineData("T恤", 500, Decimal("35.00"), "白色 / L"),)))
    close_database()
    return db_url


def stored():
    return orders.get_order(N)


@pytest.mark.both_engines
def test_amend_from_a_script_changes_logs_and_links(desk):
    out = cli_ok(run_cli("amend", N.lower(), "lines.1.quantity=800", "lines.1.spec=蓝色",
                         "--reason", "客户来电：数量改为800件", db=desk))
    assert out.splitlines() == [
        f"{N} amended (version 2):",
        "  lines.1.spec: 白色 / L → 蓝色",
        "  lines.1.quantity: 500 → 800",
        "  total: 17,500.00 → 28,000.00",  # amounts print one way everywhere
        "  reason logged as entry 1: 客户来电：数量改为800件",
    ]
    open_database(desk)
    try:
        detail = stored()
        assert (detail.lines[0].quantity, detail.total) == (800, Decimal("28000.00"))
        entry = detail.communications[0]
        assert entry.text == "客户来电：数量改为800件"
        assert {e.field for e in detail.events if e.communication == entry.id} == {
            "lines.1.spec", "lines.1.quantity", "total"}
    finally:
        close_database()


def test_add_and_remove_a_line_and_nothing_to_change(desk):
    out = cli_ok(run_cli("amend", N, "lines.+.product=帽子", "lines.+.quantity=100 pcs", "lines.+.unit_price=¥12.5",
                         db=desk))
    assert "  lines.2: — → 帽子 | 100 × 12.50" in out.splitlines()
    out = cli_ok(run_cli("amend", N, "--remove-line", "1", db=desk))
    assert "  lines.1: T恤 | 白色 / L | 500 × 35.00 → —" in out.splitlines()
    assert "  total: 18,750.00 → 1,250.00" in out.splitlines()
    assert "nothing to change" in cli_ok(run_cli("amend", N, "lines.1.quantity=100件", db=desk))


@pytest.mark.parametrize(("args", "words"), [
    (("lines.1.quantity",), ("not FIELD=VALUE",)),
    ((), ("nothing to change",)),
    (("=5",), ("not FIELD=VALUE",)),
    (("lines.1.colour=red",), (f"{N} lines.1.colour", "no such field")),
    (("lines.9.quantity=5",), ("lines.9", "a new line is number 2")),
    (("lines.1.quantity=lots",), ("lines.1.quantity", "not a quantity")),
    (("lines.1.unit_price=1.234",), ("lines.1.unit_price",)),
    (("deadline=12月1O日",), ("deadline", "not understood")),
    (("status=lost",), ("status",)),
    (("currency=RMB1",), ("currency",)),
    (("customer.name=",), ("customer.name", "must not be empty")),
    (("status=new", "--version", "x"), ("--version", "not a whole number")),
    (("--remove-line", "9"), ("no line 9",)),
    (("status=new", "--version", "7"), ("changed by", "version 1, not 7")),
])
def test_every_bad_input_is_one_line_and_exit_1(desk, args, words):
    cli_failure(run_cli("amend", N, *args, db=desk), *words)
    open_database(desk)
    try:
        assert stored().version == 1
    finally:
        close_database()


def test_an_unknown_order_or_database(desk, tmp_path):
    cli_failure(run_cli("amend", "SO-2026-99999", "status=new", db=desk), "no order SO-2026-99999")
    cli_failure(run_cli("amend", N, "status=new", db=tmp_path / "none.db"), "no database")
    assert not (tmp_path / "none.db").exists()
