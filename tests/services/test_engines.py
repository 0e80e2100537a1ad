"""SQLite and PostgreSQL behave the same: values, text filters, errors, serialised transactions, copying.

Most tests run on both engines through the `database` fixture (ids [sqlite] and [pg]); the ones
about PostgreSQL connections use the throwaway server directly (tests/pgserver.py).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from decimal import Decimal
from functools import partial
from urllib.parse import quote

import peewee
import pytest

from conftest import race, sample_order
from notedesk.services import communications, exchange, listing, notes, orders
from notedesk.services.errors import InvalidInput
from notedesk.services.transaction import operation
from notedesk.services.types import CustomerData, Deadline, InstalmentData, LineData, Payment
from notedesk.store import connection
from notedesk.store import models as m
from notedesk.store.connection import open_database
from notedesk.store.errors import StoreError

N = "SO-2026-00042"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def raw(sql: str, *params):
    """One value straight from the driver, past the field converters ("?" is the parameter on both)."""
    with m.db.connection_context():
        return m.db.execute_sql(sql.replace("?", m.db.obj.param), params).fetchone()[0]


# --- values ----------------------------------------------------------------------------------------


def test_a_fresh_database_is_empty_and_ids_start_at_one(database, engine):
    if engine == "pg":
        from notedesk.store.postgres import PostgresDatabase  # loaded only once a PostgreSQL URL is opened

        assert isinstance(database, PostgresDatabase) and connection.has_pool(database)
    else:
        assert isinstance(database, peewee.SqliteDatabase) and not connection.has_pool(database)
    assert listing.count_orders() == 0
    with m.db.connection_context():  # what the migrations put in, and nothing else
        assert list(m.ChangeCounter.select(m.ChangeCounter.id, m.ChangeCounter.value).tuples()) == [(1, 0)]
    assert orders.create_order(sample_order(N)).id == 1


def test_timestamps_are_stored_as_naive_utc_and_read_back_aware(database, engine):
    created = dt.datetime(2026, 11, 26, 10, 0, 5, 123456, tzinfo=SHANGHAI)
    detail = orders.create_order(sample_order(N, created_at=created))
    assert detail.created_at == created and detail.created_at.tzinfo == dt.UTC
    stored = raw("SELECT created_at FROM orders WHERE number = ?", N)
    if isinstance(stored, str):  # SQLite keeps the text Peewee wrote
        stored = dt.datetime.fromisoformat(stored)
    assert stored == dt.datetime(2026, 11, 26, 2, 0, 5, 123456)  # naive, UTC, microseconds kept

    at = dt.datetime(2026, 11, 27, 9, 30, tzinfo=SHANGHAI)
    communications.log_communication(N, "电话确认", at=at)
    assert orders.get_order(N).communications[0].at == at


def test_the_postgresql_session_time_zone_changes_nothing(pg_url):
    open_database(pg_url)  # (SQLite has no session time zone)
    orders.create_order(sample_order(N))

    @operation
    def read_in_new_york():
        m.db.execute_sql("SET LOCAL TIME ZONE 'America/New_York'")
        return m.Order.get(m.Order.number == N).created_at

    assert read_in_new_york() == dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)


def test_times_dates_booleans_and_money_come_back_as_python_values(database):
    payment = Payment(method="instalments", status="partial", amount_due=Decimal("999999999999.99"),
                      instalments=(InstalmentData(dt.date(2026, 12, 15), Decimal("0.10"), True),
                                   InstalmentData(dt.date(2027, 1, 15), Decimal("3500"), False)))
    lines = (LineData("纽扣", 3, Decimal("0.10")), LineData("T恤", 200, Decimal("35")))
    orders.create_order(sample_order(N, payment=payment, lines=lines,
                                     deadline=Deadline("14:00前", dt.date(2026, 12, 1), None, dt.time(14))))
    detail = orders.get_order(N)
    assert detail.deadline == Deadline("14:00前", dt.date(2026, 12, 1), None, dt.time(14))
    assert type(detail.deadline.end) is dt.time and type(detail.deadline.date) is dt.date
    assert [str(x.unit_price) for x in detail.lines] == ["0.10", "35.00"]
    assert str(detail.total) == "7000.30"
    assert str(detail.payment.amount_due) == "999999999999.99"
    assert [(i.due, str(i.amount), i.paid) for i in detail.payment.instalments] == [
        (dt.date(2026, 12, 15), "0.10", True), (dt.date(2027, 1, 15), "3500.00", False)]
    assert all(type(i.paid) is bool for i in detail.payment.instalments)
    summary = listing.list_orders()[0]
    assert isinstance(summary.total, Decimal) and str(summary.total) == "7000.30"


def test_text_round_trips_exactly(database):
    body = "第一行\n\tindented — “quotes” 'single' \\ back\nemoji 😀👍🏽, e\u0301, 한국어, العربية  \n" + "长" * 20000
    orders.create_order(sample_order(N))
    saved = notes.save_note(N, "special", body, base_version=1)
    assert notes.get_note(N, "special").body == body == saved.body
    assert notes.history(N, "special")[0].body == body


# --- text filters and ordering ---------------------------------------------------------------------


@pytest.fixture
def three_orders(database):
    for number, name, company in (("SO-2026-00001", "Wang Fang", "Fanghua Apparel"),
                                  ("SO-2026-00002", "李雷", "韩梅梅贸易"),
                                  ("SO-2026-00003", "Zhang_Wei", "100% Cotton Co")):
        orders.create_order(sample_order(number, customer=CustomerData(name=name, company=company)))


@pytest.mark.parametrize("needle, expected", [
    ("so-2026-0000", {"SO-2026-00001", "SO-2026-00002", "SO-2026-00003"}),
    ("00002", {"SO-2026-00002"}),
    ("WANG", {"SO-2026-00001"}),
    ("fanghua apparel", {"SO-2026-00001"}),
    ("梅梅", {"SO-2026-00002"}),
    ("李", {"SO-2026-00002"}),
    ("_", {"SO-2026-00003"}),  # LIKE wildcards are literal characters
    ("100%", {"SO-2026-00003"}),
    ("%", {"SO-2026-00003"}),
])
def test_the_text_filter_matches_alike(three_orders, needle, expected):
    found = {o.number for o in listing.list_orders(listing.OrderQuery(text=needle))}
    assert found == expected
    assert listing.count_orders(listing.OrderQuery(text=needle)) == len(expected)


def test_undated_orders_sort_last_and_the_next_number_follows_the_highest(database):
    orders.create_order(sample_order("SO-2026-00009", deadline=Deadline()))
    orders.create_order(sample_order("SO-2026-00010", deadline=Deadline("12-02", dt.date(2026, 12, 2))))
    orders.create_order(sample_order("SO-2026-00008"))  # 12-01 09:00-11:00
    by_deadline = [o.number for o in listing.list_orders(listing.OrderQuery(sort="deadline", descending=False))]
    assert by_deadline == ["SO-2026-00008", "SO-2026-00010", "SO-2026-00009"]

    @operation
    def next_number():
        return orders.next_number(2026)

    assert next_number() == "SO-2026-00011"  # MAX() over text: "00010" > "00009" on both engines


# --- errors ----------------------------------------------------------------------------------------


def test_a_unique_violation_is_one_clean_line_and_the_connection_recovers(database):
    orders.create_order(sample_order(N))

    @operation
    def second_special_note():  # the race the services' own checks cannot see
        order = m.Order.get(m.Order.number == N)
        m.Note.create(order=order, kind="special", body="x", changed_by="li")

    with pytest.raises(StoreError) as err:
        second_special_note()
    message = str(err.value)
    assert message.startswith("note.order_id,kind exists already: someone saved the same")
    assert "\n" not in message and "DETAIL" not in message and "constraint" not in message
    # PostgreSQL left the failed transaction's connection usable, like SQLite
    assert notes.append_note(N, "special", "still works").version == 2


def test_two_clerks_creating_the_same_number_get_a_clean_error(database):
    results = race(*(partial(orders.create_order, sample_order(N), clerk=clerk) for clerk in ("li", "wang")))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], InvalidInput) and "exists already" in str(errors[0])


def test_new_numbers_from_many_clerks_at_once_are_all_different(database):
    made = race(*(partial(orders.create_order, sample_order(None), clerk=f"c{i}") for i in range(6)))
    assert sorted(order.number for order in made) == [f"SO-2026-{i:05d}" for i in range(1, 7)]


def test_appending_to_one_note_from_many_clerks_never_conflicts(database):
    orders.create_order(sample_order(N))

    def append(clerk):
        return [notes.append_note(N, "delivery", f"{clerk} {i}", clerk=clerk).version for i in range(3)]

    results = race(*(partial(append, f"c{i}") for i in range(6)))
    assert not [r for r in results if isinstance(r, Exception)], results
    body = notes.get_note(N, "delivery").body
    assert sorted(body.splitlines()) == sorted(f"c{t} {i}" for t in range(6) for i in range(3))
    assert notes.get_note(N, "delivery").version == 18


def test_a_transaction_waits_for_another_but_a_snapshot_read_does_not(database):
    """IMMEDIATE on SQLite, the desk's advisory lock on PostgreSQL: one writer at a time; an export's
    DEFERRED snapshot neither waits for a writer nor holds one up."""
    orders.create_order(sample_order(N))
    held, release = threading.Event(), threading.Event()

    def hold(**lock):
        with m.db.connection_context(), m.db.atomic(**lock):
            m.Order.get(m.Order.number == N)
            held.set()
            release.wait(20)

    def timed_append():
        start = time.perf_counter()
        notes.append_note(N, "special", "x")
        return time.perf_counter() - start

    for lock, must_wait in (({}, True), ({"lock_type": "DEFERRED"}, False)):
        held.clear(), release.clear()
        holder = threading.Thread(target=hold, kwargs=lock)
        holder.start()
        assert held.wait(20)
        timer = threading.Timer(0.5, release.set)
        timer.start()
        waited = timed_append()
        holder.join(20)
        timer.join()
        assert (waited >= 0.4) is must_wait, (lock, waited)


# --- moving a desk between engines -----------------------------------------------------------------


def _seed_rich_desk() -> None:
    """Orders with everything the exchange format carries, written through the services."""
    orders.create_order(sample_order(N))
    orders.create_order(sample_order(
        "SO-2026-00043", status="in_production", currency="USD",
        customer=CustomerData(name="Emma Brown", company="Brown & Sons", phone="+44 20 7946 0958",
                              email="emma@example.co.uk", address="1 Fleet St\nLondon", preferences="DHL only"),
        lines=(LineData("Mug", 48, Decimal("4.50"), spec="white, logo 2 colours"),
               LineData("Box", 4, Decimal("1.25"))),
        deadline=Deadline("by 3pm friday", dt.date(2026, 11, 27), None, dt.time(15)),
        payment=Payment("instalments", "partial", Decimal("100.00"),
                        (InstalmentData(dt.date(2026, 12, 1), Decimal("50.00"), True),
                         InstalmentData(dt.date(2027, 1, 1), Decimal("50.00"), False))),
        notes={"requirements": "Logo 😀 on both sides", "payment": "half now"},
        created_at=dt.datetime(2026, 11, 20, 8, 30, 15, 250000, tzinfo=dt.UTC)))
    orders.create_order(sample_order("SO-2026-00044", status="new", deadline=Deadline("尽快"),
                                     payment=Payment("prepaid", "unpaid"), notes={}))
    notes.append_note(N, "special", "包装:每件独立包装")
    notes.save_note(N, "delivery", "送货上门\n联系:王芳", base_version=0)
    first = communications.log_communication(N, "数量改为300件", channel="wechat", contact="王芳",
                                             at=dt.datetime(2026, 11, 26, 10, 30, tzinfo=SHANGHAI))
    communications.log_communication(N, "更正:数量改为250件", corrects=first.id, clerk="wang",
                                     at=dt.datetime(2026, 11, 26, 11, 0, tzinfo=SHANGHAI))
    communications.log_communication("SO-2026-00043", "Call back on Monday", channel="phone",
                                     contact="Emma", at=dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC))
    orders.set_status("SO-2026-00044", "on_hold")


def test_a_sqlite_desk_moved_to_postgresql_exports_the_same(sqlite_url, pg_url, tmp_path):
    """The README's recipe: export from the SQLite file, import into PostgreSQL, nothing changes."""
    open_database(sqlite_url)
    _seed_rich_desk()
    before = exchange.export_orders()
    assert len(before["orders"]) == 3
    text = json.dumps(before, ensure_ascii=False)

    open_database(pg_url)
    report = exchange.import_json_text(text)
    assert report.created == ("SO-2026-00042", "SO-2026-00043", "SO-2026-00044")
    after = exchange.export_orders()
    assert after == before
    # the sequences moved on with the imported rows: new orders and entries just work
    assert orders.create_order(sample_order(None)).number == "SO-2026-00045"
    communications.log_communication(N, "after the move")

    # and back again, into a new SQLite file: the PostgreSQL export imports the same
    open_database(str(tmp_path / "back.db"))
    exchange.import_document(json.loads(json.dumps(after, ensure_ascii=False)))
    assert exchange.export_orders() == before
    connection.close_database()


