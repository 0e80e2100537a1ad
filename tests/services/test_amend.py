"""Amending an order (services.amend): each kind of field, lines added and removed, totals, the reason
linked to the timeline, conflicts. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import race, sample_order
from notedesk.services import amend, orders
from notedesk.services.amend import AmendConflict, Amendment, amend_order
from notedesk.services.errors import InvalidInput
from notedesk.services.order_status import change_status
from notedesk.services.types import LineData

N = "SO-2026-00042"


@pytest.fixture
def order(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-27T10:00:00+08:00")
    lines = (LineData(product="T恤", spec="白色 / L", quantity=500, unit_price=Decimal("35.00")),
             LineData(product="帽子", spec="", quantity=100, unit_price=Decimal("12.50")))
    return orders.create_order(sample_order(N, lines=lines))  # amount due 7000.00, total 18,750.00


def change(*pairs: str, **kw) -> Amendment:
    return Amendment(changes=tuple(tuple(p.split("=", 1)) for p in pairs), **kw)  # type: ignore[misc]


def fields(result) -> dict[str, tuple[str, str]]:
    return {c.field: (c.old, c.new) for c in result.changes}


def test_quantity_and_spec_with_a_reason_linked_both_ways(order):
    result = amend_order(N, change("lines.1.quantity=800件", "lines.1.spec=蓝色", reason="客户来电：数量改为800件"),
                         clerk="li")
    detail = result.order
    assert (detail.lines[0].quantity, detail.lines[0].spec) == (800, "蓝色")
    assert detail.total == Decimal("29250.00")  # 800 × 35 + 100 × 12.50
    assert fields(result) == {"lines.1.quantity": ("500", "800"), "lines.1.spec": ("白色 / L", "蓝色"),
                              "total": ("18750.00", "29250.00")}
    entry = result.logged
    assert entry is not None and entry.text == "客户来电：数量改为800件" and entry.clerk == "li"
    assert detail.communications[0].id == entry.id
    linked = [e for e in detail.events if e.communication == entry.id]
    assert [(e.field, e.old, e.new) for e in linked] == [
        ("lines.1.spec", "白色 / L", "蓝色"), ("lines.1.quantity", "500", "800"), ("total", "18750.00", "29250.00")]
    assert all(e.reason == "客户来电：数量改为800件" and e.clerk == "li" for e in linked)
    assert detail.version == order.version + 1


def test_without_a_reason_nothing_is_logged(order):
    result = amend_order(N, change("lines.2.unit_price=¥13"))
    assert result.logged is None and len(result.order.communications) == len(order.communications)
    assert result.order.events[0].communication is None
    assert fields(result)["lines.2.unit_price"] == ("12.50", "13.00")


def test_customer_fields_change_the_customer_record(order):
    result = amend_order(N, change("customer.name=王芳芳", "customer.company=芳华", "customer.phone=13900000000",
                                   "customer.email=f@example.cn", "customer.address=北京市朝阳区1号",
                                   "customer.preferences=顺丰"))
    c = result.order.customer
    assert (c.name, c.company, c.phone, c.email, c.address, c.preferences) == (
        "王芳芳", "芳华", "13900000000", "f@example.cn", "北京市朝阳区1号", "顺丰")
    assert fields(result)["customer.address"] == ("上海市浦东新区世纪大道100号", "北京市朝阳区1号")
    from notedesk.store import models as m  # the orders' copy of the name follows (the deadline view reads it)

    assert m.Order.get(m.Order.number == N).customer_name == "王芳芳"


def test_order_fields_status_currency_deadline_payment(order):
    result = amend_order(N, change("status=in_production", "currency=usd", "deadline=12月5日下午3点",
                                   "payment.method=prepaid", "payment.amount_due=1,000"))
    d = result.order
    assert (d.status, d.currency, d.payment.method, d.payment.amount_due) == (
        "in_production", "USD", "prepaid", Decimal("1000.00"))
    assert (d.deadline.date, d.deadline.end, d.deadline.text) == (dt.date(2026, 12, 5), dt.time(15), "12月5日下午3点")
    assert fields(result)["deadline"] == ("2026-12-01 09:00–11:00", "2026-12-05 15:00")
    assert fields(result)["status"] == ("confirmed", "in_production")


def test_empty_amount_due_means_the_total_and_an_empty_deadline_none(order):
    result = amend_order(N, change("payment.amount_due=", "deadline="))
    assert result.order.payment.amount_due is None and result.order.deadline.date is None
    assert fields(result)["payment.amount_due"] == ("7000.00", "")


def test_add_and_remove_lines_and_the_total_follows(order):
    result = amend_order(N, change("lines.+.product=衬衫", "lines.+.quantity=10 pcs", "lines.+.unit_price=20",
                                   "lines.4.product=袜子", "lines.4.spec=黑", "lines.4.quantity=2",
                                   "lines.4.unit_price=5", remove_lines=(2,)))
    assert [(x.product, x.quantity) for x in result.order.lines] == [("T恤", 500), ("衬衫", 10), ("袜子", 2)]
    assert result.order.total == Decimal("17710.00")
    got = fields(result)
    assert got["lines.2"] == ("帽子 | 100 × 12.50", "")
    assert got["lines.3"] == ("", "衬衫 | 10 × 20.00") and got["lines.4"] == ("", "袜子 | 黑 | 2 × 5.00")


def test_an_amount_due_that_was_the_total_follows_it(order):
    amend_order(N, change("payment.amount_due=18750"))
    result = amend_order(N, change("lines.1.quantity=600"))
    assert result.order.payment.amount_due == result.order.total == Decimal("22250.00")
    assert fields(result)["payment.amount_due"] == ("18750.00", "22250.00")


def test_nothing_different_saves_nothing(order):
    result = amend_order(N, change("lines.1.quantity=500", "status=confirmed"), )
    assert result.changes == () and result.order.version == order.version


@pytest.mark.parametrize(("pairs", "remove", "words"), [
    (("lines.1.colour=red",), (), "lines.1.colour: no such field"),
    (("price=3",), (), "price: no such field"),
    (("customer.fax=1",), (), "customer.fax: no such field"),
    (("lines.1.quantity=many",), (), "lines.1.quantity: “many” is not a quantity"),
    (("lines.1.quantity=0",), (), "lines.1.quantity"),
    (("lines.1.unit_price=3.555",), (), "lines.1.unit_price: '3.555' has more than two decimals"),
    (("lines.1.product=",), (), "lines.1.product: must not be empty"),
    (("lines.1=",), (), "lines.1: name a field"),
    (("lines.5.product=x", "lines.5.quantity=1", "lines.5.unit_price=1"), (), "a new line is number 3"),
    (("lines.3.product=x",), (), "a new line needs lines.3.quantity, lines.3.unit_price"),
    (("status=lost",), (), "status: 'lost' is not one of"),
    (("currency=yuan",), (), "currency: “yuan” is not a currency code"),
    (("deadline=12月1O日",), (), "deadline: not understood: 12月1O日"),
    (("deadline=2026-02-30",), (), "deadline"),
    (("payment.method=cash",), (), "payment.method"),
    (("payment.amount_due=-5",), (), "payment.amount_due"),
    (("customer.name= ",), (), "customer.name: must not be empty"),
    (("status=new", "status=shipped"), (), "status: given twice"),
    ((), (3,), "no line 3 to remove"),
    (("lines.2.quantity=5",), (2,), "line 2 is both changed and removed"),
    ((), (1, 2), "at least one line"),
])
def test_bad_paths_and_values_are_one_error_naming_the_path_and_save_nothing(order, pairs, remove, words):
    with pytest.raises(InvalidInput) as caught:
        amend_order(N, Amendment(tuple(tuple(p.split("=", 1)) for p in pairs), remove_lines=remove))
    assert words in str(caught.value) and N in str(caught.value) and "\n" not in str(caught.value)
    assert orders.get_order(N).version == order.version


def test_another_clerks_change_to_other_fields_is_kept_under_mine(order):
    orders.set_status(N, "on_hold", clerk="wang")
    result = amend_order(N, change("lines.1.quantity=800"), loaded=order, clerk="li")
    assert (result.order.status, result.order.lines[0].quantity) == ("on_hold", 800)


def test_the_same_field_changed_meanwhile_is_shown_and_not_overwritten(order):
    amend_order(N, change("lines.1.quantity=600"), clerk="wang")
    with pytest.raises(AmendConflict) as caught:
        amend_order(N, change("lines.1.quantity=800", "lines.1.spec=蓝色"), loaded=order, clerk="li")
    conflict = caught.value
    assert [(c.field, c.loaded, c.theirs, c.mine) for c in conflict.clashes] == [
        ("lines.1.quantity", "500", "600", "800")]
    assert "wang changed lines.1.quantity" in str(conflict)
    stored = orders.get_order(N)
    assert (stored.lines[0].quantity, stored.lines[0].spec) == (600, "白色 / L")
    # the clerk saw theirs and keeps their own: amended again from the order as stored
    result = amend_order(N, change("lines.1.quantity=800", "lines.1.spec=蓝色"), loaded=conflict.current)
    assert (result.order.lines[0].quantity, result.order.lines[0].spec) == (800, "蓝色")


def test_lines_added_meanwhile_clash_with_my_line_changes(order):
    amend_order(N, change("lines.3.product=衬衫", "lines.3.quantity=1", "lines.3.unit_price=1"), clerk="wang")
    with pytest.raises(AmendConflict) as caught:
        amend_order(N, Amendment(remove_lines=(2,)), loaded=order)
    assert caught.value.clashes[0].field == "lines"
    assert len(orders.get_order(N).lines) == 3


def test_a_status_changed_meanwhile_follows_the_status_rule(order):
    change_status(N, "shipped", loaded_status="confirmed", clerk="wang")
    with pytest.raises(AmendConflict):
        amend_order(N, change("status=cancelled"), loaded=order)
    assert amend_order(N, change("status=shipped"), loaded=order).changes == ()  # both chose the same


def test_a_script_with_a_version_conflicts_on_any_change(order):
    orders.set_status(N, "on_hold", clerk="wang")
    with pytest.raises(AmendConflict) as caught:
        amend_order(N, change("lines.1.quantity=800"), base_version=order.version)
    assert "changed by wang" in str(caught.value)
    assert orders.get_order(N).lines[0].quantity == 500


def test_two_clerks_at_once_one_wins_the_other_sees_it(order):
    def mine(quantity: str, clerk: str):
        return lambda: amend_order(N, change(f"lines.1.quantity={quantity}"), loaded=order, clerk=clerk)

    results = race(mine("800", "li"), mine("900", "wang"))
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, AmendConflict)]
    assert len(won) == 1 and len(lost) == 1, results
    assert orders.get_order(N).lines[0].quantity == won[0].order.lines[0].quantity


def test_known_paths_name_every_kind():
    assert {"customer.address", "lines.N.quantity", "payment.amount_due", "deadline", "status"} <= set(
        amend.known_paths())
