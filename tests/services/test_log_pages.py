"""Long histories a page at a time (issue 21): communication logs by keyset on (at, id), of an order or of
a customer across orders, and note histories by version; nothing shown twice or skipped when entries
are added meanwhile."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from conftest import sample_order
from notedesk.services import communications, notes, orders
from notedesk.services.errors import InvalidInput

N, M = "SO-2026-00042", "SO-2026-00043"
T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def _long_log() -> None:
    orders.create_order(sample_order(N))
    for n in range(120):
        communications.log_communication(N, f"call {n}", at=T0 + dt.timedelta(minutes=n // 2), clerk="li")


@pytest.fixture
def long_log(from_template):
    """N with 120 entries: two at each minute, so that pages end between entries of the same time (a
    copy of the log written once per engine: 120 writes took seconds on every test)."""
    from_template(_long_log)
    return [f"call {n}" for n in reversed(range(120))]  # newest first: same time, the later id first


def texts(page) -> list[str]:
    return [e.text for e in page.entries]


def every_page(**where) -> list[str]:
    out, before = [], None
    while True:
        page = communications.log_page(**where, before=before, limit=50)
        out += texts(page)
        if page.older is None:
            return out
        before = page.older


def test_pages_follow_each_other_newest_first(long_log):
    first = communications.log_page(N, limit=50)
    assert texts(first) == long_log[:50] and first.older is not None
    assert every_page(number=N) == long_log
    assert all(e.order_number == N for e in first.entries)


def test_entries_added_meanwhile_are_neither_repeated_nor_skipped(long_log):
    first = communications.log_page(N, limit=50)
    for n in range(5):  # other clerks log calls while this one reads the first page
        communications.log_communication(N, f"new {n}", clerk="wang")
    second = communications.log_page(N, before=first.older, limit=50)
    assert texts(second) == long_log[50:100]  # straight on from the first page
    # read again from the newest down to the last entry shown: the new ones on top, nothing lost
    shown = communications.log_page(N, down_to=second.keys[-1])
    assert texts(shown) == [f"new {n}" for n in reversed(range(5))] + long_log[:100]


def test_an_entry_logged_with_an_older_time_appears_where_it_belongs(long_log):
    """A call logged late (its time in the past, between pages already read) shows up when what is
    shown is read again, in its place."""
    first = communications.log_page(N, limit=50)
    late = T0 + dt.timedelta(minutes=40, seconds=30)  # after calls 80 and 81 (40 min), before 82 and 83
    communications.log_communication(N, "logged late", at=late, clerk="wang")
    again = texts(communications.log_page(N, down_to=first.keys[-1]))
    assert again.index("logged late") == again.index("call 82") + 1 == again.index("call 81") - 1


def test_the_detail_reads_only_the_newest_page(long_log):
    detail = orders.get_order(N, log_limit=30)
    assert [e.text for e in detail.communications] == long_log[:30]
    rest = communications.log_page(N, before=detail.older_log, limit=500)
    assert texts(rest) == long_log[30:] and rest.older is None
    assert orders.get_order(N).older_log is None and len(orders.get_order(N).communications) == 120


def test_a_customers_log_spans_its_orders(database):
    first = orders.create_order(sample_order(N))
    orders.create_order(sample_order(M))  # the same customer (name and phone)
    someone = replace(sample_order().customer, name="Someone else", phone="13900000000")
    other = orders.create_order(sample_order("SO-2026-00044", customer=someone))
    communications.log_communication(N, "on N", at=T0, clerk="li")
    communications.log_communication(M, "on M", at=T0 + dt.timedelta(hours=1), clerk="li")
    communications.log_communication(other.number, "elsewhere", at=T0, clerk="li")
    page = communications.log_page(customer_id=first.customer_id)
    assert [(e.text, e.order_number) for e in page.entries] == [("on M", M), ("on N", N)]
    assert page.older is None


def test_a_log_is_an_orders_or_a_customers(database):  # bound to a database of its own, not the last test's
    with pytest.raises(InvalidInput):
        communications.log_page()


def test_note_history_pages_carry_the_revision_before_them(database):
    orders.create_order(sample_order(N, notes={}))
    view = notes.get_note(N, "requirements")
    for n in range(1, 251):
        view = notes.save_note(N, "requirements", f"text {n}", base_version=view.version)
    first = notes.history_page(N, "requirements", limit=100)
    assert [r.version for r in first.revisions] == list(range(250, 150, -1))
    assert first.previous is not None and first.previous.body == "text 150"
    last = notes.history_page(N, "requirements", before=51, limit=100)
    assert [r.version for r in last.revisions] == list(range(50, 0, -1)) and last.previous is None
