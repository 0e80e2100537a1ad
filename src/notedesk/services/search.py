"""Search: order numbers, customers, the full text of notes and communications, attachment names; newest first.

`search(query)` treats the whole query as literal text (no operators: quotes, `*`, `NEAR`, `-` are
characters to find), case-insensitive, any length from one character, Chinese and English:
- SQLite, through the FTS5 index of store/search_index: 3+ characters on the trigram index (the
  query as one phrase: an exact substring); 1-2 characters on the gram index, a Chinese query as a
  substring, a Latin one at the start of a word ("xl" finds "XL", not "2XL"); the rare rest (a
  punctuation mark) by a scan, newest first. Each candidate's text is searched again in Python, for
  the snippet and to drop anything the index holds for a text that has changed. Hits come in the
  index's order, newest written first, without ranking (see store/search_index).
- PostgreSQL: ILIKE (a 1-2 letter Latin query: a case-insensitive regex for the start of a word)
  on the text columns, served by the pg_trgm indexes of migration 0001 where they exist.

A search reads in a deferred transaction: it never waits for a writer nor holds one up. On SQLite it
first applies texts another program queued for the gram index (store/search_index.catch_up), if any.

`rebuild_index()` indexes everything again (`search --rebuild`, `check --repair`). Bulk loads keep the
index themselves (store/bulk.indexing_suspended).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable

import peewee

from notedesk import domain
from notedesk.services.transaction import operation
from notedesk.services.types import SearchHit
from notedesk.store import models as m
from notedesk.store import search_index as ix
from notedesk.store.errors import StoreError
from notedesk.text import cell_width, clean

SOURCES = ("number", "customer", *domain.NOTE_KINDS, "communication", "attachment")
SNIPPET_WIDTH = 64  # terminal cells of a snippet
CONTEXT_WIDTH = 18  # cells of text shown before the match
_FOLD = re.compile("[ \t\n]+")  # as text.one_line: a snippet is one line
_MISSING = "the search index is missing from this database: rebuild it with `notedesk search --rebuild`"


# --- matching and snippets ----------------------------------------------------------------------------

Finder = Callable[[str], "tuple[int, int] | None"]


def _finder(query: str, word_start: bool = False) -> Finder:
    """Where `query` is in a text (case-insensitive), or None; at a word start only when asked."""
    plain = re.compile(re.escape(query), re.IGNORECASE)
    if not word_start:
        return lambda text: (found.span() if (found := plain.search(text)) else None)
    start = re.compile(f"(?<![{ix.LATIN}])" + re.escape(query), re.IGNORECASE)
    return lambda text: (found.span() if (found := start.search(text)) else None)


_cells = functools.lru_cache(maxsize=65536)(cell_width)  # per character: snippets measure a lot of them


def _width(text: str) -> int:
    return len(text) if text.isascii() else sum(map(_cells, text))


def _cut_left(text: str, width: int) -> tuple[str, bool]:
    """The end of `text` that fits in `width` cells, and whether anything was cut."""
    width = max(0, width)
    if text.isascii():
        return text[max(0, len(text) - width):] if width else "", len(text) > width
    used, i = 0, len(text)
    while i > 0:
        w = _cells(text[i - 1])
        if used + w > width:
            break
        used += w
        i -= 1
    return text[i:], i > 0


def _cut_right(text: str, width: int) -> tuple[str, bool]:
    """The start of `text` that fits in `width` cells, and whether anything was cut."""
    width = max(0, width)
    if text.isascii():
        return text[:width], len(text) > width
    used, i = 0, 0
    while i < len(text):
        w = _cells(text[i])
        if used + w > width:
            break
        used += w
        i += 1
    return text[:i], i < len(text)


def snippet(text: str, span: tuple[int, int] | None, width: int = SNIPPET_WIDTH,
            context: int = CONTEXT_WIDTH) -> tuple[str, int, int]:
    """One cleaned line of `text` around `span` (offsets in clean(text)): (line, start, end) with the
    match at line[start:end], at most `width` cells, "…" where cut. Without a span: the text's start
    and start == end."""
    text = clean(text)
    if span is None:
        span = (0, 0)
    s, e = span
    # only a window around the match is folded and measured: a note may be long
    lo, hi = max(0, s - 2 * width), min(len(text), e + 2 * width)
    before = _FOLD.sub(" ", text[lo:s])
    match = _FOLD.sub(" ", text[s:e])
    after = _FOLD.sub(" ", text[e:hi])
    if lo == 0:
        before = before.lstrip(" ")
    if hi == len(text):
        after = after.rstrip(" ")
    if not match:
        after = after.lstrip(" ")
    match, cut = _cut_right(match, width)
    if cut:  # a query longer than the line
        match = _cut_right(match, width - 1)[0] + "…"
    room = width - _width(match)
    # `context` cells before the match, more when what follows it leaves room
    budget = min(room, max(context, room - _width(after)))
    shown, cut = _cut_left(before, budget)
    if cut or (lo > 0 and shown == before):
        shown = "…" + _cut_left(before, budget - 1)[0] if budget >= 2 else ""
    room -= _width(shown)
    tail, cut = _cut_right(after, room)
    if cut or (hi < len(text) and tail == after):
        tail = _cut_right(after, room - 1)[0] + "…" if room >= 2 else ""
    start = len(shown)
    return shown + match + tail, start, start + len(match)


def _hit(number: str, customer: str, status: str, source: str, text: str, at, find: Finder,
         must_match: bool) -> SearchHit | None:
    """The hit for `text`, or None when the index's candidate does not hold the query after all."""
    cleaned = clean(text)
    span = find(cleaned)
    if span is None and must_match:
        return None
    line, start, end = snippet(cleaned, span)
    return SearchHit(number=clean(number), customer=clean(customer), status=status, source=source,
                     snippet=line, at=at, start=start, end=end)


