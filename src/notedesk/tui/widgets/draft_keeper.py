"""DraftKeeper: keeps the editor's unsaved notes as drafts, and offers them back when the notes are opened.

Invisible. A few seconds after typing stops it writes every note with unsaved text to the Draft
table (services.drafts, in a worker), so a dropped SSH session or a crash loses at most those
seconds (tui.hangup writes them at once on SIGHUP/SIGTERM). When the editor has loaded, `look()`
finds this clerk's drafts of the order and asks: restore, discard, or decide later; on restore it
posts `DraftKeeper.Restore` with each draft, which carries the version it was based on and that
version's text: what the editor needs to check the save and to merge if another clerk saved
meanwhile (docs/ARCHITECTURE.md, "Versions and conflicts").
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from notedesk.i18n import _
from notedesk.services import drafts
from notedesk.services.drafts import DraftView
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import ignore_failure, run_service
from notedesk.tui.widgets.choice_modal import ChoiceModal
from notedesk.tui.widgets.communication_log import local_time
from notedesk.tui.widgets.order_sections import note_title


class DraftKeeper(Widget):
    """`typed()` after each edit, `look()` once loaded, `discard()` when the clerk throws the text away."""

    DEFAULT_CSS = "DraftKeeper { display: none; }"
    DELAY_S = 3.0  # after the last keystroke

    class Restore(Message):
        """The clerk chose to restore: {kind: draft}."""

        def __init__(self, drafts: dict[str, DraftView]) -> None:
            super().__init__()
            self.drafts = drafts

    def __init__(self, number: str, unsaved: Callable[[], dict[str, tuple[str, int]]]) -> None:
        super().__init__()
        self.number = number
        self.unsaved = unsaved
        self._timer: Timer | None = None
        self._kept: set[str] = set()  # kinds with a draft written by this editor

    def typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.DELAY_S, self.flush)

    def flush(self) -> None:
        """Write the unsaved notes now; drafts of notes that are clean again are removed."""
        items = dict(self.unsaved())
        clean_again = self._kept - set(items)
        self._kept = set(items)
        if items or clean_again:
            self._write(items, clean_again)

    def _write(self, items: dict[str, tuple[str, int]], clean_again: set[str]) -> None:
        # A failure is left to the next pause in typing: a draft is a safety net, not the save.
        run_service(self, drafts.keep_drafts, self.number, items, clean_again, failed=ignore_failure,
                    group="drafts-write")

    def discard(self) -> None:
        """Forget this clerk's drafts of the order. Runs on the app: the editor is closing."""
        if self._timer is not None:
            self._timer.stop()
        run_service(self.app, drafts.discard_draft, self.number, failed=ignore_failure, group="drafts-discard")

    # --- offering drafts back ----------------------------------------------------------------

    def look(self) -> None:
        run_service(self, drafts.get_drafts, self.number, done=self._ask, failed=ignore_failure,
                    group="drafts-look", exclusive=True)

    def _ask(self, offers: dict[str, DraftView]) -> None:
        if not offers:
            return
        newest = max(draft.saved_at for draft in offers.values())
        question = _("Text you had not saved in {notes} was kept (last at {time}). Restore it?").format(
            notes=", ".join(note_title(kind) for kind in offers), time=local_time(newest))
        choices = [("restore", _("Restore"), "r"), ("discard", _("Discard it"), "d"),
                   ("later", _("Decide later"), "l")]

        def answer(choice: str | None) -> None:
            if choice == "restore":
                self._kept |= set(offers)
                self.post_message(self.Restore(offers))
            elif choice == "discard":
                self.discard()
                notify_plain(self.app, _("The kept text was discarded."))

        self.app.push_screen(ChoiceModal(question, choices, title=_("Unsaved text found")), callback=answer)
