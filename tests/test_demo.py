"""Demo data: realistic, consistent, reproducible, and loaded by the fast bulk path on both engines."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from decimal import Decimal

import pytest

from conftest import sample_order
from notedesk import clock, demo, domain
from notedesk.deadlines import parse_deadline
from notedesk.services import communications, exchange, notes, orders
from notedesk.store import models as m
from notedesk.store.connection import close_database, open_database

NOW = "2026-11-26T15:00:00+08:00"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", NOW)


def export_text() -> str:
    out = io.StringIO()
    exchange.export(out, "json")
    return out.getvalue()


@pytest.mark.both_engines
def test_fill_builds_consistent_realistic_orders(database, frozen):
    assert demo.fill(300, progress=False) == 300
    now, tz = clock.now(), clock.business_tz()
    today = now.astimezone(tz).date()
    with m.db.connection_context():
        order_rows = list(m.Order.select())
        assert len(order_rows) == 300
        assert len({o.number for o in order_rows}) == 300
        lines, instalments, revisions = defaultdict(list), defaultdict(list), defaultdict(list)
        for line in m.OrderLine.select():
            lines[line.order_id].append(line)
        for inst in m.Instalment.select():
            instalments[inst.order_id].append(inst)
        for rev in m.NoteRevision.select():
            revisions[rev.note_id].append(rev)
        note_rows = list(m.Note.select())
        comms = list(m.Communication.select())
        created = {o.id: o.created_at for o in order_rows}

    assert len(note_rows) == 4 * 300
    for note in note_rows:  # every note has its history, ending in what it says now
        history = sorted(revisions[note.id], key=lambda r: r.version)
        assert history and [r.version for r in history] == list(range(1, note.version + 1))
        assert history[-1].body == note.body and note.body.strip()
    for o in order_rows:
        assert lines[o.id] and o.total == sum((x.unit_price * x.quantity for x in lines[o.id]), Decimal("0.00"))
        if o.payment_method == "instalments":
            assert sum(i.amount for i in instalments[o.id]) == o.total
        assert created[o.id] <= o.updated_at <= now
        if o.deadline_date is None:
            assert parse_deadline(o.deadline_text, created[o.id].astimezone(tz)).date is None
        else:  # the clerk's words say what the structured fields say
            parsed = parse_deadline(o.deadline_text, created[o.id].astimezone(tz))
            assert (parsed.date, parsed.start, parsed.end) == (o.deadline_date, o.deadline_start, o.deadline_end)
    for c in comms:
        assert created[c.order_id] <= c.at <= now
    assert {o.status for o in order_rows} == set(domain.STATUSES)
    assert {o.payment_method for o in order_rows} == set(domain.PAYMENT_METHODS)
    assert {o.payment_status for o in order_rows} == set(domain.PAYMENT_STATUSES)
    assert {c.channel for c in comms} == set(domain.CHANNELS)
    assert any(c.corrects_id for c in comms)
    assert any(o.currency == "CNY" for o in order_rows) and any(o.currency != "CNY" for o in order_rows)
    dates = [o.deadline_date for o in order_rows if o.deadline_date]
    assert min(dates) < today - dt.timedelta(days=5) and max(dates) > today + dt.timedelta(days=25)
    assert any(o.deadline_start for o in order_rows) and any(o.deadline_end and not o.deadline_start
                                                              for o in order_rows)
    text = " ".join(n.body for n in note_rows)
    for phrase in ("加印LOGO", "防潮包装", "冷链运输", "货到付款", "Invoice must show PO number"):
        assert phrase in text or phrase in " ".join(c.text for c in comms) or \
            m.Customer.select().where(m.Customer.preferences == phrase).exists()
    assert 9 <= (len(note_rows) + len(comms)) / 300 <= 11  # about ten note and log rows an order

    # the bulk load leaves a database the services keep working on (PostgreSQL sequences moved on)
    orders.create_order(sample_order("X-1"))
    entry = communications.log_communication(order_rows[0].number, "after the demo")
    assert entry.id > max(c.id for c in comms)
    assert notes.append_note(order_rows[0].number, "special", "再加一行").version >= 2


def test_fill_is_reproducible_and_round_trips_through_the_exchange_format(database, frozen, tmp_path):
    demo.fill(80, progress=False)
    first = export_text()
    close_database()
    open_database(str(tmp_path / "again.db"))
    demo.fill(80, progress=False)
    assert export_text() == first  # same seed, same clock: the same orders
    close_database()
    open_database(str(tmp_path / "imported.db"))
    report = exchange.import_json_text(first)
    assert len(report.created) == 80
    assert export_text() == first


def test_fill_adds_after_existing_orders(database, frozen):
    demo.fill(10, progress=False)
    demo.fill(10, progress=False)
    numbers = [o["number"] for o in json.loads(export_text())["orders"]]
    assert len(numbers) == len(set(numbers)) == 20


def test_ensure_demo_data_fills_a_new_database_once(database, frozen):
    assert demo.ensure_demo_data() == demo.DEFAULT_ORDERS
    assert demo.ensure_demo_data() == 0
    with m.db.connection_context():
        assert m.Order.select().count() == demo.DEFAULT_ORDERS


def test_progress_bar_only_on_a_terminal(database, frozen):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    shown, hidden = Terminal(), io.StringIO()
    demo.fill(5, stream=shown)
    demo.fill(5, stream=hidden)
    assert shown.getvalue().startswith("\rdemo [") and "] 100% 5/5 orders\n" in shown.getvalue()
    assert hidden.getvalue() == ""


def test_each_chunk_is_indexed_in_its_own_transaction(database, frozen, monkeypatch):
    """Issue 13.7: no rebuild after the load (a kill before it left the triggers dropped for good):
    each chunk's rows are indexed, triggers back, before that chunk commits."""
    from notedesk.store import search_index

    monkeypatch.setattr(demo, "CHUNK", 3)
    indexed = []
    original = search_index.index_new

    def index_new(conn, *args, **kwargs):
        indexed.append(original(conn, *args, **kwargs))
        return indexed[-1]

    monkeypatch.setattr(search_index, "index_new", index_new)
    monkeypatch.setattr(search_index, "rebuild", lambda *a, **k: pytest.fail("no rebuild after a demo load"))
    demo.fill(7, progress=False)
    assert len(indexed) == 3 and all(indexed)  # 3 + 3 + 1 orders
    with m.db.connection_context():
        assert search_index.missing(m.db.obj) == []


