"""The search index's schema: which text is indexed, the SQLite FTS5 tables and the triggers that keep
them in step with every write, the rebuild after a bulk load, and PostgreSQL's pg_trgm indexes.

Documents. One per piece of searchable text: an order (its number, its customer's name and company),
a note's current body (empty notes are left out), a communication entry's text, an attachment's
name. `search_doc` numbers them: its `id` is the rowid in both FTS tables, its `ref` says which row
it is (row id * 4 + source). A document gets a new, highest id whenever its text is written, and the
rebuild numbers them by when they were written, so `ORDER BY rowid DESC` is newest first straight
off the index: ranking broad hits by bm25 measured 70-145 ms at a million rows, rowid order under
1 ms (issue 7). Dense ids also
keep the index small: FTS5 stores rowid deltas, and a time-shaped key of 6-byte deltas made the same
index four times the size (measured 420 MB against 80 MB at 100,000 orders).

Two contentless FTS5 tables (`content=''`: only the index is stored, the text stays in its table):
- `search_trigram` (tokenizer trigram): queries of 3+ characters, any script. A quoted query is a
  phrase of consecutive trigrams, i.e. an exact, case-insensitive substring. Positions are kept
  (detail=full, 129 MB at 100,000 orders): with detail=none (47 MB) a query can only ask for all of
  its trigrams anywhere in a text, and one whose words occur apart in many texts ("customer
  confirm") left thousands of candidates to check, 100-400 ms against 10-30 ms.
- `search_gram` (tokens from `grams()`, detail=none: 32 MB): what trigram cannot index, 1-2
  character queries. Every CJK character, every pair of neighbours of which one is CJK ("红色",
  "t恤", "0件"), and the first one and two letters of every Latin word or number ("xl" of "XL",
  "20" of "200"): a 1-2 character Chinese query is an exact substring, a 1-2 letter Latin one
  matches the start of a word. (LIKE
  against the trigram table is no substitute: on SQLite 3.40 it returns 0 rows, silently, for 1-2
  Chinese characters; a LIKE scan of the notes takes 150-330 ms at a million rows.)

Upkeep. Triggers written in plain SQL, so any program that writes the tables (the sqlite3 shell, a
test, a copy) keeps the index right: they maintain `search_doc` and `search_trigram` directly, and
queue each text for `search_gram` in `search_queue` (its tokens are made in Python, fast enough to
rebuild a million documents; in SQL a recursive walk over the characters took ten minutes).
`catch_up()` applies the queue: services.transaction runs it at the end of every writing operation,
services.search before it searches. A contentless table forgets a document only when given the exact
text it indexed: the triggers and the rebuild index the same SQL expressions, and the queue carries
the old text of every change. So changing `grams()` or what a document's text is needs a migration
that calls `install()` and `rebuild()`.

Bulk loads (the demo, an import) drop the triggers, load, index what they added (`index_new()`) and
make the triggers again, all in one transaction (store/bulk.indexing_suspended): indexing many rows
at once, in id order, is far faster than row by row through triggers, and a load killed half way
leaves the triggers in place. `missing()` says what of the index is gone (`notedesk check`).
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata

import peewee

ATTACHMENT, ORDER, NOTE, COMMUNICATION = 0, 1, 2, 3  # document sources: ref = row id * 4 + source

DOC = "search_doc"
TRIGRAM = "search_trigram"
GRAM = "search_gram"
QUEUE = "search_queue"
HASH_BYTES = 64 << 20  # FTS5's in-memory buffer during a rebuild: fewer, larger segments

TABLES = (
    f"CREATE TABLE IF NOT EXISTS {DOC} (id INTEGER PRIMARY KEY, ref INTEGER NOT NULL UNIQUE)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM} USING fts5(body, content='', tokenize='trigram', "
    "columnsize=0)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {GRAM} USING fts5(grams, content='', "
    "tokenize='unicode61 remove_diacritics 0', detail='none', columnsize=0)",
    f"CREATE TABLE IF NOT EXISTS {QUEUE} (id INTEGER PRIMARY KEY, doc INTEGER NOT NULL, body TEXT NOT NULL, "
    "op INTEGER NOT NULL)",
)

# PostgreSQL: trigram GIN indexes serve ILIKE '%…%' on every searched column.
PG_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
PG_INDEXES = (
    "CREATE INDEX IF NOT EXISTS note_body_trgm ON note USING gin (body gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS communication_text_trgm ON communication USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS orders_number_trgm ON orders USING gin (number gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS customer_name_trgm ON customer USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS customer_company_trgm ON customer USING gin (company gin_trgm_ops)",
)
PG_ATTACHMENT_INDEX = "CREATE INDEX IF NOT EXISTS attachment_name_trgm ON attachment USING gin (name gin_trgm_ops)"

# --- gram tokens ------------------------------------------------------------------------------------

# Latin, Greek and Cyrillic letters and digits ("L"), and CJK ("C": from U+2E80 on, less the CJK
# and full-width punctuation, which the unicode61 tokenizer drops anyway).
LATIN = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u052f"
CJK = ("\u2e80-\u2fff\u3040-\ufe0f\ufe20-\ufe2f\ufe70-\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
       "\uff66-\uffef\U00010000-\U0010ffff")


@functools.cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """Compiled on first use, not at import: the desk imports this module (services.transaction)
    before its first paint, and these classes take a while to compile."""
    return (re.compile(f"[{CJK}]"), re.compile(f"(?=([{CJK}][{LATIN}{CJK}]|[{LATIN}][{CJK}]))"),
            re.compile(f"(?<![{LATIN}])[{LATIN}][{LATIN}]?"), re.compile(f"[{LATIN}]"))


def grams(text: str) -> str:
    """The gram tokens of `text`, space-separated (see the module docstring)."""
    cjk_char, pairs, word_starts, _ = _patterns()
    if text.isascii():  # no CJK: only the word starts (a third of the work)
        tokens = set()
    else:
        tokens = set(cjk_char.findall(text))
        tokens.update(pairs.findall(text))
    for start in word_starts.findall(text):
        tokens.add(start[0])
        tokens.add(start)
    return " ".join(tokens)


def is_token_char(ch: str) -> bool:
    """A character the unicode61 tokenizer keeps (letters, digits, private use)."""
    return unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co"


def gram_query(query: str) -> tuple[str, bool] | None:
    """The one gram token that finds a 1-2 character query, and whether it matches at word starts
    only (Latin) rather than anywhere (CJK); None when the index cannot answer it (punctuation)."""
    if not 1 <= len(query) <= 2 or not all(is_token_char(ch) for ch in query):
        return None
    cjk_char, _, _, latin_char = _patterns()
    kinds = ["C" if cjk_char.fullmatch(ch) else "L" if latin_char.fullmatch(ch) else "" for ch in query]
    if "" in kinds:
        return None
    if "C" in kinds:
        return query, False
    return query, True


# --- the documents in SQL -------------------------------------------------------------------------

def _order_text(order: str, customer: str) -> str:
    return f"{order}.number || char(10) || {customer}.name || char(10) || {customer}.company"


# Every document with when it was written (the rebuild's order) and its text.
DOCUMENTS = (
    f"SELECT o.created_at AS at, o.id * 4 + {ORDER} AS ref FROM orders o",
    f"SELECT n.updated_at AS at, n.id * 4 + {NOTE} AS ref FROM note n WHERE n.body <> ''",
    f"SELECT m.at AS at, m.id * 4 + {COMMUNICATION} AS ref FROM communication m",
    f"SELECT a.created_at AS at, a.id * 4 + {ATTACHMENT} AS ref FROM attachment a",
)
# The text of document `d` (a search_doc row): one indexed lookup.
BODY = (f"(CASE d.ref & 3 WHEN {ORDER} THEN (SELECT {_order_text('o', 'c')} FROM orders o "
        "JOIN customer c ON c.id = o.customer_id WHERE o.id = d.ref >> 2) "
        f"WHEN {NOTE} THEN (SELECT body FROM note WHERE id = d.ref >> 2) "
        f"WHEN {COMMUNICATION} THEN (SELECT text FROM communication WHERE id = d.ref >> 2) "
        "ELSE (SELECT name FROM attachment WHERE id = d.ref >> 2) END)")


def _add(ref: str, body: str, join: str = "", where: str = "") -> list[str]:
    """A new document (the newest id) for `ref`, indexed at once and queued for the gram index."""
    cond = f" AND {where}" if where else ""
    return [
        f"INSERT INTO {DOC}(ref) SELECT {ref} WHERE 1{cond}",
        f"INSERT INTO {TRIGRAM}(rowid, body) SELECT d.id, {body} FROM {DOC} d{join} WHERE d.ref = {ref}",
        f"INSERT INTO {QUEUE}(doc, body, op) SELECT d.id, {body}, 1 FROM {DOC} d{join} WHERE d.ref = {ref}",
    ]


def _forget(ref: str, body: str, join: str = "", keep_doc: bool = False) -> list[str]:
    """Take `ref`'s document out of the indexes, given the exact text it was indexed with."""
    out = [
        f"INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, body) SELECT 'delete', d.id, {body} FROM {DOC} d{join} "
        f"WHERE d.ref = {ref}",
        f"INSERT INTO {QUEUE}(doc, body, op) SELECT d.id, {body}, 0 FROM {DOC} d{join} WHERE d.ref = {ref}",
    ]
    if not keep_doc:
        out.append(f"DELETE FROM {DOC} WHERE ref = {ref}")
    return out


