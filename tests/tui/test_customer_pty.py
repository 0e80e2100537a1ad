"""The customer across orders in the real desk at 80×24 (issue 15's "done means"): from an order, `c`
shows its customer with this order and the others; `enter` there opens another one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pty_desk import DeskInPty

from conftest import sample_order
from notedesk.services import orders
from notedesk.services.types import AddressData

SIZE = (80, 24)


@pytest.fixture
def desk_db(database, db_url):
    orders.create_order(sample_order("SO-2026-00041", status="delivered"))
    warehouse = replace(sample_order().customer, address="杭州仓库", addresses=(AddressData("杭州仓库", "仓库"),))
    orders.create_order(sample_order("SO-2026-00042", customer=warehouse))
    orders.create_order(sample_order("SO-2026-00043", customer=replace(sample_order().customer, name="李伟",
                                                                          phone="13900000000")))
    return db_url.removeprefix("sqlite:///")


def test_c_from_an_order_shows_its_customer_with_this_order_and_the_others(desk_db):
    desk = DeskInPty("--db", desk_db, size=SIZE)
    try:
        desk.wait_for("SO-2026-00042", "? Help", timeout=30)
        desk.write(b"/00042\r")  # filter to the order, then to the list
        desk.wait_for("1 order")
        desk.press("enter")
        desk.wait_for("Deliver to", "杭州仓库", "c Customer")
        desk.press("c")
        screen = desk.wait_for("Orders: 2, 1 open", "SO-2026-00041", "杭州仓库")
        assert "SO-2026-00042" in screen and "上海市浦东新区世纪大道100号" in screen
        assert "SO-2026-00043" not in screen  # another customer's
        desk.press("down", "enter")  # the delivered one, from the customer
        desk.wait_for("SO-2026-00041", "delivered", "c Customer")
        desk.press("escape", "escape", "escape")
        desk.wait_for("? Help")
        desk.press("q")
        assert desk.finish() == 0
    finally:
        desk.kill()


def test_a_burst_finds_takes_a_customer_and_goes_on_to_the_next_fields(desk_db):
    """The lookup, a down, an enter and a Tab in one read: the keys wait for the customers found
    (the form says takes_keys), so the customer is taken and the text after lands in the next field."""
    desk = DeskInPty("--db", desk_db, size=SIZE)
    try:
        desk.wait_for("SO-2026-00042", "? Help", timeout=30)
        desk.press("n")
        desk.wait_for("Customer *")
        desk.write("王芳".encode() + b"\x1b[B\r\t\t\t.hk")  # name, down, enter, Tab×3 to the e-mail, more
        screen = desk.wait_for("existing customer", "上海市浦东新区世纪大道100号")
        screen = desk.wait_for(".hk")
        line = next(x for x in screen.split("\n") if x.strip().startswith("Email"))
        assert line.split()[-1] == ".hk"  # Tab selects a field's text: typing replaces it
        assert "13800138000" in screen and "芳华服饰有限公司" in screen
    finally:
        desk.kill()


@pytest.mark.both_engines
def test_contacts_are_added_and_removed_from_the_keyboard_in_a_burst(desk_db):
    """shift+tab to the contacts, `n`, the new contact typed in one burst with Tabs and enter; then
    the Delete key (ESC [3~ as terminals send it) and `y` remove it again. On PostgreSQL too."""
    desk = DeskInPty("--db", desk_db, size=SIZE)
    try:
        desk.wait_for("SO-2026-00042", "? Help", timeout=30)
        desk.write(b"/00042\r")
        desk.wait_for("1 order")
        desk.press("enter")
        desk.wait_for("Deliver to", "c Customer")
        desk.press("c")
        desk.wait_for("Orders: 2, 1 open")
        desk.write(b"\x1b[Z\x1b[Z")  # shift+tab twice: the addresses, then the contacts
        desk.wait_for("⏎ Change n Add del Remove")
        desk.write("n李采购\t13900001111\t采购\r".encode())
        screen = desk.wait_for("Saved.", "李采购")
        line = next(x for x in screen.split("\n") if "李采购" in x)
        assert line.split()[:3] == ["李采购", "13900001111", "采购"]
        desk.write(b"\x1b[3~")  # Delete, on the new contact (the cursor went to it)
        desk.wait_for("Remove the contact 李采购")
        desk.press("y")
        desk.wait_for("Removed.", absent=("李采购",))
        desk.press("escape", "escape", "escape")
        desk.wait_for("? Help")
        desk.press("q")
        assert desk.finish() == 0
    finally:
        desk.kill()


def test_a_burst_takes_a_customer_and_chooses_its_second_contact(desk_db):
    """name ↓ ⏎, five Tabs to the contact field and ↓ in one read: the customer's second contact is
    chosen, its phone shown under it, and the order saved with it records that contact."""
    from notedesk.services import customer_lists, customers, listing
    from notedesk.services.types import ContactData
    from notedesk.store.connection import close_database, open_database

    open_database(f"sqlite:///{desk_db}")
    found = customers.find_customers("王芳")[0]
    customer_lists.save_contact(found.id, None, ContactData("李采购", "13900001111", "采购"))
    close_database()
    desk = DeskInPty("--db", desk_db, size=SIZE)
    try:
        desk.wait_for("SO-2026-00042", "? Help", timeout=30)
        desk.press("n")
        desk.wait_for("Customer *")
        desk.write("王芳".encode() + b"\x1b[B\r\t\t\t\t\t\x1b[B")
        screen = desk.wait_for("existing customer", "李采购", "13900001111 · 采购")
        line = next(x for x in screen.split("\n") if x.strip().startswith("Contact"))
        assert line.split()[-1] == "李采购"
        desk.write("\t\t帽 | 10 | 5\x13".encode())  # past the preferences to the lines; ctrl+s
        desk.wait_for("? Help", "SO-2026-00044", timeout=15)
    finally:
        desk.kill()
    open_database(f"sqlite:///{desk_db}")
    try:
        newest = listing.list_orders(listing.OrderQuery())[0].number
        assert orders.get_order(newest).customer.contact == "李采购"
    finally:
        close_database()
