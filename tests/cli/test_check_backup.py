"""`notedesk check` and `notedesk backup`, and the mode of a new database file (docs/ARCHITECTURE.md,
"The database file on a shared server")."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from conftest import sample_order
from notedesk.cli import main
from notedesk.services import orders
from notedesk.store.connection import close_database, open_database
from notedesk.store.upgrade import MIGRATIONS_DIR

N = "SO-2026-00042"
NEWEST = max(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))  # the schema a new desk has


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def desk(database, db_url):
    orders.create_order(sample_order(N))
    close_database()
    return db_url


def check(db_url, capsys) -> tuple[int, str, str]:
    code = main(["--db", db_url, "check"])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- check --------------------------------------------------------------------------------------


def test_check_ok(desk, capsys):
    code, out, err = check(desk, capsys)
    assert code == 0, out + err
    assert "integrity ok" in out and f"schema {NEWEST} (up to date)" in out
    assert "mode 0600" in out and "no access for others" in out
    assert out.strip().endswith("ok")


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_check_warns_when_others_can_read(desk, capsys, suffix):
    path = desk + suffix
    if suffix:
        open(path, "ab").close()  # as if a desk were open right now
    os.chmod(path, 0o644)
    code, out, _err = check(desk, capsys)
    assert code == 1
    assert f"{path} is readable by others (mode 0644, owner " in out
    assert f"chmod o-rwx {path}" in out


def test_check_warns_about_a_folder_anyone_can_write(tmp_path, capsys):
    folder = tmp_path / "open"
    folder.mkdir()
    os.chmod(folder, 0o777)
    target = str(folder / "desk.db")
    open_database(target)
    close_database()
    code, out, _err = check(target, capsys)
    assert code == 1 and f"folder {folder} is writable by others" in out


@pytest.mark.skipif(os.getuid() == 0, reason="root can write any file: needs an ordinary login")
def test_check_names_a_file_this_login_cannot_write(desk, capsys):
    os.chmod(desk, 0o400)
    code, out, _err = check(desk, capsys)
    assert code == 1 and f"cannot write {desk} (owner" in out


def test_check_a_file_that_is_no_database_is_one_line(tmp_path, capsys):
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not a database, just some text\n" * 200)
    os.chmod(bad, 0o600)
    code, out, err = check(str(bad), capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("notedesk: ") and "junk.db" in err


def test_check_a_damaged_database(desk, capsys):
    conn = sqlite3.connect(desk)
    conn.execute("CREATE TABLE filler(x)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 400)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = os.path.getsize(desk)
    with open(desk, "r+b") as f:  # scribble over pages in the middle, keep the header
        f.seek(size // 2)
        f.write(os.urandom(8192))
    code, out, err = check(desk, capsys)
    assert code == 1
    text = out + err
    assert "damaged" in text and desk in text
    assert "Traceback" not in text


def test_check_a_missing_database(tmp_path, capsys):
    code, out, err = check(str(tmp_path / "nope.db"), capsys)
    assert code == 1 and "no database at" in err
    assert not (tmp_path / "nope.db").exists()  # check never creates one


# --- new files give no access to others ---------------------------------------------------------


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _open_and_write(target):
    open_database(target)
    orders.create_order(sample_order(N))
    from notedesk.store.models import db

    db.connect(reuse_if_open=True)  # keep a connection open so -wal and -shm exist
    return db


def test_new_database_is_0600_in_a_personal_folder(tmp_path, umask_022):
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o755)
    target = folder / "desk.db"
    db = _open_and_write(str(target))
    try:
        assert mode(target) == 0o600
        for suffix in ("-wal", "-shm"):  # SQLite gives them the database file's mode
            assert mode(f"{target}{suffix}") == 0o600
    finally:
        db.close()
        close_database()


@pytest.mark.parametrize("folder_mode", [0o2770, 0o770])
def test_new_database_is_0660_in_a_shared_group_folder(tmp_path, umask_022, folder_mode):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, folder_mode)
    target = folder / "desk.db"
    db = _open_and_write(str(target))
    try:
        assert mode(target) == 0o660  # although the umask takes group write away
        for suffix in ("-wal", "-shm"):
            assert mode(f"{target}{suffix}") == 0o660
    finally:
        db.close()
        close_database()


# --- backup -------------------------------------------------------------------------------------

WRITER = textwrap.dedent('''
    import sys, threading
    from notedesk.store.connection import open_database
    from notedesk.services import communications
    open_database(sys.argv[1])
    stop = threading.Event()  # set when the test closes our stdin: after its backup has finished
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    communications.log_communication(sys.argv[2], "writer 0")
    i = 1
    print("writing", flush=True)
    while not stop.is_set():
        communications.log_communication(sys.argv[2], f"writer {i}")
        i += 1
    print(i, flush=True)
''')


def _bulk(db_url, rows=3000):
    """Make the database big enough that a copy takes a while."""
    conn = sqlite3.connect(db_url)
    order_id = conn.execute("SELECT id FROM orders").fetchone()[0]
    now = "2026-11-26 02:00:00"
    conn.executemany(
        "INSERT INTO communication (created_at, updated_at, changed_by, order_id, at, channel, contact, clerk, text)"
        " VALUES (?, ?, 'li', ?, ?, 'phone', '', 'li', ?)",
        [(now, now, order_id, now, f"bulk {i} " + "长文本" * 200) for i in range(rows)])
    conn.commit()
    conn.close()


def test_backup_while_another_process_writes(desk, tmp_path, capsys):
    _bulk(desk)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    writer = subprocess.Popen([sys.executable, str(script), desk, N], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"  # its first entry is committed
        dest = tmp_path / "copy.db"
        code = main(["--db", desk, "backup", str(dest)])
        out = capsys.readouterr()
        assert code == 0, out.err
        assert "integrity ok" in out.out
    finally:
        written = int(writer.communicate("", timeout=120)[0].strip() or 0)  # stops it
    assert writer.returncode == 0 and written > 0
    assert mode(dest) == 0o600
    copy = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        seen = [int(t.split()[1]) for (t,) in copy.execute("SELECT text FROM communication WHERE text LIKE 'writer %'")]
        bulk = copy.execute("SELECT count(*) FROM communication WHERE text LIKE 'bulk %'").fetchone()[0]
    finally:
        copy.close()
    assert bulk == 3000
    # one committed state: the writer's entries up to some point, none missing in between
    assert sorted(seen) == list(range(len(seen)))
    print(f"\nbackup taken while the writer committed {written} entries; the copy holds {len(seen)}")


def test_backup_never_overwrites(desk, tmp_path, capsys):
    dest = tmp_path / "precious.db"
    dest.write_bytes(b"keep me")
    assert main(["--db", desk, "backup", str(dest)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert dest.read_bytes() == b"keep me"


def test_backup_into_a_folder_makes_a_dated_copy(desk, tmp_path, capsys):
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["--db", desk, "backup", str(folder)]) == 0
    [copy] = list(folder.iterdir())
    assert copy.name.startswith("desk-") and copy.suffix == ".db"
    assert main(["--db", str(copy), "check"]) == 0


def test_backup_of_a_missing_database(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "nope.db"), "backup", str(tmp_path / "b.db")]) == 1
    assert not (tmp_path / "b.db").exists() and not (tmp_path / "nope.db").exists()


@pytest.mark.both_engines
def test_check_and_backup_on_either_engine(database, db_url, engine, tmp_path, capsys):
    orders.create_order(sample_order(N))
    close_database()
    code, out, err = check(db_url, capsys)
    assert code == 0, out + err
    assert f"schema {NEWEST} (up to date)" in out
    assert ("connection ok" in out) == (engine == "pg")
    assert "password" not in out.lower()
    code = main(["--db", db_url, "backup", str(tmp_path / "b.db")])
    err = capsys.readouterr().err
    if engine == "pg":
        assert code == 1 and "pg_dump" in err
    else:
        assert code == 0