def _reindex(ref: str, body: str, join: str = "") -> list[str]:
    """Index `ref`'s document again under the same id (an order keeps its place: when it was made)."""
    return [
        f"INSERT INTO {TRIGRAM}(rowid, body) SELECT d.id, {body} FROM {DOC} d{join} WHERE d.ref = {ref}",
        f"INSERT INTO {QUEUE}(doc, body, op) SELECT d.id, {body}, 1 FROM {DOC} d{join} WHERE d.ref = {ref}",
    ]


def _trigger(name: str, event: str, table: str, when: str, statements: list[str]) -> tuple[str, str]:
    condition = f" WHEN {when}" if when else ""
    body = ";\n  ".join(statements)
    return name, f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition}\nBEGIN\n  {body};\nEND"


def triggers() -> dict[str, str]:
    """name -> CREATE TRIGGER statement."""
    new_order, old_order = f"NEW.id * 4 + {ORDER}", f"OLD.id * 4 + {ORDER}"
    new_customer, old_customer = (" JOIN customer c ON c.id = NEW.customer_id",
                                  " JOIN customer c ON c.id = OLD.customer_id")
    new_note, old_note = f"NEW.id * 4 + {NOTE}", f"OLD.id * 4 + {NOTE}"
    new_comm, old_comm = f"NEW.id * 4 + {COMMUNICATION}", f"OLD.id * 4 + {COMMUNICATION}"
    new_file, old_file = f"NEW.id * 4 + {ATTACHMENT}", f"OLD.id * 4 + {ATTACHMENT}"
    # a customer's name or company is part of the document of each of its orders
    each_order = " JOIN orders o ON o.customer_id = NEW.id"
    order_ref = f"o.id * 4 + {ORDER}"
    renamed_old = "o.number || char(10) || OLD.name || char(10) || OLD.company"
    renamed_new = "o.number || char(10) || NEW.name || char(10) || NEW.company"
    made = [
        _trigger("search_orders_ai", "INSERT", "orders", "", _add(new_order, _order_text("NEW", "c"), new_customer)),
        _trigger("search_orders_au", "UPDATE OF number, customer_id", "orders",
                 "OLD.number IS NOT NEW.number OR OLD.customer_id IS NOT NEW.customer_id",
                 _forget(old_order, _order_text("OLD", "c"), old_customer, keep_doc=True)
                 + _reindex(new_order, _order_text("NEW", "c"), new_customer)),
        _trigger("search_orders_ad", "DELETE", "orders", "", _forget(old_order, _order_text("OLD", "c"), old_customer)),
        _trigger("search_customer_au", "UPDATE OF name, company", "customer",
                 "OLD.name IS NOT NEW.name OR OLD.company IS NOT NEW.company",
                 _forget(order_ref, renamed_old, each_order, keep_doc=True)
                 + _reindex(order_ref, renamed_new, each_order)),
        _trigger("search_note_ai", "INSERT", "note", "NEW.body <> ''", _add(new_note, "NEW.body")),
        _trigger("search_note_au", "UPDATE OF body", "note", "OLD.body IS NOT NEW.body",
                 _forget(old_note, "OLD.body") + _add(new_note, "NEW.body", where="NEW.body <> ''")),
        _trigger("search_note_ad", "DELETE", "note", "OLD.body <> ''", _forget(old_note, "OLD.body")),
        _trigger("search_communication_ai", "INSERT", "communication", "", _add(new_comm, "NEW.text")),
        _trigger("search_communication_au", "UPDATE OF text", "communication", "OLD.text IS NOT NEW.text",
                 _forget(old_comm, "OLD.text") + _add(new_comm, "NEW.text")),
        _trigger("search_communication_ad", "DELETE", "communication", "", _forget(old_comm, "OLD.text")),
        _trigger("search_attachment_ai", "INSERT", "attachment", "", _add(new_file, "NEW.name")),
        _trigger("search_attachment_au", "UPDATE OF name", "attachment", "OLD.name IS NOT NEW.name",
                 _forget(old_file, "OLD.name") + _add(new_file, "NEW.name")),
        _trigger("search_attachment_ad", "DELETE", "attachment", "", _forget(old_file, "OLD.name")),
    ]
    return dict(made)


