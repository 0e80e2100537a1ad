"""Has anything changed since I last looked? The change counter and the watcher live screens poll.

Every `@operation` whose transaction wrote business data bumps the one-row `change_counter` table
in that same transaction (services.transaction calls `mark()`, `wrote()` and `bump()`), so a
reader sees the new counter exactly when it can see the new data. Drafts and presence heartbeats
are `@operation(live=False)`: nobody else's screen shows them, so they do not count.

A `ChangeWatcher` reads the counter on a connection of its own:
- SQLite: `PRAGMA data_version` first (it only moves when ANOTHER connection committed, which is
  why the watcher needs its own connection; no table read while nothing was committed), then the
  counter when it moved;
- PostgreSQL: the counter, one indexed one-row read per poll.
Both engines share the counter, so a presence heartbeat or a draft save (which commit, and move
data_version) does not reload every clerk's screen.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any
from urllib.parse import quote

import peewee

from notedesk.i18n import _
from notedesk.store.errors import StoreError, explain
from notedesk.store.models import db
from notedesk.store.targets import is_postgres, sqlite_path

_COUNTER_SQL = "SELECT value FROM change_counter WHERE id = 1"
_BUMP_SQL = ("INSERT INTO change_counter (id, value) VALUES (1, 1) "
             "ON CONFLICT (id) DO UPDATE SET value = change_counter.value + 1")


def _sqlite() -> bool:
    return isinstance(db.obj, peewee.SqliteDatabase)


def mark():
    """Where this connection stands before an operation runs (inside its transaction)."""
    return db.connection().total_changes if _sqlite() else None


def wrote(before) -> bool:
    """Did the current transaction change any row since `mark()`?"""
    if _sqlite():
        return db.connection().total_changes != before
    # PostgreSQL gives a transaction an id at its first write, not before.
    return bool(db.execute_sql("SELECT txid_current_if_assigned() IS NOT NULL").fetchone()[0])


def bump() -> None:
    """Count one change, inside the current transaction (last, so PostgreSQL holds the row lock briefly)."""
    # An upsert, so a missing row (emptied tables, a hand-edited database) comes back by itself.
    # Plain SQL (the same on both engines): Peewee's query building cost more than the statement.
    db.execute_sql(_BUMP_SQL)


def counter() -> int:
    """The counter as this connection sees it now (for tests and diagnostics; not an operation)."""
    with db.connection_context():
        return seen()


def seen() -> int:
    """The counter inside the current transaction: what the data read in it is as of (a watcher
    started later compares with it, services.listing.first_screen)."""
    rows = db.execute_sql(_COUNTER_SQL).fetchall()
    return rows[0][0] if rows else 0


class ChangeWatcher:
    """Polls for commits by anyone else (other processes, other threads of this one).

    Thread-affine: the watcher opens its own connection on the first `changed()` call and must be
    used from that thread only (a second thread gets RuntimeError) — a SQLite connection may not
    cross threads, and `data_version` is per connection. Run it in one long-lived thread (see
    notedesk.tui.live), not in a fresh worker thread per poll. `close()` from the same thread.
    """

    def __init__(self, target: str, *, since: int | None = None):
        """`since`: the counter the caller's data is as of (`seen()`); the first call then reports
        a change made after it. Without it the first call only looks."""
        self.target = target
        self._postgres = is_postgres(target)
        self._path = None if self._postgres else sqlite_path(target)
        if not self._postgres and self._path is None:
            raise StoreError(_("cannot watch {target!r}: not a SQLite file or PostgreSQL URL").format(target=target))
        self._conn: Any = None  # a sqlite3 or psycopg connection of its own
        self._thread: int | None = None
        self._data_version: int | None = None
        self._value: int | None = since

    def changed(self) -> bool:
        """True when someone committed a change since the previous call (or since `since`).

        Raises StoreError when the database cannot be read; the next call reconnects and compares
        with the last counter it saw, so nothing is missed across an outage.
        """
        ident = threading.get_ident()
        if self._thread is None:
            self._thread = ident
        elif self._thread != ident:
            raise RuntimeError("ChangeWatcher is thread-affine: call changed() from the thread that first did")
        try:
            return self._poll()
        except (sqlite3.Error, peewee.DatabaseError) as exc:
            self._drop()
            raise StoreError(explain(exc, self.target)) from None
        except Exception as exc:  # psycopg errors, without importing psycopg for SQLite users
            if type(exc).__module__.split(".")[0] != "psycopg":
                raise
            self._drop()
            raise StoreError(explain(exc, self.target)) from None

    def close(self) -> None:
        self._drop()

    def _poll(self) -> bool:
        if self._conn is None:
            self._conn = self._connect()
            self._data_version = None
        if not self._postgres:
            version = self._conn.execute("PRAGMA data_version").fetchall()[0][0]
            if version == self._data_version:
                return False
            self._data_version = version
        rows = self._conn.execute(_COUNTER_SQL).fetchall()  # fetchall: no read transaction left open
        value = rows[0][0] if rows else 0
        first = self._value is None
        moved = value != self._value
        self._value = value
        return moved and not first

    def _connect(self):
        if self._postgres:
            import psycopg

            return psycopg.connect(self.target, autocommit=True, connect_timeout=5)
        # mode=rw: never create a missing file; autocommit so data_version sees every commit.
        uri = f"file:{quote(str(self._path))}?mode=rw"
        conn = sqlite3.connect(uri, uri=True, timeout=2, isolation_level=None)
        return conn

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None
