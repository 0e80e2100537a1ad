"""MessageModal (a problem told in one paragraph, with OK) and ConfirmModal (a yes/no question).

The message is shown literally (safe.content): an error can quote a clerk's text or a file name,
and neither may be read as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from notedesk.i18n import _
from notedesk.tui.safe import content, line


class MessageModal(ModalScreen[None]):
    """An error or notice the clerk must see; enter, escape or OK closes it."""

    BINDINGS = [
        Binding("escape", "close", _("Close")),
        Binding("enter", "close", _("OK"), show=False),
    ]

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__()
        self.message = message
        self.title_text = title or _("Notice")

    def compose(self) -> ComposeResult:
        with Vertical(classes="message-box"):
            yield Static(line(self.title_text), classes="message-title")
            yield Static(content(self.message), classes="message-text", id="message-text")
            with Horizontal(classes="message-buttons"):
                yield Button(_("OK"), variant="primary", id="message-ok")

    def on_mount(self) -> None:
        self.query_one("#message-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question; escape means no."""

    BINDINGS = [Binding("escape", "answer(False)", _("No"))]

    def __init__(self, question: str, *, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes or _("Yes"), no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(classes="message-box"):
            yield Static(content(self.question), classes="message-text")
            with Horizontal(classes="message-buttons"):
                yield Button(self.no, id="confirm-no")
                yield Button(self.yes, variant="warning", id="confirm-yes")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
