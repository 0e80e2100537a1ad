"""PostponeModal: `p` in the deadline view, change the deadline: asks the new one (read live as it is
typed), earlier or later, and the reason, then saves.

The new deadline is read relative to now with the same rule the service applies
(services.deadlines.parse_new_deadline: a date is required, an impossible or past one blocks
saving with the reason); the reason is required. Saving runs services.deadlines.change_deadline in a
thread worker and the modal stays open on an error, so nothing typed is lost: when another clerk
changed the order meanwhile it says what the deadline is now, and saving again changes it anyway.
Dismisses with the saved OrderDetail, or None on escape.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from notedesk import clock, labels
from notedesk import deadlines as grammar
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import deadlines
from notedesk.services.errors import Conflict, InvalidInput
from notedesk.services.types import DueItem, OrderDetail
from notedesk.text import one_line
from notedesk.tui.safe import line
from notedesk.tui.service_calls import run_service
from notedesk.tui.toasts import error_shown


def problem(exc: InvalidInput) -> str:
    """The message without the 'where: ' prefix (the dialog already says which field)."""
    return str(exc).removeprefix(f"{exc.where}: ") if exc.where else str(exc)


class PostponeModal(ModalScreen[OrderDetail | None]):
    """New deadline + reason for one order. Keys: ctrl+s save, escape cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save")),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, item: DueItem) -> None:
        super().__init__()
        self.item = item
        self.base_version = item.version
        self.parsed: grammar.ParsedDeadline | None = None
        self.saving = False

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical(classes="postpone-box"):
            yield Static(line(_("Change the deadline of {number} · {customer}").format(
                number=item.number, customer=one_line(item.customer, 24))), classes="postpone-title")
            now_words = labels.format_deadline(item.deadline, today=clock.local_now().date()) or _("none")
            yield Static(line(_("Deadline now: {when}").format(when=now_words)), classes="postpone-now")
            yield Static(Content(_("New deadline")), classes="field-label")
            yield Input(placeholder=_("e.g. 12月3日下午 / friday 9-11am / +2d"), id="postpone-deadline",
                        compact=True)
            yield Static("", id="postpone-preview", classes="field-note")
            yield Static(Content(_("Reason (goes into the timeline and the communication log)")),
                         classes="field-label")
            yield Input(placeholder=_("e.g. customer's warehouse closed"), id="postpone-reason", compact=True)
            yield Static("", id="postpone-error", classes="field-note -error")
            with Horizontal(classes="postpone-buttons"):
                yield Button(Content(_("Save")), id="postpone-save", variant="primary", compact=True)
                yield Button(Content(_("Cancel")), id="postpone-cancel", compact=True)

    def on_mount(self) -> None:
        self._preview()
        self.query_one("#postpone-deadline", Input).focus()

    # --- live reading -------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "postpone-deadline":
            self._preview()
        self._error("")

    def _preview(self) -> None:
        words = self.query_one("#postpone-deadline", Input).value
        note = self.query_one("#postpone-preview", Static)
        self.parsed = None
        if not words.strip():
            note.update(Content(_("Type the new deadline as the customer said it.")))
            note.set_class(False, "-error")
            return
        now = clock.now()
        try:
            self.parsed = deadlines.parse_new_deadline(words, now)
        except InvalidInput as exc:
            note.update(line("✗ " + problem(exc)))  # literal: the message quotes the clerk's text
            note.set_class(True, "-error")
            error_shown(self)
            return
        remarks = labels.deadline_remarks(self.parsed)  # "more than six months ahead: check the year"
        note.update(line(" · ".join([labels.describe(self.parsed, now, clock.business_tz()), *remarks])))
        note.set_class(False, "-error")
        note.set_class(bool(remarks), "-warning")

    def _error(self, message: str) -> None:
        box = self.query_one("#postpone-error", Static)
        box.update(line(message))  # always styled as an error; empty, it is none
        if message:
            error_shown(self)

    # --- saving -------------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "postpone-deadline" and self.parsed is not None:
            self.query_one("#postpone-reason", Input).focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "postpone-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        if self.saving:
            return
        words = self.query_one("#postpone-deadline", Input).value
        reason = self.query_one("#postpone-reason", Input).value
        self._preview()  # now moves: "today 17:00" may have become past since it was typed
        if self.parsed is None:
            self._error(_("Type a new deadline that can be read (see above)."))
            self.query_one("#postpone-deadline", Input).focus()
            return
        if not reason.strip():
            self._error(_("A reason is required."))
            self.query_one("#postpone-reason", Input).focus()
            return
        self.saving = True
        run_service(self, deadlines.change_deadline, self.item.number, words, reason, self.base_version,
                    done=self.dismiss, failed=self._failed, group="postpone-save", exclusive=True)

    def _failed(self, error: NotedeskError) -> None:
        self.saving = False
        if isinstance(error, Conflict):
            self._conflict(error)
        else:
            self._error(problem(error) if isinstance(error, InvalidInput) else str(error))

    def _conflict(self, exc: Conflict) -> None:
        current = exc.current
        if current is None:
            self._error(str(exc))
            return
        if current.status in ("delivered", "cancelled"):
            self._error(_("{clerk} marked this order {status} meanwhile.").format(
                clerk=one_line(current.changed_by), status=labels.status_label(current.status)))
            return
        self.base_version = current.version  # saving again changes the order as it is now
        self._error(_("{clerk} changed this order meanwhile; its deadline is now {when}. "
                      "Save again to change it anyway.").format(
            clerk=one_line(current.changed_by),
            when=labels.format_deadline(current.deadline, today=clock.local_now().date()) or _("none")))

    def unsaved_work(self) -> str:
        """What leaving now would lose, for the quit question ("" when nothing)."""
        typed = any(self.query_one(f"#postpone-{name}", Input).value.strip() for name in ("deadline", "reason"))
        return _("changing the deadline of {number}").format(number=one_line(self.item.number)) if typed else ""

    def action_cancel(self) -> None:
        """Escape: leaving with a new deadline or a reason typed asks first."""
        if not self.unsaved_work():
            self.dismiss(None)
            return
        from notedesk.tui.screens.message import ConfirmModal

        self.app.push_screen(ConfirmModal(_("Discard the new deadline and the reason?"), yes=_("Discard"),
                                          no=_("Keep editing")),
                             callback=lambda discard: discard and self.dismiss(None))
