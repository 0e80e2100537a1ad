"""Writing many rows at once (the demo, an import): ids given by us, rows in the stored format, and the
search index kept in the same transaction — so a bulk write killed half way leaves the database as it
was before that transaction, triggers and index included (issue 13.7).

Rows are tuples in the order of `FIELDS[model]`, in the form the models store: naive UTC times as
text (`stamp()`), dates and times of day as ISO text, money as text with two decimals. SQLite takes
them through the driver's `executemany` (Peewee's bulk insert is 3-6x slower), PostgreSQL through
Peewee's `insert_many` in batches.

Call inside one write transaction:

    with indexing_suspended(database):       # search triggers off, on again before the commit
        first = reserve_ids(database, m.Order, len(orders)) ...
        insert(database, m.Order, rows) ...

`indexing_suspended` indexes the rows added meanwhile (orders, notes, communications with ids past
what was there) in one pass, far faster than the triggers row by row (store/search_index); their gram
tokens can be made before the transaction (`known_grams`: text -> tokens, see gram_tokens()).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import peewee

from notedesk.store import models as m
from notedesk.store import search_index as ix

# The columns each table gets, in tuple order. Ids are given for the rows others point at.
FIELDS = {
    m.Customer: ("id", "created_at", "updated_at", "changed_by", "name", "company", "phone", "email", "preferences"),
    m.CustomerContact: ("id", "created_at", "updated_at", "changed_by", "customer", "position", "name", "phone",
                        "role"),
    m.CustomerAddress: ("id", "created_at", "updated_at", "changed_by", "customer", "position", "label", "text"),
    m.Order: ("id", "created_at", "updated_at", "changed_by", "number", "customer", "customer_name",
              "customer_company", "status", "currency", "version", "total", "deadline_text", "deadline_date",
              "deadline_start", "deadline_end", "payment_method", "payment_status", "amount_due", "received",
              "address", "contact"),
    m.OrderLine: ("created_at", "updated_at", "changed_by", "order", "position", "product", "spec", "quantity",
                  "unit_price"),
    m.Instalment: ("created_at", "updated_at", "changed_by", "order", "position", "due", "amount", "paid"),
    m.Payment: ("created_at", "updated_at", "changed_by", "order", "amount", "via", "at", "note", "clerk"),
    m.Note: ("id", "created_at", "updated_at", "changed_by", "order", "kind", "body", "version"),
    m.NoteRevision: ("created_at", "updated_at", "changed_by", "note", "version", "body"),
    m.Communication: ("id", "created_at", "updated_at", "changed_by", "order", "at", "channel", "contact", "clerk",
                      "text", "corrects"),
    m.Event: ("created_at", "updated_at", "changed_by", "order", "field", "old", "new", "reason"),
}
INDEXED = ("orders", "note", "communication", "attachment")  # the tables whose rows are search documents
_UTC = dt.UTC


def stamp(moment: dt.datetime) -> str:
    """An aware time as UTCDateTimeField stores it: naive UTC, `str()` (as sqlite3 writes a datetime)."""
    return str(moment.astimezone(_UTC).replace(tzinfo=None))


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def clock_time(value: dt.time | None) -> str | None:
    return None if value is None else str(value)


def reserve_ids(database: peewee.Database, model, count: int) -> int:
    """The first of `count` consecutive new ids for `model`, inside the write transaction that inserts
    them (which holds the write lock on both engines, so nobody else takes them meanwhile)."""
    table = model._meta.table_name
    if isinstance(database, peewee.PostgresqlDatabase):
        sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
        first = database.execute_sql(f"SELECT nextval({sequence})").fetchone()[0]
        if count > 1:
            database.execute_sql(f"SELECT setval({sequence}, %s)", (first + count - 1,))
        return first
    return database.execute_sql(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"').fetchone()[0]


def next_ids(database: peewee.Database, models) -> dict:
    """Read before the write transaction: the id reserve_ids will most likely give each model (SQLite
    takes MAX(id) + 1), so that rows can be numbered before the lock and only checked under it. Empty on
    PostgreSQL, whose sequences give ids only when taken."""
    if isinstance(database, peewee.PostgresqlDatabase):
        return {}
    return {model: reserve_ids(database, model, 0) for model in models}


def insert(database: peewee.Database, model, rows: list[tuple], names: tuple[str, ...] | None = None) -> None:
    """Insert rows given in FIELDS[model] order (or `names`: FIELDS[model] and more) and the stored format."""
    if not rows:
        return
    names = names or FIELDS[model]
    if isinstance(database, peewee.SqliteDatabase):
        columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in names)
        sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({", ".join("?" * len(names))})'
        database.connection().executemany(sql, rows)
        return
    fields = [model._meta.fields[n] for n in names]
    for start in range(0, len(rows), 1000):
        model.insert_many(rows[start:start + 1000], fields=fields).execute()


def move_sequences_past(database: peewee.Database, models=(m.Customer, m.CustomerContact, m.CustomerAddress, m.Order,
                                                           m.Note, m.Communication)) -> None:
    """PostgreSQL sequences do not see ids inserted explicitly (the demo's): move them past the rows."""
    if not isinstance(database, peewee.PostgresqlDatabase):
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))")


