"""Files notedesk writes (issue 13.6): a pipe or a device is written as a stream and never replaced,
other things that are not files are refused, a regular file is replaced whole, a backup appears only
when it is whole."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from cli.test_failures import NUMBER, desk  # noqa: F401  (desk: a fixture)
from conftest import cli_failure, run_cli
from notedesk import safe_output
from notedesk.store.backup import backup
from notedesk.store.connection import close_database, open_database


def _read_all(path: Path, into: list[bytes]) -> threading.Thread:
    def read():
        with open(path, "rb") as f:  # blocks until the writer opens the FIFO
            into.append(f.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_export_into_a_fifo_streams_and_leaves_the_fifo(desk, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _read_all(fifo, got)
    proc = run_cli("--db", str(desk), "export", "-o", str(fifo))
    reader.join(30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not a file renamed over it
    assert json.loads(got[0])["orders"][0]["number"] == NUMBER
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_into_a_character_device_writes_through_it(desk, tmp_path):
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device node needs root")
    proc = run_cli("--db", str(desk), "export", "-o", str(node))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(node.stat().st_mode)


def test_export_through_a_symlink_to_dev_null_leaves_dev_null(desk, tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to("/dev/null")
    before = os.stat("/dev/null")
    proc = run_cli("--db", str(desk), "export", "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino and after.st_rdev == before.st_rdev


@pytest.mark.parametrize("kind", ["folder", "socket"])
def test_export_refuses_what_is_neither_a_file_a_pipe_nor_a_device(desk, tmp_path, kind):
    target = tmp_path / "target"
    if kind == "folder":
        target.mkdir()
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    proc = run_cli("--db", str(desk), "export", "-o", str(target))
    cli_failure(proc, str(target))
    assert target.is_dir() if kind == "folder" else stat.S_ISSOCK(target.stat().st_mode)
    assert proc.stdout == ""


def test_export_replaces_a_regular_file_whole(desk, tmp_path):
    out = tmp_path / "orders.json"
    out.write_text("old")
    proc = run_cli("--db", str(desk), "export", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["orders"][0]["number"] == NUMBER
    assert stat.S_IMODE(out.stat().st_mode) & 0o077 == 0


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "orders.json"
    out.write_text("old")
    with pytest.raises(RuntimeError), safe_output.output(out) as f:
        f.write("half of it")
        raise RuntimeError("killed")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_new_files_in_a_world_writable_sticky_folder_are_private(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: anyone may write, nobody's group folder
    assert safe_output.new_file_mode(shared) == 0o600
    group = tmp_path / "group"
    group.mkdir()
    group.chmod(0o2770)
    assert safe_output.new_file_mode(group) == 0o660


def test_a_backup_is_written_under_another_name_until_it_is_whole(desk, tmp_path):
    dest = tmp_path / "copy.db"
    seen = []

    def check(tmp: Path) -> None:  # runs when the copy is written, before it gets its name
        seen.append((tmp != dest, dest.exists(), tmp.stat().st_size > 0))

    database = open_database(str(desk))
    try:
        backup(database, dest, check=check)
    finally:
        close_database()
    assert seen == [(True, False, True)]
    assert dest.is_file() and stat.S_IMODE(dest.stat().st_mode) & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_backup_leaves_nothing_that_looks_like_one(desk, tmp_path):
    dest = tmp_path / "copy.db"

    def fail(tmp: Path) -> None:
        raise RuntimeError("killed half way")

    database = open_database(str(desk))
    try:
        with pytest.raises(RuntimeError):
            backup(database, dest, check=fail)
    finally:
        close_database()
    assert not dest.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_backup_never_overwrites_a_fifo(desk, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = run_cli("--db", str(desk), "backup", str(fifo))
    cli_failure(proc, "exists already")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
