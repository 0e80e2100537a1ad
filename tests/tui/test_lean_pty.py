"""What the real desk writes to its terminal once it has settled (issue 21): nothing, unless something
on the screen changed, and then only the cells that changed.

The desk runs in a pseudo-terminal (tests/tui/pty_desk.py), every byte kept. A subclass of the desk
polls its reminders every 0.2 s instead of every 30 s and counts the polls in a file, so the test can
wait for polls to have happened instead of sleeping.
"""

from __future__ import annotations

import re
import sys
import textwrap
import time
from pathlib import Path

import pyte
import pytest
from pty_desk import DeskInPty

from conftest import sample_order
from notedesk.services import communications, orders

NUMBER = "SO-2026-00042"

FAST_POLLS_APP = textwrap.dedent('''
    """The desk, its reminders polled every 0.2 s, each poll counted in the file argv[2]."""
    import sys
    from pathlib import Path

    from notedesk.store.connection import open_database
    from notedesk.tui.app import NotedeskApp


    class FastPolls(NotedeskApp):
        # Textual looks for the stylesheet beside the class's own module: point at the desk's
        CSS_PATH = str(Path(sys.modules[NotedeskApp.__module__].__file__).with_name(NotedeskApp.CSS_PATH))
        REMINDER_S = 0.2
        FIRST_REMINDER_S = 0.2

        def _show_reminders(self, messages):
            super()._show_reminders(messages)
            with open(sys.argv[2], "a") as polls:
                polls.write("poll\\n")


    open_database(sys.argv[1])
    FastPolls(sys.argv[1]).run()
''')


@pytest.fixture
def fast_desk(database, db_url, tmp_path):
    orders.create_order(sample_order())
    script, polls = tmp_path / "fast_polls.py", tmp_path / "polls.txt"
    script.write_text(FAST_POLLS_APP)
    desk = DeskInPty(db_url.removeprefix("sqlite:///"), str(polls), size=(80, 24),
                     command=[sys.executable, str(script)])
    desk.wait_for(NUMBER, "? Help", timeout=30)
    yield desk, polls
    desk.kill()


def _polls(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _wait(condition, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.05)


def _quiet(desk: DeskInPty, seconds: float = 0.6, timeout: float = 20.0) -> None:
    """Until the desk has written nothing for `seconds` (its first screens and the first poll's header)."""
    deadline = time.monotonic() + timeout
    size, since = len(desk.raw()), time.monotonic()
    while time.monotonic() - since < seconds:
        if time.monotonic() > deadline:
            raise AssertionError(f"the desk never went quiet:\n{desk.tail()}")
        time.sleep(0.05)
        if len(desk.raw()) != size:
            size, since = len(desk.raw()), time.monotonic()


def test_a_poll_with_nothing_new_writes_nothing(fast_desk):
    """Reminder polls (and the live refresh's polls meanwhile) that find nothing new send no byte."""
    desk, polls = fast_desk
    _wait(lambda: _polls(polls) >= 2, "two reminder polls")
    _quiet(desk)
    before, polled = len(desk.raw()), _polls(polls)
    _wait(lambda: _polls(polls) >= polled + 5, "five more reminder polls")
    assert desk.raw()[before:] == b""


def test_a_change_elsewhere_sends_only_what_it_changes_on_screen(fast_desk, database):
    """Another clerk logs a call: the list reloads (the order moves, its row changes), but the lines
    that stay the same are not sent again: far less than one screen."""
    desk, polls = fast_desk
    _wait(lambda: _polls(polls) >= 2, "two reminder polls")
    _quiet(desk)
    before = len(desk.raw())
    screen = desk.screen_text()
    communications.log_communication(NUMBER, "called back", clerk="wang")
    _quiet(desk, seconds=1.5)  # the live refresh notices within a second or two
    sent = desk.raw()[before:]
    assert len(sent) < 2000, f"{len(sent)} bytes for a change of one row:\n{sent!r}"
    assert desk.screen_text().splitlines()[0] == screen.splitlines()[0]  # the header stays as it was


TOAST_APP = textwrap.dedent('''
    """The desk with a toast up from the start (a minute long)."""
    import sys
    from pathlib import Path

    from notedesk.store.connection import open_database
    from notedesk.tui.app import NotedeskApp


    class ToastUp(NotedeskApp):
        CSS_PATH = str(Path(sys.modules[NotedeskApp.__module__].__file__).with_name(NotedeskApp.CSS_PATH))

        def on_mount(self):
            self.notify("TOAST-UP", timeout=60)


    open_database(sys.argv[1])
    ToastUp(sys.argv[1]).run()
''')


def test_a_toast_up_stays_on_screen_while_an_order_opens(database, db_url, tmp_path):
    """Toasts belong to a screen, and Textual gives a screen that comes on top its toasts a frame or
    two after its first: each row under a toast was written without it, then again with it (a toast
    that vanished and came back, twice the bytes). The desk holds those frames until the toasts are
    laid out: replayed write by write, the toast never leaves the terminal."""
    orders.create_order(sample_order())
    script = tmp_path / "toast_up.py"
    script.write_text(TOAST_APP)
    desk = DeskInPty(db_url.removeprefix("sqlite:///"), size=(80, 24), command=[sys.executable, str(script)])
    try:
        desk.wait_for(NUMBER, "TOAST-UP", timeout=30)
        _quiet(desk)
        before = len(desk.raw())
        desk.press("enter")
        desk.wait_for("changed by", timeout=20)  # the detail's header, once the order is read
        _quiet(desk)
        screen = pyte.Screen(80, 24)
        stream = pyte.ByteStream(screen)
        stream.feed(desk.raw()[:before])
        assert "TOAST-UP" in "\n".join(screen.display)
        for piece in re.split(rb"(?=\x1b\[\d+;\d+H)", desk.raw()[before:]):
            stream.feed(piece)
            assert "TOAST-UP" in "\n".join(screen.display), f"the toast went off the screen at {piece!r}"
    finally:
        desk.kill()
