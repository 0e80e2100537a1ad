"""The command palette (ctrl+p) in the interface language: Textual's, with its prompt and its
"No matches found" translated (Textual writes that one as a literal inside a private method)."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from notedesk.i18n import _


class Palette(CommandPalette):
    """Textual's palette. `_start_no_matches_countdown` is Textual 8.2's, with the one message
    translated (tests/tui/test_textual_private.py fails when Textual renames what it uses)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(placeholder=_("Type what you want to do…"), **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(_("No matches found"), style="not bold")), disabled=True,
                           id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
