"""`notedesk check` of the money (issue 15): every order's received is the sum of its payments and its
payment status and instalment flags follow; the orders that differ are named, and `check --repair`
settles them again from their payments (never touching a payment), with a timeline event. Both engines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import sample_order
from notedesk.cli import main
from notedesk.services import orders, payments
from notedesk.services.types import InstalmentData, Payment
from notedesk.store import models as m
from notedesk.store.connection import close_database, open_database

pytestmark = pytest.mark.both_engines


def check(db_url, capsys, *extra: str) -> tuple[int, str]:
    code = main(["--db", db_url, "check", *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def desk(database, db_url):
    orders.create_order(sample_order("SO-2026-00001"))  # cash on delivery, 7,000.00 due
    payments.record_payment("SO-2026-00001", "3500", clerk="li")
    schedule = Payment(method="instalments", status="unpaid", amount_due=None,
                       instalments=(InstalmentData(dt.date(2026, 12, 15), Decimal("3500.00")),
                                    InstalmentData(dt.date(2027, 1, 15), Decimal("3500.00"))))
    orders.create_order(sample_order("SO-2026-00002", payment=schedule))
    payments.record_payment("SO-2026-00002", "3500", clerk="li")
    orders.create_order(sample_order("SO-2026-00003"))
    return db_url


def test_orders_whose_money_follows_their_payments_are_ok(desk, capsys):
    close_database()
    code, out = check(desk, capsys)
    assert code == 0, out
    assert "payments: every order's received is the sum of its payments, its payment status follows" in out


def test_an_order_whose_received_or_status_does_not_follow_is_named_and_repair_settles_it(desk, capsys):
    O = m.Order  # noqa: E741
    O.update(received=Decimal("3600.00")).where(O.number == "SO-2026-00001").execute()  # past the services
    O.update(payment_status="paid").where(O.number == "SO-2026-00003").execute()
    m.Instalment.update(paid=False).where(m.Instalment.order == O.get(O.number == "SO-2026-00002").id).execute()
    close_database()
    code, out = check(desk, capsys)
    assert code == 1
    assert "problem: 3 order(s) whose received or payment status does not follow their payments; " \
           "fix: notedesk check --repair" in out
    assert "  SO-2026-00001: received 3,600.00, payments 3,500.00" in out.splitlines()
    assert "  SO-2026-00002: instalments marked paid do not follow" in out.splitlines()
    assert "  SO-2026-00003: status paid, should be unpaid" in out.splitlines()
    code, out = check(desk, capsys, "--repair")
    assert code == 0, out
    assert "repaired: 3 order(s) settled again from their payments:" in out
    code, out = check(desk, capsys)
    assert code == 0 and "payments: every order's received" in out
    open_database(desk)
    first, second, third = (orders.get_order(f"SO-2026-0000{n}") for n in (1, 2, 3))
    assert (first.received, first.payment.status) == (Decimal("3500.00"), "partial")
    assert [i.paid for i in second.payment.instalments] == [True, False]
    assert (third.received, third.payment.status) == (Decimal("0.00"), "unpaid")
    assert [p.amount for p in first.payments] == [Decimal("3500.00")]  # no payment made up or removed
    moved = [(e.field, e.old, e.new, e.reason) for e in first.events if e.reason == "notedesk check --repair"]
    assert moved == [("received", "3600.00", "3500.00", "notedesk check --repair")]
    assert [(e.field, e.old, e.new) for e in third.events if e.reason == "notedesk check --repair"] == [
        ("payment_status", "paid", "unpaid")]
