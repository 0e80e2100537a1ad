"""The one way the services open a transaction: `@operation` (or `with transaction(...)` where a block
streams its results, like an export), with a connection if none is open and errors in one line.

Writes and reads take different transactions (docs/ARCHITECTURE.md, "Transactions"):
- a write (`@operation`) takes the write lock at BEGIN: SQLite `BEGIN IMMEDIATE`, PostgreSQL the desk's
  advisory lock. A deferred transaction that reads, then writes, fails at once with SQLITE_BUSY_SNAPSHOT
  whatever the busy timeout (measured: 3,950 of 4,000 such transactions lost), so every transaction
  that may write starts as a writer;
- a read (`@operation(read_only=True)`) is a consistent snapshot that neither waits for nor holds up a
  writer: SQLite `BEGIN DEFERRED` (WAL readers never block), PostgreSQL REPEATABLE READ READ ONLY
  without the lock. On SQLite the connection is `query_only` meanwhile, so a read that writes after
  all fails loudly in the tests instead of racing in production.

The outermost operation of a thread also:
- retries the whole transaction when the database is busy (SQLite "database is locked", PostgreSQL
  deadlock / serialization failure / lock timeout), with jittered backoff for up to RETRY_BUDGET_S
  seconds in all, so appends from many clerks at once are all kept and "locked" never reaches a clerk
  as a traceback (after the budget it is one StoreError line). A transaction is only replayed when
  the operation opened it: inside a caller's own transaction there is nothing safe to replay.
- bumps the change counter (services.changes) when it wrote and is `live` (the default), so other
  clerks' live screens reload. `@operation(live=False)` for writes nobody else sees (drafts, presence).
"""

from __future__ import annotations

import contextlib
import functools
import random
import sqlite3
import threading
import time
from collections.abc import Iterator

import peewee

from notedesk.services import changes
from notedesk.store import search_index, sort_keys
from notedesk.store.connection import busy_timeout_s
from notedesk.store.errors import StoreError, translated_errors
from notedesk.store.models import db

RETRY_BUDGET_S = 30.0  # SQLite already waits busy_timeout (10 s) per attempt inside each try
_FIRST_DELAY_S = 0.05
_MAX_DELAY_S = 2.0
_RETRY_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available

_state = threading.local()  # per thread: depth of nested operations, live, read_only


def is_busy(exc: BaseException) -> bool:
    """A failure that goes away by itself: another writer held the lock."""
    # Peewee re-raises driver errors as its own type, with the original as an argument or context;
    # a nested operation has already translated it to StoreError (context kept). Other errors'
    # context is not looked at: a bug raised while handling a busy error must not be replayed.
    candidates: list[BaseException | None] = [exc, *[a for a in exc.args if isinstance(a, BaseException)]]
    if isinstance(exc, (StoreError, peewee.DatabaseError, sqlite3.DatabaseError)):
        candidates.append(exc.__context__)
    for candidate in candidates:
        if candidate is None:
            continue
        if getattr(candidate, "sqlstate", None) in _RETRY_SQLSTATES:
            return True
        message = str(candidate).lower()
        if isinstance(candidate, (sqlite3.OperationalError, peewee.OperationalError)) and (
                "database is locked" in message or "table is locked" in message or "database is busy" in message):
            return True
    return False


def in_progress() -> bool:
    """Whether this thread is inside an operation or holds an open transaction: a write operation
    started now from this thread would wait for itself (tui.hangup writes drafts on another thread then)."""
    if getattr(_state, "depth", 0):
        return True
    try:
        return db.obj is not None and not db.is_closed() and db.in_transaction()
    except Exception:  # a connection in a state we cannot ask about: assume the worst
        return True


def operation(fn=None, *, live: bool = True, read_only: bool = False):
    """Run `fn` in one transaction (a savepoint when nested), opening and closing a connection if needed.

    Use as `@operation`, `@operation(live=False)` or `@operation(read_only=True)`. `fn` must have no
    effect outside the database: a busy transaction is rolled back and `fn` runs again.
    """
    if fn is None:
        return functools.partial(operation, live=live, read_only=read_only)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translated_errors():
            if getattr(_state, "depth", 0):
                with _nested(live, read_only):
                    return fn(*args, **kwargs)
            return _outermost(fn, args, kwargs, live, read_only)

    return wrapper


@contextlib.contextmanager
def transaction(*, read_only: bool = False, live: bool = True) -> Iterator[peewee.Database]:
    """`@operation` as a block, for work that streams (an export writing as it reads): the same
    transaction, without the replay on busy (a block cannot run twice). Yields the database."""
    with translated_errors():
        if getattr(_state, "depth", 0):
            with _nested(live, read_only):
                yield db.obj
            return
        opened = db.connect(reuse_if_open=True)
        try:
            with _transaction(live, read_only):
                yield db.obj
        finally:
            _state.depth = 0
            if opened and not db.is_closed():
                db.close()


@contextlib.contextmanager
def _nested(live: bool, read_only: bool):
    if getattr(_state, "read_only", False) and not read_only:
        raise RuntimeError("a write operation inside a read-only one: make the outer operation a write")
    _state.depth += 1
    _state.live = _state.live or live
    try:
        with db.atomic():
            yield
    finally:
        _state.depth -= 1


@contextlib.contextmanager
def _transaction(live: bool, read_only: bool):
    """The outermost transaction of this thread, on its open connection."""
    _state.depth, _state.live, _state.read_only = 1, live, read_only
    if read_only:
        with _read_snapshot():
            yield
        return
    with db.atomic():
        before = changes.mark()
        yield
        if changes.wrote(before):
            sort_keys.fill_missing(db.obj)  # new and renamed customers' pinyin keys, same transaction
            if _state.live:
                search_index.after_write(db.obj)  # the search index's queued texts, same transaction
                changes.bump()


@contextlib.contextmanager
def _read_snapshot():
    sqlite = isinstance(db.obj, peewee.SqliteDatabase)
    if sqlite:
        db.execute_sql("PRAGMA query_only = 1")
    try:
        with db.atomic(lock_type="DEFERRED"):  # PostgresDatabase: REPEATABLE READ, READ ONLY, no lock
            yield
    finally:
        if sqlite and not db.is_closed():
            db.execute_sql("PRAGMA query_only = 0")


def _outermost(fn, args, kwargs, live: bool, read_only: bool):
    deadline = time.monotonic() + min(RETRY_BUDGET_S, 3 * busy_timeout_s())  # NOTEDESK_BUSY_TIMEOUT shortens both
    delay = _FIRST_DELAY_S
    while True:
        opened = False
        replayable = True
        try:
            opened = db.connect(reuse_if_open=True)
            replayable = not db.in_transaction()
            with _transaction(live, read_only):
                return fn(*args, **kwargs)
        except Exception as exc:  # psycopg's deadlock errors reach us unwrapped by Peewee
            pause = delay * random.uniform(0.5, 1.5)
            if not (replayable and is_busy(exc)) or time.monotonic() + pause > deadline:
                raise
        finally:
            _state.depth, _state.read_only = 0, False
            if opened and not db.is_closed():
                db.close()
        time.sleep(pause)
        delay = min(delay * 2, _MAX_DELAY_S)
