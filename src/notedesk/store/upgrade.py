"""The schema version: numbered migrations (playhouse.migrations), applied when a desk opens a database,
after a backup copy of a SQLite file that already had data; a newer schema is refused."""

from __future__ import annotations

from pathlib import Path

import peewee

from notedesk import postgres_drivers_hidden
from notedesk.i18n import _
from notedesk.store.backup import backup, free_name
from notedesk.store.errors import StoreError, driver_errors, explain, first_line
from notedesk.store.models import db

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def runner(database: peewee.Database):
    """Peewee's migration runner (playhouse.migrations), loaded only when it is needed."""
    with postgres_drivers_hidden():
        from playhouse.migrations import Runner

    return Runner(database, directory=str(MIGRATIONS_DIR), table_name="schema_migration")


def up_to_date(database: peewee.Database) -> bool:
    """Whether every migration file is applied and no other one: the check of every start, made
    without the migration runner (what it loads costs ~0.01 s)."""
    if not database.table_exists("schema_migration"):
        return False
    applied = {row[0] for row in database.execute_sql("SELECT name FROM schema_migration")}
    return applied == {path.stem for path in MIGRATIONS_DIR.glob("[0-9]*.py")}


def schema_version(database: peewee.Database | None = None) -> str | None:
    """The newest applied migration's name."""
    applied = sorted(runner(database or db.obj).applied())
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
    if up_to_date(database):
        return []
    run = runner(database)
    status = run.status()
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
        copy = backup(database, free_name(path.with_name(f"{path.name}.before-{pending[0].name}")))
    applied = {m.name for m in status if m.applied}
    while True:
        try:
            return run.up()
        except Exception as exc:
            # Two clerks opening a SQLite desk at once (each migration is one transaction, so they
            # take turns): ours failed because the other applied that migration meanwhile. Go on
            # from where the other got to; the other may have finished.
            now = run.status()
            if all(m.applied for m in now):
                return []
            further = {m.name for m in now if m.applied}
            if further > applied:
                applied = further
                continue
            why = explain(exc) if isinstance(exc, driver_errors()) else first_line(exc)
            kept = f"; the copy from before is {copy}" if copy else ""
            raise StoreError(_("could not upgrade the database to {migration}: {why}{kept}").format(
                migration=pending[-1].name, why=why, kept=kept)) from None