def test_the_search_index_covers_the_demo(database, frozen):
    from notedesk.services import search

    demo.fill(40, progress=False)
    with m.db.connection_context():
        number = m.Order.select(m.Order.number).order_by(m.Order.id.desc()).scalar()
        special = m.Note.select(m.Note.body).where(m.Note.kind == "special").scalar()
    assert search.search(number)
    assert search.search(special.split("\n")[0][:6])


def test_the_demo_is_believable_to_a_chinese_clerk(database, frozen):
    """Issue 20: 海南省呼和浩特市, a 黑色 / 350ml line whose requirement said 白色马克杯, calls logged at 04:07,
    ASCII commas in Chinese notes. Cities are in their provinces, the requirements name each line's colour
    and product, calls are logged 09:00-18:00 on working days, Chinese notes use Chinese punctuation."""
    import re

    from notedesk.demo_rows import CITIES

    demo.fill(300, progress=False)
    tz = clock.business_tz()
    with m.db.connection_context():
        addresses = [a.text for a in m.CustomerAddress.select()]
        chinese = [a for a in addresses if not a.isascii()]
        assert chinese
        for address in chinese:  # in a city of its province, with the city's postcode
            postcode = next((z for p, c, _d, z in CITIES if address.startswith(p + c)), None)
            assert postcode is not None, address
            assert re.search(rf" {postcode}\d{{3}}$", address), address

        requirements = {n.order_id: n.body for n in m.Note.select().where(m.Note.kind == "requirements")}
        for line in m.OrderLine.select():
            colour = line.spec.split(" / ")[0]
            body = requirements[line.order_id]
            if line.product.isascii():
                assert f"in {colour}," in body, (line.product, line.spec, body)
            else:
                assert f"{colour}{line.product}{line.quantity}件" in body, (line.product, line.spec, body)

        for entry in m.Communication.select():
            local = entry.at.astimezone(tz)
            assert local.weekday() < 5 and dt.time(9) <= local.time() < dt.time(18), (local, entry.text)

        ascii_next_to_chinese = re.compile(r"[\u4e00-\u9fff][,:;()]|[,:;()][\u4e00-\u9fff]")
        texts = [n.body for n in m.Note.select()] + [c.text for c in m.Communication.select()] + \
            [c.preferences for c in m.Customer.select()]
        assert [t for t in texts if ascii_next_to_chinese.search(t)] == []