def _desk_state() -> tuple:
    """Everything a copy must keep: the export, every revision, the timeline, drafts, search hits."""
    from notedesk.services import search

    revisions = list(m.NoteRevision.select(m.NoteRevision.id, m.NoteRevision.note, m.NoteRevision.version,
                                           m.NoteRevision.body, m.NoteRevision.changed_by,
                                           m.NoteRevision.created_at).order_by(m.NoteRevision.id).tuples())
    events = list(m.Event.select(m.Event.id, m.Event.order, m.Event.field, m.Event.old, m.Event.new,
                                 m.Event.changed_by, m.Event.created_at).order_by(m.Event.id).tuples())
    drafts = list(m.Draft.select(m.Draft.clerk, m.Draft.order, m.Draft.kind, m.Draft.body,
                                 m.Draft.base_version, m.Draft.updated_at).order_by(m.Draft.id).tuples())
    hits = {q: [(h.number, h.source) for h in search.search(q)]
            for q in ("王芳", "logo", "SO-2026-0004", "更正", "emma", "红", "包装")}
    with m.db.connection_context():
        return exchange.export_orders(), revisions, events, drafts, hits


def test_copy_keeps_history_both_ways_and_search_finds_the_same(sqlite_url, pg_url, tmp_path):
    from notedesk.services import drafts
    from notedesk.store.copy import copy_database

    open_database(sqlite_url)
    _seed_rich_desk()
    drafts.save_draft(N, "special", "half-typed when the desk closed", 2, clerk="wang")
    before = _desk_state()
    assert before[4]["包装"] and before[4]["logo"] and before[1] and before[3]
    connection.close_database()

    report = copy_database(sqlite_url, pg_url)
    assert report.orders == 3 and report.rows["note_revision"] == len(before[1])
    open_database(pg_url)
    assert _desk_state() == before
    # ids continue after the copied ones; the next number follows the highest
    assert orders.create_order(sample_order(None)).number == "SO-2026-00045"
    assert communications.log_communication(N, "after the copy").id > max(
        c.id for c in orders.get_order("SO-2026-00043").communications)
    connection.close_database()

    back = str(tmp_path / "back.db")
    copy_database(pg_url, back)
    open_database(back)
    assert _desk_state()[1:] == _desk_state_of(pg_url)[1:]
    connection.close_database()

    with pytest.raises(StoreError, match="is not empty"):
        copy_database(sqlite_url, pg_url)
    with pytest.raises(StoreError, match="the same database"):
        copy_database(sqlite_url, "sqlite:///" + sqlite_url)


