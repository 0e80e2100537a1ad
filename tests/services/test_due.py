"""Deadline service: due_orders, deadline_groups, counts, delivered, postpone (frozen now)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from playhouse.test_utils import count_queries

from conftest import sample_order
from notedesk import clock
from notedesk.deadlines import GROUPS
from notedesk.services import deadlines as svc
from notedesk.services import orders
from notedesk.services.errors import Conflict, InvalidInput
from notedesk.services.order_status import change_status
from notedesk.services.types import CustomerData, Deadline, DueTable, Payment
from notedesk.store import models as m

NOW = "2026-11-26T10:00"  # Thursday, Asia/Shanghai (the tests' business zone)
D = dt.date

# number: (status, date, start, end, expected group at NOW). Numbers are not in due order on purpose.
BOARD = {
    "SO-2026-00001": ("confirmed", D(2026, 11, 26), dt.time(9), dt.time(10), "overdue"),  # due 10:00 = now
    "SO-2026-00002": ("new", D(2026, 11, 25), None, None, "overdue"),  # due 11-26 00:00
    "SO-2026-00003": ("shipped", D(2026, 11, 24), None, dt.time(15), "overdue"),
    "SO-2026-00004": ("in_production", D(2026, 11, 26), None, None, "today"),  # due tonight 24:00
    "SO-2026-00005": ("confirmed", D(2026, 11, 26), dt.time(10), dt.time(11), "today"),
    "SO-2026-00006": ("on_hold", D(2026, 11, 27), dt.time(9), dt.time(11), "tomorrow"),
    "SO-2026-00007": ("confirmed", D(2026, 11, 29), None, None, "this_week"),  # Sunday
    "SO-2026-00008": ("confirmed", D(2026, 11, 30), dt.time(13), dt.time(18), "later"),  # next Monday
    "SO-2026-00009": ("new", D(2027, 1, 5), None, None, "later"),
    "SO-2026-00010": ("new", None, None, None, "none"),
    "SO-2026-00011": ("cancelled", D(2026, 11, 20), None, None, None),  # closed: never shown
    "SO-2026-00012": ("delivered", D(2026, 11, 26), None, dt.time(11), None),
}
DUE_ORDER = ["SO-2026-00003", "SO-2026-00002", "SO-2026-00001", "SO-2026-00005", "SO-2026-00004",
             "SO-2026-00006", "SO-2026-00007", "SO-2026-00008", "SO-2026-00009"]


def seed_board(board: dict = BOARD) -> None:
    """Create the board's orders (customers 客户N; every 3rd COD, every 4th prepaid unpaid)."""
    for i, (number, (status, date, start, end, _group)) in enumerate(board.items()):
        text = "尽快" if date is None else f"{date.isoformat()} {end or ''}".strip()
        payment = Payment(method="other")
        if i % 3 == 0:
            payment = Payment(method="cod", status="unpaid", amount_due=Decimal("100.00") * (i + 1))
        elif i % 4 == 1:
            payment = Payment(method="prepaid", status="unpaid")
        orders.create_order(sample_order(
            number, status=status, deadline=Deadline(text, date, start, end), payment=payment,
            customer=CustomerData(name=f"客户{i + 1}", phone=f"1380000{i:04d}"),
        ))


def reads(counter: count_queries) -> int:
    """SELECTs on the tables (not the driver's own, e.g. psycopg's txid check at commit)."""
    return sum('FROM "orders"' in str(record.msg[0]) for record in counter.get_queries())


@pytest.fixture
def board(from_template, monkeypatch):
    """The models bound to a copy of the board, made once per engine (and test process)."""
    monkeypatch.setenv("NOTEDESK_NOW", NOW)
    return from_template(seed_board)


def test_due_orders_overdue_first_then_by_due_time(board):
    items = svc.due_orders()
    assert [i.number for i in items] == DUE_ORDER
    assert {i.number: i.group for i in items} == {n: row[4] for n, row in BOARD.items() if n in DUE_ORDER}


def test_due_is_window_end_or_end_of_day_in_business_zone(board):
    items = {i.number: i for i in svc.due_orders()}
    tz = clock.business_tz()
    assert items["SO-2026-00005"].due == dt.datetime(2026, 11, 26, 11, tzinfo=tz)
    assert items["SO-2026-00004"].due == dt.datetime(2026, 11, 27, 0, tzinfo=tz)
    assert items["SO-2026-00005"].due.utcoffset() == dt.timedelta(hours=8)


