"""A database is never made where there was none to read (issue 13.8): read-only commands on a path
without a database fail with one line, and a database deleted while a desk has it open is said to be
gone instead of coming back empty (and 0644)."""

from __future__ import annotations

import os

import pytest

from conftest import cli_failure, run_cli, sample_order
from notedesk.services import notes, orders
from notedesk.services.errors import StoreError
from notedesk.store.connection import close_database, open_database

READ_ONLY = [("due",), ("due", "--format", "json"), ("search", "x"), ("export",), ("export", "--format", "csv"),
             ("check",)]


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_read_only_commands_never_create_a_database(tmp_path, command):
    path = tmp_path / "typo" / "desk.db"
    proc = run_cli("--db", str(path), *command)
    cli_failure(proc, "no database", str(path))
    assert proc.stdout == ""
    assert not path.parent.exists()


def test_a_database_deleted_while_open_is_gone_not_made_again(tmp_path):
    path = tmp_path / "desk.db"
    open_database(str(path))
    orders.create_order(sample_order())
    for name in ("desk.db", "desk.db-wal", "desk.db-shm"):
        if (tmp_path / name).exists():
            os.unlink(tmp_path / name)
    try:
        with pytest.raises(StoreError, match="gone") as caught:
            notes.append_note("SO-2026-00042", "special", "after the delete")
        assert str(path) in str(caught.value)
        assert not path.exists()
    finally:
        close_database()