def _desk_state_of(url: str) -> tuple:
    open_database(url)
    try:
        return _desk_state()
    finally:
        connection.close_database()


def test_hostile_text_is_cleaned_the_same_on_both_engines(sqlite_url, pg_url):
    """tests/fixtures/hostile.json (terminal escapes, markup, bidi controls) imports, exports and is due alike."""
    from pathlib import Path

    from notedesk.cli.due import text_lines
    from notedesk.services import deadlines

    text = (Path(__file__).parent.parent / "fixtures" / "hostile.json").read_text(encoding="utf-8")
    results = []
    for url in (sqlite_url, pg_url):
        open_database(url)
        report = exchange.import_json_text(text)
        results.append((report.created, report.replacements, exchange.export_orders(),
                        text_lines(deadlines.due_table(now=dt.datetime(2026, 11, 26, 2, tzinfo=dt.UTC)))))
        connection.close_database()
    assert results[0] == results[1]
    assert results[0][1] and "\x1b" not in json.dumps(results[0][2], ensure_ascii=False)


# --- PostgreSQL connections: one line, never a password --------------------------------------------


def _socket_url(pg_server, dbname: str, user: str = "notedesk", password: str | None = None) -> str:
    auth = f"{quote(user)}:{quote(password, safe='')}@" if password else f"{quote(user)}@"
    return f"postgresql://{auth}/{dbname}?host={quote(pg_server.socket_dir, safe='/')}&port={pg_server.port}"


