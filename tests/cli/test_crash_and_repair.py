"""An interrupted command leaves the database consistent and working (issue 13.7): `kill -9` during a
demo load leaves the search triggers in place; `check` finds a missing trigger and `check --repair`
rebuilds the index."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from cli.test_failures import desk  # noqa: F401  (desk: a fixture)
from conftest import run_cli
from notedesk.store import search_index as ix


def _orders(path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.OperationalError:  # not made yet
        return 0
    try:
        return conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    except sqlite3.OperationalError:  # not migrated yet
        return 0
    finally:
        conn.close()


def _wait_for(condition, what: str, timeout: float = 600) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_kill_9_during_a_demo_load_leaves_search_working(tmp_path):
    path = tmp_path / "desk.db"
    proc = subprocess.Popen([sys.executable, "-m", "notedesk", "--db", str(path), "demo", "--orders", "20000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
    try:
        _wait_for(lambda: _orders(path) > 0 or proc.poll() is not None, "the first chunk")
    finally:
        proc.send_signal(signal.SIGKILL)  # in the middle of the load (after its first chunk)
        proc.wait(30)
    checked = run_cli("--db", str(path), "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "search index ok" in checked.stdout
    number = sqlite3.connect(path).execute("SELECT number FROM orders ORDER BY id LIMIT 1").fetchone()[0]
    assert run_cli("--db", str(path), "log", number, "zebracrossing after the crash").returncode == 0
    found = run_cli("--db", str(path), "search", "zebracrossing")
    assert number in found.stdout, found.stdout + found.stderr


def test_check_finds_a_dropped_trigger_and_repair_rebuilds_the_index(desk):
    conn = sqlite3.connect(desk)
    conn.execute(f"DROP TRIGGER {ix.TRIGGER_NAMES[0]}")
    conn.commit()
    conn.close()
    before = desk.read_bytes()
    checked = run_cli("--db", str(desk), "check")
    assert checked.returncode == 1
    assert "search index is incomplete" in checked.stdout and ix.TRIGGER_NAMES[0] in checked.stdout
    assert "notedesk check --repair" in checked.stdout
    assert desk.read_bytes() == before  # check alone changes nothing
    repaired = run_cli("--db", str(desk), "check", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "repaired: the search index was rebuilt" in repaired.stdout
    again = run_cli("--db", str(desk), "check")
    assert again.returncode == 0 and "search index ok" in again.stdout
