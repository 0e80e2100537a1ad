"""`notedesk backup DEST`: a consistent copy of the SQLite database while clerks keep working.

Uses SQLite's online backup API (store.backup): the copy is one committed state even while others
write. It is written under a temporary name, checked, and only then given DEST's name, so a killed
backup leaves no DEST that looks like a backup. DEST is a new file (an existing one is never
overwritten) or a folder, which gets `<name>-<YYYYmmdd-HHMMSS>.db`. The copy is created 0600 (0660
in a group folder): it holds every customer's data. PostgreSQL sites use pg_dump.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from notedesk import clock, config
from notedesk.i18n import _
from notedesk.store.backup import backup
from notedesk.store.connection import close_database, open_database
from notedesk.store.errors import StoreError
from notedesk.store.targets import is_postgres, sqlite_path


def register(sub, common) -> None:
    p = sub.add_parser("backup", parents=[common],
                       help=_("copy the SQLite database to DEST while others keep working (never overwrites)"))
    p.add_argument("dest", metavar="DEST", help=_("a new file, or a folder to put a dated copy in"))
    p.set_defaults(run=run)


def destination(dest: Path, source: Path) -> Path:
    if dest.is_dir():
        stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
        return dest / f"{source.stem}-{stamp}{source.suffix or '.db'}"
    return dest


def verify(copy: Path) -> None:
    """The copy is one self-contained file (no -wal/-shm beside it) and passes integrity_check."""
    conn = sqlite3.connect(f"file:{quote(str(copy))}?mode=rw", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # the copy inherits WAL from the header
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    if result != "ok":
        raise StoreError(_("the copy failed its integrity check: {why}").format(why=result))


def run(args) -> int:
    target = config.database_url(getattr(args, "db", None))
    if is_postgres(target):
        raise StoreError(_("backup copies SQLite files; for PostgreSQL use pg_dump"))
    source = sqlite_path(target)
    if source is None or not source.is_file():
        raise StoreError(_("no database at {path}").format(path=source or target))
    dest = destination(Path(args.dest).expanduser(), source)
    database = open_database(target)
    try:
        backup(database, dest, check=verify)
    finally:
        close_database()
    size = dest.stat().st_size
    print(_("{source} → {dest} ({kb} KB, integrity ok)").format(source=source, dest=dest, kb=max(1, size // 1024)))
    return 0