def _order_hit(number, name, company, status, at, find: Finder, must_match: bool) -> SearchHit | None:
    """An order document: the number if that is where the query is, else the customer."""
    if find(clean(number)) is not None:
        return _hit(number, name, status, "number", number, at, find, True)
    who = f"{name} · {company}" if company else name
    hit = _hit(number, name, status, "customer", who, at, find, True)
    if hit is None and not must_match:  # the index says it is here; show the customer anyway
        hit = _hit(number, name, status, "customer", who, at, find, False)
    return hit


# --- loading candidate rows ---------------------------------------------------------------------------

def _note_rows(condition) -> peewee.Query:
    return (m.Note.select(m.Note.id, m.Note.kind, m.Note.body, m.Note.updated_at, m.Order.number,
                          m.Order.status, m.Customer.name)
            .join(m.Order).join(m.Customer).where(condition))


def _communication_rows(condition) -> peewee.Query:
    return (m.Communication.select(m.Communication.id, m.Communication.text, m.Communication.at,
                                   m.Order.number, m.Order.status, m.Customer.name)
            .join(m.Order).join(m.Customer).where(condition))


def _attachment_rows(condition) -> peewee.Query:
    return (m.Attachment.select(m.Attachment.id, m.Attachment.name, m.Attachment.created_at,
                                m.Order.number, m.Order.status, m.Customer.name)
            .join(m.Order).join(m.Customer).where(condition))


def _order_rows(condition) -> peewee.Query:
    return (m.Order.select(m.Order.id, m.Order.number, m.Customer.name, m.Customer.company, m.Order.status,
                           m.Order.created_at)
            .join(m.Customer).where(condition))


def _note_hit(row, find, must_match):
    _, kind, body, at, number, status, name = row
    return _hit(number, name, status, kind, body, at, find, must_match)


def _communication_hit(row, find, must_match):
    _, text, at, number, status, name = row
    return _hit(number, name, status, "communication", text, at, find, must_match)


