"""Issue 16's keys in a real terminal at 80×24: `o` on the detail saves a sheet where the desk runs,
`F8` in the note editor (the bytes an xterm sends) marks the note for the delivery slip."""

from __future__ import annotations

import pytest
from pty_desk import DeskInPty

from conftest import sample_order
from notedesk.services import orders

F8 = b"\x1b[19~"  # what xterm (and tmux) send for F8
NUMBER = "SO-2026-00042"


@pytest.fixture
def desk_db(database, db_url):
    orders.create_order(sample_order(notes={"requirements": "红色T恤200件", "delivery": "放门卫室，电话联系"}))
    return db_url.removeprefix("sqlite:///")


def test_o_saves_the_slip_and_f8_puts_a_note_on_it(desk_db, tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    desk = DeskInPty("--db", desk_db, size=(80, 24), cwd=folder)
    try:
        desk.wait_for(NUMBER, "? Help", timeout=30)
        desk.press("enter")
        desk.wait_for("Edit notes", "esc Back", timeout=15)
        desk.press("e")
        desk.wait_for("not on the delivery slip (F8)", timeout=15)
        desk.press("f4")
        desk.wait_for("放门卫室", timeout=10)
        desk.write(F8)
        desk.wait_for("✓ on the delivery slip (F8)", timeout=15)
        desk.press("escape")
        desk.wait_for("Edit notes", "esc Back", timeout=15)
        desk.press("o")
        desk.wait_for("Sheet of SO-2026-00042", "Production sheet", timeout=15)
        desk.press("enter", "down", "enter", pause=0.3)  # the department: the delivery slip
        desk.wait_for(f"{NUMBER}-delivery-slip.html", timeout=10)
        desk.press("ctrl+s")
        desk.wait_for("Sheet saved", timeout=15)
        written = (folder / f"{NUMBER}-delivery-slip.html").read_text(encoding="utf-8")
        assert "放门卫室，电话联系" in written and "红色T恤200件" not in written  # marked note only
        desk.press("ctrl+q")
        assert desk.finish() == 0
    finally:
        desk.kill()
