"""Payments received (services.payments, services.settlement): the status, balance and instalments follow
from them; refunds, over-payment, bad input, many clerks at once, and old data turned into payments.
On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from decimal import Decimal

import pytest

from conftest import race, sample_order
from notedesk.services import listing, orders, payments, settlement
from notedesk.services.deadlines import due_orders, due_table
from notedesk.services.errors import InvalidInput, NotFound
from notedesk.services.types import InstalmentData, Payment, PaymentRecord
from notedesk.store import connection, upgrade
from notedesk.store.connection import open_database

N = "SO-2026-00042"
D = Decimal


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(N))  # COD, amount due 7,000.00, total 7,000.00


def test_a_new_order_is_unpaid_with_its_whole_amount_as_balance(order):
    s = payments.summary(N)
    assert (s.due_amount, s.received, s.balance, s.status, s.payments) == (
        D("7000.00"), D("0.00"), D("7000.00"), "unpaid", ())


def test_part_then_the_rest_make_it_partial_then_paid(order):
    first = payments.record_payment(N, "3500", via="transfer", note="定金", clerk="li")
    assert (first.order.payment.status, first.order.received, first.order.balance) == ("partial", D("3500.00"),
                                                                                      D("3500.00"))
    assert (first.payment.amount, first.payment.via, first.payment.note, first.payment.clerk) == (
        D("3500.00"), "transfer", "定金", "li")
    second = payments.record_payment(N, D("3500.00"), via="cash", clerk="wang")
    assert (second.order.payment.status, second.order.balance) == ("paid", D("0.00"))
    assert [p.amount for p in second.order.payments] == [D("3500.00"), D("3500.00")]
    events = [(e.field, e.old, e.new) for e in second.order.events]
    assert ("payment_status", "unpaid", "partial") in events and ("payment_status", "partial", "paid") in events
    assert ("received", "3500.00", "7000.00") in events


def test_over_payment_is_paid_with_a_negative_balance(order):
    result = payments.record_payment(N, "7050.00", via="wechat")
    assert (result.order.payment.status, result.order.balance) == ("paid", D("-50.00"))
    assert payments.summary(N).overpaid


def test_a_refund_is_a_negative_payment_and_may_not_exceed_what_was_received(order):
    payments.record_payment(N, "7050.00", via="wechat")
    back = payments.record_payment(N, "-50", via="wechat", note="多付退回")
    assert (back.order.payment.status, back.order.balance) == ("paid", D("0.00"))
    assert payments.record_payment(N, "-3000").order.payment.status == "partial"
    with pytest.raises(InvalidInput, match="more than"):
        payments.record_payment(N, "-4000.01")
    assert payments.record_payment(N, "-4000").order.payment.status == "unpaid"


def test_the_amount_due_defaults_to_the_total_and_follows_a_change_of_it(database):
    orders.create_order(sample_order(N, payment=Payment(method="prepaid")))
    assert payments.summary(N).due_amount == D("7000.00")
    payments.record_payment(N, "5000")
    assert payments.summary(N).status == "partial"
    detail = orders.set_payment(N, Payment(method="prepaid", amount_due=D("5000.00")))
    assert (detail.payment.status, detail.balance) == ("paid", D("0.00"))
    assert ("payment_status", "partial", "paid") in [(e.field, e.old, e.new) for e in detail.events]


def test_instalments_are_covered_in_date_order(database):
    schedule = (InstalmentData(dt.date(2027, 2, 1), D("2000.00")),  # listed first, due last
                InstalmentData(dt.date(2026, 12, 15), D("3000.00")),
                InstalmentData(dt.date(2027, 1, 15), D("2000.00")))
    orders.create_order(sample_order(N, payment=Payment(method="instalments", instalments=schedule)))
    assert [i.paid for i in payments.summary(N).instalments] == [False, False, False]
    payments.record_payment(N, "4000")  # covers 12-15 (3000), not yet 01-15 (up to 5000)
    assert [i.paid for i in payments.summary(N).instalments] == [False, True, False]
    payments.record_payment(N, "1000")
    assert [i.paid for i in payments.summary(N).instalments] == [False, True, True]
    payments.record_payment(N, "2000")
    s = payments.summary(N)
    assert ([i.paid for i in s.instalments], s.status) == ([True, True, True], "paid")


def test_an_instalment_is_paid_only_with_every_earlier_one(database):
    assert settlement.instalments_paid([(dt.date(2026, 12, 1), D("500")), (dt.date(2026, 12, 2), D("100"))],
                                       D("100")) == [False, False]


@pytest.mark.parametrize(("value", "words"), [
    ("", "required"), ("abc", "not an amount"), ("0", "0"), ("1.234", "two decimals"), ("1e13", "too large"),
    ("NaN", "not an amount"), (1.5, "float"),
])
def test_bad_amounts_are_refused_and_nothing_is_saved(order, value, words):
    with pytest.raises(InvalidInput, match=words):
        payments.record_payment(N, value)
    assert payments.summary(N).payments == ()


def test_an_unknown_way_a_future_time_and_an_unknown_order_are_refused(order):
    with pytest.raises(InvalidInput, match="bitcoin"):
        payments.record_payment(N, "10", via="bitcoin")
    with pytest.raises(InvalidInput, match="future"):
        payments.record_payment(N, "10", at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    with pytest.raises(NotFound):
        payments.record_payment("SO-1999-00001", "10")
    assert payments.summary(N).payments == ()


def test_a_payment_keeps_when_the_money_came_and_payments_list_oldest_first(order):
    earlier = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
    payments.record_payment(N, "100", at=dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC))
    payments.record_payment(N, "200", at=earlier)
    listed = payments.summary(N).payments
    assert [(p.amount, p.at) for p in listed][0] == (D("200.00"), earlier)


def test_many_clerks_paying_at_once_lose_nothing(order):
    results = race(*[lambda i=i: payments.record_payment(N, "100", clerk=f"c{i}") for i in range(6)])
    assert not [r for r in results if isinstance(r, Exception)]
    s = payments.summary(N)
    assert (len(s.payments), s.received, s.status) == (6, D("600.00"), "partial")


def test_the_list_and_the_deadline_queries_carry_received_and_balance(order):
    payments.record_payment(N, "2500")
    row = listing.list_orders()[0]
    assert (row.received, row.due_amount, row.balance, row.payment_status) == (D("2500.00"), D("7000.00"), D("4500.00"),
                                                                        "partial")
    now = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    item = due_orders(now=now)[0]
    assert (item.received, item.balance, item.collect) == (D("2500.00"), D("4500.00"), D("4500.00"))
    table = due_table(now=now)
    assert (table.due_amount, table.received, table.collect) == ((D("7000.00"),), (D("2500.00"),), (D("4500.00"),))


def test_an_old_style_order_marked_paid_becomes_a_payment(database):
    detail = orders.create_order(sample_order(N, payment=Payment(method="prepaid", status="paid")))
    assert (detail.payment.status, detail.received, len(detail.payments)) == ("paid", D("7000.00"), 1)
    ticked = Payment(method="instalments", instalments=(InstalmentData(dt.date(2026, 12, 1), D("1000.00"), True),
                                                        InstalmentData(dt.date(2027, 1, 1), D("6000.00"))))
    detail = orders.create_order(sample_order("SO-2026-00043", payment=ticked))
    assert (detail.payment.status, detail.received, [i.paid for i in detail.payment.instalments]) == (
        "partial", D("1000.00"), [True, False])
    given = orders.create_order(sample_order("SO-2026-00044", payment=Payment(status="paid"), payments=()))
    assert (given.payment.status, given.payments) == ("unpaid", ())  # payments given: the status follows them


def test_the_editor_cannot_set_the_status_by_hand(order):
    detail = orders.set_payment(N, replace(order.payment, status="paid"))
    assert (detail.payment.status, detail.received) == ("unpaid", D("0.00"))


def test_payments_given_with_a_new_order_are_checked(database):
    bad = sample_order(N, payments=(PaymentRecord(D("0.00")),))
    with pytest.raises(InvalidInput, match="payments"):
        orders.create_order(bad)


def test_upgrading_to_0005_turns_the_old_status_and_ticks_into_payments(db_url, tmp_path, monkeypatch):
    folder = tmp_path / "migrations"
    shutil.copytree(upgrade.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(upgrade, "MIGRATIONS_DIR", folder)
    later = {p: p.read_text() for p in sorted(folder.glob("[0-9]*.py")) if p.stem >= "0005"}
    for path in later:
        path.unlink()
    database = open_database(db_url)  # a desk as it was before payments were kept
    stamp = "'2026-11-01 08:00:00'"
    with database.connection_context():
        database.execute_sql(
            f"INSERT INTO customer (id, created_at, updated_at, changed_by, name, company, phone, email, address,"
            f" preferences) VALUES (7, {stamp}, {stamp}, 'wang', '王芳', '', '', '', '', '')")
        for n, (status, due, total) in enumerate([("paid", "7000.00", "7000.00"), ("unpaid", None, "3000.00"),
                                                  ("partial", None, "500.00"), ("unpaid", None, "100.00")], 1):
            database.execute_sql(
                "INSERT INTO orders (id, created_at, updated_at, changed_by, number, customer_id, status, currency,"
                " version, total, deadline_text, payment_method, payment_status, amount_due) VALUES"
                f" ({n}, {stamp}, {stamp}, 'wang', 'SO-{n}', 7, 'new', 'CNY', 1, {total}, '', 'other',"
                f" '{status}', {due if due else 'NULL'})")
        for position, (due, amount, paid) in enumerate([("2026-12-01", "1000.00", True),
                                                        ("2027-01-01", "2000.00", False)]):
            database.execute_sql(
                "INSERT INTO instalment (created_at, updated_at, changed_by, order_id, position, due, amount, paid)"
                f" VALUES ({stamp}, {stamp}, 'wang', 2, {position}, '{due}', {amount},"
                f" {'TRUE' if paid else 'FALSE'})")
    connection.close_database()
    for path, text in later.items():
        path.write_text(text)
    open_database(db_url)
    paid, ticked, partial, untouched = (orders.get_order(f"SO-{n}") for n in range(1, 5))
    assert (paid.payment.status, paid.received, paid.payments[0].clerk) == ("paid", D("7000.00"), "wang")
    assert "migration 0005" in paid.payments[0].note
    assert (ticked.payment.status, ticked.received) == ("partial", D("1000.00"))
    assert [i.paid for i in ticked.payment.instalments] == [True, False]
    assert (partial.payment.status, partial.payments) == ("unpaid", ())  # no amount was known: not made up
    assert [(e.field, e.old, e.new) for e in partial.events] == [("payment_status", "partial", "unpaid")]
    assert (untouched.payment.status, untouched.payments, untouched.events) == ("unpaid", (), ())
    connection.close_database()


def test_an_amended_total_moves_the_status(order):
    from notedesk.services.amend import Amendment, amend_order

    payments.record_payment(N, "7000")
    result = amend_order(N, Amendment(changes=(("lines.1.quantity", "300"), ("payment.amount_due", ""))))
    assert (result.order.total, result.order.payment.status, result.order.balance) == (
        D("10500.00"), "partial", D("3500.00"))
