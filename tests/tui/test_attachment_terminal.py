"""A picture previewed by the real `notedesk` in real terminals: tmux at 80x24 (half blocks, read back with
capture-pane) and a bare pseudo-terminal whose every byte is kept (never a byte of the file, no graphics
protocol sequences where half blocks were chosen)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from pty_desk import DeskInPty

from attachment_files import picture, write
from conftest import sample_order
from notedesk.services import attachments, orders
from notedesk.store.connection import close_database, open_database

NUMBER = "SO-2026-00042"
SGR = re.compile(r"\x1b\[([0-9;]*)m|(.)", re.S)


@pytest.fixture
def desk(tmp_path):
    path = tmp_path / "desk.db"
    open_database(str(path))
    orders.create_order(sample_order(NUMBER))
    attachments.attach_files(NUMBER, [write(tmp_path, "logo.png", picture("PNG", (120, 80))),
                                      write(tmp_path, "photo.jpg", picture("JPEG", (120, 80)))])
    close_database()
    return path


def half_blocks(pane: str) -> dict[tuple[int, int], tuple[tuple, tuple]]:
    """(column, row) -> (top colour, bottom colour) of every ▀ in a `capture-pane -e` dump (truecolor)."""
    cells = {}
    for y, line in enumerate(pane.split("\n")):
        fg = bg = None
        x = 0
        for m in SGR.finditer(line):
            if m.group(1) is not None:
                params = [int(p) if p else 0 for p in m.group(1).split(";")]
                i = 0
                while i < len(params):
                    if params[i] == 0:
                        fg = bg = None
                    elif params[i] in (38, 48) and params[i + 1:i + 2] == [2]:
                        colour = tuple(params[i + 2:i + 5])
                        fg, bg = (colour, bg) if params[i] == 38 else (fg, colour)
                        i += 4
                    i += 1
                continue
            if m.group(2) == "▀":
                cells[(x, y)] = (fg, bg)
            x += 1
    return cells


def near(colour, target, slack: int = 60) -> bool:
    return colour is not None and all(abs(a - b) <= slack for a, b in zip(colour, target))


class Tmux:
    def __init__(self, env: dict, size=(80, 24)):
        self.name = f"attach-test-{uuid.uuid4().hex[:8]}"
        self.env = env
        command = " ".join([sys.executable, "-m", "notedesk"])
        subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", self.name, "-x", str(size[0]),
                        "-y", str(size[1]), command], env=env, check=True)

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], env=self.env, check=True)

    def pane(self, escapes: bool = False) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.name],
                              env=self.env, capture_output=True, text=True, check=True).stdout

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pane = self.pane()
            if text in pane:
                return pane
            time.sleep(0.1)  # polling the pane for a condition, not a fixed wait
        raise AssertionError(f"{text!r} never appeared:\n{self.pane()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], env=self.env, capture_output=True)


@pytest.mark.parametrize("name, kind", [("logo.png", "image/png"), ("photo.jpg", "image/jpeg")])
def test_tmux_80x24_shows_a_recognisable_picture_in_half_blocks(desk, tmp_path, name, kind):
    assert shutil.which("tmux"), "tmux is needed: apt-get install tmux (.ci/run installs it)"
    env = {**os.environ, "NOTEDESK_DB": str(desk), "TERM": "xterm-256color", "TMUX_TMPDIR": str(tmp_path),
           "COLORTERM": "truecolor"}
    env.pop("TMUX", None)
    tmux = Tmux(env)
    try:
        tmux.wait_for(NUMBER)
        tmux.keys("Enter")
        tmux.wait_for("f Files")
        tmux.keys("f")
        tmux.wait_for("logo.png")
        if name == "photo.jpg":
            tmux.keys("Down")
        tmux.keys("Enter")
        tmux.wait_for(f"{kind} · ")  # the preview's caption (the timeline says "({kind}, …)")
        tmux.wait_for("▀" * 40)  # the picture, decoded in a worker
        pane = tmux.pane(escapes=True)
        cells = half_blocks(pane)
        assert len(cells) > 200, tmux.pane()
        rows = [y for y in sorted({y for _, y in cells}) if sum(1 for _, cy in cells if cy == y) > 30]
        cells = {xy: c for xy, c in cells.items() if xy[1] in rows}  # the picture, not a stray ▀ of the frame
        xs = sorted({x for x, _ in cells})
        ys = rows
        red, blue, white = (255, 0, 0), (0, 0, 255), (255, 255, 255)
        assert near(cells[(xs[2], ys[1])][0], red)  # the red square, top left
        assert near(cells[(xs[-3], ys[1])][0], white)  # white to its right
        assert near(cells[(xs[len(xs) // 2], ys[-1])][1], blue)  # the blue bar along the bottom
        tmux.keys("Escape")
        tmux.wait_for("f Files")
        tmux.keys("C-q")
    finally:
        tmux.close()


def test_a_preview_writes_no_byte_of_the_file_and_no_graphics_protocol(desk, tmp_path):
    png = picture("PNG", (120, 80))
    desk_in_pty = DeskInPty("--db", str(desk), size=(80, 24), env={"TMUX": "/tmp/tmux-0/default,1,0"})
    try:
        desk_in_pty.wait_for(NUMBER, timeout=30)
        desk_in_pty.press("enter")
        desk_in_pty.wait_for("f Files", timeout=30)
        desk_in_pty.type("f")
        desk_in_pty.wait_for("logo.png", timeout=30)
        desk_in_pty.press("enter")
        desk_in_pty.wait_for("image/png · ", timeout=30)
        desk_in_pty.wait_for("▀" * 40, timeout=30)
        raw = desk_in_pty.raw()
    finally:
        desk_in_pty.kill()
    assert b"\x1b_G" not in raw  # no kitty graphics (APC)
    assert b"\x1bP" not in raw  # no sixel (DCS)
    idat = png.index(b"IDAT")
    for piece in (png[:8], png[idat:idat + 16], png[-12:]):  # signature, compressed pixels, IEND
        assert piece not in raw
