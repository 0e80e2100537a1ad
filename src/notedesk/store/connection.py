"""Opening the database: path or URL, SQLite pragmas and file permissions, migrations, clean errors."""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import sqlite3
import sys
import stat
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

import peewee

from notedesk import postgres_drivers_hidden
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.store.models import db

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
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


class StoreError(NotedeskError):
    """A database problem worth one line to a clerk: no traceback, no credentials."""


def redact(url: str) -> str:
    """The URL with any password removed (user:pass@ and ?password=), fit for a message."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # a malformed URL: say nothing of it but the scheme
        return url.split(":", 1)[0] + "://…"
    if password is not None:
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}:***@{netloc}" if user else netloc)
    if "password" in parts.query.lower():
        query = [(k, "***" if "password" in k.lower() else v)
                 for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        parts = parts._replace(query="&".join(f"{k}={v}" for k, v in query))
    return urlunsplit(parts)


def _secrets(target: str | None) -> list[str]:
    """The password of a URL as typed and unquoted, to be blanked out of any driver message."""
    if not target or not is_postgres(target):
        return []
    try:
        parts = urlsplit(target)
        found = [parts.password or ""]
    except ValueError:
        return []
    found += [v for k, v in parse_qsl(parts.query, keep_blank_values=True) if "password" in k.lower()]
    return sorted({x for f in found if f for x in (f, unquote(f))}, key=len, reverse=True)


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


def owner(path: Path) -> str:
    """The login name owning `path` (its uid when unknown, "?" when it cannot be read)."""
    try:
        uid = path.stat().st_uid
    except OSError:
        return "?"
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def new_file_mode(folder: Path) -> int:
    """0660 in a shared group folder (setgid or group-writable), 0600 in a personal one."""
    mode = folder.stat().st_mode
    return 0o660 if mode & (stat.S_ISGID | stat.S_IWGRP) else 0o600


def access_problems(path: Path) -> list[str]:
    """What stops this login from writing the database: the folder, the file, -wal and -shm."""
    problems = []
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"cannot write folder {folder} (owner {owner(folder)})")
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists() and not os.access(candidate, os.R_OK | os.W_OK):
            problems.append(f"cannot write {candidate} (owner {owner(candidate)})")
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
        mode = new_file_mode(path.parent)
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


def _driver_errors() -> tuple[type[BaseException], ...]:
    """Errors to translate: Peewee's wrappers, and raw driver errors raised at fetch time."""
    errors: tuple[type[BaseException], ...] = (peewee.DatabaseError, peewee.InterfaceError, sqlite3.DatabaseError)
    psycopg = sys.modules.get("psycopg")  # loaded only when a PostgreSQL URL was opened
    return errors + (psycopg.Error,) if psycopg is not None else errors


@contextlib.contextmanager
def translated_errors(target: str | None = None):
    """Turn driver errors into StoreError; a corrupt page raises raw sqlite3 errors outside Peewee's wrapper."""
    try:
        yield
    except _driver_errors() as exc:
        raise StoreError(explain(exc, target)) from None


def _first_line(exc: BaseException) -> str:
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


def explain(exc: BaseException, target: str | None = None) -> str:
    """One line for a clerk: what went wrong, where (passwords never shown)."""
    message = _first_line(exc)
    where = f" ({describe_target(target)})" if target else ""
    lowered = message.lower()
    if isinstance(exc, peewee.IntegrityError) or type(_original(exc)).__name__ in (
            "IntegrityError", "UniqueViolation", "ForeignKeyViolation", "NotNullViolation"):
        text = _integrity(exc, message)
        if text:
            return text + where
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return _("the database is busy: another clerk is writing; try again{where}").format(where=where)
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return _("the database file is damaged or not a notedesk database{where}: {message}").format(
            where=where, message=message)
    if "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        return _("the database is read-only for this login{where}").format(where=where)
    if "unable to open" in lowered:
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
    for secret in _secrets(target):
        message = message.replace(secret, "***")
    return message


def _postgres_database(target: str) -> peewee.Database:
    try:
        from notedesk.store import postgres  # only for PostgreSQL: it loads Peewee's pool and URL parser

        return postgres.database_for(target, lock_timeout_s=busy_timeout_s())
    except ImportError:
        raise StoreError("PostgreSQL needs the postgres extra: pip install 'notedesk[postgres]'") from None
    except ValueError as exc:
        raise StoreError(f"bad database URL {redact(target)}: {exc}") from None


