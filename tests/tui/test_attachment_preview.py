"""Attachments in the desk through Pilot: listed on the detail and in the editor, a picture previewed in half
blocks, a PDF's facts and saving it out, attaching by path with completion, removing, hostile names inert."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import Input

from attachment_files import HOSTILE_NAMES, pdf, picture, write
from conftest import sample_order
from notedesk.services import attachments, orders
from notedesk.tui import pictures
from notedesk.tui.screens.attach_file import AttachFileModal, SaveFileModal
from notedesk.tui.screens.attachment import AttachmentScreen
from notedesk.tui.screens.note_editor import NoteEditorScreen
from notedesk.tui.screens.order_detail import OrderDetailScreen
from notedesk.tui.widgets.attachment_table import AttachmentTable
from notedesk.tui.widgets.path_input import complete

NUMBER = "SO-2026-00042"


@pytest.fixture
def order(database, tmp_path):
    orders.create_order(sample_order(NUMBER))
    attachments.attach_files(NUMBER, [write(tmp_path, "logo.png", picture("PNG", (64, 48))),
                                      write(tmp_path, "drawing.pdf", pdf())], kind="special", clerk="wang")
    return NUMBER


def half_block_colours(app) -> dict[tuple[int, int], tuple]:
    """(x, y) -> (foreground, background) of every ▀ cell the screen shows."""
    found = {}
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            for ch in segment.text:
                if ch == "▀" and segment.style is not None:
                    found[(x, y)] = (segment.style.color.triplet if segment.style.color else None,
                                     segment.style.bgcolor.triplet if segment.style.bgcolor else None)
                x += 1
    return found


async def test_detail_lists_attachments_and_enter_previews_the_picture(order, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("TMUX", raising=False)
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(AttachmentTable)
        assert [v.name for v in table.views] == ["drawing.pdf", "logo.png"]
        await pilot.press("f")
        assert app.focused is table
        await pilot.press("down", "enter")
        await settle(pilot, 3)
        assert isinstance(app.screen, AttachmentScreen)
        text = screen_text(app)
        assert "logo.png" in text and "image/png" in text
        cells = half_block_colours(app)
        assert len(cells) > 100
        colours = {c for pair in cells.values() for c in pair}
        red, blue, white = (255, 0, 0), (0, 0, 255), (255, 255, 255)
        assert {red, blue, white} <= colours
        # the red square is top-left, the blue bar along the bottom: a recognisable picture
        xs = sorted({x for x, _ in cells})
        ys = sorted({y for _, y in cells})
        top_left = cells[(xs[0], ys[0])]
        bottom = cells[(xs[len(xs) // 2], ys[-1])]
        top_right = cells[(xs[-1], ys[0])]
        assert top_left[0] == red and bottom[1] == blue and top_right[0] == white
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)


async def test_a_pdf_shows_its_facts_and_saves_out_byte_identical(order, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "application/pdf" in text and "wang" in text and "No preview" in text
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SaveFileModal)
        field = app.screen.query_one(Input)
        assert field.value == str(home / "drawing.pdf")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttachmentScreen), [str(n.message) for n in app._notifications]
    saved = (home / "drawing.pdf").read_bytes()
    assert hashlib.sha256(saved).hexdigest() == hashlib.sha256(pdf()).hexdigest()


async def test_saving_over_an_existing_file_is_refused(order, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "drawing.pdf").write_bytes(b"mine")
    app = Harness(lambda: AttachmentScreen(NUMBER, attachments.list_attachments(NUMBER)[0]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaveFileModal)  # still open, with the reason
        assert any("exists already" in str(n.message) for n in app._notifications)
    assert (tmp_path / "drawing.pdf").read_bytes() == b"mine"


async def test_attach_by_path_with_completion(order, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    write(folder, "packing-case.pdf", pdf())
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, AttachFileModal)
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press(*str(folder / "pa"))
        await settle(pilot)
        await pilot.press("right")  # takes the completion
        assert field.value == str(folder / "packing-case.pdf")
        await pilot.press("enter")
        await settle(pilot, 3)
        assert isinstance(app.screen, OrderDetailScreen)
        assert "packing-case.pdf" in [v.name for v in app.screen.query_one(AttachmentTable).views]


async def test_a_bad_path_keeps_the_modal_open_with_one_line(order, tmp_path):
    app = Harness(lambda: AttachFileModal(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one(Input).value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttachFileModal)
        assert [str(n.message) for n in app._notifications][-1].endswith("is a folder, not a file")


def test_completion_of_paths(tmp_path):
    (tmp_path / "logo-v1.png").write_bytes(b"1")
    (tmp_path / "logo-v2.png").write_bytes(b"2")
    (tmp_path / "drawings").mkdir()
    (tmp_path / ".hidden").write_bytes(b"")
    base = str(tmp_path)
    assert complete(base + "/lo") == base + "/logo-v"
    assert complete(base + "/logo-v1") == base + "/logo-v1.png"
    assert complete(base + "/dr") == base + "/drawings/"
    assert complete(base + "/zz") is None
    assert complete(base + "/") is None or not complete(base + "/").endswith(".hidden")


async def test_remove_asks_then_keeps_a_timeline_line(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("f", "enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot, 3)
        assert isinstance(app.screen, OrderDetailScreen)
        assert [v.name for v in app.screen.query_one(AttachmentTable).views] == ["logo.png"]
        assert "attachment: drawing.pdf (application/pdf" in screen_text(app)


async def test_editor_lists_attachments_on_its_own_tab(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        table = app.screen.query_one("#editor-attachments", AttachmentTable)
        assert app.focused is table
        assert [v.name for v in table.views] == ["drawing.pdf", "logo.png"]
        assert "logo.png" in screen_text(app) and "Special" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttachmentScreen)


async def test_hostile_names_are_inert_on_every_screen(database, tmp_path):
    orders.create_order(sample_order(NUMBER))
    paths = [write(tmp_path, name.replace("/", "_"), picture() if name.endswith(".png") else b"%d" % n)
             for n, name in enumerate(HOSTILE_NAMES)]
    attachments.attach_files(NUMBER, paths)
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        assert app.is_running  # [/] and [@click=…] did not crash it or become actions
        await pilot.press("f")
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]quit[_].png" in text and "[bold red]loud[_].pdf" in text, text
        assert "\x1b" not in text and "\u202e" not in text
        for n in range(len(HOSTILE_NAMES)):
            await pilot.press("f")
            app.screen.query_one(AttachmentTable).move_cursor(row=n)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AttachmentScreen) and app.is_running
            assert "\x1b" not in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)


def test_the_drawing_method_follows_the_terminal(monkeypatch, tmp_path):
    assert pictures.method({"TERM": "xterm-256color"}) == "halfcell"
    assert pictures.method({"TERM": "xterm-kitty"}) == "kitty"
    assert pictures.method({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"}) == "halfcell"
    assert pictures.method({"TERM": "foot"}) == "sixel"
    assert pictures.method({"TERM": "screen-256color"}) == "halfcell"
    path = tmp_path / "config" / "config.toml"
    path.write_text(path.read_text() + 'image_preview = "sixel"\n')
    from notedesk import config

    config.reload()
    assert pictures.method({"TERM": "xterm-256color"}) == "sixel"


def test_importing_the_picture_library_asks_the_terminal_nothing():
    """In a pseudo-terminal: textual-image, imported through tui.pictures, writes nothing to it."""
    import pty

    code = ("import sys, os; from notedesk.tui import pictures; pictures.widget_class('halfcell'); "
            "pictures.widget_class('sixel'); os.write(1, b'DONE')")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    out = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    proc.wait(timeout=60)
    os.close(leader)
    assert out == b"DONE", out