def gram_tokens(texts) -> dict[str, str]:
    """The gram tokens of each distinct text, made before the write transaction that indexes them."""
    return {text: ix.grams(text) for text in set(texts) if text}


@contextlib.contextmanager
def triggers_suspended(database: peewee.Database, names: tuple[str, ...]):
    """Inside a write transaction: the named SQLite triggers dropped while the block inserts rows that
    hold already what the triggers would write, made again from their own stored SQL before the
    commit (a crash leaves them as they were). Nothing on PostgreSQL."""
    if not names or not isinstance(database, peewee.SqliteDatabase):
        yield
        return
    conn = database.connection()
    made = conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                        f"({', '.join('?' * len(names))}) ORDER BY name", names).fetchall()
    for name, _ in made:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in made:
        conn.execute(sql)


@dataclass
class DocumentRows:
    """New documents as the three index tables take them, numbered from `first`."""

    first: int
    docs: list[tuple[int, int]]  # search_doc (id, ref)
    trigram: list[tuple[int, str]]  # (rowid, text)
    grams: list[tuple[int, str]]  # (rowid, gram tokens)


def document_rows(documents: list[tuple[int, str]], first: int, known_grams: dict[str, str]) -> DocumentRows:
    """The rows that index `documents` ((ref, text), in order) as documents `first`, `first` + 1, ..."""
    return DocumentRows(first, [(n, ref) for n, (ref, _) in enumerate(documents, first)],
                        [(n, text) for n, (_, text) in enumerate(documents, first)],
                        [(n, known_grams[text] if text in known_grams else ix.grams(text))
                         for n, (_, text) in enumerate(documents, first)])


def next_document_id(database: peewee.Database) -> int | None:
    """Read before the write transaction: the id the next new search document will most likely get
    (None on PostgreSQL, which has no such table)."""
    if not isinstance(database, peewee.SqliteDatabase):
        return None
    return database.execute_sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {ix.DOC}").fetchone()[0]


class NewDocuments:
    """What `indexing_suspended` indexes when its block ends. By default it finds the new rows itself
    (search_index.index_new: their texts read back with a lookup each). A writer that knows them all
    sets `documents`: every new row's (ref, text) — ref as search_index numbers it (row id * 4 +
    source), the text exactly as search_index.BODY reads it back, in the order index_new would give
    (when written, then ref) — and they are indexed straight from the list; `prepared`: their rows
    made before the lock (document_rows), used when the ids read then are still the next ones."""

    def __init__(self) -> None:
        self.documents: list[tuple[int, str]] | None = None
        self.prepared: DocumentRows | None = None


def index_documents(conn, documents: list[tuple[int, str]], known_grams: dict[str, str],
                    prepared: DocumentRows | None = None) -> None:
    """Index `documents` ((ref, text), in order) as new documents after the last one: search_doc rows,
    the trigram index and the gram index, each in one statement, in id order (FTS5 appends)."""
    first = conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {ix.DOC}").fetchone()[0]
    rows = prepared if prepared is not None and prepared.first == first else document_rows(
        documents, first, known_grams)
    conn.executemany(f"INSERT INTO {ix.DOC}(id, ref) VALUES (?, ?)", rows.docs)
    conn.executemany(f"INSERT INTO {ix.TRIGRAM}(rowid, body) VALUES (?, ?)", rows.trigram)
    conn.executemany(f"INSERT INTO {ix.GRAM}(rowid, grams) VALUES (?, ?)", rows.grams)


@contextlib.contextmanager
def indexing_suspended(database: peewee.Database, known_grams: dict[str, str] | None = None):
    """Inside a write transaction: the search triggers are dropped, the block inserts rows, then the
    new rows are indexed in one pass and the triggers made again — all before the commit, so a crash
    anywhere leaves them as they were. Only for inserts: an update inside the block is not reindexed.
    Yields a NewDocuments (the block may say what it added). PostgreSQL (pg_trgm indexes, no triggers)
    needs nothing of this."""
    new = NewDocuments()
    if not isinstance(database, peewee.SqliteDatabase):
        yield new
        return
    conn = database.connection()
    since = {table: database.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]
             for table in INDEXED}
    ix.drop_triggers(conn)
    yield new
    for table in (ix.TRIGRAM, ix.GRAM):  # FTS5 keeps the new terms in memory until the commit: no
        # segments written and merged on the way (measured: the trigram index of 10,000 orders 30% less
        # CPU). A lasting setting of the table, the one search_index.rebuild() gives it too.
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (ix.HASH_BYTES,))
    if new.documents is None:
        ix.index_new(conn, since, known=known_grams)
    else:
        index_documents(conn, new.documents, known_grams or {}, new.prepared)
    ix.install(conn)