def _attachment_hit(row, find, must_match):
    _, name, at, number, status, customer = row
    return _hit(number, customer, status, "attachment", name, at, find, must_match)


def _order_row_hit(row, find, must_match):
    _, number, name, company, status, at = row
    return _order_hit(number, name, company, status, at, find, must_match)


def _candidate_rows(doc_ids: list[int]) -> list[tuple]:
    """(hit maker, row) of each search document, in the order given (documents gone meanwhile skipped)."""
    refs = dict(m.db.execute_sql(
        f"SELECT id, ref FROM {ix.DOC} WHERE id IN ({', '.join('?' * len(doc_ids))})", doc_ids).fetchall())
    wanted: dict[int, list[int]] = {ix.ORDER: [], ix.NOTE: [], ix.COMMUNICATION: [], ix.ATTACHMENT: []}
    for ref in refs.values():
        wanted.setdefault(ref & 3, []).append(ref >> 2)
    found: dict[int, tuple] = {}
    loaders = ((ix.ORDER, _order_rows, m.Order.id, _order_row_hit),
               (ix.NOTE, _note_rows, m.Note.id, _note_hit),
               (ix.COMMUNICATION, _communication_rows, m.Communication.id, _communication_hit),
               (ix.ATTACHMENT, _attachment_rows, m.Attachment.id, _attachment_hit))
    for source, rows, key, make in loaders:
        if wanted[source]:
            for row in rows(key.in_(wanted[source])).tuples():
                found[row[0] * 4 + source] = (make, row)
    return [found[refs[doc]] for doc in doc_ids if refs.get(doc) in found]


# --- SQLite -------------------------------------------------------------------------------------------

