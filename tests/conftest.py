"""Shared fixtures: every test gets its own config and data folders and a real database.

Engines (issue 5). Tests in tests/services/ that use `db_url` or `database` run twice, ids
`[sqlite]` (a file in tmp_path) and `[pg]` (a real PostgreSQL: one throwaway server per test
process, started by tests/pgserver.py, one database created once per session and emptied before
each test: `reset()`, or only its rows deleted when the test asks for `database` and the schema is
still this notedesk's, ~0.1 s like a new SQLite file). `-k pg` / `-k sqlite` picks one engine.

- `@pytest.mark.sqlite_only` keeps a service test on SQLite (file modes, backups of the file).
- `@pytest.mark.both_engines` puts a test outside tests/services/ on both engines too.
- Everywhere else (tests/tui, tests/cli, ...) `db_url` is a SQLite file, as before.
- `sqlite_url` is always a SQLite file and `pg_url` always an empty PostgreSQL database, for
  tests that need one engine by name (or both at once, e.g. to copy from one to the other).
- `engine` says which engine the current `db_url` is: "sqlite" or "pg".

Where the PostgreSQL server binaries are missing the PostgreSQL tests fail with the install
command; they are never skipped. After each PostgreSQL test a session still inside a
transaction fails the test: on SQLite that would be a writer holding the lock.
"""

from __future__ import annotations

import compileall
import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from notedesk import config
from notedesk.services.types import CustomerData, Deadline, LineData, OrderInput, Payment
from notedesk.store.connection import close_database, open_database
from notedesk.store.postgres import attach_driver
from notedesk.store.sqlite_files import prepare_sqlite_file
from notedesk.store.targets import is_postgres, sqlite_path

# Hypothesis judges no test by its time: on two busy cores its 200 ms deadline and "too slow" health
# check failed tests that were right.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

attach_driver()  # notedesk hides psycopg from Peewee until a PostgreSQL URL is opened; tests use Peewee's own URLs too

