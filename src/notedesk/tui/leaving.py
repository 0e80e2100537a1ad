"""Leaving the desk with unsaved text asks first: ctrl+q (anywhere) and q (on the list) alike.

Screens that hold typed text say what is unsaved through `unsaved_work() -> str` ("" when nothing):
the note editor, the new-order form, the log-entry and postpone dialogs. The question lists it;
quitting keeps every open editor's unsaved notes as drafts (offered back when the notes are opened
again, as after a hang-up), and says that the rest is thrown away. A second ctrl+q while the
question is open quits, like answering it.
"""

from __future__ import annotations

from textual.app import App

from notedesk.i18n import _
from notedesk.services import drafts
from notedesk.tui import hangup
from notedesk.tui.live import open_screens
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.choice_modal import ChoiceModal


class QuitQuestion(ChoiceModal[str]):
    """'Not saved yet: …. Quit anyway?'"""


def unsaved_work(app: App) -> list[str]:
    """What every open screen has typed and not saved, one phrase each."""
    found = []
    for screen in open_screens(app):
        describe = getattr(screen, "unsaved_work", None)
        if callable(describe) and (what := describe()):
            found.append(what)
    return found


def quit_asking(app: App) -> None:
    """Quit, asking first when anything typed is not saved."""
    if isinstance(app.screen, QuitQuestion):  # ctrl+q again: that is the answer
        app.screen.dismiss("quit")
        return
    unsaved = unsaved_work(app)
    if not unsaved:
        app.exit()
        return
    notes = hangup.unsaved(app)
    question = _("Not saved yet: {what}.").format(what="; ".join(unsaved))
    if any(kinds for _number, kinds in notes):
        question += " " + _("Unsaved notes are kept as drafts and offered back when you open them again.")

    def answer(choice: str | None) -> None:
        if choice != "quit":
            return
        if any(kinds for _number, kinds in notes):
            run_service(app, drafts.save_open_work, hangup.unsaved(app), done=lambda _kept: app.exit(),
                        failed=lambda error: app.exit(message=_("Drafts not kept: {error}").format(error=error)),
                        group="quit")
        else:
            app.exit()

    choices = [("stay", _("Keep editing"), "k"), ("quit", _("Quit"), "q")]
    app.push_screen(QuitQuestion(question, choices, title=_("Quit the desk?")), callback=answer)