def _phrase(text: str) -> str:
    """An FTS5 string: whatever is inside is literal text (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def _sqlite_plan(query: str) -> tuple[str | None, str | None, Finder, bool]:
    """(fts table, MATCH expression, finder, must the finder confirm each candidate)."""
    if len(query) >= 3:  # the trigram tokenizer makes the phrase a substring match
        return ix.TRIGRAM, _phrase(query), _finder(query), True
    gram = ix.gram_query(query)
    if gram is not None:
        token, word_start = gram
        # checked too: a posting left by a document whose id was reused must not show up
        return ix.GRAM, _phrase(token), _finder(query, word_start), True
    return None, None, _finder(query), True


def _sqlite_search(query: str, limit: int) -> list[SearchHit]:
    table, match, find, must_match = _sqlite_plan(query)
    hits: list[SearchHit] = []
    below = None
    want = limit + 4  # a few more: the check may drop a candidate
    while len(hits) < limit:
        docs = _candidates(table, match, query, want, below)
        if not docs:
            break
        for make, row in _candidate_rows(docs):
            hit = make(row, find, must_match)
            if hit is not None:
                hits.append(hit)
                if len(hits) == limit:
                    break
        if len(docs) < want:
            break
        below = docs[-1]
        want = min(2000, want * 2)  # many dropped: ask for more at a time
    return hits


def _candidates(table: str | None, match: str | None, query: str, want: int, below: int | None) -> list[int]:
    """Search document ids, newest first, below `below`."""
    bound = "" if below is None else " AND rowid < ?"
    tail = [] if below is None else [below]
    if table is not None:
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ?{bound} ORDER BY rowid DESC LIMIT ?"
        params = [match, *tail, want]
    else:  # no index can answer (a punctuation mark): read the documents' texts, newest first
        like = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql = (f"SELECT d.id FROM {ix.DOC} d WHERE {ix.BODY} LIKE ? ESCAPE '\\'"
               f"{bound.replace('rowid', 'd.id')} ORDER BY d.id DESC LIMIT ?")
        params = [f"%{like}%", *tail, want]
    return [row[0] for row in m.db.execute_sql(sql, params).fetchall()]


# --- PostgreSQL ---------------------------------------------------------------------------------------

def _pg_search(query: str, limit: int) -> list[SearchHit]:
    gram = ix.gram_query(query) if len(query) <= 2 else None
    word_start = gram is not None and gram[1]
    find = _finder(query, word_start)
    if word_start:  # as on SQLite: a 1-2 letter Latin query matches the start of a word
        pattern = f"(^|[^{ix.LATIN}]){query}"  # the query is letters and digits only: nothing to escape

        def has(field):
            return field.iregexp(pattern)
    else:
        def has(field):
            return field.contains(query)  # ILIKE '%…%', with % _ \ escaped by Peewee

    queries = (
        (_order_rows(has(m.Order.number) | has(m.Customer.name) | has(m.Customer.company))
         .order_by(m.Order.created_at.desc(), m.Order.id.desc()), _order_row_hit),
        (_note_rows(has(m.Note.body)).order_by(m.Note.updated_at.desc(), m.Note.id.desc()), _note_hit),
        (_communication_rows(has(m.Communication.text))
         .order_by(m.Communication.at.desc(), m.Communication.id.desc()), _communication_hit),
        (_attachment_rows(has(m.Attachment.name))
         .order_by(m.Attachment.created_at.desc(), m.Attachment.id.desc()), _attachment_hit),
    )
    hits = []
    for q, make in queries:
        for row in q.limit(limit).tuples():
            hit = make(row, find, False)
            if hit is not None:
                hits.append(hit)
    hits.sort(key=lambda h: h.at, reverse=True)
    return hits[:limit]


# --- the service ---------------------------------------------------------------------------------------

@operation(read_only=True)
def _search(query: str, limit: int) -> tuple[list[SearchHit], bool]:
    """(hits, whether texts are queued for the gram index) in one read snapshot."""
    sqlite = isinstance(m.db.obj, peewee.SqliteDatabase)
    try:
        if not sqlite:
            return _pg_search(query, limit), False
        return _sqlite_search(query, limit), ix.pending(m.db.connection())
    except (peewee.OperationalError, sqlite3.OperationalError) as exc:
        if "no such table: search_" in str(exc):
            raise StoreError(_MISSING) from None
        raise


@operation(live=False)
def _catch_up() -> int:
    return ix.catch_up(m.db.connection())


def search(query: str, limit: int = 50) -> list[SearchHit]:
    """Orders whose number, customer, note and communication text or attachment names contain `query`, newest first
    (at most `limit` hits; an order appears once for each place it matches). Raises StoreError."""
    query = query.strip()
    if not query or limit <= 0:
        return []
    hits, queued = _search(query, limit)
    if queued and ix.gram_query(query) is not None:
        # Texts another program wrote (queued by the triggers) go into the gram index first. A database
        # this login cannot write, or a long writer, leaves them queued: the search answers without them.
        try:
            _catch_up()
        except StoreError:
            pass
        else:
            hits, _ = _search(query, limit)
    # newest first by when the text was written (the index's order is when it was indexed)
    return sorted(hits, key=lambda h: h.at, reverse=True)


@operation
def rebuild_index(progress: Callable[[int, int], None] | None = None) -> int:
    """Index every order, note, communication and attachment name again: after a bulk load, or to repair the index.
    Returns how many texts were indexed (0 on PostgreSQL, whose indexes need no rebuild).
    `progress(done, total)` is called now and then. Raises StoreError."""
    database = m.db.obj
    if not isinstance(database, peewee.SqliteDatabase):
        ix.create(database)
        return 0
    return ix.rebuild(database.connection(), progress)


@operation(read_only=True)
def index_missing() -> list[str]:
    """The parts of the search index that are not there (tables, triggers, indexes); empty when whole."""
    return ix.missing(m.db.obj)


__all__ = ["SOURCES", "index_missing", "rebuild_index", "search", "snippet"]
