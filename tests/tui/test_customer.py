"""The customer across orders on screen (issue 15): `c` on the detail and on the list opens the
customer (contacts, addresses, preferences, orders open first, communications across orders, paged),
and `enter` there opens one of the orders. Pilot on a real SQLite file."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import DataTable

from conftest import sample_order
from notedesk.services import communications, orders
from notedesk.services.types import AddressData, ContactData
from notedesk.tui.screens.customer import CustomerScreen
from notedesk.tui.screens.order_detail import OrderDetailScreen

NUMBER = "SO-2026-00042"


@pytest.fixture
def customer(database):
    orders.create_order(sample_order())
    warehouse = replace(sample_order().customer, address="杭州仓库", contact="张三",
                        contacts=(ContactData("张三", "13911112222", "仓管"),),
                        addresses=(AddressData("杭州仓库", "仓库"),))
    orders.create_order(sample_order("SO-2026-00043", customer=warehouse, status="new"))
    orders.create_order(sample_order("SO-2026-00040", status="delivered"))
    start = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)
    for i in range(5):
        communications.log_communication("SO-2026-00043" if i % 2 else NUMBER, f"第{i}次来电",
                                         at=start + dt.timedelta(hours=i))


async def test_c_on_the_detail_shows_the_customer_with_this_order_and_the_others(customer, monkeypatch):
    monkeypatch.setattr(CustomerScreen, "page", 3)
    app = Harness(lambda: OrderDetailScreen("SO-2026-00043"))
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        detail = screen_text(app)
        assert "杭州仓库" in detail and "张三" in detail and "13911112222" in detail  # where to deliver, whom to call
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        text = screen_text(app)
        for expected in ("王芳", "芳华服饰有限公司", "只接受顺丰快递", "张三", "13911112222", "仓管",
                         "上海市浦东新区世纪大道100号", "Orders: 3, 2 open",
                         "第4次来电", "第3次来电", "第2次来电", "m: older entries"):
            assert expected in text, expected
        assert any(x.split()[:2] == ["仓库", "杭州仓库"] for x in text.splitlines())  # label, address
        assert "第1次来电" not in text  # the next page
        order_lines = [line for line in text.split("\n") if "SO-2026-000" in line and "次来电" not in line]
        numbers = [n for line in order_lines for n in ("SO-2026-00042", "SO-2026-00043", "SO-2026-00040") if n in line]
        assert numbers[:3] == ["SO-2026-00042", "SO-2026-00043", "SO-2026-00040"]  # open ones first, by due
        assert app.screen.query_one("#customer-orders", DataTable).cursor_row == 1  # on the order it came from
        await pilot.press("m")
        await settle(pilot)
        text = screen_text(app)
        assert "第1次来电" in text and "第0次来电" in text and "m: older entries" not in text
        await pilot.press("up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen) and app.screen.number == NUMBER
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)


async def test_c_on_the_list_opens_the_customer_of_the_order_under_the_cursor(customer):
    from notedesk.tui.app import NotedeskApp

    app = NotedeskApp("test")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert "王芳" in screen_text(app)


async def test_the_deadline_view_says_where_the_order_under_the_cursor_goes(customer, monkeypatch):
    from notedesk.tui.screens.deadline_view import DeadlineViewScreen

    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:00:00+08:00")
    app = Harness(DeadlineViewScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        seen = set()
        for _ in range(4):
            item = screen.current()
            if item is not None:
                seen.add((item.number, str(screen.query_one("#dv-delivery").render())))
            await pilot.press("down")
            await settle(pilot, 1)
    assert ("SO-2026-00043", "→ 杭州仓库 · 13911112222") in seen
    assert ("SO-2026-00042", "→ 上海市浦东新区世纪大道100号 · 13800138000") in seen


# --- editing the contacts and addresses (services.customer_lists) -------------------------------------


async def _customer_screen(pilot, app) -> CustomerScreen:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    return app.screen


async def test_a_contact_is_added_changed_and_removed_on_the_customer_screen(customer):
    from notedesk.services import customers
    from notedesk.tui.widgets.customer_lists import EntryModal, ListTable

    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _customer_screen(pilot, app)
        screen.query_one("#customer-contacts", ListTable).focus()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EntryModal)
        await pilot.press(*"李采购", "tab", *"13900001111", "tab", *"采购", "enter")
        await settle(pilot)
        assert app.screen is screen
        cid = orders.get_order(NUMBER).customer_id
        assert customers.get_customer(cid).customer.contacts[-1] == ContactData("李采购", "13900001111", "采购")
        table = screen.query_one("#customer-contacts", ListTable)
        assert table.row_count == 3 and table.cursor_row == 2
        await pilot.press("enter")  # change the one under the cursor
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, EntryModal) and modal.values() == {"name": "李采购", "phone": "13900001111",
                                                                   "role": "采购"}
        await pilot.press("tab", "tab", "ctrl+u", *"采购经理", "ctrl+s")
        await settle(pilot)
        assert customers.get_customer(cid).customer.contacts[-1].role == "采购经理"
        await pilot.press("delete")
        await settle(pilot)
        assert getattr(app.screen, "question", "") == "Remove the contact 李采购 · 13900001111 · 采购经理?"
        await pilot.press("y")
        await settle(pilot)
        record = customers.get_customer(cid)
        assert [k.name for k in record.customer.contacts] == ["王芳", "张三"]
        assert [(c.old, c.new) for c in record.changes][0] == ("李采购 · 13900001111 · 采购经理", "")
        assert table.row_count == 2


async def test_an_address_used_by_orders_is_removed_from_the_list_and_stays_for_them(customer):
    from notedesk.services import customers
    from notedesk.tui.widgets.customer_lists import ListTable

    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _customer_screen(pilot, app)
        screen.query_one("#customer-addresses", ListTable).focus()
        await pilot.press("delete")
        await settle(pilot)
        question = getattr(app.screen, "question", "")
        assert question == ("Remove the delivery address 上海市浦东新区世纪大道100号? "
                            "The 2 orders that picked it keep it.")
        await pilot.press("y")
        await settle(pilot)
        cid = orders.get_order(NUMBER).customer_id
        assert [a.text for a in customers.get_customer(cid).customer.addresses] == ["杭州仓库"]
    assert orders.get_order(NUMBER).customer.address == "上海市浦东新区世纪大道100号"


async def test_a_refused_value_keeps_the_form_open_and_says_why(customer):
    from notedesk.tui.widgets.customer_lists import EntryModal, ListTable

    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _customer_screen(pilot, app)
        screen.query_one("#customer-addresses", ListTable).focus()
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"杭州仓库", "enter")  # already one of the customer's
        await settle(pilot)
        assert isinstance(app.screen, EntryModal)
        assert "the customer already has this address" in screen_text(app)
        await pilot.press("escape")  # typed: asks first
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is screen
