"""The store: migrations (apply once, refuse a newer schema, back up before an upgrade), bad files and
folders as one-line errors, file modes, and credentials kept out of messages.

Tests that use `db_url` run on SQLite and PostgreSQL; the file ones are SQLite by nature.
"""

from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from conftest import race, sample_order
from notedesk.services import communications, orders
from notedesk.store import connection, errors, upgrade
from notedesk.store import models as m
from notedesk.store.connection import open_database, prepare_database
from notedesk.store.errors import StoreError
from notedesk.store.targets import redact

N = "SO-2026-00042"
NEW_COLUMN_MIGRATION = '''
from peewee import BooleanField


def up(migrator, db):
    migrator.migrate(migrator.add_column("customer", "vip", BooleanField(null=True)))
'''
FAILING_MIGRATION = '''
from peewee import BooleanField


def up(migrator, db):
    migrator.migrate(migrator.add_column("customer", "vip", BooleanField(null=True)))
    raise RuntimeError("disk on fire")
'''


def migration_files() -> list[str]:
    return sorted(p.stem for p in upgrade.MIGRATIONS_DIR.glob("[0-9]*.py"))


def applied(database) -> list[str]:
    with database.connection_context():
        return sorted(upgrade.runner(database).applied())


def columns(database, table: str) -> set[str]:
    with database.connection_context():
        return {c.name for c in database.get_columns(table)}


