"""Payments on the screens through Pilot: the detail shows amount due, received and balance and the
payments; `p` records one in a small form; `x` (and `s` → delivered) on a cash-on-delivery order asks
whether the courier collected the money and records it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import Input, OptionList

from conftest import sample_order
from notedesk.services import orders, payments
from notedesk.tui.screens.deadline_view import DeadlineViewScreen, GroupedTable
from notedesk.tui.screens.order_detail import OrderDetailScreen
from notedesk.tui.screens.pay import PayModal
from notedesk.tui.widgets.choice_modal import ChoiceModal
from services.test_due import NOW, seed_board

N = "SO-2026-00042"


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(N))  # cash on delivery, 7,000.00


async def test_the_detail_shows_due_received_balance_and_the_payments(order):
    payments.record_payment(N, "2000", via="wechat", note="定金", clerk="wang")
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        text = screen_text(app)
    for expected in ("partly paid", "amount due 7,000.00 CNY", "received 2,000.00", "balance 5,000.00",
                     "Payments received", "WeChat Pay", "定金", "received: 0.00 → 2,000.00",
                     "payment status: unpaid → partly paid"):
        assert expected in text, expected


async def test_p_records_half_the_total_and_the_detail_shows_partial(order):
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PayModal)
        assert app.screen.query_one("#pay-amount", Input).value == "7000.00"  # the balance, replaced by typing
        await pilot.press(*"3500", "tab", "tab", *"ref 88")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert any("partly paid, balance 3,500.00" in n for n in app.notified)
    s = payments.summary(N)
    assert (s.received, s.status, s.payments[0].via, s.payments[0].note) == (Decimal("3500.00"), "partial",
                                                                             "transfer", "ref 88")


async def test_a_bad_amount_keeps_the_form_open_and_says_why(order):
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press(*"-10", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PayModal)
        assert any("refund" in n for n in app.notified)
        await pilot.press("escape")  # typed: asks first
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
    assert payments.summary(N).payments == ()


async def test_s_delivered_on_a_cod_order_asks_about_the_money(order):
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        options.highlighted = 4  # delivered
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal) and "7,000.00 CNY" in app.screen.question
        shown = screen_text(app)  # at 80 columns every answer is on screen, the last one too
        for answer in ("y Collected 7,000.00 CNY", "d Delivered, not collected", "n Cancel"):
            assert answer in shown
        await pilot.press("y")
        await settle(pilot)
    detail = orders.get_order(N)
    assert (detail.status, detail.payment.status, detail.received) == ("delivered", "paid", Decimal("7000.00"))
    assert detail.payments[0].via == "cash"


@pytest.fixture
def board(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", NOW)
    seed_board()  # SO-2026-00001: cash on delivery, 100.00


def _to(app, number: str) -> None:
    table = app.screen.query_one(GroupedTable)
    table.move_cursor(row=table.get_row_index(number))


@pytest.mark.parametrize(("answer", "status", "received"), [
    ("y", "delivered", Decimal("100.00")), ("d", "delivered", Decimal("0.00")), ("n", "confirmed", Decimal("0.00")),
])
async def test_x_on_a_cod_order_asks_whether_the_courier_collected(board, answer, status, received):
    app = Harness(DeadlineViewScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, 3)
        _to(app, "SO-2026-00001")
        await pilot.pause()
        assert "amount due 100.00 CNY · received 0.00 · balance 100.00" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert "Did the courier collect 100.00 CNY?" in app.screen.question
        await pilot.press(answer)
        await settle(pilot, 3)
    detail = orders.get_order("SO-2026-00001")
    assert (detail.status, detail.received) == (status, received)
