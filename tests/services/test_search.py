"""Search (issue 7): number, customer, notes and communications; Chinese and English of any length;
newest first; user text is literal; the index follows every write; snippets are clean one-liners.

Runs on SQLite and PostgreSQL (tests/services); the index internals only on SQLite.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import sample_order
from notedesk.services import communications, exchange, notes, orders, search
from notedesk.services.types import CustomerData
from notedesk.store import bulk
from notedesk.store import models as m
from notedesk.store import search_index as ix
from notedesk.store.errors import StoreError
from notedesk.text import REPLACEMENT, cell_width, is_clean

UTC = dt.UTC
N1, N2, N3 = "SO-2026-00042", "SO-2026-00043", "SO-2026-00044"


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 26, hour, minute, tzinfo=UTC)


@pytest.fixture
def desk(database):
    """Three orders: Chinese, English, mixed; a log on each."""
    orders.create_order(sample_order(N1))  # 王芳 / 芳华服饰有限公司, requirements 红色T恤200件,XL码
    orders.create_order(sample_order(
        N2, customer=CustomerData(name="Sarah Connor", company="Acme Ltd.", phone="+1 555-0100"),
        notes={"requirements": "Blue mugs, 2XL cartons, deliver by Friday",
               "delivery": "Loading dock 3, call Tom before arrival"}))
    orders.create_order(sample_order(
        N3, customer=CustomerData(name="李雷", company="", phone="13900000000"),
        notes={"special": "丝印两色 LOGO, Pantone 186C", "payment": "月结30天"}))
    communications.log_communication(N1, "客户来电,数量改为300件", at=at(3))
    communications.log_communication(N2, "Customer asked for the tracking number", at=at(4))
    communications.log_communication(N3, "已寄样品,客户确认OK", at=at(5))
    return database


def rename(number: str, customer: CustomerData) -> None:
    detail = orders.get_order(number)
    orders.update_order(number, replace(orders.as_input(detail), customer=customer), base_version=detail.version)


def found(query: str, **kw) -> list[tuple[str, str]]:
    return [(h.number, h.source) for h in search.search(query, **kw)]


def marked(query: str) -> list[str]:
    """What each hit highlights."""
    return [h.snippet[h.start:h.end] for h in search.search(query)]


@pytest.mark.parametrize("query, expected", [
    ("丝", {(N3, "special")}),  # one Chinese character
    ("丝印", {(N3, "special")}),  # two
    ("丝印两色", {(N3, "special")}),  # four
    ("确认OK", {(N3, "communication")}),  # mixed
    ("件", {(N1, "requirements"), (N1, "communication")}),
    ("T恤", {(N1, "requirements")}),  # a letter and a character: two characters, one gram
    ("300件", {(N1, "communication")}),
    ("月结", {(N3, "payment")}),
    ("tracking number", {(N2, "communication")}),  # English, any case
    ("TRACKING", {(N2, "communication")}),
    ("dock", {(N2, "delivery")}),
    ("Pantone 186", {(N3, "special")}),
    ("xl", {(N1, "requirements")}),  # 1-2 Latin letters: the start of a word ("2XL" is not)
    ("2x", {(N2, "requirements")}),
    ("B", {(N2, "requirements"), (N2, "delivery")}),  # Blue, by; before
    ("王芳", {(N1, "customer")}),  # customer name
    ("芳华", {(N1, "customer")}),  # company
    ("李", {(N3, "customer")}),
    ("acme", {(N2, "customer")}),
    ("00043", {(N2, "number")}),  # order number
    ("SO-2026-00044", {(N3, "number")}),
])
def test_finds_every_language_and_length_in_every_place(desk, query, expected):
    assert set(found(query)) == expected


def test_nothing_found_and_empty_queries(desk):
    assert search.search("没有这个词") == []
    assert search.search("zebra") == []
    assert search.search("鑫") == []
    assert search.search("") == [] and search.search("   ") == []
    assert search.search("件", limit=0) == []


def test_the_match_is_marked_in_a_one_line_snippet(desk):
    hits = search.search("call tom")
    assert [(h.number, h.source) for h in hits] == [(N2, "delivery")]
    hit = hits[0]
    assert hit.snippet == "Loading dock 3, call Tom before arrival"  # the note's newline folded
    assert hit.snippet[hit.start:hit.end] == "call Tom"
    assert set(found("tom")) == {(N2, "delivery"), (N2, "communication")}  # "Customer": substrings
    assert hit.customer == "Sarah Connor" and hit.status == "confirmed"
    assert marked("丝印") == ["丝印"]
    assert marked("00042") == ["00042"]


def test_newest_first_across_notes_and_communications(desk):
    communications.log_communication(N2, "打样 first", at=at(6))
    communications.log_communication(N1, "打样 second", at=at(8))
    communications.log_communication(N3, "打样 third", at=at(7))
    hits = search.search("打样")
    assert [h.number for h in hits] == [N1, N3, N2]
    assert [h.at for h in hits] == sorted((h.at for h in hits), reverse=True)
    assert found("打样", limit=2) == [(N1, "communication"), (N3, "communication")]


@pytest.mark.parametrize("query", ['"rush"', 'rush" OR "x', "ok*", "a*", "NEAR(rush, ok)", "NEAR",
                                   "- now", "-", "rush -ok", "^rush", "body:rush", "(rush)", "AND", "OR",
                                   '"', "*", "''", "\\", "%", "_", "1_0%"])
def test_fts_syntax_in_a_query_is_literal_text(database, query):
    orders.create_order(sample_order(N1, notes={"special": 'He said "rush" NEAR(rush, ok) - now ok* a*'}))
    text = 'He said "rush" NEAR(rush, ok) - now ok* a*'
    hits = search.search(query)  # never an FTS5 syntax error
    if query.lower() in text.lower():
        assert (N1, "special") in [(h.number, h.source) for h in hits], query
        assert all(h.snippet[h.start:h.end].lower() == query.lower() for h in hits if h.source == "special")
    else:
        assert (N1, "special") not in [(h.number, h.source) for h in hits], query


def test_saving_a_note_replaces_its_text_in_the_index(desk):
    current = notes.get_note(N1, "requirements")
    notes.save_note(N1, "requirements", "绿色卫衣50件,M码", base_version=current.version)
    assert found("红色") == [] and found("红") == [] and found("T恤") == []
    assert found("绿色卫衣") == [(N1, "requirements")]
    assert found("绿") == [(N1, "requirements")]
    assert found("M码") == [(N1, "requirements")]
    notes.append_note(N1, "requirements", "加印编号 ZX-9")
    assert found("ZX-9") == [(N1, "requirements")] and found("绿色卫衣") == [(N1, "requirements")]
    notes.save_note(N1, "requirements", "", base_version=notes.get_note(N1, "requirements").version)
    assert found("绿色") == [] and found("ZX") == []
    notes.revert(N1, "requirements", 2, base_version=notes.get_note(N1, "requirements").version)
    assert found("绿色卫衣") == [(N1, "requirements")]


def test_an_appended_communication_is_found_at_once(desk):
    communications.log_communication(N2, "Courier 顺丰 picked up 2 cartons")
    assert found("顺丰") == [(N2, "communication")]
    assert found("顺") == [(N2, "communication")]
    assert found("courier") == [(N2, "communication")]


def test_a_renamed_customer_and_a_new_order_follow(desk):
    rename(N3, CustomerData(name="韩梅梅", company="梅花印务", phone="13900000000"))
    assert found("韩梅梅") == [(N3, "customer")] and found("梅花") == [(N3, "customer")]
    assert (N3, "customer") not in found("李雷") and found("李") == []
    orders.create_order(sample_order("SO-2026-00045", notes={"requirements": "刺绣 badge"}))
    assert found("刺绣") == [("SO-2026-00045", "requirements")]
    assert found("00045") == [("SO-2026-00045", "number")]


def test_an_import_that_updates_an_order_updates_the_index(desk):
    doc = exchange.export_orders([N1])
    order = doc["orders"][0]
    order["notes"]["requirements"] = "黄色雨衣80件"
    order["communications"].append({"at": "2026-11-27T09:00:00+08:00", "channel": "wechat", "contact": "王芳",
                                    "clerk": "li", "text": "确认黄色"})
    exchange.import_document(doc, update=True)
    assert found("红色T恤") == []
    assert set(found("黄色")) == {(N1, "requirements"), (N1, "communication")}
    assert found("雨衣") == [(N1, "requirements")]
    new = {**order, "number": "SO-2026-00077", "notes": {"special": "烫金 foil"}, "communications": []}
    exchange.import_document({"format": "notedesk/1", "orders": [new]})
    assert found("烫金") == [("SO-2026-00077", "special")] and found("foil") == [("SO-2026-00077", "special")]


def test_stored_text_that_bypassed_the_gate_is_cleaned_in_snippets(desk, engine):
    hostile = "付款\x1b]52;c;SGVsbG8=\x07 [@click=app.quit] [/]\r\n第二行\x9b2J \u202eevil"
    m.Communication.update(text=hostile).where(m.Communication.text == "客户来电,数量改为300件").execute()
    hits = search.search("付款")
    assert [(h.number, h.source) for h in hits] == [(N1, "communication")]
    line = hits[0].snippet
    assert is_clean(line) and "\n" not in line and "\x1b" not in line and REPLACEMENT in line
    assert "[@click=app.quit] [/]" in line  # literal: the screens show it with rich Text, never markup
    assert line[hits[0].start:hits[0].end] == "付款"
    assert found("第二行") == [(N1, "communication")]


# --- SQLite's index ---------------------------------------------------------------------------------

def _vocab(table: str) -> set[str]:
    conn = m.db.connection()
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} USING fts5vocab(main, {table}, 'row')")
    return {row[0] for row in conn.execute(f"SELECT term FROM temp.v_{table}")}


@pytest.mark.sqlite_only
def test_old_text_leaves_no_trace_in_the_contentless_index(desk):
    """A contentless FTS5 table forgets a document only when told its exact old text: check the terms."""
    communications.log_communication(N1, "斑马 zebra")
    n = notes.get_note(N2, "special")
    notes.save_note(N2, "special", "犀牛 rhino", base_version=n.version)
    notes.save_note(N2, "special", "other", base_version=n.version + 1)
    m.Communication.update(text="changed").where(m.Communication.text == "斑马 zebra").execute()
    rename(N3, CustomerData(name="韩梅梅", company="", phone="13900000000"))
    with m.db.connection_context():
        gram, trigram = _vocab("search_gram"), _vocab("search_trigram")
    for gone in ("斑", "斑马", "犀牛", "李", "李雷"):
        assert gone not in gram
    for gone in ("zeb", "rhi", "斑马 "):
        assert gone not in trigram
    assert {"韩梅", "梅"} <= gram and "cha" in trigram


@pytest.mark.sqlite_only
def test_a_program_writing_without_notedesk_is_indexed_too(desk, db_url):
    """Triggers are plain SQL: the sqlite3 shell or a script keeps the index right; the gram index takes
    their texts in at the next search."""
    conn = sqlite3.connect(db_url)
    order_id = conn.execute("SELECT id FROM orders WHERE number = ?", (N2,)).fetchone()[0]
    with conn:
        conn.execute("INSERT INTO communication (created_at, updated_at, changed_by, order_id, at, channel, "
                     "contact, clerk, text) VALUES ('2026-11-27 01:00:00', '2026-11-27 01:00:00', 'li', ?, "
                     "'2026-11-27 01:00:00', 'phone', '', 'li', '外部写入 external')", (order_id,))
        conn.execute("UPDATE note SET body = '手工修改' WHERE kind = 'payment' AND order_id = ?", (order_id,))
    conn.close()
    assert found("外部") == [(N2, "communication")]  # 2 characters: the gram index, caught up
    assert found("外部写入") == [(N2, "communication")]
    assert found("手") == [(N2, "payment")]
    with m.db.connection_context():
        assert not ix.pending(m.db.connection())


def _triggers() -> set[str]:
    return {r[0] for r in m.db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


@pytest.mark.sqlite_only
def test_a_bulk_load_keeps_the_index_within_its_own_transaction(desk):
    """Issue 13.7: the triggers are off only inside the load's transaction; killed (here: an error)
    half way, the load is rolled back with them; done, the new rows are indexed and upkeep is back."""
    queries = ["件", "红色", "T恤", "xl", "tracking", "王芳", "00043", "丝印两色", "确认OK", "B", "-"]
    before = {q: search.search(q) for q in queries}
    database = m.db.obj
    order_id = orders.get_order(N3).id
    row = ("2026-11-27 01:00:00",) * 2 + ("li", order_id, "2026-11-27 09:00:00", "phone", "", "li", "批量 loaded later",
                                         None)
    with m.db.connection_context():
        with pytest.raises(RuntimeError), database.atomic(), bulk.indexing_suspended(database):
            assert not _triggers() & set(ix.TRIGGER_NAMES)  # no upkeep during the load
            bulk.insert(database, m.Communication, [(bulk.reserve_ids(database, m.Communication, 1), *row)])
            raise RuntimeError("killed half way")
        assert set(ix.TRIGGER_NAMES) <= _triggers()
        with database.atomic(), bulk.indexing_suspended(database):
            bulk.insert(database, m.Communication, [(bulk.reserve_ids(database, m.Communication, 1), *row)])
        assert set(ix.TRIGGER_NAMES) <= _triggers() and ix.missing(database) == []
    assert found("批量") == [(N3, "communication")] and found("loaded") == [(N3, "communication")]
    assert {q: search.search(q) for q in queries} == before
    assert search.rebuild_index() == 3 + 6 + 4  # orders, non-empty notes, communications
    assert {q: search.search(q) for q in queries} == before
    communications.log_communication(N1, "triggers are back 回来了")
    assert found("回来") == [(N1, "communication")]


@pytest.mark.sqlite_only
def test_a_database_without_the_index_says_how_to_build_it(desk):
    with m.db.connection_context():
        for table in ("search_trigram", "search_gram", "search_doc", "search_queue"):
            m.db.execute_sql(f"DROP TABLE {table}")
        ix.drop_triggers(m.db.connection())
    with pytest.raises(StoreError, match="notedesk search --rebuild"):
        search.search("件")
    notes.append_note(N1, "special", "still saves")  # writes do not need the index
    search.rebuild_index()
    assert found("still saves") == [(N1, "special")]


def test_gram_tokens():
    tokens = set(ix.grams("红色T恤200件,XL码 Deliver by Friday, 2XL ok。").split())
    assert {"红", "色", "红色", "色T", "T恤", "恤2", "0件", "件", "码", "L码"} <= tokens
    assert {"X", "XL", "D", "De", "b", "by", "2", "2X", "o", "ok", "20"} <= tokens
    assert not {"L", "el", "iv", "XL码"} & tokens  # no mid-word Latin tokens, nothing longer than 2
    assert ix.gram_query("红") == ("红", False) and ix.gram_query("xl") == ("xl", True)
    assert ix.gram_query("T恤") == ("T恤", False)
    assert ix.gram_query("，") is None and ix.gram_query("a.") is None and ix.gram_query("abc") is None


def test_the_index_exists_on_each_engine(database, engine):
    with m.db.connection_context():
        if engine == "sqlite":
            names = {r[0] for r in m.db.execute_sql("SELECT name FROM sqlite_master")}
            assert {ix.DOC, ix.TRIGRAM, ix.GRAM, ix.QUEUE, *ix.TRIGGER_NAMES} <= names
            return
        names = {r[0] for r in m.db.execute_sql("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
        assert {"note_body_trgm", "communication_text_trgm", "orders_number_trgm", "customer_name_trgm",
                "customer_company_trgm"} <= names
        with m.db.atomic():  # the planner uses them for a substring (no seq scan allowed, to see it)
            m.db.execute_sql("SET LOCAL enable_seqscan = off")
            plan = "\n".join(r[0] for r in m.db.execute_sql(
                "EXPLAIN SELECT id FROM note WHERE body ILIKE %s", ("%丝印两色%",)))
        assert "note_body_trgm" in plan, plan


@given(st.text(alphabet=st.sampled_from("ab 红色\n\tT恤😀é"), max_size=200), st.data(),
       st.integers(min_value=4, max_value=80))
def test_a_snippet_is_one_line_that_fits_and_marks_the_match(text, data, width):
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 10)))
    line, s, e = search.snippet(text, (start, end), width=width, context=width // 4)
    assert "\n" not in line and "\t" not in line
    assert cell_width(line) <= width
    inside = text[start:end]
    if cell_width(inside) <= width and not any(c in inside for c in "\n\t") and "  " not in inside:
        assert line[s:e] == inside  # the match itself, whole, where it fits
    plain, s, e = search.snippet(text, None, width=width)
    assert s == e == 0 and cell_width(plain) <= width and "\n" not in plain
