"""PostgreSQL: the database class (SQLite's one-writer discipline, a pool, a lock timeout), opening a
URL, and plain words for the ways a connection fails.

psycopg 3 (the `postgres` extra), through Peewee's `prefer_psycopg3=True`. Knows nothing of StoreError:
store.connection turns what this module raises (ValueError) and says into one-line messages.
"""

from __future__ import annotations

import re

import peewee

from notedesk import postgres_drivers_hidden

with postgres_drivers_hidden():  # as Peewee was imported (notedesk/__init__.py); attach_driver gives it psycopg
    from playhouse.db_url import parse as parse_url
    from playhouse.pool import _PooledPostgresqlDatabase

CONNECT_TIMEOUT_S = 10
POOL_SIZE = 16  # per process: the desk's worker threads, or a command's one
STALE_S = 300  # a pooled connection older than this is closed instead of reused
LOCK_KEY = 0x6E6F7465  # "note": one advisory lock for the whole desk


class _TimedPostgresDatabase(peewee.PostgresqlDatabase):
    lock_timeout_s: float = 10

    def _connect(self):
        conn = super()._connect()
        # like SQLite's busy timeout: wait for another clerk's transaction, but not for ever (a SET,
        # not a startup `options`, which connection poolers such as pgbouncer refuse)
        conn.execute(f"SET lock_timeout = '{int(self.lock_timeout_s * 1000)}ms'")
        return conn


class PostgresDatabase(_PooledPostgresqlDatabase, _TimedPostgresDatabase):
    """PostgreSQL with SQLite's write discipline, and a small pool of connections.

    The services read, check, then write inside one transaction (a note's version, the next order
    number, "does this number exist"). SQLite with lock_type IMMEDIATE runs those transactions one at
    a time; PostgreSQL's default READ COMMITTED would let two of them interleave (two appends to one
    note: the second gets a Conflict; two new orders: the same number). A transaction-scoped advisory
    lock taken at BEGIN gives PostgreSQL the same one-at-a-time behaviour, reads included, exactly as
    BEGIN IMMEDIATE on SQLite. Operations are short, so clerks on many servers do not notice.

    Every service operation opens and closes a connection when none is open (screens run them in
    worker threads): a new PostgreSQL connection costs a server process and, over the network, a
    TLS and password handshake, so closed connections go back to a pool (checked with a round trip
    before reuse, dropped after STALE_S or when the server went away).
    """

    def begin(self, isolation_level=None, lock_type=None):
        """`lock_type` as on SQLite: "DEFERRED" is a read-only consistent snapshot that does not wait for
        or hold the desk's lock (an export while clerks keep writing); anything else takes the lock."""
        if lock_type is not None and lock_type.upper() == "DEFERRED":
            super().begin(isolation_level or "REPEATABLE READ")
            with peewee.__exception_wrapper__:
                self.cursor().execute("SET TRANSACTION READ ONLY")
            return None
        super().begin(isolation_level)
        with peewee.__exception_wrapper__:
            self.cursor().execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))


def attach_driver() -> None:
    """Give Peewee psycopg 3, which notedesk.store hid from it at import time (to keep SQLite starts
    fast): the module globals and adapter constants Peewee would have set had it found psycopg then.
    Raises ImportError without the postgres extra."""
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    if peewee.psycopg is None:  # type: ignore[attr-defined]
        peewee.psycopg, peewee.TransactionStatus = psycopg, TransactionStatus  # type: ignore[attr-defined]
        peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb  # type: ignore[attr-defined]
        adapter = peewee.Psycopg3Adapter
        adapter.txn_idle = TransactionStatus.IDLE
        adapter.txn_inerror = TransactionStatus.INERROR
        adapter.txn_unknown = TransactionStatus.UNKNOWN


def database_for(target: str, *, lock_timeout_s: float) -> PostgresDatabase:
    """The database a postgresql:// URL names (not connected). Raises ImportError without psycopg,
    ValueError for a URL without a database name. Percent-encoded user names and passwords are decoded."""
    attach_driver()
    params = parse_url(target, unquote_password=True, unquote_user=True)
    name = params.pop("database", "")
    if not name:
        raise ValueError("no database name: use postgresql://user@host/DATABASE")
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    params.setdefault("application_name", "notedesk")
    database = PostgresDatabase(name, prefer_psycopg3=True, max_connections=POOL_SIZE, stale_timeout=STALE_S,
                                timeout=lock_timeout_s, **params)
    database.lock_timeout_s = lock_timeout_s
    return database


def connection_problem(message: str) -> str | None:
    """The usual ways a PostgreSQL connection fails, in words a clerk can pass to whoever runs the server."""
    lowered = message.lower()
    quoted = re.findall(r'"([^"]*)"', message)
    bad = re.search(r'invalid (\w+) value: "([^"]*)"', message)  # libpq: 'invalid sslmode value: "bogus"'
    if bad:
        return f"the PostgreSQL URL has a bad {bad.group(1)}: {bad.group(2)!r}"
    if "invalid uri query parameter" in lowered or "invalid connection option" in lowered:
        return f"the PostgreSQL URL has an unknown setting {quoted[-1] if quoted else ''}".rstrip()
    if "password authentication failed" in lowered:
        return f"PostgreSQL refused the password for user {quoted[-1] if quoted else '?'}"
    if "no password supplied" in lowered or "fe_sendauth" in lowered:
        return "PostgreSQL wants a password: put it in ~/.pgpass (or PGPASSWORD), not in a shared config file"
    if "database" in lowered and "does not exist" in lowered:
        return f"PostgreSQL has no database {quoted[-1] if quoted else ''}".rstrip()
    if "role" in lowered and "does not exist" in lowered:
        return f"PostgreSQL has no user (role) {quoted[-1] if quoted else ''}".rstrip()
    if "no pg_hba.conf entry" in lowered:
        return "PostgreSQL does not let this host or user in (pg_hba.conf)"
    if "failed to resolve host" in lowered or "could not translate host name" in lowered:
        return "cannot find the PostgreSQL host (check the host name)"
    if any(words in lowered for words in (
            "connection refused", "no such file or directory", "timeout expired", "is the server running",
            "connection is bad", "server closed the connection", "connection timeout")):
        return "cannot reach the PostgreSQL server (is it running, and are host and port right?)"
    if "too many connections" in lowered or "remaining connection slots" in lowered:
        return "the PostgreSQL server has no free connections; try again"
    return None
