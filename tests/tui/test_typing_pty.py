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


def fields(desk: DeskInPty, *labels: str) -> dict[str, str]:
    """What the form shows right of each label (one line each)."""
    found = {}
    for line in desk.screen_lines():
        for label in labels:
            if line.strip().startswith(label):
                found[label] = line.strip()[len(label):].strip()
    return found


def test_a_burst_across_the_new_order_form_lands_field_by_field(desk):
    """Issue 13.2: a fast typist or a paste over SSH sends the keys in one read."""
    desk.press("n")
    desk.wait_for("Customer *")
    desk.write(b"Wang Fang\tHuaxing\t138 0013 8000\tfang@example.cn")
    desk.wait_for("fang@example.cn")
    assert fields(desk, "Customer *", "Company", "Phone", "Email") == {
        "Customer *": "Wang Fang", "Company": "Huaxing", "Phone": "138 0013 8000", "Email": "fang@example.cn"}


def test_end_ctrl_u_and_text_in_one_burst_replace_the_deadline(desk):
    """Issue 13.2: the keys an Input binds (End, ctrl+u) take effect in order with the text after them."""
    desk.press("e")
    desk.wait_for("Requirements", "红色T恤200件")
    desk.press("f4")
    desk.wait_for("Deadline, as the customer said it")
    desk.write(b"\t\x1b[F\x15" + "12月3日下午".encode())  # Tab to the deadline, End, ctrl+u, the new words
    screen = desk.wait_for("12月3日下午")
    assert "请在2026年12月1日前交付" not in screen  # the old words are gone, the new ones whole


def test_ctrl_q_with_unsaved_notes_asks_and_keeps_them_as_drafts(desk):
    """Issue 13.3: text typed a second before ctrl+q is not gone."""
    from notedesk.services import drafts

    desk.press("e")
    desk.wait_for("红色T恤200件")
    desk.write("加急".encode())
    desk.wait_for("加急")
    desk.press("ctrl+q")
    desk.wait_for("Quit the desk?", "Not saved yet: SO-2026-00042: Requirements", "kept as drafts")
    desk.press("k")  # keep editing: nothing lost, still in the editor
    desk.wait_for("加急", absent=("Quit the desk?",))
    desk.press("ctrl+q")
    desk.wait_for("Quit the desk?")
    desk.press("q")
    assert desk.finish() == 0
    assert drafts.get_draft(NUMBER, "requirements").body == "加急红色T恤200件,XL码"


def test_ctrl_q_in_the_new_order_form_asks_and_twice_quits(desk):
    desk.press("n")
    desk.wait_for("Customer *")
    desk.write(b"Zhao Min")
    desk.wait_for("Zhao Min")
    desk.press("ctrl+q")
    desk.wait_for("Not saved yet: the new order")
    desk.press("ctrl+q")  # a second ctrl+q is the answer
    assert desk.finish() == 0


def test_ctrl_q_with_nothing_typed_quits_at_once(desk):
    desk.press("ctrl+q")
    assert desk.finish() == 0