TRIGGER_NAMES = tuple(triggers())


# --- operations (each takes a DB-API connection: sqlite3.Connection) --------------------------------

def create(database: peewee.Database) -> None:
    """The index of a new database (migration 0001): the FTS5 tables and triggers on SQLite; pg_trgm
    indexes on PostgreSQL, where a server without the extension still searches, by scanning."""
    if not isinstance(database, peewee.PostgresqlDatabase):
        install(database.connection())
        return
    try:
        with database.atomic():  # a savepoint: a failure leaves the migration's transaction usable
            database.execute_sql(PG_EXTENSION)
    except peewee.DatabaseError:
        return
    for statement in PG_INDEXES:
        database.execute_sql(statement)
    if database.table_exists("attachment"):  # made by migration 0006, after this ran first
        database.execute_sql(PG_ATTACHMENT_INDEX)


def drop_triggers(conn) -> None:
    """Stop index upkeep for a bulk load; `install()` and `rebuild()` afterwards."""
    for name in TRIGGER_NAMES:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def install(conn) -> None:
    """Create the tables if missing and (re)create the triggers from this module's SQL; a trigger on a
    table a later migration makes (attachment, 0006) waits for that migration to call this again."""
    for statement in TABLES:
        conn.execute(statement)
    drop_triggers(conn)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for statement in triggers().values():
        table = re.search(r" ON (\w+)", statement)
        if table is not None and table.group(1) in tables:
            conn.execute(statement)


