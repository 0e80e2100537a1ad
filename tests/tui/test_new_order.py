"""NewOrderScreen: the lines grammar, the live deadline preview, inline errors, saving and cancelling."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from notedesk.services import listing, orders
from notedesk.tui.app import NotedeskApp
from notedesk.tui.screens.message import ConfirmModal
from notedesk.tui.screens.new_order import FormError, NewOrderScreen, parse_amount, parse_lines
from notedesk.tui.screens.order_list import OrderListScreen


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_lines_with_and_without_spec():
    lines = parse_lines("T恤 | 红色 / XL | 200 | 35.00\n\n帆布包｜50｜¥1,088.5\n")
    assert [(x.product, x.spec, x.quantity, x.unit_price) for x in lines] == [
        ("T恤", "红色 / XL", 200, Decimal("35.00")), ("帆布包", "", 50, Decimal("1088.5"))]


@pytest.mark.parametrize("text, message", [
    ("", "at least one line"),
    ("T恤 | 2", "line 1: write product | spec | quantity | unit price"),
    ("ok | 1 | 1\na | b | c | 1 | 2", "line 2: write product | spec | quantity | unit price"),
    ("ok | 1 | 1\n | x | 2 | 3", "line 2: the product is missing"),
    ("T恤 | 红色 | 两百 | 35", "line 1: quantity “两百” is not a whole number"),
    ("T恤 | 红色 | 0 | 35", "line 1: quantity must be more than 0"),
    ("T恤 | 红色 | 2 | abc", "line 1: unit price “abc” is not an amount"),
    ("T恤 | 红色 | 2 | -1", "line 1: unit price “-1” is not an amount"),
    ("T恤 | 红色 | 2 | NaN", "line 1: unit price “NaN” is not an amount"),
])
def test_line_errors_name_the_line(text, message):
    with pytest.raises(FormError) as caught:
        parse_lines(text)
    assert message in str(caught.value)


def test_amount_due():
    assert parse_amount("") is None
    assert parse_amount("7,000.00") == Decimal("7000.00")
    with pytest.raises(FormError):
        parse_amount("seven")


async def open_form(pilot) -> NewOrderScreen:
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NewOrderScreen)
    return pilot.app.screen


async def test_the_deadline_preview_follows_the_typing(database, db_url, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-30T10:00")
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        preview = form.query_one("#deadline-preview")
        assert "no deadline" in str(preview.render())
        form.query_one("#new-deadline").value = "明天上午9点到11点"
        await pilot.pause()
        assert str(preview.render()) == "→ Tue 1 Dec 09:00–11:00, tomorrow"
        form.query_one("#new-deadline").value = "2月30日"
        await pilot.pause()
        assert "no day 30 in February" in str(preview.render()) and preview.has_class("-error")


async def test_a_complete_order_is_saved_with_everything(database, db_url, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-30T10:00")
    app = NotedeskApp(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"Li Lei")  # typed for real into the focused name field
        values = {"#customer-company": "雷锋五金", "#customer-phone": "13900000000",
                  "#customer-address": "北京市朝阳区", "#customer-preferences": "只要顺丰",
                  "#new-deadline": "12月3日下午2点到4点", "#new-due": "1,000"}
        for selector, value in values.items():
            form.query_one(selector).value = value
        form.query_one("#new-lines").text = "螺丝 | M6 | 1000 | 0.5\n扳手 | 20 | 25"
        form.query_one("#new-method").value = "cod"
        form.query_one("#new-status").value = "confirmed"
        form.query_one("#new-requirements").text = "[bold]不要[/]塑料袋"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # a new customer only when the clerk says so
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
        number = app.screen.table.cursor_number
        detail = orders.get_order(number)
        assert detail.customer.name == "Li Lei" and detail.customer.company == "雷锋五金"
        assert detail.customer.preferences == "只要顺丰"
        assert detail.status == "confirmed"
        assert [(x.product, x.spec, x.quantity) for x in detail.lines] == [("螺丝", "M6", 1000), ("扳手", "", 20)]
        assert detail.total == Decimal("1000.00")
        assert (detail.deadline.date, detail.deadline.start, detail.deadline.end) == \
            (dt.date(2026, 12, 3), dt.time(14), dt.time(16))
        assert detail.deadline.text == "12月3日下午2点到4点"
        assert (detail.payment.method, detail.payment.amount_due) == ("cod", Decimal("1000.00"))
        assert detail.notes["requirements"].body == "[bold]不要[/]塑料袋"
        assert number == listing.list_orders(listing.OrderQuery())[0].number


async def test_errors_are_shown_in_the_form_literally_and_nothing_is_saved(database, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        error = form.query_one("#new-error")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "customer's name is required" in str(error.render())
        form.query_one("#customer-name").value = "王芳"
        form.query_one("#new-lines").text = "T恤 | 红 | [b]3 | 35"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(error.render()) == "line 1: quantity “[b]3” is not a whole number"
        form.query_one("#new-lines").text = "T恤 | 红 | 3 | 35"
        form.query_one("#new-currency").value = "C1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # 王芳 is a new customer: yes
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NewOrderScreen)  # the service refused: the form stays
        assert "currency" in str(error.render())
        assert listing.count_orders(listing.OrderQuery()) == 0


async def test_escape_leaves_at_once_when_nothing_was_typed(database, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrderListScreen)


async def test_escape_asks_before_throwing_typing_away(database, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"Wang")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # no: keep editing
        await pilot.pause()
        assert app.screen is form and form.query_one("#customer-name").value == "Wang"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert isinstance(app.screen, OrderListScreen)
        assert listing.count_orders(listing.OrderQuery()) == 0


async def test_an_existing_customer_is_found_as_you_type_and_fills_the_rest(database, db_url):
    """Issue 15: name, company or phone finds the customer; down and enter take it; the order is theirs."""
    from conftest import sample_order

    first = orders.create_order(sample_order("SO-2026-00001"))
    orders.create_order(sample_order("SO-2026-00002", customer=replace(sample_order().customer, name="王伟",
                                                                         phone="13911111111")))
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"1380")  # the phone, typed into the name field: found all the same
        await settle(pilot)
        assert [m.customer.name for m in form.matches] == ["王芳"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert form.picked is not None and form.picked.id == first.customer_id
        assert form.query_one("#customer-name").value == "王芳"
        assert form.query_one("#customer-company").value == "芳华服饰有限公司"
        assert form.query_one("#customer-phone").value == "13800138000"
        assert form.query_one("#customer-address").value == "上海市浦东新区世纪大道100号"
        assert "existing customer" in str(form.query_one("#customer-picked").render())
        form.query_one("#new-lines").text = "T恤 | 蓝色 | 10 | 30"
        await pilot.press("ctrl+s")  # an existing customer: no question
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
    newest = listing.list_orders(listing.OrderQuery())[0].number
    assert orders.get_order(newest).customer_id == first.customer_id


async def test_a_new_customer_is_made_only_when_the_clerk_says_so(database, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"Li Lei")
        form.query_one("#new-lines").text = "螺丝 | 10 | 1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # no: back to the form, nothing saved
        await settle(pilot)
        assert app.screen is form and listing.list_orders(listing.OrderQuery()) == []


async def test_down_in_the_address_goes_through_the_addresses_of_the_customer_taken(database, db_url):
    from conftest import sample_order
    from notedesk.services.types import AddressData

    two = replace(sample_order().customer, addresses=(AddressData("杭州仓库", "仓库"),))
    orders.create_order(sample_order("SO-2026-00001", customer=two))
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"王芳")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert "2 addresses" in str(form.query_one("#customer-picked").render())
        address = form.query_one("#customer-address")
        assert address.value == "杭州仓库"  # the customer's first
        address.focus()
        await pilot.press("down")
        assert address.value == "上海市浦东新区世纪大道100号"
        await pilot.press("down")
        assert address.value == "杭州仓库"


async def test_the_clerk_chooses_the_contact_and_the_order_records_that_one(database, db_url):
    """Issue 15: the contact field holds the customer's first contact; up/down go through the others;
    the order records the one chosen (not the first)."""
    from conftest import sample_order
    from notedesk.services.types import ContactData

    people = replace(sample_order().customer, contacts=(ContactData("王芳", "13800138000"),
                                                        ContactData("李采购", "13900001111", "采购")))
    orders.create_order(sample_order("SO-2026-00001", customer=people))
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"王芳")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        contact = form.query_one("#customer-contact")
        assert contact.value == "王芳"  # the customer's first contact
        assert "2 contacts" in str(form.query_one("#contact-hint").render())
        contact.focus()
        await pilot.press("down")
        assert contact.value == "李采购"
        hint = str(form.query_one("#contact-hint").render())
        assert "13900001111" in hint and "采购" in hint
        form.query_one("#new-lines").text = "T恤 | 蓝色 | 10 | 30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderListScreen)
    newest = listing.list_orders(listing.OrderQuery())[0].number
    detail = orders.get_order(newest)
    assert (detail.customer.contact, detail.customer.contact_phone) == ("李采购", "13900001111")


async def test_a_contact_typed_with_a_phone_becomes_a_new_contact_of_the_customer(database, db_url):
    from conftest import sample_order

    first = orders.create_order(sample_order("SO-2026-00001"))
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"王芳")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        contact = form.query_one("#customer-contact")
        contact.focus()
        contact.value = ""
        await pilot.press(*"张仓管 137 0000 2222")
        assert "new contact" in str(form.query_one("#contact-hint").render())
        form.query_one("#new-lines").text = "T恤 | 蓝色 | 10 | 30"
        await pilot.press("ctrl+s")
        await settle(pilot)
    newest = listing.list_orders(listing.OrderQuery())[0].number
    detail = orders.get_order(newest)
    assert detail.customer_id == first.customer_id
    assert (detail.customer.contact, detail.customer.contact_phone) == ("张仓管", "137 0000 2222")
    assert [k.name for k in detail.customer.contacts] == ["王芳", "张仓管"]


def test_the_contact_field_reads_a_name_and_a_phone():
    from notedesk.services.types import ContactData
    from notedesk.tui.screens.new_order import split_contact

    assert split_contact("  ") is None
    assert split_contact("李四") == ContactData("李四")
    assert split_contact("李四 13900001111") == ContactData("李四", "13900001111")
    assert split_contact("Tom Lee +86 139-0000-1111") == ContactData("Tom Lee", "+86 139-0000-1111")
    assert split_contact("Room 101") == ContactData("Room 101")  # too few digits for a phone