def test_window_boundary_due_at_11_is_overdue_at_11(board, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:59:59")
    assert {i.number: i.group for i in svc.due_orders()}["SO-2026-00005"] == "today"
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T11:00")
    assert {i.number: i.group for i in svc.due_orders()}["SO-2026-00005"] == "overdue"
    assert svc.counts() == (4, 1)


def test_within_limits_to_due_before_now_plus_within_overdue_always(board):
    # due 11:00 is not before 11:00
    assert [i.number for i in svc.due_orders(within=dt.timedelta(hours=1))] == DUE_ORDER[:3]
    assert [i.number for i in svc.due_orders(within=dt.timedelta(hours=1, seconds=1))] == DUE_ORDER[:4]
    # due 24:00 is not before 24:00
    assert [i.number for i in svc.due_orders(within=dt.timedelta(hours=14))] == DUE_ORDER[:4]
    assert [i.number for i in svc.due_orders(within=dt.timedelta(hours=15))] == DUE_ORDER[:5]
    assert [i.number for i in svc.due_orders(within=dt.timedelta(hours=26))] == DUE_ORDER[:6]
    assert [i.number for i in svc.due_orders(within=dt.timedelta(0))] == DUE_ORDER[:3]


@pytest.mark.parametrize("within", [None, dt.timedelta(0), dt.timedelta(hours=15), dt.timedelta(days=40)])
def test_the_due_table_is_due_orders_in_columns(board, within):
    """`notedesk due` prints due_table, the screens use due_orders: the same orders, the same values."""
    items = svc.due_orders(within=within)
    table = svc.due_table(within=within)
    rows = [(i.number, i.customer, i.status, i.group, i.deadline.date, i.deadline.start, i.deadline.end,
             i.payment_method, i.payment_status, i.collect, i.currency, i.due_amount, i.received, i.address,
             i.contact_phone) for i in items]
    assert table == (DueTable(*map(tuple, zip(*rows))) if rows else DueTable())
    assert any(c is not None for c in table.collect) or within is not None  # a COD order is on the board


def test_explicit_now_argument_wins(board):
    later = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)  # 20:00 local on the 27th
    groups = {i.number: i.group for i in svc.due_orders(now=later)}
    assert groups["SO-2026-00006"] == "overdue"
    assert groups["SO-2026-00007"] == "this_week"


def test_one_query_whatever_the_number_of_orders(board):
    with count_queries(only_select=True) as few:
        svc.due_orders()
    seed_board({f"SO-2026-001{i:02d}": ("confirmed", D(2026, 11, 20 + i % 10), None, None, "") for i in range(30)})
    with count_queries(only_select=True) as many:
        items = svc.due_orders(within=dt.timedelta(days=7))
    assert len(items) > 30
    assert reads(few) == reads(many) == 1


def test_groups_for_the_view(board):
    with count_queries(only_select=True) as q:
        view = svc.deadline_groups()
    assert reads(q) == 4  # overdue, this week, later, no date
    assert list(view.groups) == list(GROUPS)
    assert [i.number for i in view.items()] == DUE_ORDER + ["SO-2026-00010"]
    assert [i.number for i in view["overdue"]] == DUE_ORDER[:3]
    assert view["none"][0].due is None and view["none"][0].deadline.text == "尽快"
    assert view.more == {"overdue": 0, "later": 0, "none": 0} and view.total("today") == 2


def test_groups_at_many_moments_agree_with_due_orders(board):
    start = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
    for minutes in range(0, 8 * 24 * 60, 331):
        now = start + dt.timedelta(minutes=minutes)
        view = svc.deadline_groups(now)
        assert [(i.number, i.group) for i in view.items() if i.due] == [
            (i.number, i.group) for i in svc.due_orders(now)], now


def test_limits_keep_the_most_recently_overdue_and_the_soonest_later_and_count_the_rest(board):
    seed_board({f"SO-2026-002{i:02d}": ("new", None, None, None, "none") for i in range(5)})
    view = svc.deadline_groups(none_limit=4, overdue_limit=2, later_limit=1)
    assert [i.number for i in view["none"]] == ["SO-2026-00204", "SO-2026-00203", "SO-2026-00202",
                                                 "SO-2026-00201"]  # newest first (same created_at: by id)
    assert [i.number for i in view["overdue"]] == DUE_ORDER[1:3]  # the oldest is left out
    assert [i.number for i in view["later"]] == DUE_ORDER[7:8]
    assert view.more == {"overdue": 1, "later": 1, "none": 2}
    assert (view.total("none"), view.total("overdue"), view.total("today")) == (6, 3, 2)