def catch_up(conn, batch: int = 1000) -> int:
    """Apply the queued texts to the gram index, oldest first; returns how many."""
    done = 0
    while True:
        rows = conn.execute(f"SELECT id, doc, body, op FROM {QUEUE} ORDER BY id LIMIT ?", (batch,)).fetchall()
        if not rows:
            return done
        for _, doc, body, op in rows:
            if op:
                conn.execute(f"INSERT INTO {GRAM}(rowid, grams) VALUES (?, ?)", (doc, grams(body)))
            else:
                conn.execute(f"INSERT INTO {GRAM}({GRAM}, rowid, grams) VALUES ('delete', ?, ?)", (doc, grams(body)))
        conn.execute(f"DELETE FROM {QUEUE} WHERE id <= ?", (rows[-1][0],))
        done += len(rows)


def pending(conn) -> bool:
    return conn.execute(f"SELECT 1 FROM {QUEUE} LIMIT 1").fetchone() is not None


def rebuild(conn, progress=None) -> int:
    """Index every document again, numbered by when it was written; returns how many documents.
    The tables are made afresh (so they take this module's definitions) and the triggers installed.
    `progress(done, total)` is called now and then. Runs in the caller's transaction."""
    for table in (QUEUE, DOC, TRIGRAM, GRAM):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    install(conn)
    for table in (TRIGRAM, GRAM):
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (HASH_BYTES,))
    return index_new(conn, progress=progress)


