"""DeadlineFields: the deadline as the customer said it, parsed live, with the result shown under it.

The clerk types the customer's words ("12月1日上午9点至11点", "friday by 3pm"); every keystroke is
parsed with notedesk.deadlines relative to now in the business time zone and described
("→ Tue 2026-12-01, 09:00–11:00, in 5 days"), with what was not understood ("not understood:
国庆节": then the deadline is kept as text, unscheduled) and what to check ("more than six months
ahead: check the year"). An impossible date shows the reason and makes `value` raise, which blocks
saving. A stored deadline is shown as stored, not re-parsed: "明天" written yesterday meant
yesterday's tomorrow.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from notedesk import clock, deadlines, labels
from notedesk.i18n import _
from notedesk.services.types import Deadline
from notedesk.text import clean, one_line
from notedesk.tui.toasts import error_shown


def stored_words(deadline: Deadline) -> str:
    """What the input shows for a stored deadline: the clerk's words, else the date and window."""
    if deadline.text.strip():
        return one_line(deadline.text)
    if deadline.date is None:
        return ""
    window = deadlines.format_window(deadline.start, deadline.end).replace("–", "-")
    return f"{deadline.date.isoformat()} {window}".strip()


def preview(deadline: Deadline) -> str:
    """The one-line description of a deadline relative to now ('unscheduled' without a date)."""
    parsed = deadlines.ParsedDeadline(deadline.text, deadline.date, deadline.start, deadline.end)
    return labels.describe(parsed, clock.now(), clock.business_tz())


class DeadlineFields(Vertical):
    """Deadline input + live preview. `value` is the Deadline to save; `dirty` when it differs."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.loaded = Deadline()
        self._loaded_words = ""
        self._parsed: Deadline | None = Deadline()
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Deadline, as the customer said it")), classes="field-label")
        yield Input(placeholder=_("e.g. 12月1日上午9点至11点 / Dec 1 9-11am"), id="deadline-input",
                    compact=True)
        yield Static("", id="deadline-preview", classes="field-note")

    @property
    def input(self) -> Input:
        return self.query_one("#deadline-input", Input)

    def load(self, deadline: Deadline) -> None:
        """Show a stored deadline; it is what `dirty` compares against."""
        self.loaded = deadline
        self._loaded_words = stored_words(deadline)
        self._parsed = deadline
        self.error = None
        with self.input.prevent(Input.Changed):
            self.input.value = self._loaded_words
        self._show(preview(deadline), error=False)

    def set_base(self, deadline: Deadline) -> None:
        """What is stored now (another clerk's, seen by the clerk), without touching what is typed."""
        self.loaded = deadline
        self._loaded_words = stored_words(deadline)
        self.reparse()

    def saved(self, deadline: Deadline) -> None:
        """The save came back with `deadline` stored: shown as stored unless typed on meanwhile."""
        if self._parsed == deadline:
            self.load(deadline)
        else:
            self.set_base(deadline)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.reparse()

    def reparse(self) -> None:
        words = self.input.value
        if words == self._loaded_words:
            self._parsed, self.error = self.loaded, None
            self._show(preview(self.loaded), error=False)
            return
        if not words.strip():
            self._parsed, self.error = Deadline(), None
            self._show(_("no deadline"), error=False)
            return
        reference = clock.now().astimezone(clock.business_tz())
        try:
            parsed = deadlines.parse_deadline(words, reference)
        except deadlines.DeadlineError as exc:
            self._parsed, self.error = None, str(exc)
            self._show("✗ " + self.error, error=True)
            return
        self._parsed, self.error = Deadline(parsed.text, parsed.date, parsed.start, parsed.end), None
        remarks = labels.deadline_remarks(parsed)
        self._show(" · ".join([preview(self._parsed), *remarks]), error=False, warning=bool(remarks))

    def _show(self, message: str, *, error: bool, warning: bool = False) -> None:
        note = self.query_one("#deadline-preview", Static)
        note.update(Content(clean(message)))  # literal and cleaned: the error quotes the clerk's text
        note.set_class(error, "-error")
        note.set_class(warning and not error, "-warning")
        if error:
            error_shown(self)

    @property
    def dirty(self) -> bool:
        return self.input.value != self._loaded_words

    @property
    def value(self) -> Deadline:
        """The deadline to save. Raises deadlines.DeadlineError when the text is an impossible date."""
        if self._parsed is None:
            raise deadlines.DeadlineError(self.error or "impossible deadline")
        return self._parsed
