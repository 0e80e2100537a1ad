"""Database failures in one line for a clerk: driver errors translated, the same words on both engines,
passwords never shown, a full disk told from a damaged file."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import sys
from pathlib import Path

import peewee

from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.safe_output import disk_full
from notedesk.store.targets import describe_target, is_postgres, redact, secrets, sqlite_path

FULL_BELOW_BYTES = 1 << 20  # a file system with less room than this is full for a database


class StoreError(NotedeskError):
    """A database problem worth one line to a clerk: no traceback, no credentials."""


def driver_errors() -> tuple[type[BaseException], ...]:
    """Errors to translate: Peewee's wrappers, and raw driver errors raised at fetch time."""
    errors: tuple[type[BaseException], ...] = (peewee.DatabaseError, peewee.InterfaceError, sqlite3.DatabaseError)
    psycopg = sys.modules.get("psycopg")  # loaded only when a PostgreSQL URL was opened
    return errors + (psycopg.Error,) if psycopg is not None else errors


def _bound_target() -> str | None:
    """The target the models are bound to, for messages that need a where (a full disk, a vanished file)."""
    from notedesk.store.models import db

    database = db.obj
    if isinstance(database, peewee.SqliteDatabase):
        return sqlite_file(database)
    return None


def sqlite_file(database: peewee.SqliteDatabase) -> str:
    """The path of a SQLite database opened by store.connection (a `file:` URI with mode=rw)."""
    name = database.database
    if name.startswith("file:"):
        from urllib.parse import unquote

        return unquote(name[len("file:"):].split("?", 1)[0])
    return name


@contextlib.contextmanager
def translated_errors(target: str | None = None):
    """Turn driver errors into StoreError; a corrupt page raises raw sqlite3 errors outside Peewee's wrapper."""
    try:
        yield
    except driver_errors() as exc:
        raise StoreError(explain(exc, target or _bound_target())) from None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def _original(exc: BaseException) -> BaseException:
    """The driver's exception behind a Peewee wrapper (raised while handling it, or passed as an argument)."""
    first = exc.args[0] if exc.args else None
    for candidate in (first, exc.__cause__, exc.__context__):
        if isinstance(candidate, BaseException) and type(candidate).__module__.split(".")[0] in ("psycopg", "sqlite3"):
            return candidate
    return exc


def _integrity(exc: BaseException, message: str) -> str | None:
    """Constraint violations, worded the same on both engines (the race the services' checks cannot see)."""
    diag = getattr(_original(exc), "diag", None)
    lowered = message.lower()
    if "unique" in lowered or "duplicate key" in lowered:
        what = ""
        if diag is not None and diag.table_name:
            key = re.search(r"Key \(([^)]*)\)", diag.message_detail or "")
            what = f"{diag.table_name}.{key.group(1).replace(', ', ',') if key else diag.constraint_name}"
        else:
            match = re.search(r"UNIQUE constraint failed: (.+)", message)
            what = match.group(1).replace(", ", ",").strip() if match else ""
            # SQLite names each column table.column; say the table once, like PostgreSQL
            if "," in what:
                table = what.split(".", 1)[0]
                what = table + "." + ",".join(c.split(".", 1)[-1] for c in what.split(","))
        return f"{what or 'that record'} exists already: someone saved the same a moment ago; reload and try again"
    if "foreign key" in lowered:
        return "a record this refers to was removed meanwhile; reload and try again"
    if "not null" in lowered or "not-null" in lowered:
        return f"a required value is missing: {message}"
    return None


def _underlying(exc: BaseException) -> BaseException:
    """SQLite ends a transaction itself on some errors (a full disk); the ROLLBACK that follows then
    fails with "no transaction is active" and would hide what really went wrong."""
    seen = exc
    while "no transaction is active" in str(seen).lower() and seen.__context__ is not None:
        seen = seen.__context__
    return seen


def disk_is_full(path: Path) -> bool:
    """Whether the file system holding `path` has (almost) no room left: SQLite reports a full disk
    as "disk I/O error" where the write that failed was its shared memory or a journal's."""
    try:
        found = os.statvfs(path.parent if not path.is_dir() else path)
    except OSError:
        return False
    return found.f_bavail * found.f_frsize < FULL_BELOW_BYTES


def explain(exc: BaseException, target: str | None = None) -> str:
    """One line for a clerk: what went wrong, where (passwords never shown)."""
    exc = _underlying(exc)
    message = first_line(exc)
    where = f" ({describe_target(target)})" if target else ""
    lowered = message.lower()
    if isinstance(exc, peewee.IntegrityError) or type(_original(exc)).__name__ in (
            "IntegrityError", "UniqueViolation", "ForeignKeyViolation", "NotNullViolation"):
        text = _integrity(exc, message)
        if text:
            return text + where
    path = sqlite_path(target) if target else None
    full = "database or disk is full" in lowered or "no space left" in lowered or "diskfull" in lowered
    if full or ("disk i/o error" in lowered and path is not None and disk_is_full(path)):
        return disk_full(path if path is not None else (describe_target(target) if target else "the database"))
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return _("the database is busy: another clerk is writing; try again{where}").format(where=where)
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return _("the database file is damaged or not a notedesk database{where}: {message}").format(
            where=where, message=message)
    if "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        return _("the database is read-only for this login{where}").format(where=where)
    if "unable to open" in lowered:
        path = sqlite_path(target) if target else None
        if path is not None and not path.exists():
            return _("the database {path} is gone (deleted or moved); it was not made again").format(path=path)
        return _("cannot open the database{where}").format(where=where)
    if "value too long" in lowered:
        limit = re.search(r"varying\((\d+)\)", message)
        if limit:
            return _("a value is too long (at most {n} characters){where}").format(n=limit.group(1), where=where)
        return _("a value is too long{where}").format(where=where)
    if (target and is_postgres(target)) or type(_original(exc)).__module__.split(".")[0] == "psycopg":
        from notedesk.store import postgres

        pg = postgres.connection_problem(message)
        if pg:
            return _scrub(pg + where, target)
    return _scrub(message + where, target)


def _scrub(message: str, target: str | None) -> str:
    """Never echo a connection string or a password: drivers can quote them."""
    message = re.sub(r"postgres(ql)?://[^\s\"')]+", lambda m: redact(m.group(0)), message)
    message = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", message, flags=re.I)
    for secret in secrets(target):
        message = message.replace(secret, "***")
    return message
