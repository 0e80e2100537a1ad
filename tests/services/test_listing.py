"""services.listing: filter, sort, keyset and offset pages that agree, ties broken by id."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import sample_order
from notedesk.services import changes, listing, orders
from notedesk.services.listing import OrderQuery
from notedesk.services.types import CustomerData, Deadline, LineData, Payment

T = dt.time


def make(number: str, name: str, *, company: str = "", price: str = "10.00", date: dt.date | None = None,
         end: dt.time | None = None, start: dt.time | None = None, status: str = "new",
         created: dt.datetime | None = None):
    deadline = Deadline(text="x", date=date, start=start, end=end) if date else Deadline(text="")
    return orders.create_order(sample_order(
        number=number, status=status,
        customer=CustomerData(name=name, company=company, phone=number),
        lines=(LineData(product="p", quantity=1, unit_price=Decimal(price)),),
        deadline=deadline, payment=Payment(method="prepaid"),
        created_at=created or dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC),
    ))


def numbers(query: OrderQuery, **kw) -> list[str]:
    return [o.number for o in listing.list_orders(query, **kw)]


@pytest.fixture
def six(database):
    """Six orders created at the same instant (so 'updated' ties everywhere) with varied fields."""
    d = dt.date(2026, 12, 1)
    make("SO-2026-00001", "王芳", company="芳华服饰有限公司", price="30", date=d, start=T(9), end=T(11))
    make("SO-2026-00002", "Anna Smith", company="Acme Ltd", price="10", date=d, end=T(15))
    make("SO-2026-00003", "李伟", price="20", date=d)  # by the end of the day: after every window
    make("SO-2026-00004", "Bob 100%", company="Percent_Co", price="50")  # undated
    make("SO-2026-00005", "张敏", price="40", date=dt.date(2026, 11, 30), end=T(18), status="delivered")
    make("SO-2026-00006", "anna smith", price="10", date=dt.date(2026, 12, 2), start=T(8), end=T(9))
    return database


def test_filter_matches_number_customer_and_company_in_any_case(six):
    assert numbers(OrderQuery(text="00003")) == ["SO-2026-00003"]
    assert numbers(OrderQuery(text="so-2026-00003")) == ["SO-2026-00003"]
    assert numbers(OrderQuery(text="王芳")) == ["SO-2026-00001"]
    assert numbers(OrderQuery(text="芳华")) == ["SO-2026-00001"]
    assert set(numbers(OrderQuery(text="ANNA"))) == {"SO-2026-00002", "SO-2026-00006"}
    assert numbers(OrderQuery(text="acme")) == ["SO-2026-00002"]
    assert numbers(OrderQuery(text="  ")) != []  # blank text is no filter
    assert listing.count_orders(OrderQuery(text="anna")) == 2


def test_like_wildcards_in_the_filter_are_literal(six):
    assert numbers(OrderQuery(text="100%")) == ["SO-2026-00004"]
    assert numbers(OrderQuery(text="t_c")) == ["SO-2026-00004"]  # only "Percent_Co" has a real "_"
    assert numbers(OrderQuery(text="%")) == ["SO-2026-00004"]


def test_status_and_open_filters(six):
    assert numbers(OrderQuery(open_only=True)).count("SO-2026-00005") == 0
    assert numbers(OrderQuery(statuses=("delivered",))) == ["SO-2026-00005"]


def test_ties_are_broken_by_id_in_both_directions(six):
    assert numbers(OrderQuery(sort="updated", descending=False)) == [f"SO-2026-0000{i}" for i in range(1, 7)]
    assert numbers(OrderQuery(sort="updated", descending=True)) == [f"SO-2026-0000{i}" for i in range(6, 0, -1)]


def test_deadline_sort_windows_then_end_of_day_then_undated(six):
    ascending = numbers(OrderQuery(sort="deadline", descending=False))
    assert ascending == ["SO-2026-00005", "SO-2026-00001", "SO-2026-00002", "SO-2026-00003",
                         "SO-2026-00006", "SO-2026-00004"]
    assert numbers(OrderQuery(sort="deadline", descending=True)) == ascending[::-1]


def test_other_sorts(six):
    assert numbers(OrderQuery(sort="total", descending=True))[:2] == ["SO-2026-00004", "SO-2026-00005"]
    by_total = numbers(OrderQuery(sort="total", descending=False))
    assert by_total[:2] == ["SO-2026-00002", "SO-2026-00006"]  # equal totals: by id
    assert numbers(OrderQuery(sort="number", descending=True))[0] == "SO-2026-00006"
    customers = [o.customer for o in listing.list_orders(OrderQuery(sort="customer", descending=False))]
    assert customers == sorted(customers)
    statuses = [o.status for o in listing.list_orders(OrderQuery(sort="status", descending=False))]
    assert statuses == sorted(statuses)
    with pytest.raises(ValueError):
        listing.list_orders(OrderQuery(sort="colour"))


def _many() -> None:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i in range(45):
        make(f"SO-2026-{i + 1:05d}", f"客户{i % 7}" if i % 2 else f"Customer {i % 5}", price=str(10 * (i % 4)),
             date=dt.date(2026, 12, 1 + i % 3) if i % 5 else None, end=T(9 + i % 2) if i % 3 else None,
             created=base + dt.timedelta(hours=i // 4), company="Acme" if i % 6 == 0 else "")


@pytest.fixture
def many(from_template):
    """45 orders; groups of equal creation time and equal totals, so ties are everywhere (made once
    per engine: the tests only read them)."""
    return from_template(_many)


@pytest.mark.parametrize("sort", listing.SORTS)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("text", ["", "客户", "acme"])
def test_offset_keyset_and_from_the_end_pages_all_agree(many, sort, descending, text):
    query = OrderQuery(text=text, sort=sort, descending=descending)
    whole = numbers(query, limit=1000)
    total = listing.count_orders(query)
    assert len(whole) == total == len(set(whole))
    size = 7
    by_offset, by_offset_total, by_keyset = [], [], []
    after = None
    for start in range(0, total, size):
        by_offset += [o.number for o in listing.fetch_page(query, offset=start, limit=size).rows]
        by_offset_total += [o.number for o in listing.fetch_page(query, offset=start, limit=size, total=total).rows]
        page = listing.fetch_page(query, after=after, limit=size, total=total) if after else \
            listing.fetch_page(query, offset=0, limit=size)
        by_keyset += [o.number for o in page.rows]
        after = page.keys[-1] if page.keys else None
    assert by_offset == by_offset_total == by_keyset == whole
    backwards, before = [], listing.fetch_page(query, offset=total - size, limit=size, total=total)
    backwards = [o.number for o in before.rows]
    while before.keys:
        before = listing.fetch_page(query, before=before.keys[0], limit=size, total=total)
        backwards = [o.number for o in before.rows] + backwards
    assert backwards == whole


def test_a_filtered_page_matches_the_whole_filtered_list(many):
    query = OrderQuery(text="客户3", sort="deadline")
    total = listing.count_orders(query)
    everything = [o for o in listing.list_orders(OrderQuery(sort="deadline"), limit=1000)
                  if "客户3" in o.customer]
    page = listing.fetch_page(query, limit=100, total=total)
    assert [o.number for o in page.rows] == [o.number for o in everything] != []
    assert total == len(everything)


def test_position_of(many):
    query = OrderQuery(sort="customer", descending=False)
    whole = numbers(query, limit=1000)
    for at in (0, 17, len(whole) - 1):
        assert listing.position_of(query, whole[at]) == at
    assert listing.position_of(OrderQuery(text="acme"), "SO-2026-00002") is None
    assert listing.position_of(query, "SO-1999-99999") is None


def test_an_order_beyond_the_end_and_an_empty_page(many):
    total = listing.count_orders(OrderQuery())
    assert listing.fetch_page(OrderQuery(), offset=total, total=total).rows == ()
    assert listing.fetch_page(OrderQuery(), offset=total + 5).rows == ()
    assert listing.fetch_page(OrderQuery(), limit=0).rows == ()


def test_the_first_screen_is_the_count_and_the_first_page(many):
    query = OrderQuery(text="客户", sort="deadline")
    first = listing.first_screen(query, limit=7)
    assert (first.query, first.limit) == (query, 7)
    assert first.count == listing.count_orders(query) > 7
    assert first.page == listing.fetch_page(query, offset=0, limit=7)
    assert first.changes == changes.counter() > 0


def test_the_first_screen_of_an_empty_desk(database):
    first = listing.first_screen()
    assert (first.count, first.page.rows, first.limit) == (0, (), listing.PAGE_ROWS)


@pytest.mark.parametrize("walk", [3, 10])
@pytest.mark.parametrize("sort", ["customer", "deadline", "updated"])
def test_a_short_walk_falls_back_to_the_whole_id_set_with_the_same_rows(many, monkeypatch, walk, sort):
    """The filtered page is first looked for in the next WALK rows; when they do not fill it the
    whole id set is used. Either way the pages are the filtered list, in order."""
    monkeypatch.setattr(listing, "WALK", walk)
    for text in ("客户", "acme", "so-2026-0001"):
        query = OrderQuery(text=text, sort=sort, descending=False)
        whole = [o.number for o in listing.list_orders(query, limit=1000)]
        total = listing.count_orders(query)
        assert len(whole) == total
        got, after = [], None
        while True:
            page = listing.fetch_page(query, after=after, limit=4, total=total) if after else \
                listing.fetch_page(query, limit=4, total=total)
            got += [o.number for o in page.rows]
            if not page.keys:
                break
            after = page.keys[-1]
        assert got == whole
        assert [o.number for o in listing.fetch_page(query, offset=5, limit=4, total=total).rows] == whole[5:9]
