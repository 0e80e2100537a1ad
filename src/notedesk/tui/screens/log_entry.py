"""LogEntryModal: log one communication (channel, contact person, text) on an order while on the phone.

`ctrl+s` logs it (and the follow-up typed under it, in the same transaction: services.edits.save_edits)
in a worker; appends never conflict.
Escape with text typed asks before throwing it away.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import follow_ups
from notedesk.services.edits import EditsSaved, LogEntry, OrderEdits, save_edits
from notedesk.services.types import CommunicationView
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.choice_modal import ChoiceModal
from notedesk.tui.widgets.communication_log import CommunicationForm


class LogEntryModal(ModalScreen[CommunicationView | None]):
    """Dismisses with the logged entry, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "log", _("Log it"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, number: str, contact: str = "") -> None:
        super().__init__()
        self.number = number
        self.contact = contact
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="log-box"):
            yield Static(Content(_("Log a communication on {number}").format(number=one_line(self.number))),
                         classes="log-title")
            yield CommunicationForm(id="log-form")
            with Horizontal(classes="log-buttons"):
                yield Button(Content(_("Log it") + " (ctrl+s)"), id="log-save", variant="primary", compact=True)
                yield Button(Content(_("Cancel") + " (esc)"), id="log-cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        if self.contact:
            self.query_one("#comm-contact", Input).value = one_line(self.contact)
        self.query_one(CommunicationForm).text_area.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "log-save":
            self.action_log()
        else:
            self.dismiss(None)

    def action_log(self) -> None:
        form = self.query_one(CommunicationForm)
        if not form.has_entry:
            notify_plain(self.app, _("Write what was said first."), severity="warning")
            form.text_area.focus()
            return
        if not self._busy:
            self._busy = True
            edits = OrderEdits(log_entry=LogEntry(**form.values()), follow_up=form.follow_up())
            run_service(self, save_edits, self.number, edits, done=self._logged, failed=self._failed,
                        group="log-entry")

    def _logged(self, result: EditsSaved) -> None:
        if result.follow_up is not None:
            notify_plain(self.app, _("Follow-up for {clerk}: {when}").format(
                clerk=one_line(result.follow_up.clerk), when=follow_ups.when_label(result.follow_up.due_at)))
        self.dismiss(result.logged)

    def _failed(self, error: NotedeskError) -> None:
        self._busy = False
        notify_plain(self.app, str(error), severity="error", timeout=10)

    def unsaved_work(self) -> str:
        """What leaving now would lose, for the quit question ("" when nothing)."""
        has_text = self.query_one(CommunicationForm).has_text
        return _("a log entry on {number}").format(number=one_line(self.number)) if has_text else ""

    def action_cancel(self) -> None:
        if not self.query_one(CommunicationForm).has_text:
            self.dismiss(None)
            return
        choices = [("save", _("Log it"), "s"), ("discard", _("Discard"), "d"), ("cancel", _("Keep editing"), "c")]
        self.app.push_screen(ChoiceModal(_("This entry is not logged yet."), choices), callback=self._answer)

    def _answer(self, answer: str | None) -> None:
        if answer == "save":
            self.action_log()
        elif answer == "discard":
            self.dismiss(None)
