"""FollowUpModal (a follow-up on an order: what, when, for whom) and SnoozeModal (move one to a new time).

When is read live as it is typed, by the rules of services.follow_ups (a window's start; a day
without a time at 09:00); left empty, it is read from the text itself ("周五下午回电确认颜色"). The
clerk is the one at the desk unless another login name is typed. Saving is one service call in a
worker; the modal stays open on an error, so nothing typed is lost. Dismisses with the FollowUpView,
or None on escape.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from notedesk.config import current_clerk
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import follow_ups
from notedesk.services.types import FollowUpView
from notedesk.text import one_line
from notedesk.tui.safe import line
from notedesk.tui.service_calls import run_service


class FollowUpModal(ModalScreen[FollowUpView | None]):
    """A new follow-up on `number`. Keys: ctrl+s save, escape cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="follow-up-box"):
            yield Static(line(_("Follow-up on {number}").format(number=self.number)), classes="log-title")
            yield Static(Content(_("What to do (a time in it is read: 周五下午回电确认颜色)")), classes="field-label")
            yield Input(placeholder=_("e.g. 周五下午回电确认颜色"), id="follow-up-text", compact=True)
            yield Static(Content(_("When (empty: read from the text)")), classes="field-label")
            yield Input(placeholder=_("e.g. 明天上午10点 / friday 3pm / in 2 days"), id="follow-up-when", compact=True)
            yield Static("", id="follow-up-preview", classes="field-note")
            yield Static(Content(_("For (a clerk's login name)")), classes="field-label")
            yield Input(value=one_line(current_clerk()), id="follow-up-clerk", compact=True)
            with Horizontal(classes="log-buttons"):
                yield Button(Content(_("Save") + " (ctrl+s)"), id="follow-up-save", variant="primary", compact=True)
                yield Button(Content(_("Cancel") + " (esc)"), id="follow-up-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#follow-up-text", Input).focus()

    def _when_text(self) -> str:
        when = self.query_one("#follow-up-when", Input).value
        return when if when.strip() else self.query_one("#follow-up-text", Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        words = self._when_text()
        preview = self.query_one("#follow-up-preview", Static)
        preview.update(line(follow_ups.preview(words)) if words.strip() else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "follow-up-save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        text = self.query_one("#follow-up-text", Input).value
        if not text.strip():
            self.query_one("#follow-up-preview", Static).update(Content(_("Write what to do first.")))
            return
        if self.saving:
            return
        self.saving = True
        when = self.query_one("#follow-up-when", Input).value.strip() or None
        clerk = self.query_one("#follow-up-clerk", Input).value.strip() or None
        run_service(self, follow_ups.add, self.number, text, due=when, clerk=clerk, done=self.dismiss,
                    failed=self._failed, group="follow-up-save")

    def _failed(self, error: NotedeskError) -> None:
        self.saving = False
        self.query_one("#follow-up-preview", Static).update(line(str(error)))

    def unsaved_work(self) -> str:
        """What leaving now would lose, for the quit question ("" when nothing)."""
        typed = self.query_one("#follow-up-text", Input).value.strip()
        return _("a follow-up on {number}").format(number=one_line(self.number)) if typed else ""

    def action_cancel(self) -> None:
        self.dismiss(None)


class SnoozeModal(ModalScreen[FollowUpView | None]):
    """A new time for follow-up `follow_up`: words like 明天上午 or a duration like 2h."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Snooze"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, follow_up: FollowUpView) -> None:
        super().__init__()
        self.follow_up = follow_up
        self.saving = False

    def compose(self) -> ComposeResult:
        f = self.follow_up
        with Vertical(classes="follow-up-box"):
            yield Static(line(_("Snooze: {text}").format(text=one_line(f.text, 50))), classes="log-title")
            yield Static(line(_("Due now: {when}").format(when=follow_ups.when_label(f.due_at))))
            yield Input(placeholder=_("e.g. 2h / 明天上午 / monday 10am"), id="snooze-until", compact=True)
            yield Static("", id="snooze-preview", classes="field-note")

    def on_mount(self) -> None:
        self.query_one("#snooze-until", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        words = event.value
        self.query_one("#snooze-preview", Static).update(
            line(follow_ups.preview(words, durations=True)) if words.strip() else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        until = self.query_one("#snooze-until", Input).value
        if not until.strip() or self.saving:
            return
        self.saving = True
        run_service(self, follow_ups.snooze, self.follow_up.id, until, done=self.dismiss, failed=self._failed,
                    group="follow-up-snooze")

    def _failed(self, error: NotedeskError) -> None:
        self.saving = False
        self.query_one("#snooze-preview", Static).update(line(str(error)))

    def action_cancel(self) -> None:
        self.dismiss(None)
