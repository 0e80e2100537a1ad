"""The departments' lenses and the list's filters and totals (issue 16), on both engines."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from conftest import sample_order
from notedesk.services import attachments, lenses, listing, orders
from notedesk.services.errors import InvalidInput
from notedesk.services.list_filters import due_range
from notedesk.services.listing import OrderQuery
from notedesk.services.types import CustomerData, Deadline, InstalmentData, LineData, Payment

NOW = "2026-12-02T10:00:00"  # a Wednesday, business time
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def desk(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", NOW)
    monkeypatch.setenv("NOTEDESK_TIMEZONE", "Asia/Shanghai")
    from notedesk import config

    config.reload()

    def make(number, status, *, date=None, end=None, method="prepaid", paid="unpaid", due=None, name="王芳",
             lines=None, special="", instalments=(), phone="13800138000", address="上海市浦东新区世纪大道100号"):
        orders.create_order(sample_order(
            number=number, status=status,
            customer=CustomerData(name=name, company="", phone=phone, address=address),
            lines=lines or (LineData(product="T恤", spec="红色 / XL", quantity=200, unit_price=Decimal("35.00")),),
            deadline=Deadline(text="x", date=date, end=end) if date else Deadline(),
            payment=Payment(method=method, status=paid, amount_due=due, instalments=instalments),
            notes={"special": special} if special else {},
        ))

    make("SO-1", "confirmed", date=TODAY, end=dt.time(11), method="cod", special="胸前印LOGO")  # overdue at 10:00? no
    make("SO-2", "in_production", date=TODAY + dt.timedelta(days=3), method="prepaid", paid="paid",
         lines=(LineData("帆布袋", 500, Decimal("8.00"), "米白"), LineData("贴纸", 1000, Decimal("0.50"))))
    make("SO-3", "shipped", date=TODAY - dt.timedelta(days=2), method="cod", due=Decimal("1000.00"), name="Acme")
    make("SO-4", "new", date=TODAY, method="instalments", paid="partial",
         instalments=(InstalmentData(TODAY + dt.timedelta(days=10), Decimal("3000.00"), paid=True),
                      InstalmentData(TODAY + dt.timedelta(days=20), Decimal("4000.00"))))
    make("SO-5", "delivered", date=TODAY - dt.timedelta(days=5), method="prepaid", paid="paid")
    make("SO-6", "cancelled", date=TODAY, method="prepaid")
    make("SO-7", "confirmed", method="on_account")  # undated
    return make


def numbers(query: OrderQuery) -> list[str]:
    return [o.number for o in listing.list_orders(query, limit=100)]


def test_production_lists_orders_to_make_by_deadline_with_lines_and_marks(desk, tmp_path):
    drawing = tmp_path / "drawing.txt"
    drawing.write_text("40 x 30 cm, logo centred", encoding="utf-8")
    attachments.attach_files("SO-2", [str(drawing)])
    query = lenses.lens_query("production")
    rows = listing.list_orders(query)
    assert [r.number for r in rows] == ["SO-1", "SO-2", "SO-7"]  # undated last
    one, two, seven = rows
    assert (one.first_line.product, one.first_line.spec, one.first_line.quantity, one.line_count) == (
        "T恤", "红色 / XL", 200, 1)
    assert one.special and not one.drawings
    assert two.drawings and not two.special and two.line_count == 2 and two.first_line.product == "帆布袋"
    assert two.first_line.unit_price == 0  # production rows carry no price
    assert listing.count_orders(query) == 3


def test_logistics_lists_what_is_due_by_today_by_due_time_with_address_phone_and_cod(desk):
    query = lenses.lens_query("logistics")
    rows = listing.list_orders(query)
    assert [r.number for r in rows] == ["SO-3", "SO-1", "SO-4"]  # overdue, then today's; never cancelled SO-6
    one = rows[1]
    assert one.address == "上海市浦东新区世纪大道100号" and one.phone == "13800138000"
    assert one.payment_method == "cod" and one.due_amount == Decimal("7000.00")
    assert numbers(replace(query, due=due_range("this week"))) == ["SO-1", "SO-4", "SO-2"]  # to Sunday 6 Dec
    assert numbers(replace(query, due=None)) == ["SO-3", "SO-1", "SO-4", "SO-2", "SO-7"]


def test_finance_lists_what_is_not_paid_with_received_balance_and_next_instalment(desk):
    rows = {r.number: r for r in listing.list_orders(lenses.lens_query("finance"))}
    assert set(rows) == {"SO-1", "SO-3", "SO-4", "SO-7"}  # not paid, not cancelled
    assert rows["SO-3"].received == 0 and rows["SO-3"].balance == Decimal("1000.00")
    assert rows["SO-4"].received == Decimal("3000.00") and rows["SO-4"].balance == Decimal("4000.00")
    four = rows["SO-4"]
    assert four.next_instalment == InstalmentData(TODAY + dt.timedelta(days=20), Decimal("4000.00"))
    assert rows["SO-1"].next_instalment is None


def test_filters_status_payment_due_and_customer(desk):
    assert numbers(OrderQuery(statuses=("confirmed",), sort="number", descending=False)) == ["SO-1", "SO-7"]
    assert numbers(OrderQuery(payment_statuses=("paid",), sort="number", descending=False)) == ["SO-2", "SO-5"]
    overdue = OrderQuery(due=due_range("overdue"), sort="number", descending=False)
    assert numbers(overdue) == ["SO-3"]  # delivered SO-5 is not overdue; SO-1 is due at 11:00
    assert numbers(OrderQuery(due=due_range("today"), sort="number", descending=False)) == ["SO-1", "SO-4", "SO-6"]
    assert numbers(OrderQuery(customer="acme")) == ["SO-3"]
    assert numbers(OrderQuery(customer="1380013", sort="number", descending=False))[:2] == ["SO-1", "SO-2"]
    typed = due_range("2026-11-29 to 2026-12-02")
    assert (typed.first, typed.last) == (dt.date(2026, 11, 29), TODAY)
    assert numbers(OrderQuery(due=typed, sort="number", descending=False)) == ["SO-1", "SO-3", "SO-4", "SO-6"]


def test_overdue_unpaid_with_totals(desk):
    query = OrderQuery(due=due_range("overdue"), payment_statuses=("unpaid", "partial"))
    assert numbers(query) == ["SO-3"]
    totals = listing.totals(query)
    assert totals.count == 1
    assert totals.by_currency == (("CNY", 1, Decimal("1000.00"), Decimal("1000.00")),)


def test_totals_add_up_what_is_listed_per_currency(desk):
    everything = listing.totals(OrderQuery())
    assert everything.count == 7 == listing.count_orders(OrderQuery())
    (currency, count, amount, balance), = everything.by_currency
    # 7000 (SO-1's total) + 4500 (SO-2's: 4000 + 500) + 1000 (SO-3's amount due) + 4 x 7000
    assert (currency, count, amount) == ("CNY", 7, Decimal("40500.00"))
    # SO-2 and SO-5 paid, SO-4's first instalment (3,000) too: their payments are what was received
    assert balance == amount - Decimal("4500.00") - Decimal("7000.00") - Decimal("3000.00")
    assert listing.totals(OrderQuery(statuses=("on_hold",))) == listing.Totals(0, ())


def test_filters_page_by_key_like_the_plain_list(desk):
    query = OrderQuery(statuses=("confirmed", "in_production", "shipped", "new"), sort="deadline",
                       descending=False, lens="production")
    whole = numbers(query)
    first = listing.fetch_page(query, limit=2)
    second = listing.fetch_page(query, limit=2, after=first.keys[-1])
    assert [r.number for r in first.rows + second.rows] == whole[:4]
    back = listing.fetch_page(query, limit=2, before=second.keys[0])
    assert back.rows == first.rows


def test_a_range_the_grammar_cannot_read_says_what(desk):
    with pytest.raises(InvalidInput, match="not understood"):
        due_range("whenever convenient")
    assert due_range("  ") is None
    assert due_range("本周").name == "this_week" and due_range("逾期").overdue
