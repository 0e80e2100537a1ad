"""Opening the database: a path or URL bound to the models, SQLite's pragmas, the schema upgraded.

Where each part lives: targets (paths, URLs, redaction), sqlite_files (file modes, who may write),
errors (one-line messages), upgrade (migrations), backup (the online copy), postgres (the server).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

import peewee

from notedesk.i18n import _
from notedesk.store.errors import StoreError, translated_errors
from notedesk.store.models import db
from notedesk.store.sqlite_files import prepare_sqlite_file
from notedesk.store.targets import is_postgres, redact, sqlite_path
from notedesk.store.upgrade import upgrade

SQLITE_PRAGMAS = {  # per connection; WAL is set once per file, by prepare_database (see use_wal)
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
}
BUSY_TIMEOUT_S = 10


def busy_timeout_s() -> float:
    """Seconds a SQLite write waits for another clerk's before "busy": BUSY_TIMEOUT_S, or
    NOTEDESK_BUSY_TIMEOUT (tests of a locked database, sites that want a quicker answer)."""
    try:
        value = float(os.environ.get("NOTEDESK_BUSY_TIMEOUT", ""))
    except ValueError:
        return BUSY_TIMEOUT_S
    return value if 0 < value <= 600 else BUSY_TIMEOUT_S


def _postgres_database(target: str) -> peewee.Database:
    try:
        from notedesk.store import postgres  # only for PostgreSQL: it loads Peewee's pool and URL parser

        return postgres.database_for(target, lock_timeout_s=busy_timeout_s())
    except ImportError:
        raise StoreError("PostgreSQL needs the postgres extra: pip install 'notedesk[postgres]'") from None
    except ValueError as exc:
        raise StoreError(_("bad database URL {url}: {exc}").format(url=redact(target), exc=exc)) from None


def sqlite_database(path: Path) -> peewee.SqliteDatabase:
    """The file as a database that never creates it: opened as a `mode=rw` URI, so a file deleted
    while a desk is open is an error ("gone"), not a new empty database made 0644 by SQLite."""
    timeout = busy_timeout_s()
    uri = f"file:{quote(str(path.absolute()))}?mode=rw"
    return peewee.SqliteDatabase(
        uri, uri=True, pragmas={**SQLITE_PRAGMAS, "busy_timeout": int(timeout * 1000)}, timeout=timeout,
        lock_type="IMMEDIATE",
    )


def use_wal(database: peewee.SqliteDatabase) -> None:
    """Switch the file to WAL (kept in the file; a no-op once done). A new file's switch needs it to
    itself for an instant, and SQLite answers "locked" at once, without its busy wait, when another
    clerk's desk or command holds the write lock on the same new file: retried until the busy timeout."""
    deadline = time.monotonic() + busy_timeout_s()
    while True:
        try:
            database.execute_sql("PRAGMA journal_mode = wal")
            return
        except peewee.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _make_database(target: str, create: bool) -> peewee.Database:
    path = sqlite_path(target)
    if path is not None:
        prepare_sqlite_file(path, create=create)
        return sqlite_database(path)
    if is_postgres(target):
        return _postgres_database(target)
    raise StoreError(_("unsupported database URL {url!r}: use a path, sqlite:///PATH or postgresql://…").format(
        url=redact(target)))


def prepare_database(target: str, *, migrate: bool = True, create: bool = True) -> peewee.Database:
    """A checked database for `target`, its schema upgraded, not bound to the models. `create=False`:
    a SQLite path without a database is an error (read-only commands). Raises StoreError."""
    database = _make_database(target, create)
    with translated_errors(target):
        database.connect(reuse_if_open=True)
        try:
            if isinstance(database, peewee.SqliteDatabase):
                database.execute_sql("PRAGMA schema_version").fetchone()
                use_wal(database)
            if migrate:
                upgrade(database, sqlite_path(target))
        finally:
            database.close()
    return database


def open_database(target: str, *, migrate: bool = True, create: bool = True) -> peewee.Database:
    """Bind the models to `target`, check it, upgrade its schema. Raises StoreError."""
    database = prepare_database(target, migrate=migrate, create=create)
    if has_pool(db.obj) and db.obj is not database:
        db.obj.close_idle()  # a database opened before (tests, a command reopening) lets its pool go
    db.initialize(database)
    return database


def close_database() -> None:
    """Close this thread's connection; on PostgreSQL also the pool's idle ones (others' stay in use)."""
    if db.obj is not None and not db.is_closed():
        db.close()
    if has_pool(db.obj):
        db.obj.close_idle()


def has_pool(database: peewee.Database | None) -> bool:
    """A PostgreSQL database with its pool (store.postgres is loaded only once one was opened)."""
    postgres = sys.modules.get("notedesk.store.postgres")
    return postgres is not None and isinstance(database, postgres.PostgresDatabase)


__all__ = ["StoreError", "busy_timeout_s", "close_database", "has_pool", "open_database",
           "prepare_database", "sqlite_database", "translated_errors"]
