"""Screen tests' shared pieces: the desk app opened straight on one screen, and waiting for it."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

import notedesk.tui.app as app_module
from notedesk.tui import input_patch, themes
from notedesk.tui.app import NotedeskApp


class Harness(NotedeskApp):
    """The desk app opened straight on one screen (the list screen is another test's business)."""

    CSS_PATH = str(Path(app_module.__file__).with_name("notedesk.tcss"))

    def __init__(self, make_screen) -> None:
        super().__init__("test")
        self.make_screen = make_screen
        self.notified: list[str] = []  # every toast's text, in order

    def notify(self, message, *args, **kwargs) -> None:
        self.notified.append(str(message))
        super().notify(message, *args, **kwargs)

    def get_default_screen(self) -> Screen:
        return Screen()  # a blank base, as Textual's own: not the order list

    def on_mount(self, event) -> None:
        event.prevent_default()  # Textual calls on_mount up the MRO: skip the app's live refresh and reminders
        self.theme = themes.install(self)  # as the desk: its theme, and no animation (Pilot waits out each one)
        input_patch.install()
        self.push_screen(self.make_screen())


def screen_strips(app) -> list:
    """The active screen as Textual paints it: one Strip (segments with styles) per line. The one
    place tests read Textual's private compositor (tests/tui/test_textual_private.py)."""
    return app.screen._compositor.render_strips()


def screen_text(app) -> str:
    """What the terminal shows of the active screen, as plain text lines."""
    return "\n".join(strip.text for strip in screen_strips(app))


def click_actions(app) -> list[str]:
    """The @click actions painted anywhere on the screen (stored text must never carry one)."""
    return [str(segment.style.meta) for strip in screen_strips(app) for segment in strip
            if segment.style is not None and "@click" in (segment.style.meta or {})]


async def settle(pilot, rounds: int = 2) -> None:
    """Let database workers finish and their results paint."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
