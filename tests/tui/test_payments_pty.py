"""Payments in a real terminal (80x24, the real `notedesk` command in a pseudo-terminal): `notedesk pay`
of half the total shows `partly paid` and the balance on the detail; `x` on a cash-on-delivery order
asks whether the courier collected the money, and records it."""

from __future__ import annotations

import pytest
from pty_desk import DeskInPty

from conftest import cli_ok, run_cli, sample_order
from notedesk.services import orders

N = "SO-2026-00042"
SIZE = (80, 24)
# The clock before the order's deadline (1 Dec 2026): past it, the desk's "overdue" reminder toast
# covered the bottom right of the screen where the balance is shown, for as long as the toast lasted.
BEFORE_THE_DEADLINE = {"NOTEDESK_NOW": "2026-11-26T10:00:00"}


@pytest.fixture
def desk_db(database, db_url):
    orders.create_order(sample_order(N))  # cash on delivery, total 7,000.00
    return db_url.removeprefix("sqlite:///")


def test_pay_half_then_the_detail_shows_partly_paid_and_the_balance(desk_db):
    cli_ok(run_cli("pay", N, "3500", "--via", "transfer", db=desk_db))
    desk = DeskInPty("--db", desk_db, size=SIZE, env=BEFORE_THE_DEADLINE)
    try:
        desk.wait_for(N, "? Help", timeout=30)
        desk.press("enter")
        # the detail's words: the list's totals line says "balance 3,500.00" too
        screen = desk.wait_for("partly paid", "amount due 7,000.00", "received 3,500.00", timeout=15)
        assert "balance 3,500.00" in screen
        assert all(len(line) <= 80 for line in screen.splitlines())
        desk.press("ctrl+q")
        assert desk.finish() == 0
    finally:
        desk.kill()


def test_x_on_a_cod_order_asks_about_the_money_and_records_it(desk_db):
    desk = DeskInPty("--db", desk_db, size=SIZE, env=BEFORE_THE_DEADLINE)
    try:
        desk.wait_for(N, "? Help", timeout=30)
        desk.press("d")  # the deadline view
        # its money line under the table: the list's totals say "balance 7,000.00" too, and an `x`
        # pressed while the list still showed asked nothing (the test waited for the wrong screen)
        desk.wait_for("amount due 7,000.00", "received 0.00", "balance 7,000.00", timeout=15)
        desk.press("x")
        desk.wait_for("Did the courier", "collect", timeout=15)
        desk.press("y")
        desk.wait_for("No open orders", timeout=15)  # delivered: off the view (the toast says what was recorded)
        desk.press("ctrl+q")
        assert desk.finish() == 0
    finally:
        desk.kill()
    detail = orders.get_order(N)
    assert (detail.status, detail.payment.status, detail.received) == ("delivered", "paid", detail.total)
