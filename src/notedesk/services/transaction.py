"""Running one service operation: a connection if none is open, one transaction, clean errors.

The outermost operation of a thread also:
- retries the whole transaction when the database is busy (SQLite "database is locked", PostgreSQL
  deadlock / serialization failure), with jittered backoff for up to RETRY_BUDGET_S seconds in all,
  so appends from many clerks at once are all kept and "locked" never reaches a clerk as a
  traceback (after the budget it is one StoreError line). A transaction is only replayed when the
  operation opened it: inside a caller's own `db.atomic()` there is nothing safe to replay.
- bumps the change counter (services.changes) when it wrote and is `live` (the default), so other
  clerks' live screens reload. `@operation(live=False)` for writes nobody else sees (drafts, presence).
"""

from __future__ import annotations

import functools
import random
import sqlite3
import threading
import time

import peewee

from notedesk.services import changes
from notedesk.store import search_index
from notedesk.store.connection import busy_timeout_s
from notedesk.store.errors import StoreError, translated_errors
from notedesk.store.models import db

RETRY_BUDGET_S = 30.0  # SQLite already waits busy_timeout (10 s) per attempt inside each try
_FIRST_DELAY_S = 0.05
_MAX_DELAY_S = 2.0
_RETRY_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available

_state = threading.local()  # per thread: depth of nested operations, whether any of them is live


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


def operation(fn=None, *, live: bool = True):
    """Run `fn` in one transaction (a savepoint when nested), opening and closing a connection if needed.

    Use as `@operation` or `@operation(live=False)`. `fn` must have no effect outside the database:
    a busy transaction is rolled back and `fn` runs again.
    """
    if fn is None:
        return functools.partial(operation, live=live)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translated_errors():
            if getattr(_state, "depth", 0):
                return _nested(fn, args, kwargs, live)
            return _outermost(fn, args, kwargs, live)

    return wrapper


def _nested(fn, args, kwargs, live):
    _state.depth += 1
    _state.live = _state.live or live
    try:
        with db.atomic():
            return fn(*args, **kwargs)
    finally:
        _state.depth -= 1


def _outermost(fn, args, kwargs, live):
    deadline = time.monotonic() + min(RETRY_BUDGET_S, 3 * busy_timeout_s())  # NOTEDESK_BUSY_TIMEOUT shortens both
    delay = _FIRST_DELAY_S
    while True:
        opened = False
        replayable = True
        _state.depth, _state.live = 1, live
        try:
            opened = db.connect(reuse_if_open=True)
            replayable = not db.in_transaction()
            with db.atomic():
                before = changes.mark()
                result = fn(*args, **kwargs)
                if _state.live and changes.wrote(before):
                    search_index.after_write(db.obj)  # the search index's queued texts, same transaction
                    changes.bump()
                return result
        except Exception as exc:  # psycopg's deadlock errors reach us unwrapped by Peewee
            pause = delay * random.uniform(0.5, 1.5)
            if not (replayable and is_busy(exc)) or time.monotonic() + pause > deadline:
                raise
        finally:
            _state.depth = 0
            if opened and not db.is_closed():
                db.close()
        time.sleep(pause)
        delay = min(delay * 2, _MAX_DELAY_S)
