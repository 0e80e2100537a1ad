"""Clear failure everywhere (issue 6): every way a command can go wrong is one line, exit 1, no traceback.

Each case runs the real command line in a subprocess (`python -m notedesk ...`), as a clerk or a cron
job would, and checks: exit status 1, exactly one line on stderr starting "notedesk: " that names the
problem (and where, when there is a where), no "Traceback" anywhere, and, for anything that could
write, a database byte-for-byte the same as before (an SQL dump compared before and after: an import
is all or nothing).

The unwritable paths are made so they fail for root too (CI runs as root, which ignores file modes):
a folder *under a regular file*, and /proc.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import cli_failure, run_cli, sample_order
from notedesk.services import orders
from notedesk.store.connection import close_database, open_database

NUMBER = "SO-2026-00042"


# --- helpers ------------------------------------------------------------------------------------------


def dump(path: Path) -> list:
    """Everything in the database: the schema and every row of every table, read-only (the comparison
    must not change the file). Not iterdump(): it cannot read full-text (virtual) tables; their rows
    live in ordinary shadow tables, which are compared."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        tables = [name for kind, name, sql in schema
                  if kind == "table" and not (sql or "").upper().startswith("CREATE VIRTUAL")]
        rows = {name: sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"'))) for name in tables}
        return [schema, rows]
    finally:
        conn.close()


@pytest.fixture
def desk(tmp_path, migrated_file) -> Path:
    """A migrated SQLite database holding one order, closed again (the command opens it itself)."""
    path = migrated_file(tmp_path / "desk.db")
    open_database(str(path))
    orders.create_order(sample_order(NUMBER))
    close_database()
    return path


def order_json(**overrides) -> dict:
    order = {
        "number": "SO-2026-00100",
        "created_at": "2026-11-26T10:00:00+08:00",
        "status": "confirmed",
        "customer": {"name": "王芳", "company": "芳华服饰"},
        "lines": [{"product": "T恤", "spec": "红色 / XL", "quantity": 200, "unit_price": "35.00"}],
        "deadline": {"text": "请在2026年12月1日前交付", "date": "2026-12-01", "start": None, "end": None},
        "notes": {"requirements": "红色T恤200件"},
    }
    order.update(overrides)
    return order


def write_document(path: Path, *orders_: dict) -> Path:
    path.write_text(json.dumps({"format": "notedesk/1", "orders": list(orders_)}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def import_fails(desk: Path, file: Path, *words: str) -> str:
    before = dump(desk)
    line = cli_failure(run_cli("import", str(file), "--db", str(desk)), *words)
    assert dump(desk) == before, "a failed import changed the database"
    return line


# --- import: bad files --------------------------------------------------------------------------------


def test_malformed_json_names_the_file_and_line(desk, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "notedesk/1",\n "orders": [ {"number": "SO-1",, } ]}\n', encoding="utf-8")
    import_fails(desk, bad, "bad.json", "line 2")


def test_a_file_that_is_not_utf8(desk, tmp_path):
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"format": "notedesk/1", "orders": [{"number": "Café"}]}'.encode("latin-1"))
    import_fails(desk, bad, "latin1.json", "UTF-8")


def test_an_order_without_a_number(desk, tmp_path):
    order = order_json()
    del order["number"]
    import_fails(desk, write_document(tmp_path / "nonumber.json", order), "number")


def test_a_number_that_exists_already(desk, tmp_path):
    line = import_fails(desk, write_document(tmp_path / "dup.json", order_json(number=NUMBER)), NUMBER)
    assert "exist" in line.lower()


def test_a_number_twice_in_one_file(desk, tmp_path):
    import_fails(desk, write_document(tmp_path / "twice.json", order_json(), order_json()),
                 "SO-2026-00100", "twice")


def test_an_impossible_date(desk, tmp_path):
    order = order_json(deadline={"text": "2026-02-30", "date": "2026-02-30", "start": None, "end": None})
    import_fails(desk, write_document(tmp_path / "date.json", order), "SO-2026-00100", "deadline", "2026-02-30")


def test_an_impossible_date_in_deadline_text(desk, tmp_path):
    order = order_json(deadline={"text": "请在2026年2月30日前交付"})
    import_fails(desk, write_document(tmp_path / "date_text.json", order), "SO-2026-00100", "deadline")


def test_a_quantity_that_is_not_a_number(desk, tmp_path):
    order = order_json(lines=[{"product": "T恤", "quantity": "two hundred", "unit_price": "35.00"}])
    import_fails(desk, write_document(tmp_path / "qty.json", order), "SO-2026-00100", "quantity")


def test_nul_in_text_is_refused(desk, tmp_path):
    order = order_json(notes={"requirements": "before\x00after"})
    import_fails(desk, write_document(tmp_path / "nul.json", order), "SO-2026-00100", "NUL")


def test_one_bad_order_imports_nothing(desk, tmp_path):
    """All or nothing: a good first order is not left behind by a bad second one."""
    good = order_json(number="SO-2026-00101")
    bad = order_json(number="SO-2026-00102", lines=[{"product": "x", "quantity": -3, "unit_price": "1.00"}])
    import_fails(desk, write_document(tmp_path / "half.json", good, bad), "SO-2026-00102", "quantity")


def test_csv_without_the_number_column(desk, tmp_path):
    bad = tmp_path / "orders.csv"
    bad.write_text("customer,phone\n王芳,138\n", encoding="utf-8")
    import_fails(desk, bad, "orders.csv")


def test_csv_row_without_a_number(desk, tmp_path):
    bad = tmp_path / "rows.csv"
    bad.write_text("number,customer,phone,status,deadline,payment_method,requirements,special,delivery,payment\n"
                   ",王芳,138,new,,cod,,,,\n", encoding="utf-8")
    import_fails(desk, bad, "number")


def test_import_file_that_does_not_exist(desk, tmp_path):
    import_fails(desk, tmp_path / "missing.json", "missing.json")


# --- the database itself ------------------------------------------------------------------------------


def unwritable_paths(tmp_path: Path) -> list[Path]:
    """Database paths nobody can create, root included (root ignores file modes)."""
    regular = tmp_path / "file.txt"
    regular.write_text("a file, not a folder\n")
    return [regular / "sub" / "desk.db", Path("/proc/notedesk-test/desk.db")]


@pytest.mark.parametrize("which", [0, 1], ids=["under-a-file", "proc"])
def test_a_database_path_that_cannot_be_written(tmp_path, which):
    path = unwritable_paths(tmp_path)[which]
    cli_failure(run_cli("due", "--db", str(path)), str(path.parent))


@pytest.mark.parametrize("which", [0, 1], ids=["under-a-file", "proc"])
def test_the_desk_on_a_path_that_cannot_be_written(tmp_path, which):
    path = unwritable_paths(tmp_path)[which]
    cli_failure(run_cli("--db", str(path)), str(path.parent))


def test_a_database_path_that_is_a_folder(tmp_path):
    cli_failure(run_cli("due", "--db", str(tmp_path)), str(tmp_path))


def _not_a_database(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.db"
    if kind == "random":
        path.write_bytes(bytes(range(256)) * 64)
    else:
        path.write_text("name,phone\n王芳,138\n" * 100, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["random", "text"])
@pytest.mark.parametrize("command", [["due"], ["check"], []], ids=["due", "check", "desk"])
def test_a_file_that_is_not_a_database(tmp_path, kind, command):
    path = _not_a_database(tmp_path, kind)
    before = path.read_bytes()
    if command == ["check"]:
        proc = run_cli("check", "--db", str(path))
        assert "Traceback" not in proc.stdout + proc.stderr
        assert proc.returncode == 1, proc.stdout + proc.stderr
    else:
        cli_failure(run_cli(*command, "--db", str(path)), path.name, "not a notedesk database")
    assert path.read_bytes() == before, "notedesk changed a file that is not its database"
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def test_a_database_with_a_newer_schema(desk):
    conn = sqlite3.connect(desk)
    with conn:
        conn.execute("INSERT INTO schema_migration (name, applied) VALUES ('9999_from_the_future', "
                     "'2030-01-01 00:00:00')")
    conn.close()
    before = dump(desk)
    cli_failure(run_cli("due", "--db", str(desk)), "newer", "upgrade notedesk")
    cli_failure(run_cli("--db", str(desk)), "newer")
    proc = run_cli("check", "--db", str(desk))
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert dump(desk) == before


# --- a locked database --------------------------------------------------------------------------------

HOLD_LOCK = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE note SET body = body")
print("locked", flush=True)
sys.stdin.read()  # hold the lock until the test closes our stdin
conn.execute("ROLLBACK")
"""


def test_a_locked_database_is_a_busy_message_not_a_wait_for_ever(desk):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(desk)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = dump(desk)
        started = time.monotonic()
        proc = run_cli("note", NUMBER, "requirements", "--append", "追加", "--db", str(desk),
                       env={"NOTEDESK_BUSY_TIMEOUT": "0.5"}, timeout=30)
        took = time.monotonic() - started
        cli_failure(proc, "busy")
        assert took < 10, f"waited {took:.1f}s with a 0.5 s busy timeout"
        assert dump(desk) == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    # once the other writer is done, the same command works
    proc = run_cli("note", NUMBER, "requirements", "--append", "追加", "--db", str(desk))
    assert proc.returncode == 0, proc.stderr


# --- corruption ---------------------------------------------------------------------------------------


_CORRUPT_TEMPLATE: list[Path] = []  # built once per test process, copied for each test


def corrupt_copy(tmp_path: Path) -> Path:
    """A fresh copy of a corrupt notedesk database (see _build_corrupt) in tmp_path."""
    if not _CORRUPT_TEMPLATE or not _CORRUPT_TEMPLATE[0].exists():
        folder = tmp_path / "template"
        folder.mkdir()
        _CORRUPT_TEMPLATE[:] = [_build_corrupt(folder / "corrupt.db")]
    path = tmp_path / "corrupt.db"
    shutil.copyfile(_CORRUPT_TEMPLATE[0], path)
    return path


def _build_corrupt(path: Path, orders_count: int = 40) -> Path:
    """A real notedesk database, then garbage written over pages in its middle and over the root page
    of the orders table (so that every screen and command that lists orders meets the damage, while
    the schema on page 1 still reads and the file still opens)."""
    open_database(str(path))
    for n in range(orders_count):
        orders.create_order(sample_order(f"SO-2026-{n:05d}", notes={"requirements": "很长的需求 " * 200}))
    close_database()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")  # everything in the main file, no -wal to hide behind
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    orders_root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'orders'").fetchone()[0]
    conn.close()
    pages = path.stat().st_size // page_size
    assert pages > 20, pages
    garbage = bytes(range(256)) * (page_size // 256)
    with open(path, "r+b") as f:
        for page in [orders_root, *range(pages // 3, 2 * pages // 3, 2)]:  # 1-based page numbers
            f.seek((page - 1) * page_size)
            f.write(garbage)
    return path


def test_check_fails_on_a_corrupt_file(tmp_path):
    path = corrupt_copy(tmp_path)
    proc = run_cli("check", "--db", str(path))
    everything = proc.stdout + proc.stderr
    assert "Traceback" not in everything, everything
    assert proc.returncode == 1, everything


def test_check_passes_on_a_healthy_file(desk):
    proc = run_cli("check", "--db", str(desk))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("command", [["due"], ["export"], ["search", "王芳"]], ids=["due", "export", "search"])
def test_commands_on_a_corrupt_file_fail_in_one_line(tmp_path, command):
    path = corrupt_copy(tmp_path)
    proc = run_cli(*command, "--db", str(path))
    everything = proc.stdout + proc.stderr
    assert "Traceback" not in everything, everything
    if proc.returncode != 0:  # the damage may lie outside what this command reads
        cli_failure(proc, "damaged")


# --- the message itself is safe -------------------------------------------------------------------------


def test_an_error_quoting_hostile_text_is_one_clean_line(desk):
    """A script passing an order number it got from an e-mail: the "no such order" line quotes it,
    and must neither run the escape sequence on the clerk's terminal nor span two lines."""
    number = "SO-1\x1b]0;PWNED\x07\u202e\nsecond line"
    proc = run_cli("note", number, "requirements", "--append", "x", "--db", str(desk))
    line = cli_failure(proc, "SO-1")
    assert "\x1b" not in proc.stderr and "\u202e" not in proc.stderr and "\x07" not in proc.stderr
    assert "second line" in line