def _refused(url: str) -> str:
    with pytest.raises(StoreError) as err:
        open_database(url)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_a_missing_database_names_it_without_the_password(pg_server):
    message = _refused(_socket_url(pg_server, "no_such_desk", password="s3cr3t p@ss/word"))
    assert "PostgreSQL has no database no_such_desk" in message
    for secret in ("s3cr3t", "p@ss", "p%40ss", "word"):
        assert secret not in message
    assert "notedesk:***@" in message


def test_an_unknown_role_is_named(pg_server):
    message = _refused(_socket_url(pg_server, "postgres", user="nobody_here", password="hunter2"))
    assert "no user (role) nobody_here" in message and "hunter2" not in message


def test_a_server_that_is_not_there(pg_server):
    message = _refused("postgresql://li:hunter2@127.0.0.1:1/desk")
    assert message.startswith("cannot reach the PostgreSQL server")
    assert "hunter2" not in message and "postgresql://li:***@127.0.0.1:1/desk" in message
    message = _refused("postgresql://li@nowhere.invalid/desk?password=hunter2&connect_timeout=3")
    assert message.startswith("cannot find the PostgreSQL host") and "hunter2" not in message
    assert "password=***" in message


def test_a_read_only_role_reads_and_is_refused_writes_in_one_line(pg_server, pg_url):
    """The README's role for staff who only read: due lists, exports and the order list work."""
    import psycopg

    import pgserver

    open_database(pg_url)
    orders.create_order(sample_order(N))
    connection.close_database()
    dbname = pgserver._dbname(pg_url)
    with psycopg.connect(autocommit=True, **pg_server.connect_kwargs(dbname)) as admin:
        admin.execute("DROP ROLE IF EXISTS staff_ro")
        admin.execute("CREATE ROLE staff_ro LOGIN")
        admin.execute("GRANT USAGE ON SCHEMA public TO staff_ro")
        admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO staff_ro")
    try:
        open_database(_socket_url(pg_server, dbname, user="staff_ro"))
        assert [o.number for o in listing.list_orders()] == [N]
        assert exchange.export_orders()["orders"][0]["number"] == N
        assert orders.get_order(N).notes["special"].body == "胸前印LOGO"
        with pytest.raises(StoreError) as err:
            notes.append_note(N, "special", "staff may not write")
        assert str(err.value) == "the database is read-only for this login"
    finally:
        connection.close_database()
        with psycopg.connect(autocommit=True, **pg_server.connect_kwargs(dbname)) as admin:
            admin.execute("DROP OWNED BY staff_ro")  # the role's grants in this database
            admin.execute("DROP ROLE IF EXISTS staff_ro")