def test_counts_overdue_and_due_today(board):
    with count_queries(only_select=True) as q:
        assert svc.counts() == (3, 2)
    assert reads(q) == 2
    assert svc.counts(dt.datetime(2026, 11, 26, 16, tzinfo=dt.UTC)) == (5, 1)  # local midnight: the 27th is today


def test_counts_agree_with_groups_at_many_moments(board):
    start = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
    for minutes in range(0, 48 * 60, 97):
        now = start + dt.timedelta(minutes=minutes)
        groups = [i.group for i in svc.due_orders(now=now)]
        assert svc.counts(now) == (groups.count("overdue"), groups.count("today")), now


def test_payment_flags(board):
    items = {i.number: i for i in svc.deadline_groups().items()}
    cod = items["SO-2026-00001"]
    assert cod.payment_method == "cod" and cod.collect == Decimal("100.00") and not cod.unpaid_prepaid
    assert items["SO-2026-00002"].unpaid_prepaid and items["SO-2026-00002"].collect is None
    assert cod._replace(amount_due=None).collect == cod.total
    assert cod._replace(payment_status="paid").collect is None


def test_mark_delivered_leaves_the_view(board):
    item = svc.deadline_groups()["today"][0]
    change_status(item.number, "delivered", loaded_status=item.status)
    assert item.number not in [i.number for i in svc.deadline_groups().items()]
    assert orders.get_order(item.number).events[0].new == "delivered"


def test_postpone_records_event_with_reason_and_a_communication(board):
    item = next(i for i in svc.due_orders() if i.number == "SO-2026-00005")
    detail = svc.change_deadline(item.number, "12月3日下午", "客户仓库盘点", item.version)
    assert detail.deadline == Deadline("12月3日下午", D(2026, 12, 3), dt.time(13), dt.time(18))
    event = detail.events[0]
    assert (event.field, event.old, event.new, event.reason, event.clerk) == (
        "deadline", "2026-11-26 10:00–11:00", "2026-12-03 13:00–18:00", "客户仓库盘点", "li")
    entry = detail.communications[0]
    assert entry.channel == "other" and entry.clerk == "li"
    assert entry.text == "Deadline postponed from 2026-11-26 10:00–11:00 to 2026-12-03 13:00–18:00: 客户仓库盘点"
    assert entry.at == clock.now()
    assert {i.number: i.group for i in svc.due_orders()}[item.number] == "later"


def test_a_deadline_moved_earlier_is_brought_forward_and_linked_to_its_log_entry(board):
    item = next(i for i in svc.due_orders() if i.number == "SO-2026-00005")  # due 2026-11-26 10:00–11:00
    later = svc.change_deadline(item.number, "12月3日", "truck", item.version)
    assert later.communications[0].text == "Deadline postponed from 2026-11-26 10:00–11:00 to 2026-12-03: truck"
    detail = svc.change_deadline(item.number, "12月2日下午3点", "客户提前要货", later.version)
    entry, event = detail.communications[0], detail.events[0]
    assert entry.text == "Deadline brought forward from 2026-12-03 to 2026-12-02 15:00: 客户提前要货"
    assert (event.field, event.reason, event.communication) == ("deadline", "客户提前要货", entry.id)


def test_postpone_reads_relative_to_now(board):
    detail = svc.change_deadline("SO-2026-00002", "明天上午", "truck broke down")
    dl = detail.deadline
    assert (dl.date, dl.start, dl.end) == (D(2026, 11, 27), dt.time(9), dt.time(12))


@pytest.mark.parametrize("text, reason, problem", [
    ("2026-02-30", "x", "no day 30 in February 2026"),
    ("尽快", "x", "no date"),
    ("yesterday", "x", "already past"),
    ("today 9:00", "x", "already past"),
    ("12月3日", "   ", "must not be empty"),
    ("", "x", "must not be empty"),
    ("2026-11-26 10:00-11:00", "x", "already 2026-11-26 10:00–11:00"),
])
def test_postpone_refuses(board, text, reason, problem):
    before = orders.get_order("SO-2026-00005")
    with pytest.raises(InvalidInput, match=problem):
        svc.change_deadline("SO-2026-00005", text, reason, before.version)
    after = orders.get_order("SO-2026-00005")
    assert after.version == before.version and after.communications == before.communications