def index_new(conn, after: dict[str, int] | None = None, progress=None, known: dict[str, str] | None = None) -> int:
    """Index the rows of every DOCUMENTS table with ids past `after[table]` (0 when not given: a bulk
    load's rows, written while the triggers were dropped), numbered by when they were written; returns
    how many documents.
    `known`: texts whose gram tokens were made beforehand (an import makes them before it takes the
    write lock). Runs in the caller's transaction."""
    known = known or {}
    last = conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {DOC}").fetchone()[0]
    after = after or {}
    parts, bounds = [], []
    for sql in DOCUMENTS:
        table, alias = re.search(r"FROM (\w+) (\w+)", sql).groups()  # type: ignore[union-attr]
        parts.append(f"{sql} {'AND' if ' WHERE ' in sql else 'WHERE'} {alias}.id > ?")
        bounds.append(after.get(table, 0))
    conn.execute(f"INSERT INTO {DOC}(ref) SELECT ref FROM ({' UNION ALL '.join(parts)}) ORDER BY at, ref", bounds)
    total = conn.execute(f"SELECT count(*) FROM {DOC} WHERE id > ?", (last,)).fetchone()[0]
    if progress:
        progress(0, total)
    # in id order: FTS5 then appends to each doclist, by far the fastest way to build it
    conn.execute(f"INSERT INTO {TRIGRAM}(rowid, body) SELECT d.id, {BODY} FROM {DOC} d WHERE d.id > ? ORDER BY d.id",
                 (last,))
    if progress:
        progress(total // 2, total)
    cursor = conn.execute(f"SELECT d.id, {BODY} FROM {DOC} d WHERE d.id > ? ORDER BY d.id", (last,))
    done = 0
    while True:
        rows = cursor.fetchmany(5000)
        if not rows:
            break
        conn.executemany(f"INSERT INTO {GRAM}(rowid, grams) VALUES (?, ?)",
                         [(i, known[b] if b in known else grams(b)) for i, b in rows])
        done += len(rows)
        if progress:
            progress(total // 2 + done // 2, total)
    return total


def order_text(number: str, customer_name: str, company: str) -> str:
    """An order's document text, as the triggers and BODY make it."""
    return f"{number}\n{customer_name}\n{company}"


def missing(database: peewee.Database) -> list[str]:
    """What of the index is not there (empty when whole): on SQLite its tables and triggers (a bulk
    load killed before issue 13.7 left the triggers dropped, and new text was never found again); on
    PostgreSQL the trigram indexes, where the server has pg_trgm."""
    if isinstance(database, peewee.PostgresqlDatabase):
        if not database.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone():
            return []
        present = {name for (name,) in database.execute_sql("SELECT indexname FROM pg_indexes")}
        wanted = [statement.split()[5] for statement in PG_INDEXES]
    else:
        present = {name for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
        wanted = [DOC, TRIGRAM, GRAM, QUEUE, *TRIGGER_NAMES]
    return [name for name in wanted if name not in present]


def after_write(database: peewee.Database) -> None:
    """services.transaction calls this at the end of every operation that wrote: the gram index takes
    in what the triggers queued, in the same transaction (SQLite; PostgreSQL has nothing queued)."""
    if not isinstance(database, peewee.SqliteDatabase):
        return
    conn = database.connection()
    try:
        if not pending(conn):
            return
    except sqlite3.OperationalError as exc:  # a database made before the index existed: no queue, nothing to do
        if "no such table" in str(exc):
            return
        raise
    catch_up(conn)
