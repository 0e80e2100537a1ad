"""ChoiceModal: a question with a few answers, each a button and a one-letter key; escape cancels.

Used for "save / discard / cancel" when closing with unsaved text and "revert?" in the history.
The question and labels are shown as literal Content: a question may quote stored text.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from notedesk.i18n import _
from notedesk.text import clean

T = TypeVar("T")
BOX_WIDTH = 64  # the box's width unless its buttons need more (at most the screen's)


class ChoiceModal(ModalScreen, Generic[T]):
    """Dismisses with the chosen value, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, question: str, choices: list[tuple[T, str, str]], *, title: str = "") -> None:
        """`choices`: (value, label, key); the first is the default button."""
        super().__init__()
        self.question = question
        self.choices = choices
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="choice-box") as box:
            box.styles.width = max(BOX_WIDTH, self.buttons_width())  # every answer on screen, the last too
            if self.title_text:
                yield Static(Content(clean(self.title_text)), classes="choice-title")
            yield Static(Content(clean(self.question)), classes="choice-question")
            with Horizontal(classes="choice-buttons"):
                for n, (_value, label, key) in enumerate(self.choices):
                    yield Button(Content(f"{key} {label}"), id=f"choice-{n}", compact=True,
                                 variant="primary" if n == 0 else "default")

    def buttons_width(self) -> int:
        """Cells the buttons take in one row: a compact button is its label and a cell each side (at
        least 16), each after a margin of 2; the box adds its border and padding (2 each)."""
        return sum(max(cell_len(f"{key} {label}") + 2, 16) + 2 for _value, label, key in self.choices) + 4

    def on_mount(self) -> None:
        self.query_one("#choice-0", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        index = int((event.button.id or "choice-0").removeprefix("choice-"))
        self.dismiss(self.choices[index][0])

    def on_key(self, event: events.Key) -> None:
        for value, _label, key in self.choices:
            if event.key == key or event.character == key:
                event.stop()
                self.dismiss(value)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)