def test_postpone_conflict_changes_nothing(board):
    item = next(i for i in svc.due_orders() if i.number == "SO-2026-00005")
    orders.set_status(item.number, "shipped")
    with pytest.raises(Conflict):
        svc.change_deadline(item.number, "12月3日", "late", item.version)
    assert orders.get_order(item.number).communications == ()


def test_the_deadline_queries_stay_on_the_due_index(board, engine):
    """Migration 0002's index serves every deadline query; on SQLite it also carries every column they
    read, so `due` and the view's dated groups never visit the orders table (issue 7)."""
    database = board
    indexes = {index.name for index in database.get_indexes("orders")}
    assert "orders_due" in indexes and "orders_status" not in indexes  # the new index starts with status
    if engine == "pg":
        return  # a dozen rows: PostgreSQL rightly scans the table; its plans are not this test's business
    with count_queries(only_select=True) as q:
        svc.due_orders()
        svc.due_orders(within=dt.timedelta(hours=24))
        svc.deadline_groups()
        svc.counts()
    plans = {}
    for record in q.get_queries():
        sql, params = record.msg
        if 'FROM "orders"' in sql:
            plans[sql] = [row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert len(plans) >= 6
    for sql, plan in plans.items():
        orders_steps = [step for step in plan if step.startswith(("SEARCH t1", "SCAN t1"))]
        assert orders_steps and all("INDEX orders_due " in step for step in orders_steps), (sql, plan)
        if '"deadline_date" IS NULL' not in sql:  # the undated group sorts by created_at
            assert all("COVERING INDEX" in step for step in orders_steps), (sql, plan)


def test_items_read_from_rows_are_whole_and_frozen(board):
    """DueItems are built straight from the query's tuples (services.deadlines._Items): every field
    holds what the order holds, in its Python type."""
    from notedesk.services.types import DueItem

    items = [*svc.due_orders(), *svc.deadline_groups().items()]
    assert len(items) > 10
    for item in items:
        order = orders.get_order(item.number)
        assert (item.customer, item.company, item.status, item.deadline, item.payment_method,
                item.payment_status, item.amount_due, item.total, item.version) == (
            order.customer.name, order.customer.company, order.status, order.deadline, order.payment.method,
            order.payment.status, order.payment.amount_due, order.total, order.version)
        assert isinstance(item, DueItem) and isinstance(item.total, Decimal)
        with pytest.raises(AttributeError):
            item.group = "x"  # frozen

def names(number: str) -> tuple[str, str]:
    item = next(i for i in svc.due_orders() if i.number == number)
    return item.customer, item.company


def test_the_customers_name_follows_every_writer(database, monkeypatch):
    """Orders carry their customer's name and company for the deadline queries (migration 0003):
    triggers keep the copies right whoever writes, the services or a program beside them."""
    monkeypatch.setenv("NOTEDESK_NOW", NOW)
    wang = CustomerData(name="王芳", company="芳华服饰", phone="13800138000")
    for number in ("SO-2026-00001", "SO-2026-00002"):
        orders.create_order(sample_order(number, customer=wang))
    assert names("SO-2026-00001") == names("SO-2026-00002") == ("王芳", "芳华服饰")

    # the same customer (name and phone) with a new company: both orders show it
    detail = orders.get_order("SO-2026-00001")
    orders.update_order("SO-2026-00001", replace(orders.as_input(detail), customer=replace(wang, company="芳华集团")),
                        base_version=detail.version)
    assert names("SO-2026-00001") == names("SO-2026-00002") == ("王芳", "芳华集团")
    # another customer for one order: only that order changes
    detail = orders.get_order("SO-2026-00002")
    orders.update_order("SO-2026-00002", replace(orders.as_input(detail), customer=CustomerData(
        name="Sarah Connor", company="Acme Ltd.", phone="+1 555-0100")), base_version=detail.version)
    assert names("SO-2026-00002") == ("Sarah Connor", "Acme Ltd.")
    assert names("SO-2026-00001") == ("王芳", "芳华集团")

    with database.connection_context():  # a writer that knows nothing of the copies
        m.Customer.update(name="王芳芳").where(m.Customer.name == "王芳").execute()
        m.Order.update(customer_name="wrong", customer_company="").where(m.Order.number == "SO-2026-00002").execute()
        version = m.Order.get(m.Order.number == "SO-2026-00001").version
    assert names("SO-2026-00001") == ("王芳芳", "芳华集团")
    assert names("SO-2026-00002") == ("Sarah Connor", "Acme Ltd.")
    assert version == orders.get_order("SO-2026-00001").version  # a rename is no edit: no conflict