def _make_database(target: str) -> peewee.Database:
    path = sqlite_path(target)
    if path is not None:
        prepare_sqlite_file(path)
        timeout = busy_timeout_s()
        return peewee.SqliteDatabase(
            str(path), pragmas={**SQLITE_PRAGMAS, "busy_timeout": int(timeout * 1000)}, timeout=timeout,
            lock_type="IMMEDIATE",
        )
    if is_postgres(target):
        return _postgres_database(target)
    raise StoreError(f"unsupported database URL {redact(target)!r}: use a path, sqlite:///PATH or postgresql://…")


def prepare_database(target: str, *, migrate: bool = True) -> peewee.Database:
    """A checked database for `target`, its schema upgraded, not bound to the models. Raises StoreError."""
    database = _make_database(target)
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


def open_database(target: str, *, migrate: bool = True) -> peewee.Database:
    """Bind the models to `target`, check it, upgrade its schema. Raises StoreError."""
    database = prepare_database(target, migrate=migrate)
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


def _runner(database: peewee.Database):
    """Peewee's migration runner (playhouse.migrations), loaded only when it is needed."""
    with postgres_drivers_hidden():
        from playhouse.migrations import Runner

    return Runner(database, directory=str(MIGRATIONS_DIR), table_name="schema_migration")


def _up_to_date(database: peewee.Database) -> bool:
    """Whether every migration file is applied and no other one: the check of every start, made
    without the migration runner (what it loads costs ~0.01 s)."""
    if not database.table_exists("schema_migration"):
        return False
    applied = {row[0] for row in database.execute_sql("SELECT name FROM schema_migration")}
    return applied == {path.stem for path in MIGRATIONS_DIR.glob("[0-9]*.py")}


def schema_version(database: peewee.Database | None = None) -> str | None:
    """The newest applied migration's name."""
    applied = sorted(_runner(database or db.obj).applied())
    return applied[-1] if applied else None


def upgrade(database: peewee.Database, path: Path | None = None) -> list[str]:
    """Apply pending migrations, after a backup copy of a SQLite file that already had data.

    On PostgreSQL the check and every migration run in one transaction (under the desk's lock, see
    PostgresDatabase): two clerks opening a new database at once cannot both migrate it, and a failed
    upgrade leaves the schema as it was (DDL is transactional there), which is what the file copy
    gives on SQLite; the site's pg_dump is the backup. (SQLite migrations must run outside a
    transaction: the migrator switches foreign keys off around them.)
    """
    if isinstance(database, peewee.PostgresqlDatabase):
        with database.atomic():
            return _upgrade(database, None)
    return _upgrade(database, path)


def _upgrade(database: peewee.Database, path: Path | None) -> list[str]:
    """Pending migrations applied; returns their names (in a race with another clerk's upgrade, those
    of this clerk's last attempt)."""
    if _up_to_date(database):
        return []
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
    copy = None
    if path is not None and any(m.applied for m in status):
        copy = backup(database, _free_name(path.with_name(f"{path.name}.before-{pending[0].name}")))
    applied = {m.name for m in status if m.applied}
    while True:
        try:
            return runner.up()
        except Exception as exc:
            # Two clerks opening a SQLite desk at once (each migration is one transaction, so they
            # take turns): ours failed because the other applied that migration meanwhile. Go on
            # from where the other got to; the other may have finished.
            now = runner.status()
            if all(m.applied for m in now):
                return []
            further = {m.name for m in now if m.applied}
            if further > applied:
                applied = further
                continue
            why = explain(exc) if isinstance(exc, _driver_errors()) else _first_line(exc)
            kept = f"; the copy from before is {copy}" if copy else ""
            raise StoreError(f"could not upgrade the database to {pending[-1].name}: {why}{kept}") from None


def _free_name(dest: Path) -> Path:
    """`dest`, or dest.1, dest.2 ... when an earlier attempt left its copy there."""
    candidate, n = dest, 0
    while candidate.exists():
        n += 1
        candidate = dest.with_name(f"{dest.name}.{n}")
    return candidate


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