TESTS_DIR = Path(__file__).parent
# Commands the tests start (`python -m notedesk`) run this checkout's code, whatever notedesk is
# installed (a stale copy in site-packages, or another worktree's editable install).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS_DIR.parent / "src"), os.environ.get("PYTHONPATH")]))
# The suite runs at one moment, a Thursday morning before the sample orders' deadline (1 Dec 2026): on the
# real clock they became overdue on 2 Dec, and an "overdue" toast covered what a pty test read. A test
# that needs another moment sets its own (monkeypatch.setenv, or a desk's env).
os.environ.setdefault("NOTEDESK_NOW", "2026-11-26T10:00:00")
ENGINES = ("sqlite", "pg")
# Bytecode for this checkout, once: the suite starts notedesk hundreds of times, and where
# PYTHONDONTWRITEBYTECODE is set every start compiled every module again (~0.4 s each).
compileall.compile_dir(TESTS_DIR.parent / "src" / "notedesk", quiet=1)


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: run this service test on SQLite only")
    config.addinivalue_line("markers", "both_engines: run this test on SQLite and PostgreSQL")
    config.addinivalue_line("markers", "serial: never at the same time as another serial test (one xdist worker)")


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject): one worker more than the cores. A worker waits 40-60% of its time (on the
    `notedesk` commands and pty desks it starts, Pilot's pauses, PostgreSQL and fsync), so a third worker
    on 2 cores took the whole suite from ~9 to ~5.6 minutes on a quiet machine (measured 2026-12-02); a
    fourth made no difference worth its CPU once the suite was at ~4.5 minutes (4 m 43 s against 4 m 51 s)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + 1


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("serial"):
            item.add_marker(pytest.mark.xdist_group("serial"))


def _on_both_engines(definition) -> bool:
    if definition.get_closest_marker("sqlite_only"):
        return False
    if definition.get_closest_marker("both_engines"):
        return True
    try:
        parts = Path(definition.path).relative_to(TESTS_DIR).parts
    except ValueError:
        return False
    return parts[0] == "services"


def pytest_generate_tests(metafunc):
    if "db_url" in metafunc.fixturenames and _on_both_engines(metafunc.definition):
        metafunc.parametrize("db_url", ENGINES, indirect=True, ids=ENGINES)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Point config, data and the clerk at the test's own folder; freeze nothing by default."""
    monkeypatch.setenv("NOTEDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("NOTEDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NOTEDESK_CLERK", "li")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    monkeypatch.delenv("NOTEDESK_DB", raising=False)
    monkeypatch.delenv("NOTEDESK_NOW", raising=False)
    # English unless a test asks for another language (the command line follows the locale)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('timezone = "Asia/Shanghai"\n')
    config.reload()
    yield
    config.reload()


@pytest.fixture(scope="session")
def pg_server():
    """The throwaway PostgreSQL server of this test process (fails, never skips, without binaries)."""
    import pgserver

    try:
        return pgserver.shared_server()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


# What a freshly migrated database looks like: tables, columns, indexes, triggers and the applied
# migrations. A test database that still looks like this only needs its rows deleted (~5 ms)
# instead of a reset and the migrations again (~150 ms on every test).
FINGERPRINT_SQL = """
SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (
    SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
           || ':' || a.attnotnull AS x
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
    UNION ALL SELECT 'migration:' || name FROM public.schema_migration
) s
"""


def _pg_connect(pg_server, url: str):
    import psycopg

    import pgserver

    return psycopg.connect(autocommit=True, **pg_server.connect_kwargs(pgserver._dbname(url)))


def _fingerprint(conn) -> str | None:
    if conn.execute("SELECT to_regclass('public.schema_migration')").fetchone()[0] is None:
        return None
    return conn.execute(FINGERPRINT_SQL).fetchone()[0]


@pytest.fixture(scope="session")
def pg_session_url(pg_server) -> str:
    """One database per session (per xdist worker), created once and emptied before every test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return pg_server.create_database(f"notedesk_test_{worker}")


@pytest.fixture(scope="session")
def pg_migrated(pg_server) -> tuple[str, str]:
    """(fingerprint, wipe script) of a database this notedesk just migrated: a scratch database, once
    a session. The script empties a database of that fingerprint in one round trip (see _wipe_script)."""
    from playhouse.db_url import connect

    from notedesk.store.upgrade import upgrade

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = pg_server.create_database(f"notedesk_reference_{worker}")
    scratch = connect(url, prefer_psycopg3=True)
    with scratch:
        upgrade(scratch)
    scratch.close()
    with _pg_connect(pg_server, url) as conn:
        fingerprint = _fingerprint(conn)
        script = _wipe_script(conn)
    pg_server.drop_database(f"notedesk_reference_{worker}")
    return fingerprint, script


def _tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migration'")]


def _wipe_script(conn) -> str:
    """SQL that deletes every row but the applied migrations, puts the migrations' own seed rows back
    (e.g. the change counter's) and restarts every sequence (ids from 1 again): a database of the
    same schema as freshly migrated. Made from the freshly migrated `conn`, once a session, and sent
    as one statement string (one round trip instead of one per table and sequence, ~100)."""
    from psycopg import sql

    statements = [sql.SQL("SET LOCAL session_replication_role = replica")]  # no foreign key order to follow
    seeds = []
    for table in _tables(conn):
        statements.append(sql.SQL("DELETE FROM public.{}").format(sql.Identifier(table)))
        cursor = conn.execute(sql.SQL("SELECT * FROM public.{}").format(sql.Identifier(table)))
        names, rows = [c.name for c in cursor.description], cursor.fetchall()
        seeds.extend(sql.SQL("INSERT INTO public.{} ({}) VALUES ({})").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names)),
            sql.SQL(", ").join(map(sql.Literal, row))) for row in rows)
    sequences = [r[0] for r in conn.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")]
    statements.extend(seeds)
    statements.extend(sql.SQL("SELECT setval({}, 1, false)").format(sql.Literal(f'public."{sequence}"'))
                      for sequence in sequences)
    return sql.SQL("; ").join(statements).as_string(conn)


def _wipe_rows(conn, script: str) -> None:
    with conn.transaction():
        conn.execute(script)


def _leaked_transactions(conn) -> list[str]:
    rows = conn.execute(
        "SELECT state, left(query, 120) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND state LIKE 'idle in transaction%'").fetchall()
    return [f"{state}: {query}" for state, query in rows]


@pytest.fixture
def pg_url(request, pg_server, pg_session_url) -> str:
    """An empty PostgreSQL database (the session's one, reset: about 15 ms).

    When the test also asks for `database` and the database still has this notedesk's schema, only
    the rows are deleted, and `database` finds nothing to migrate.
    """
    close_database()
    keep_schema = False
    if "database" in request.fixturenames or "from_template" in request.fixturenames:
        expected, wipe = request.getfixturevalue("pg_migrated")
        with _pg_connect(pg_server, pg_session_url) as conn:
            # a connection a previous test left open (another thread's) must not block the cleanup;
            # a leaked *transaction* is reported by that test's own teardown below
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            conn.execute("SET lock_timeout = '10s'")
            keep_schema = _fingerprint(conn) == expected
            if keep_schema:
                _wipe_rows(conn, wipe)
    if not keep_schema:
        pg_server.reset(pg_session_url, terminate=True)
    yield pg_session_url
    close_database()
    with _pg_connect(pg_server, pg_session_url) as conn:
        leaked = _leaked_transactions(conn)
    if leaked:
        pytest.fail("the test left a PostgreSQL transaction open: " + "; ".join(leaked), pytrace=False)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite file, whatever the engine of the test."""
    return str(tmp_path / "desk.db")


@pytest.fixture
def db_url(request, tmp_path) -> str:
    """A fresh, empty database: SQLite, or PostgreSQL when parametrised (see the module docstring)."""
    if getattr(request, "param", "sqlite") == "pg":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "desk.db")


@pytest.fixture
def engine(db_url) -> str:
    """"sqlite" or "pg": the engine behind this test's `db_url`."""
    return "pg" if is_postgres(db_url) else "sqlite"


_migrated_sqlite: list[bytes] = []  # the bytes of a SQLite file this notedesk just migrated (once per process)


@pytest.fixture
def migrated_file(tmp_path_factory) -> Callable[[str | Path], Path]:
    """`migrated_file(path)`: the new SQLite file `path`, created as the desk creates it (its folder and
    mode: prepare_sqlite_file) and holding an empty, freshly migrated database: the bytes of a file
    migrated once per test process, instead of running every migration again (~0.1–0.4 s a test,
    most of it fsync). Opening it then finds nothing to migrate."""

    def make(path: str | Path) -> Path:
        path = Path(path)
        if not _migrated_sqlite:
            template = tmp_path_factory.mktemp("migrated") / "template.db"
            open_database(str(template))
            close_database()  # the last connection closed: SQLite folds the WAL into the file
            _migrated_sqlite.append(template.read_bytes())
        prepare_sqlite_file(path)
        with open(path, "r+b") as file:
            file.write(_migrated_sqlite[0])
        return path

    return make


@pytest.fixture
def database(db_url, migrated_file):
    """The models bound to a fresh, migrated database (a new SQLite file: `migrated_file`; a file that
    exists already, because the test put it there, is opened as it is)."""
    path = None if is_postgres(db_url) else sqlite_path(db_url)
    if path is not None and not path.exists():
        migrated_file(path)
    database = open_database(db_url)
    yield database
    close_database()


_templates: dict[tuple[str, str], str] = {}


@pytest.fixture
def from_template(request, db_url, tmp_path, tmp_path_factory):
    """`from_template(fill)`: the models bound to a copy of a database that `fill()` filled once per
    session (and engine, and xdist worker). For read-only data many tests share: a file copy on
    SQLite; on PostgreSQL the filled database's rows (and sequence positions) kept as one SQL script
    and written into the test's emptied database in one round trip (~5 ms, where CREATE DATABASE …
    TEMPLATE took ~0.3 s), instead of creating the same orders each time."""

    def open_copy(fill: Callable[[], object]):
        postgres = is_postgres(db_url)
        key = (f"{fill.__module__}.{fill.__qualname__}", "pg" if postgres else "sqlite")
        name = "tmpl_" + "".join(c if c.isalnum() else "_" for c in key[0]).lower()[-40:]
        close_database()
        if key not in _templates:
            if postgres:
                server = request.getfixturevalue("pg_server")
                worker_name = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
                template = server.create_database(worker_name)
            else:
                template = str(tmp_path_factory.mktemp("templates") / f"{name}.db")
            open_database(template)
            fill()
            close_database()  # the last connection closed: SQLite folds the WAL into the file
            if postgres:
                with _pg_connect(server, template) as conn:
                    _templates[key] = _restore_script(conn)
                server.drop_database(worker_name)
            else:
                _templates[key] = template
        if postgres:
            server = request.getfixturevalue("pg_server")
            open_database(db_url)  # the session's database, migrated (a no-op when it is)
            close_database()
            with _pg_connect(server, db_url) as conn, conn.transaction():
                conn.execute(_templates[key])
            return open_database(db_url)
        copy = str(tmp_path / "from-template.db")
        shutil.copy(_templates[key], copy)
        return open_database(copy)

    yield open_copy
    close_database()


def _restore_script(conn) -> str:
    """SQL that makes a database of the same schema hold exactly `conn`'s rows, its sequences where
    `conn`'s are: every table emptied, the rows inserted, the sequences set (triggers off: the search
    index's rows are copied as they are)."""
    from psycopg import sql

    statements = [sql.SQL("SET LOCAL session_replication_role = replica")]
    inserts = []
    for table in _tables(conn):
        statements.append(sql.SQL("DELETE FROM public.{}").format(sql.Identifier(table)))
        cursor = conn.execute(sql.SQL("SELECT * FROM public.{}").format(sql.Identifier(table)))
        names, rows = [c.name for c in cursor.description], cursor.fetchall()
        inserts.extend(sql.SQL("INSERT INTO public.{} ({}) VALUES ({})").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names)),
            sql.SQL(", ").join(map(sql.Literal, row))) for row in rows)
    statements.extend(inserts)
    for sequence, last_value, is_called in conn.execute(
            "SELECT sequencename, coalesce(last_value, start_value), last_value IS NOT NULL "
            "FROM pg_sequences WHERE schemaname = 'public'"):
        statements.append(sql.SQL("SELECT setval({}, {}, {})").format(
            sql.Literal(f'public."{sequence}"'), sql.Literal(last_value), sql.Literal(is_called)))
    return sql.SQL("; ").join(statements).as_string(conn)


