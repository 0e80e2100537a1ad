"""A customer's contacts and addresses edited on the customer screen (issue 15): add, change, remove,
each one call with the customer's history; another clerk's change meanwhile is not overwritten; an
address or contact removed from the customer's lists stays for the orders that picked it. Both engines."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import sample_order
from notedesk.services import customer_lists, customers, deadlines, orders
from notedesk.services.errors import Conflict, InvalidInput, NotFound
from notedesk.services.types import AddressData, ContactData
from notedesk.store import models as m

pytestmark = pytest.mark.both_engines

HOME = "上海市浦东新区世纪大道100号"


@pytest.fixture
def customer(database) -> int:
    return orders.create_order(sample_order("SO-2026-00001")).customer_id


def test_a_contact_is_added_changed_and_removed_each_on_the_customer_history(customer):
    record = customer_lists.save_contact(customer, None, ContactData(" 李采购 ", "13900001111", "采购"), clerk="li")
    assert record.customer.contacts == (ContactData("王芳", "13800138000"),
                                       ContactData("李采购", "13900001111", "采购"))
    new_id = record.contact_ids[1]
    record = customer_lists.save_contact(customer, new_id, ContactData("李采购", "13900002222", "采购经理"),
                                         ContactData("李采购", "13900001111", "采购"), clerk="wang")
    assert record.customer.contacts[1] == ContactData("李采购", "13900002222", "采购经理")
    record = customer_lists.remove_contact(customer, new_id, record.customer.contacts[1], clerk="zhang")
    assert record.customer.contacts == (ContactData("王芳", "13800138000"),)
    assert not m.CustomerContact.select().where(m.CustomerContact.id == new_id).exists()  # no order picked it
    assert [(c.clerk, c.field, c.old, c.new) for c in record.changes] == [
        ("zhang", "contact", "李采购 · 13900002222 · 采购经理", ""),
        ("wang", "contact", "李采购 · 13900001111 · 采购", "李采购 · 13900002222 · 采购经理"),
        ("li", "contact", "", "李采购 · 13900001111 · 采购"),
    ]


def test_an_address_is_added_labelled_and_changed(customer):
    record = customer_lists.save_address(customer, None, AddressData("杭州市西湖区文三路1号", "仓库"), clerk="li")
    assert record.customer.addresses == (AddressData(HOME), AddressData("杭州市西湖区文三路1号", "仓库"))
    assert record.address_orders == (1, 0)
    first = record.address_ids[0]
    record = customer_lists.save_address(customer, first, AddressData(HOME, "总部"), AddressData(HOME), clerk="li")
    assert record.customer.addresses[0] == AddressData(HOME, "总部")
    assert (record.changes[0].old, record.changes[0].new) == (HOME, f"总部: {HOME}")
    # the same place better written: the order that picked it shows the new text
    fixed = HOME + " 3楼"
    customer_lists.save_address(customer, first, AddressData(fixed, "总部"), AddressData(HOME, "总部"))
    assert orders.get_order("SO-2026-00001").customer.address == fixed


def test_an_address_orders_picked_leaves_the_list_and_stays_for_those_orders(customer):
    record = customer_lists.save_address(customer, None, AddressData("杭州仓库"))
    home = record.address_ids[0]
    record = customer_lists.remove_address(customer, home, AddressData(HOME))
    assert record.customer.addresses == (AddressData("杭州仓库"),)  # a new order no longer offers it
    detail = orders.get_order("SO-2026-00001")
    assert detail.customer.address == HOME  # the order still delivers there
    assert [(i.address, i.contact_phone) for i in deadlines.due_orders()] == [(HOME, "13800138000")]  # due
    found = customers.find_customers("王芳")[0]
    assert [a.text for a in found.customer.addresses] == ["杭州仓库"]
    # an amend of that order (which sends its lists back) does not bring it back to the customer's list
    orders.update_order("SO-2026-00001", replace(orders.as_input(detail), lines=detail.lines[:1]),
                        base_version=detail.version)
    assert customers.get_customer(customer).customer.addresses == (AddressData("杭州仓库"),)
    assert orders.get_order("SO-2026-00001").customer.address == HOME


def test_a_contact_orders_picked_stays_for_them_with_its_phone(customer):
    record = customer_lists.save_contact(customer, None, ContactData("李采购", "13900001111"))
    first = record.contact_ids[0]
    customer_lists.remove_contact(customer, first, ContactData("王芳", "13800138000"))
    detail = orders.get_order("SO-2026-00001")
    assert (detail.customer.contact, detail.customer.contact_phone) == ("王芳", "13800138000")
    assert customers.get_customer(customer).customer.contacts == (ContactData("李采购", "13900001111"),)
    assert customers.find_customers("1380013")[0].id == customer  # the customer's own phone still finds it


def test_another_clerks_change_meanwhile_is_shown_not_overwritten(customer):
    record = customers.get_customer(customer)
    first, seen = record.contact_ids[0], record.customer.contacts[0]
    customer_lists.save_contact(customer, first, ContactData("王芳", "13800138001"), seen, clerk="wang")
    with pytest.raises(Conflict, match="wang changed this contact meanwhile: now 王芳 · 13800138001"):
        customer_lists.save_contact(customer, first, ContactData("王芳", "13800138000", "老板"), seen, clerk="li")
    with pytest.raises(Conflict):
        customer_lists.remove_contact(customer, first, seen, clerk="li")
    assert customers.get_customer(customer).customer.contacts == (ContactData("王芳", "13800138001"),)
    customer_lists.remove_contact(customer, first, ContactData("王芳", "13800138001"))
    with pytest.raises(NotFound):
        customer_lists.save_contact(customer, first, ContactData("王芳"), ContactData("王芳", "13800138001"))


def test_bad_input_is_one_line_and_changes_nothing(customer):
    before = customers.get_customer(customer)
    with pytest.raises(InvalidInput, match="contact name: must not be empty"):
        customer_lists.save_contact(customer, None, ContactData("  ", "139"))
    with pytest.raises(InvalidInput, match="already has this contact"):
        customer_lists.save_contact(customer, None, ContactData("王芳", "13800138000"))
    with pytest.raises(InvalidInput, match="address: must not be empty"):
        customer_lists.save_address(customer, None, AddressData(" ", "仓库"))
    with pytest.raises(InvalidInput, match="already has this address"):
        customer_lists.save_address(customer, None, AddressData(HOME))
    with pytest.raises(InvalidInput, match="NUL"):
        customer_lists.save_address(customer, None, AddressData("a\x00b"))
    with pytest.raises(NotFound):
        customer_lists.save_contact(customer + 999, None, ContactData("x"))
    after = customers.get_customer(customer)
    assert (after.customer, after.changes) == (before.customer, ())