@pytest.fixture
def migrations(tmp_path, monkeypatch) -> Path:
    """A private copy of the migrations folder that a test may add a newer migration to."""
    folder = tmp_path / "migrations"
    shutil.copytree(upgrade.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(upgrade, "MIGRATIONS_DIR", folder)
    return folder


# --- migrations --------------------------------------------------------------------------------------


def test_an_empty_database_gets_every_migration_once(db_url):
    database = open_database(db_url)
    assert applied(database) == migration_files()
    with database.connection_context():
        tables = set(database.get_tables())
    assert {model._meta.table_name for model in m.MODELS} <= tables
    assert upgrade.upgrade(database) == []  # reopening applies nothing
    again = open_database(db_url)
    assert applied(again) == migration_files()
    assert upgrade.schema_version(again) == migration_files()[-1]
    connection.close_database()


def test_clerks_opening_a_new_database_at_once_migrate_it_once(db_url):
    def first_open():
        prepare_database(db_url).close()

    assert race(*[first_open] * 4) == [None] * 4
    database = open_database(db_url)
    assert applied(database) == migration_files()
    with database.connection_context():
        assert m.ChangeCounter.select().count() == 1
    connection.close_database()


def test_a_clerk_whose_upgrade_another_overtook_goes_on_from_there(sqlite_url, monkeypatch):
    """The race above, made certain: between this clerk's plan and its first migration, another
    clerk applies that migration (only that one) and commits. This clerk's copy of it fails; the
    rest is still to do, by this clerk."""
    from playhouse.migrations import Runner

    real_run, overtaken = Runner._run, []

    def run(self, name, module, direction, fake=False):
        if not overtaken:
            overtaken.append(name)
            other = connection._make_database(sqlite_url, True)
            with other.connection_context():
                upgrade.runner(other).up(target=name)
            other.close()
        return real_run(self, name, module, direction, fake)

    monkeypatch.setattr(Runner, "_run", run)
    prepare_database(sqlite_url).close()
    assert overtaken == migration_files()[:1]
    assert applied(open_database(sqlite_url)) == migration_files()
    connection.close_database()


def test_a_newer_schema_is_refused_in_one_line_and_left_alone(db_url):
    database = open_database(db_url)
    orders.create_order(sample_order(N))
    with database.connection_context():
        upgrade.runner(database).History.create(name="9999_from_the_future")
    connection.close_database()
    with pytest.raises(StoreError) as err:
        open_database(db_url)
    assert str(err.value) == ("the database has a newer schema (9999_from_the_future) than this notedesk "
                              "knows; upgrade notedesk")


def test_an_older_sqlite_desk_is_backed_up_then_upgraded(sqlite_url, migrations):
    open_database(sqlite_url)
    orders.create_order(sample_order(N))
    communications.log_communication(N, "before the upgrade")
    connection.close_database()
    (migrations / "0999_customer_vip.py").write_text(NEW_COLUMN_MIGRATION)

    database = open_database(sqlite_url)
    assert applied(database)[-1] == "0999_customer_vip"
    assert "vip" in columns(database, "customer")
    assert orders.get_order(N).communications[0].text == "before the upgrade"  # data kept
    connection.close_database()

    copy = Path(f"{sqlite_url}.before-0999_customer_vip")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600  # customer data: never readable by others
    old = sqlite3.connect(copy)
    try:
        assert sorted(r[0] for r in old.execute("SELECT name FROM schema_migration")) == migration_files()[:-1]
        assert "vip" not in {r[1] for r in old.execute("PRAGMA table_info(customer)")}
        assert old.execute("SELECT text FROM communication").fetchone()[0] == "before the upgrade"
    finally:
        old.close()


def test_upgrading_to_0003_gives_every_order_its_customers_name(db_url, migrations):
    later = {p: p.read_text() for p in sorted(migrations.glob("[0-9]*.py")) if p.stem >= "0003"}
    for path in later:
        path.unlink()
    database = open_database(db_url)  # a desk as 0002 left it: orders without the names
    with database.connection_context():
        database.execute_sql(
            "INSERT INTO customer (id, created_at, updated_at, changed_by, name, company, phone, email, address,"
            " preferences) VALUES (7, '2026-11-01 08:00:00', '2026-11-01 08:00:00', 'wang', '王芳', '芳华服饰',"
            " '', '', '', '')")
        database.execute_sql(
            "INSERT INTO orders (created_at, updated_at, changed_by, number, customer_id, status, currency, version,"
            " total, deadline_text, deadline_date, payment_method, payment_status) VALUES ('2026-11-01 08:00:00',"
            f" '2026-11-01 08:00:00', 'wang', '{N}', 7, 'new', 'CNY', 1, 0, '', '2026-12-01', 'other', 'unpaid')")
    connection.close_database()
    for path, text in later.items():
        path.write_text(text)
    database = open_database(db_url)
    assert applied(database) == migration_files()
    with database.connection_context():
        order = m.Order.get(m.Order.number == N)
    assert (order.customer_name, order.customer_company) == ("王芳", "芳华服饰")
    connection.close_database()


def _index_names(database, engine: str) -> set[str]:
    with database.connection_context():
        if engine == "sqlite":
            rows = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
        else:
            rows = database.execute_sql("SELECT indexname FROM pg_indexes WHERE tablename = 'orders'").fetchall()
    return {row[0] for row in rows}


def test_0013_indexes_the_finance_lens_on_a_desk_with_orders(db_url, engine):
    """Migration 0013 (issue 16) on a desk that has orders: the index appears, the orders stay, the
    finance lens lists the same orders, and on SQLite its count and page read the index."""
    from notedesk.services import lenses, listing, payments

    database = open_database(db_url)
    for n in range(1, 6):
        orders.create_order(sample_order(f"SO-2026-0000{n}"))
    payments.record_payment("SO-2026-00002", "7000.00")  # paid: not finance's
    orders.set_status("SO-2026-00003", "cancelled")  # cancelled: not finance's
    finance = lenses.lens_query("finance")
    before = [row.number for row in listing.fetch_page(finance).rows]
    with database.connection_context():  # the desk as 0012 left it
        database.execute_sql('DROP INDEX "orders_payment_due"')
        database.execute_sql("DELETE FROM schema_migration WHERE name = '0013_lens_indexes'")
    connection.close_database()
    assert "orders_payment_due" not in _index_names(open_database(db_url, migrate=False), engine)
    connection.close_database()
    database = open_database(db_url)  # upgrades
    assert applied(database) == migration_files()
    assert "orders_payment_due" in _index_names(database, engine)
    assert before == ["SO-2026-00001", "SO-2026-00004", "SO-2026-00005"]
    assert [row.number for row in listing.fetch_page(finance).rows] == before
    assert listing.count_orders(finance) == 3 and listing.totals(finance).count == 3
    if engine == "sqlite":
        with database.connection_context():
            condition = listing._filter(finance)
            for query in (m.Order.select(m.Order.id).where(condition), listing._ids(finance, forward=True).limit(64)):
                sql, params = query.sql()
                plan = " ".join(str(row[-1]) for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
                assert "orders_payment_due" in plan, plan
    connection.close_database()


def test_a_brand_new_sqlite_desk_needs_no_backup(sqlite_url):
    open_database(sqlite_url)
    connection.close_database()
    assert sorted(p.name for p in Path(sqlite_url).parent.glob("desk.db*")) in (
        ["desk.db"], ["desk.db", "desk.db-shm", "desk.db-wal"])


def test_a_failed_upgrade_is_one_line_and_changes_nothing(db_url, engine, migrations):
    open_database(db_url)
    orders.create_order(sample_order(N))
    connection.close_database()
    (migrations / "0999_customer_vip.py").write_text(FAILING_MIGRATION)

    with pytest.raises(StoreError) as err:
        open_database(db_url)
    message = str(err.value)
    assert message.startswith("could not upgrade the database to 0999_customer_vip: disk on fire")
    assert "\n" not in message
    if engine == "sqlite":
        assert message.endswith(f"; the copy from before is {db_url}.before-0999_customer_vip")
    database = prepare_database(db_url, migrate=False)
    assert applied(database) == migration_files()[:-1]
    assert "vip" not in columns(database, "customer")  # the migration's own DDL was rolled back too
    database.close()

    # a second attempt after the fix: the first copy stays, the new one gets its own name
    (migrations / "0999_customer_vip.py").write_text(NEW_COLUMN_MIGRATION)
    database = open_database(db_url)
    assert "vip" in columns(database, "customer")
    if engine == "sqlite":
        assert Path(f"{db_url}.before-0999_customer_vip.1").exists()
    connection.close_database()


# --- files and folders (SQLite) ------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("王芳: call back on Monday\n" * 200)
    with pytest.raises(StoreError) as err:
        open_database(str(path))
    assert str(err.value).startswith(f"the database file is damaged or not a notedesk database ({path})")
    assert "\n" not in str(err.value)
    assert path.read_text() == "王芳: call back on Monday\n" * 200  # untouched


def test_a_folder_where_the_file_should_be_is_one_line(tmp_path):
    (tmp_path / "desk.db").mkdir()
    with pytest.raises(StoreError, match=r"desk.db is not a file$"):
        open_database(str(tmp_path / "desk.db"))


def test_a_folder_that_cannot_be_created_is_one_line(tmp_path):
    (tmp_path / "plain-file").write_text("")
    with pytest.raises(StoreError) as err:
        open_database(str(tmp_path / "plain-file" / "desks" / "desk.db"))
    assert str(err.value).startswith(f"cannot create folder {tmp_path / 'plain-file' / 'desks'}:")


def as_other_user(fn) -> str:
    """Run fn() in a child process as another login (`nobody` when we are root); its result or error."""
    if os.geteuid() != 0:
        try:
            return fn()
        except StoreError as exc:
            return f"StoreError: {exc}"
    nobody = pwd.getpwnam("nobody")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, call, report through the pipe; never return into pytest
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            result = fn()
        except StoreError as exc:
            result = f"StoreError: {exc}"
        except BaseException as exc:
            result = f"{type(exc).__name__}: {exc}"
        os.write(write, result.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        result = pipe.read().decode()
    os.waitpid(pid, 0)
    return result


@pytest.fixture
def shared_tmp():
    """A folder other logins can reach (tmp_path lies under a private 0700 folder)."""
    folder = Path(tempfile.mkdtemp(prefix="notedesk-store-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_folder_this_login_cannot_write_is_one_line(shared_tmp):
    folder = shared_tmp / "desks"
    folder.mkdir(mode=0o755)
    path = folder / "desk.db"
    message = as_other_user(lambda: str(open_database(str(path)) and "opened"))
    assert message.startswith(f"StoreError: cannot create database {path}: Permission denied"), message


def test_a_database_this_login_cannot_write_names_file_and_owner(shared_tmp):
    path = shared_tmp / "desk.db"
    open_database(str(path))
    orders.create_order(sample_order(N))
    connection.close_database()
    path.chmod(0o644)  # readable, not writable, for the other login
    message = as_other_user(lambda: str(open_database(str(path)) and "opened"))
    owner = pwd.getpwuid(os.getuid()).pw_name
    assert message.startswith("StoreError: "), message
    assert f"cannot write {path} (owner {owner})" in message
    assert "\n" not in message


def test_new_files_are_private_in_a_personal_folder_and_group_shared_in_a_group_folder(tmp_path):
    personal = tmp_path / "me"
    personal.mkdir(mode=0o700)
    shared = tmp_path / "shop"
    shared.mkdir()
    shared.chmod(0o2770)  # the README's `install -d -g GROUP -m 2770 DIR`
    for folder, mode in ((personal, 0o600), (shared, 0o660)):
        path = folder / "desk.db"
        old_umask = os.umask(0o077)  # a strict umask must not take the group's access away
        try:
            open_database(str(path))
            orders.create_order(sample_order(N))
            with m.db.connection_context():  # hold a connection so -wal and -shm exist
                m.Order.select().count()
                for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    assert stat.S_IMODE(name.stat().st_mode) == mode, (name, oct(name.stat().st_mode))
        finally:
            os.umask(old_umask)
            connection.close_database()


def test_a_missing_parent_folder_is_created_private(tmp_path):
    path = tmp_path / "data" / "notedesk" / "desk.db"
    open_database(str(path))
    connection.close_database()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- credentials never shown ---------------------------------------------------------------------------


@pytest.mark.parametrize("url, shown", [
    ("postgresql://bob:secret@db.example:5432/desk", "postgresql://bob:***@db.example:5432/desk"),
    ("postgres://bob:s%40cret@db.example/desk", "postgres://bob:***@db.example/desk"),
    ("postgresql://bob@db.example/desk?password=secret&sslmode=require",
     "postgresql://bob@db.example/desk?password=***&sslmode=require"),
    ("postgresql://:secret@db.example/desk", "postgresql://db.example/desk"),
    ("postgresql://bob@/desk?host=/run/postgresql", "postgresql://bob@/desk?host=/run/postgresql"),
    ("/srv/shop/desk.db", "/srv/shop/desk.db"),
])
def test_redact(url, shown):
    assert redact(url) == shown


def test_driver_messages_are_scrubbed_of_passwords():
    import psycopg

    target = "postgresql://bob:pa%24%24word@db.example/desk"
    exc = psycopg.OperationalError('connection failed: FATAL:  password authentication failed for user "bob"')
    assert errors.explain(exc, target) == (
        "PostgreSQL refused the password for user bob (postgresql://bob:***@db.example/desk)")
    leaky = psycopg.OperationalError(
        "bad conninfo 'host=db password=pa$$word' from postgresql://bob:pa%24%24word@db.example/desk (pa$$word)")
    message = errors.explain(leaky, target)
    assert "pa$$word" not in message and "pa%24%24word" not in message


def test_a_url_without_a_database_or_of_another_kind_is_one_line():
    with pytest.raises(StoreError, match=r"^bad database URL postgresql://bob:\*\*\*@db.example: no database name"):
        open_database("postgresql://bob:secret@db.example")
    with pytest.raises(StoreError, match=r"^unsupported database URL 'mysql://bob:\*\*\*@db/desk'"):
        open_database("mysql://bob:secret@db/desk")


def test_date_and_time_fields_read_iso_text_quickly_and_other_forms_as_peewee_does():
    import datetime as dt

    from notedesk.store.fields import ISODateField, ISOTimeField, UTCDateTimeField

    date, time, stamp = ISODateField(), ISOTimeField(formats=["%H:%M:%S", "%H:%M"]), UTCDateTimeField()
    assert date.python_value("2026-12-01") == dt.date(2026, 12, 1)
    assert date.python_value("2026-12-01 00:00:00") == dt.date(2026, 12, 1)  # Peewee's own formats
    assert date.python_value(dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)  # PostgreSQL's
    assert date.python_value(None) is None
    assert time.python_value("09:30:00") == time.python_value("09:30") == dt.time(9, 30)
    assert time.python_value("00:00:00") == dt.time(0)  # midnight is a time, not "no time"
    assert time.python_value(None) is None
    utc = dt.UTC
    assert stamp.python_value("2026-11-26 10:30:00.250000") == dt.datetime(2026, 11, 26, 10, 30, 0, 250000, utc)
    assert stamp.python_value(dt.datetime(2026, 11, 26, 10, 30)) == dt.datetime(2026, 11, 26, 10, 30, tzinfo=utc)
