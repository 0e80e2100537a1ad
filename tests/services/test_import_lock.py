"""Import holds the write lock briefly (issue 13.11): the file is checked and the rows made before the
lock, a dry run takes no write lock at all, a clerk's append during an import waits and succeeds,
and order numbers match without regard to case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import peewee
import psycopg
import pytest

from conftest import sample_order
from notedesk.services import communications, exchange, notes, orders
from notedesk.services.errors import InvalidInput
from notedesk.store import models as m
from notedesk.store.postgres import LOCK_KEY
from services.test_exchange import document, order_doc


def _many(count: int, start: int = 1) -> dict:
    return document(*[order_doc(f"SO-2027-{n:05d}", communications=[
        {"at": "2026-11-26T10:30:00+08:00", "channel": "phone", "contact": "王芳", "clerk": "li", "text": f"第{n}次"},
        {"at": "2026-11-26T11:30:00+08:00", "text": "更正", "corrects": 0}]) for n in range(start, start + count)])


class _WriterHoldingTheLock:
    """Another clerk's open write transaction, on its own connection."""

    def __init__(self, db_url: str, engine: str):
        self.engine = engine
        if engine == "pg":
            self.conn = psycopg.connect(db_url, autocommit=True)
            self.conn.execute("BEGIN")
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        else:
            import sqlite3

            self.conn = sqlite3.connect(db_url, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def test_a_dry_run_takes_no_write_lock(database, db_url, engine, monkeypatch):
    monkeypatch.setenv("NOTEDESK_BUSY_TIMEOUT", "0.2")
    orders.create_order(sample_order())
    writer = _WriterHoldingTheLock(db_url, engine)
    try:
        report = exchange.import_document(_many(20), dry_run=True)
    finally:
        writer.release()
    assert report.dry_run and len(report.created) == 20 and report.communications == 40
    with m.db.connection_context():
        assert m.Order.select().count() == 1


def test_an_import_writes_every_row_and_the_search_index(database):
    report = exchange.import_document(_many(30))
    assert len(report.created) == 30 and report.communications == 60
    detail = orders.get_order("SO-2027-00007")
    assert [c.text for c in detail.communications] == ["更正", "第7次"]
    assert detail.communications[0].corrects == detail.communications[1].id
    assert notes.history("SO-2027-00007", "requirements")[0].version == 1
    from notedesk.services import search

    assert [h.number for h in search.search("第7次")] == ["SO-2027-00007"]
    assert [h.number for h in search.search("SO-2027-00030")] == ["SO-2027-00030"]
    notes.append_note("SO-2027-00030", "special", "afterwards indexed by the triggers")
    assert [h.number for h in search.search("afterwards indexed")] == ["SO-2027-00030"]
    again = exchange.import_document(_many(2, start=31))  # ids continue after the first import's
    assert len(again.created) == 2 and orders.get_order("SO-2027-00032").communications[0].text == "更正"


def test_rows_numbered_before_the_lock_are_numbered_again_when_another_clerk_wrote_meanwhile(database, monkeypatch):
    """The new rows are numbered from the ids read before the write lock; a clerk who saves an order,
    a note and a log entry between that read and the lock takes those ids, and the import numbers its
    rows again under the lock instead of colliding or pointing at the other clerk's rows."""
    from notedesk.services import exchange_import

    made = exchange_import._new_rows

    def another_clerk_writes_first(*args, **kwargs):
        rows = made(*args, **kwargs)
        orders.create_order(sample_order("SO-2026-00001"))
        communications.log_communication("SO-2026-00001", "the other clerk's call")
        return rows

    monkeypatch.setattr(exchange_import, "_new_rows", another_clerk_writes_first)
    report = exchange.import_document(_many(3))
    assert len(report.created) == 3
    for n in (1, 2, 3):
        detail = orders.get_order(f"SO-2027-{n:05d}")
        assert [c.text for c in detail.communications] == ["更正", f"第{n}次"]
        assert detail.communications[0].corrects == detail.communications[1].id
        assert notes.history(detail.number, "requirements")[0].version == 1
    assert [c.text for c in orders.get_order("SO-2026-00001").communications] == ["the other clerk's call"]


def test_new_customers_pinyin_keys_are_made_before_the_lock(database, monkeypatch):
    """The import gives its new customers their sort keys in the rows it makes before the write lock:
    the end of its transaction (sort_keys.fill_missing) finds none missing."""
    from notedesk.store import sort_keys

    filled = []
    fill = sort_keys.fill_missing
    monkeypatch.setattr(sort_keys, "fill_missing", lambda database: filled.append(fill(database)) or filled[-1])
    customer = {"name": "重庆张玲", "company": "", "phone": "138"}
    exchange.import_document(document(order_doc("SO-2027-00001"), order_doc("SO-2027-00002", customer=customer)))
    assert filled and not any(filled)
    with m.db.connection_context():
        keys = {c.name: c.sort_key for c in m.Customer.select()}
    assert keys == {"王芳": sort_keys.sort_key("王芳"), "重庆张玲": "chong2qing4zhang1ling2\t重庆张玲"}


_SHADOW = ("search_doc", "search_trigram_data", "search_trigram_idx", "search_gram_data", "search_gram_idx")


def _mixed_document() -> dict:
    """A stored customer under another company, a new one named by two orders with different companies,
    an empty note, a log entry written when its order was (a tie between documents) and a back-dated
    correction."""
    anna = {"name": "Anna", "company": "Old Co", "phone": "1"}
    return document(
        order_doc("SO-2027-00001"),
        order_doc("SO-2027-00002", customer=anna, notes={"requirements": "", "special": "only this"}),
        order_doc("SO-2027-00003", customer={**anna, "company": "New Co"}, communications=[
            {"at": "2026-11-26T10:00:00+08:00", "text": "written with the order", "corrects": 1},
            {"at": "2026-11-25T10:00:00+08:00", "text": "earlier"}]))


@pytest.mark.sqlite_only
def test_the_index_made_from_the_rows_is_the_one_index_new_reads_back_from_the_tables(tmp_path, monkeypatch):
    """The import indexes the texts it made (bulk.index_documents) instead of reading each back: the
    result is byte for byte the index search_index.index_new builds from the stored rows (same
    documents, ids, order and texts — a contentless FTS5 table forgets a document only when given the
    exact text it indexed)."""
    from dataclasses import replace

    from notedesk.services import exchange_import
    from notedesk.store import bulk
    from notedesk.store.connection import close_database, open_database

    checked, indexed = exchange_import._as_expected, bulk.index_documents
    fast_path: list[int] = []

    def index_documents(conn, documents, *args):
        fast_path.append(len(documents))
        indexed(conn, documents, *args)

    monkeypatch.setattr(bulk, "index_documents", index_documents)

    def imported(name: str, from_the_rows: bool) -> dict:
        open_database(str(tmp_path / name))
        orders.create_order(sample_order("SO-2026-00001", customer=replace(sample_order().customer, company="旧公司")))
        monkeypatch.setattr(exchange_import, "_as_expected", checked if from_the_rows else lambda expected: False)
        exchange.import_document(_mixed_document())
        with m.db.connection_context():
            tables = {t: m.db.execute_sql(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in _SHADOW}
            tables["orders"] = m.db.execute_sql("SELECT o.number, o.customer_name, o.customer_company, c.name, "
                                                "c.company FROM orders o JOIN customer c ON c.id = o.customer_id "
                                                "ORDER BY o.number").fetchall()
            tables["triggers"] = m.db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                                  "ORDER BY name").fetchall()
        close_database()
        return tables

    made, read_back = imported("made.db", True), imported("read.db", False)
    assert fast_path == [3 + 9 + 4]  # the orders, their notes that are not empty, their log entries
    assert made == read_back
    # each order carries its customer's name and company as stored (Anna's company is the last order's)
    assert [row[1:3] for row in made["orders"]] == [row[3:] for row in made["orders"]]
    assert made["orders"][2][:3] == ("SO-2027-00002", "Anna", "New Co")
    assert "orders_customer_names_ai" in dict(made["triggers"])
    assert len(made["search_doc"]) == 3 + 9 + 4 + 1 + 2  # and the order stored before, with its notes


@pytest.mark.sqlite_only
def test_a_customer_changed_before_the_lock_is_indexed_as_stored(database, monkeypatch):
    """Another clerk changes a stored customer's company between the import's snapshot and its write
    lock: the orders' documents hold the company as stored (read back from the rows), not the one the
    import saw."""
    from notedesk.services import exchange_import, search
    from notedesk.services.transaction import transaction

    orders.create_order(sample_order("SO-2026-00001"))
    made = exchange_import._new_rows

    def another_clerk_renames_the_company(*args, **kwargs):
        rows = made(*args, **kwargs)
        with transaction():
            m.Customer.update(company="改名公司").where(m.Customer.name == "王芳").execute()
        return rows

    monkeypatch.setattr(exchange_import, "_new_rows", another_clerk_renames_the_company)
    exchange.import_document(document(order_doc("SO-2027-00001", customer={
        "name": "王芳", "company": "芳华服饰有限公司", "phone": "13800138000"})))
    assert sorted(h.number for h in search.search("改名公司")) == ["SO-2026-00001", "SO-2027-00001"]
    assert orders.get_order("SO-2027-00001").customer.company == "改名公司"
    with m.db.connection_context():
        assert m.Order.get(m.Order.number == "SO-2027-00001").customer_company == "改名公司"
    assert search.search("芳华服饰") == []


@pytest.mark.sqlite_only
def test_a_note_saved_before_the_lock_moves_the_search_documents_on(database, monkeypatch):
    """A clerk's note saved between the import's snapshot and its write lock adds no row but takes the
    next search document: the import's documents, numbered before the lock, are numbered again."""
    from notedesk.services import exchange_import, search
    from notedesk.store import bulk

    orders.create_order(sample_order("SO-2026-00001"))
    made = exchange_import._new_rows

    def another_clerk_saves_a_note(*args, **kwargs):
        rows = made(*args, **kwargs)
        notes.append_note("SO-2026-00001", "requirements", "saved meanwhile")
        return rows

    monkeypatch.setattr(exchange_import, "_new_rows", another_clerk_saves_a_note)
    numbered = []
    rows = bulk.document_rows
    monkeypatch.setattr(bulk, "document_rows", lambda documents, first, known: numbered.append(first) or rows(
        documents, first, known))
    exchange.import_document(_many(3))
    assert numbered[1] == numbered[0] + 1  # before the lock, then again under it
    assert [h.number for h in search.search("saved meanwhile")] == ["SO-2026-00001"]
    assert [h.number for h in search.search("第3次")] == ["SO-2027-00003"]


def test_the_cycle_collector_is_paused_during_an_import_only(database, monkeypatch):
    import gc

    from notedesk.services import exchange_import

    seen = []
    made = exchange_import._new_rows
    monkeypatch.setattr(exchange_import, "_new_rows", lambda *a, **k: seen.append(gc.isenabled()) or made(*a, **k))
    assert gc.isenabled()
    exchange.import_json_text(json.dumps(_many(2)))
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        exchange.import_json_text(json.dumps(_many(1, start=3)))
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_order_numbers_match_without_regard_to_case(database):
    orders.create_order(sample_order("SO-2026-00042"))
    with pytest.raises(InvalidInput, match="exists already"):
        exchange.import_document(document(order_doc("so-2026-00042")))
    assert orders.get_order("so-2026-00042").number == "SO-2026-00042"
    assert communications.log_communication("so-2026-00042", "lower case works").text == "lower case works"


@pytest.mark.sqlite_only
def test_a_clerks_append_during_an_import_waits_and_succeeds(database, db_url, tmp_path):
    orders.create_order(sample_order())
    big = tmp_path / "big.json"
    big.write_text(json.dumps(_many(1500), ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    importer = subprocess.Popen([sys.executable, "-m", "notedesk", "--db", db_url, "import", str(big)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    results = []

    def append_while_importing() -> None:
        while importer.poll() is None or not results:
            done = subprocess.run([sys.executable, "-m", "notedesk", "--db", db_url, "note", "SO-2026-00042",
                                   "special", "--append", f"during the import {len(results)}"],
                                  capture_output=True, text=True, env=env)
            results.append((done.returncode, done.stderr))

    clerk = threading.Thread(target=append_while_importing)
    clerk.start()
    out, err = importer.communicate(timeout=600)
    clerk.join(600)
    assert importer.returncode == 0, err
    assert results and all(code == 0 for code, _ in results), results
    assert notes.get_note("SO-2026-00042", "special").body.count("during the import") == len(results)
    with m.db.connection_context():
        assert m.Order.select().count() == 1501
    assert isinstance(m.db.obj, peewee.SqliteDatabase)
