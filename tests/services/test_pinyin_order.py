"""Names in pinyin order under Chinese (issue 20): 张 after 江, on both engines, and the keyset pages
of the order list follow the same stored key; English keeps its order."""

from __future__ import annotations

import pytest

from conftest import sample_order
from notedesk import i18n
from notedesk.services import listing, orders
from notedesk.services.listing import OrderQuery
from notedesk.services.transaction import transaction
from notedesk.services.types import CustomerData
from notedesk.store import models as m
from notedesk.store.sort_keys import sort_key


def make(number: str, name: str):
    return orders.create_order(sample_order(number=number, customer=CustomerData(name=name, phone=number)))


NAMES = ["张玲", "江秀兰", "Anna Smith", "李伟", "安娜", "bob", "重庆百货", "张玲", "欧阳娜娜"]
PINYIN_ORDER = ["安娜", "Anna Smith", "bob", "重庆百货", "江秀兰", "李伟", "欧阳娜娜", "张玲", "张玲"]


@pytest.fixture
def zh():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.fixture
def names(database):
    for n, name in enumerate(NAMES, 1):
        make(f"SO-2026-{n:05d}", name)
    return database


def customers(query: OrderQuery) -> list[str]:
    return [o.customer for o in listing.list_orders(query, limit=100)]


def test_the_key_reads_pinyin_then_the_name():
    assert sort_key("张玲") == "zhang1ling2\t张玲"
    assert sort_key("江秀兰") < sort_key("张玲")  # the example
    assert sort_key("重庆百货").startswith("chong2qing4")  # a phrase's reading, not zhong4
    assert sort_key("Anna Smith") == "anna smith\tAnna Smith"


def test_customers_sort_by_pinyin_under_chinese(names, zh):
    assert customers(OrderQuery(sort="customer", descending=False)) == PINYIN_ORDER
    assert customers(OrderQuery(sort="customer", descending=True)) == PINYIN_ORDER[::-1]


def test_english_keeps_its_order(names):
    assert customers(OrderQuery(sort="customer", descending=False)) == sorted(NAMES)


@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_follow_the_pinyin_key(names, zh, descending):
    query = OrderQuery(sort="customer", descending=descending)
    whole = [o.number for o in listing.list_orders(query, limit=100)]
    total = listing.count_orders(query)
    pages, after = [], None
    while True:
        page = (listing.fetch_page(query, after=after, limit=2, total=total) if after
                else listing.fetch_page(query, offset=0, limit=2))
        if not page.rows:
            break
        pages += [o.number for o in page.rows]
        after = page.keys[-1]
    assert pages == whole and len(whole) == len(NAMES)
    by_offset = [o.number for start in range(0, total, 3)
                 for o in listing.fetch_page(query, offset=start, limit=3, total=total).rows]
    assert by_offset == whole


def test_a_renamed_customer_moves_and_every_write_fills_missing_keys(names, zh):
    with transaction():
        m.Customer.update(name="艾伦").where(m.Customer.name == "李伟").execute()  # 'ai4lun2': first
    assert customers(OrderQuery(sort="customer", descending=False))[0] == "艾伦"
    with transaction():  # any writer that leaves keys out (a bulk load, the sqlite3 shell) gets them filled
        m.Customer.update(sort_key=None).execute()
    assert m.Customer.select().where(m.Customer.sort_key.is_null()).count() == 0
    assert customers(OrderQuery(sort="customer", descending=False))[1:] == [
        name for name in PINYIN_ORDER if name != "李伟"]


def test_the_demo_bulk_load_keys_its_customers(database):
    from notedesk import demo

    demo.fill(40, progress=False)
    assert m.Customer.select().count() > 0
    assert m.Customer.select().where(m.Customer.sort_key.is_null()).count() == 0


def test_the_new_order_forms_lookup_lists_names_in_pinyin_order_under_chinese(database):
    """The customer lookup (new-order form): names starting with what was typed, by the stored key
    under Chinese (王芳 wáng fāng before 王强 wáng qiáng before 王小明), by code point under English."""
    from notedesk.services.customers import find_customers

    for n, name in enumerate(["王强", "汪洋", "王小明", "王芳"], 1):
        make(f"SO-2026-{n:05d}", name)
    assert [c.customer.name for c in find_customers("王")] == ["王小明", "王强", "王芳"]  # English: as stored
    i18n.set_language("zh")
    try:
        assert [c.customer.name for c in find_customers("王")] == ["王芳", "王强", "王小明"]
        assert [c.customer.name for c in find_customers("王", limit=2)] == ["王芳", "王强"]  # the first by the key
    finally:
        i18n.set_language("en")
