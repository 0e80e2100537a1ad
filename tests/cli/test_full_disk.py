"""A full disk (issue 13.10) on a real one: a tmpfs of a few MB mounted for the test (root only; the
test is skipped where mounting is not allowed). Every write says "the disk holding PATH is full",
`check` tells a full disk from a damaged file, and `export -o` names the file it could not write."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from cli.test_failures import NUMBER
from conftest import cli_failure, run_cli, sample_order
from notedesk.services import orders
from notedesk.store.connection import close_database, open_database


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> None:
    """Write a file until the disk is full."""
    with open(folder / "filler", "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    try:
        os.fsync(os.open(folder / "filler", os.O_RDONLY))
    except OSError:
        pass


@pytest.fixture
def full_desk(small_disk):
    path = small_disk / "desk.db"
    open_database(str(path))
    orders.create_order(sample_order(NUMBER))
    close_database()
    _fill(small_disk)
    return path


def test_writes_on_a_full_disk_say_so(full_desk):
    for command in (("note", NUMBER, "special", "--append", "长" * 20000), ("log", NUMBER, "x" * 60000)):
        proc = run_cli("--db", str(full_desk), *command)
        line = cli_failure(proc, "is full", str(full_desk))
        assert "rollback" not in line


def test_check_tells_a_full_disk_from_a_damaged_file(full_desk):
    proc = run_cli("--db", str(full_desk), "check")
    out = proc.stdout + proc.stderr
    assert "damaged" not in out, out
    assert "full" in out, out


def test_export_onto_a_full_disk_names_the_file(full_desk, small_disk, tmp_path):
    (small_disk / "filler").unlink()
    database = tmp_path / "elsewhere.db"
    open_database(str(database))
    for n in range(40):
        orders.create_order(sample_order(f"SO-2026-{n:05d}", notes={"requirements": "长" * 2000}))
    close_database()
    _fill(small_disk)
    target = small_disk / "orders.json"
    proc = run_cli("--db", str(database), "export", "-o", str(target))
    cli_failure(proc, "is full", str(target))
    assert not target.exists() and [p.name for p in small_disk.iterdir() if p.name.startswith(".")] == []
