"""A consistent copy of a SQLite database while others keep working (the online backup API), written
under a temporary name and given its own only when whole (safe_output.new_file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee

from notedesk import safe_output
from notedesk.store.errors import StoreError, translated_errors


def free_name(dest: Path) -> Path:
    """`dest`, or dest.1, dest.2 ... when an earlier attempt left its copy there."""
    candidate, n = dest, 0
    while candidate.exists():
        n += 1
        candidate = dest.with_name(f"{dest.name}.{n}")
    return candidate


def backup(database: peewee.Database, dest: Path, check=None) -> Path:
    """Copy `database` to the new file `dest` (never over an existing one); `check(path)` may inspect
    the copy before it gets its name. Raises StoreError, safe_output.OutputError."""
    if not isinstance(database, peewee.SqliteDatabase):
        raise StoreError("backup copies SQLite files; for PostgreSQL use pg_dump")
    dest = Path(dest)
    with safe_output.new_file(dest) as tmp:
        target = sqlite3.connect(str(tmp))
        try:
            with translated_errors(str(dest)):
                database.connection().backup(target)
        finally:
            target.close()
        if check is not None:
            check(tmp)
    return dest
