"""Opening the database: path or URL, SQLite pragmas and file permissions, migrations, clean errors."""

from __future__ import annotations

from notedesk.errors import NotedeskError

import contextlib
import os
import pwd
import re
import sqlite3
import stat
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import peewee
from playhouse.db_url import connect
from playhouse.migrations import Runner

from notedesk.store.models import db

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
}
BUSY_TIMEOUT_S = 10


class StoreError(NotedeskError):
    """A database problem worth one line to a clerk: no traceback, no credentials."""


def redact(url: str) -> str:
    """The URL with any password removed, fit for a message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}" if user else netloc))


def sqlite_path(target: str) -> Path | None:
    """The file behind a SQLite target (plain path or sqlite:/// URL), None for other engines."""
    if target.startswith("sqlite:///"):
        return Path(target[len("sqlite:///"):] or ".")
    if re.match(r"^[a-z][a-z0-9+]*://", target):
        return None
    return Path(target).expanduser()


def is_postgres(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://"))


def describe_target(target: str) -> str:
    path = sqlite_path(target)
    return str(path) if path is not None else redact(target)


def _owner(path: Path) -> str:
    try:
        uid = path.stat().st_uid
    except OSError:
        return "?"
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _new_file_mode(folder: Path) -> int:
    """0660 in a shared group folder (setgid or group-writable), 0600 in a personal one."""
    mode = folder.stat().st_mode
    return 0o660 if mode & (stat.S_ISGID | stat.S_IWGRP) else 0o600


def access_problems(path: Path) -> list[str]:
    """What stops this login from writing the database: the folder, the file, -wal and -shm."""
    problems = []
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"cannot write folder {folder} (owner {_owner(folder)})")
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists() and not os.access(candidate, os.R_OK | os.W_OK):
            problems.append(f"cannot write {candidate} (owner {_owner(candidate)})")
    return problems


def prepare_sqlite_file(path: Path) -> None:
    """Create the folder and the database file ourselves, never readable by others (SQLite would make it 0644)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(f"cannot create folder {path.parent}: {exc.strerror}") from None
    if path.exists():
        if not path.is_file():
            raise StoreError(f"{path} is not a file")
    else:
        mode = _new_file_mode(path.parent)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
            os.close(fd)
            os.chmod(path, mode)  # the umask may have taken group bits away
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(f"cannot create database {path}: {exc.strerror}") from None
    problems = access_problems(path)
    if problems:
        raise StoreError("; ".join(problems))


@contextlib.contextmanager
def translated_errors(target: str | None = None):
    """Turn driver errors into StoreError; a corrupt page raises raw sqlite3 errors outside Peewee's wrapper."""
    try:
        yield
    except (peewee.DatabaseError, sqlite3.DatabaseError, peewee.InterfaceError) as exc:
        raise StoreError(explain(exc, target)) from None


def explain(exc: BaseException, target: str | None = None) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    where = f" ({describe_target(target)})" if target else ""
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return f"the database is busy: another clerk is writing; try again{where}"
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return f"the database file is damaged or not a notedesk database{where}: {message}"
    if "readonly" in lowered or "read-only" in lowered:
        return f"the database is read-only for this login{where}"
    if "unable to open" in lowered:
        return f"cannot open the database{where}"
    # Never echo a connection string: psycopg messages can quote it.
    return re.sub(r"postgres(ql)?://\S+", lambda m: redact(m.group(0)), message) + where


def _make_database(target: str) -> peewee.Database:
    path = sqlite_path(target)
    if path is not None:
        prepare_sqlite_file(path)
        return peewee.SqliteDatabase(
            str(path), pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_S, lock_type="IMMEDIATE"
        )
    if is_postgres(target):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError("PostgreSQL needs the postgres extra: pip install 'notedesk[postgres]'") from None
        try:
            return connect(target, prefer_psycopg3=True)
        except ValueError as exc:
            raise StoreError(explain(exc, target)) from None
    raise StoreError(f"unsupported database URL {redact(target)!r}: use a path, sqlite:///PATH or postgresql://…")


def open_database(target: str, *, migrate: bool = True) -> peewee.Database:
    """Bind the models to `target`, check it, upgrade its schema. Raises StoreError."""
    database = _make_database(target)
    db.initialize(database)
    with translated_errors(target):
        database.connect(reuse_if_open=True)
        try:
            if isinstance(database, peewee.SqliteDatabase):
                database.execute_sql("PRAGMA schema_version").fetchone()
            if migrate:
                upgrade(database, sqlite_path(target))
        finally:
            database.close()
    return database


def close_database() -> None:
    if db.obj is not None and not db.is_closed():
        db.close()


def _runner(database: peewee.Database) -> Runner:
    return Runner(database, directory=str(MIGRATIONS_DIR), table_name="schema_migration")


def schema_version(database: peewee.Database | None = None) -> str | None:
    """The newest applied migration's name."""
    applied = sorted(_runner(database or db.obj).applied())
    return applied[-1] if applied else None


def upgrade(database: peewee.Database, path: Path | None = None) -> list[str]:
    """Apply pending migrations, after a backup copy of a SQLite file that already had data."""
    runner = _runner(database)
    status = runner.status()
    unknown = [m.name for m in status if m.path is None]
    if unknown:
        raise StoreError(
            f"the database has a newer schema ({unknown[-1]}) than this notedesk knows; upgrade notedesk"
        )
    pending = [m for m in status if not m.applied]
    if not pending:
        return []
    if path is not None and any(m.applied for m in status):
        backup(database, path.with_name(f"{path.name}.before-{pending[0].name}"))
    return runner.up()


def backup(database: peewee.Database, dest: Path) -> Path:
    """A consistent copy of a SQLite database while others keep working (the online backup API)."""
    if not isinstance(database, peewee.SqliteDatabase):
        raise StoreError("backup copies SQLite files; for PostgreSQL use pg_dump")
    dest = Path(dest)
    if dest.exists():
        raise StoreError(f"{dest} exists already")
    try:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise StoreError(f"cannot write {dest}: {exc.strerror}") from None
    target = sqlite3.connect(str(dest))
    try:
        with translated_errors():
            database.connection().backup(target)
    finally:
        target.close()
    return dest