def sample_order(number: str | None = "SO-2026-00042", **overrides) -> OrderInput:
    """A realistic order, the one the README's exchange format shows."""
    fields = dict(
        number=number,
        status="confirmed",
        currency="CNY",
        customer=CustomerData(name="王芳", company="芳华服饰有限公司", phone="13800138000",
                              email="wangfang@example.cn", address="上海市浦东新区世纪大道100号",
                              preferences="只接受顺丰快递"),
        lines=(LineData(product="T恤", spec="红色 / XL", quantity=200, unit_price=Decimal("35.00")),),
        deadline=Deadline(text="请在2026年12月1日前交付,上午9点至11点送达", date=dt.date(2026, 12, 1),
                          start=dt.time(9), end=dt.time(11)),
        payment=Payment(method="cod", status="unpaid", amount_due=Decimal("7000.00")),
        notes={"requirements": "红色T恤200件,XL码", "special": "胸前印LOGO"},
        created_at=dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC),
    )
    fields.update(overrides)
    return OrderInput(**fields)


def race(*calls: Callable[[], object], timeout: float = 60) -> list:
    """Run each call in its own thread (so its own connection: two threads are two clerks), all
    released at once by a barrier; the results in order, an exception standing for its call's result
    (the loser's Conflict is a result here). Fails the test if a call is still running after `timeout`."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if any(t.is_alive() for t in threads):
        pytest.fail(f"a racing call was still running after {timeout} s", pytrace=False)
    return results


def run_cli(*args: str, db: str | Path | None = None, stdin: str | bytes | None = None, env: dict | None = None,
            text: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    """`notedesk ARGS` in a subprocess, as a clerk's shell or a script runs it: this checkout's code
    (PYTHONPATH, above), NO_COLOR, `stdin` as its input (else none), `db` as NOTEDESK_DB, then `env`.
    `text=False` gives bytes, for tests of what reaches a terminal byte by byte."""
    extra = {"NOTEDESK_DB": str(db)} if db else {}
    return subprocess.run([sys.executable, "-m", "notedesk", *args], capture_output=True, text=text,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL, timeout=timeout,
                          env={**os.environ, "NO_COLOR": "1", **extra, **(env or {})})


def cli_ok(proc: subprocess.CompletedProcess) -> str:
    """The output of a command that must have succeeded (exit 0, no traceback)."""
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    return proc.stdout


def cli_failure(proc: subprocess.CompletedProcess, *words: str) -> str:
    """The one 'notedesk: ...' line of a command that failed as a user error (exit 1, no traceback);
    it holds every word of `words` (case-insensitive)."""
    everything = proc.stdout + proc.stderr
    assert "Traceback" not in everything, everything
    assert proc.returncode == 1, f"exit {proc.returncode}: {everything}"
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("notedesk: "), f"expected one line on stderr:\n{proc.stderr}"
    for word in words:
        assert word.lower() in lines[0].lower(), (word, lines[0])
    return lines[0]
