"""Typing into the real desk in a pseudo-terminal, the way a clerk's terminal sends it (issue 13).

Pilot hands keys to the app past the terminal's input parser and one at a time; a clerk's
terminal (or SSH, or a paste) sends bytes, often many keys in one read. These tests run the real
`notedesk` command under tests/tui/pty_desk.py and write the keys as one burst where a clerk's
would arrive as one.
"""

from __future__ import annotations

import pytest
from pty_desk import DeskInPty

from conftest import sample_order
from notedesk.services import orders

NUMBER = "SO-2026-00042"
SIZE = (80, 24)


@pytest.fixture
def desk_db(database, db_url):
    orders.create_order(sample_order())
    return db_url.removeprefix("sqlite:///")


@pytest.fixture
def desk(desk_db):
    desk = DeskInPty("--db", desk_db, size=SIZE)
    desk.wait_for(NUMBER, "? Help", timeout=30)
    yield desk
    desk.kill()


def test_latin1_bytes_typed_into_the_filter_do_not_kill_the_desk(desk):
    """A client sending Latin-1 (é is the single byte 0xE9): replacement characters, the desk goes on."""
    desk.press("/")
    desk.write(b"caf\xe9 au lait")
    screen = desk.wait_for("caf\ufffd au lait")
    assert "Traceback" not in screen and "UnicodeDecodeError" not in desk.tail()
    desk.press("escape", "q")
    assert desk.finish() == 0
