"""The amend form (`a` on the detail) through Pilot on a real SQLite file: the clerk's changes saved in
one call, the detail showing the new values, the timeline old → new linked to the log entry; lines
added and removed; a bad value kept on the form; another clerk's change shown, never overwritten."""

from __future__ import annotations

from decimal import Decimal

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import Input

from conftest import sample_order
from notedesk.services import amend, orders
from notedesk.services.types import LineData
from notedesk.tui.screens.amend import AmendScreen
from notedesk.tui.screens.order_detail import OrderDetailScreen
from notedesk.tui.widgets.choice_modal import ChoiceModal

N = "SO-2026-00042"


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(N, lines=(LineData("T恤", 500, Decimal("35.00"), "白色 / L"),)))


async def open_form(pilot) -> AmendScreen:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AmendScreen)
    return pilot.app.screen


async def test_quantity_and_spec_with_a_reason_show_on_the_detail_linked_both_ways(order):
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(100, 90)) as pilot:
        form = await open_form(pilot)
        assert form.focused is form.query_one("#amend-reason")  # the clerk types what the customer says first
        await pilot.press(*"客户来电")
        form.query_one("#amend-reason", Input).insert_text_at_cursor("：数量改为800件")  # Pilot has no key for ：
        await pilot.press("tab", "tab", *"蓝色", "tab", *"800", "ctrl+s")
        await settle(pilot, 3)
        assert isinstance(app.screen, OrderDetailScreen)
        text = screen_text(app)
    stored = orders.get_order(N)
    entry = stored.communications[0]
    assert (stored.lines[0].quantity, stored.lines[0].spec, stored.total) == (800, "蓝色", Decimal("28000.00"))
    assert entry.text == "客户来电：数量改为800件"
    for expected in ("800", "28,000.00", "蓝色",
                     f"line 1 quantity: 500 → 800  (客户来电：数量改为800件)  see log entry #{entry.id}",
                     f"#{entry.id} ", "changed: line 1 spec 白色 / L → 蓝色; line 1 quantity 500 → 800; "
                                      "total 17,500.00 → 28,000.00",
                     "上海市浦东新区世纪大道100号"):  # the delivery address shows
        assert expected in text, expected
    assert "Amended: 3 changes." in app.notified


async def test_add_a_line_remove_one_and_change_the_order_fields(order):
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(100, 60)) as pilot:
        form = await open_form(pilot)
        await pilot.press("ctrl+n")  # a new line, the cursor in its product
        await settle(pilot)
        await pilot.press(*"帽子", "tab", "tab", *"100件", "tab", *"12.5")
        form.query_one("#amend-deadline", Input).value = "12月5日下午3点"
        form.query_one("#amend-customer-address", Input).value = "北京市朝阳区1号"
        form.query_one("#line-1-product", Input).focus()
        await pilot.press("ctrl+r")  # the T-shirts go
        await pilot.press("ctrl+s")
        await settle(pilot, 3)
        assert isinstance(app.screen, OrderDetailScreen)
    stored = orders.get_order(N)
    assert [(x.product, x.quantity, x.unit_price) for x in stored.lines] == [("帽子", 100, Decimal("12.50"))]
    assert stored.total == Decimal("1250.00") and stored.customer.address == "北京市朝阳区1号"
    assert stored.deadline.text == "12月5日下午3点"
    assert {e.field for e in stored.events} >= {"lines.1", "lines.2", "total", "deadline", "customer.address"}


async def test_a_bad_value_stays_on_the_form_with_the_path_named(order):
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot)
        form.query_one("#line-1-quantity", Input).value = "lots"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "lines.1.quantity: “lots” is not a quantity" in screen_text(app)
        await pilot.press("escape")  # something typed: asks first
        await settle(pilot)
        assert app.screen is not form and not isinstance(app.screen, OrderDetailScreen)
    assert orders.get_order(N).version == order.version


@pytest.mark.parametrize("choice", ["k", "t"])
async def test_another_clerks_change_to_the_same_field_is_shown_not_overwritten(order, choice):
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot)
        form.query_one("#line-1-quantity", Input).value = "800"
        amend.amend_order(N, amend.Amendment((("lines.1.quantity", "600"),)), clerk="wang")  # meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        text = screen_text(app)
        assert "wang changed this order meanwhile" in text and "line 1 quantity: 500 → theirs 600, yours 800" in text
        assert orders.get_order(N).lines[0].quantity == 600
        await pilot.press(choice)
        await settle(pilot, 3)
        if choice == "k":  # keep mine: saved on top of theirs, knowingly
            assert isinstance(app.screen, OrderDetailScreen)
            assert orders.get_order(N).lines[0].quantity == 800
        else:  # take theirs: the form shows the order as stored
            assert app.screen is form and form.query_one("#line-2-quantity", Input).value == "600"
            assert orders.get_order(N).lines[0].quantity == 600


async def test_down_in_the_address_and_contact_goes_through_the_customers_own(database):
    """The delivery address and the contact of the amend form offer the customer's, like the new-order
    form: down picks the next, and saving records the one picked (issue 15)."""
    from dataclasses import replace

    from notedesk.services.types import AddressData, ContactData

    c = replace(sample_order().customer, addresses=(AddressData("杭州仓库", "仓库"),),
                contacts=(ContactData("王芳", "13800138000"), ContactData("李采购", "13900001111")))
    orders.create_order(sample_order(N, customer=c))
    app = Harness(lambda: OrderDetailScreen(N))
    async with app.run_test(size=(100, 60)) as pilot:
        form = await open_form(pilot)
        address, contact = (form.query_one(f"#amend-customer-{f}", Input) for f in ("address", "contact"))
        assert (address.value, contact.value) == ("上海市浦东新区世纪大道100号", "王芳")
        address.focus()
        await pilot.press("down")
        assert address.value == "杭州仓库"
        contact.focus()
        await pilot.press("down")
        assert contact.value == "李采购"
        await pilot.press("ctrl+s")
        await settle(pilot, 3)
        assert isinstance(app.screen, OrderDetailScreen)
    stored = orders.get_order(N)
    assert (stored.customer.address, stored.customer.contact, stored.customer.contact_phone) == (
        "杭州仓库", "李采购", "13900001111")
