"""AttachmentScreen: one attachment's facts, and the picture itself when it is one; save it out, remove it.

A picture is read (services.attachments.read_bytes), decoded and scaled (tui.pictures.thumbnail)
through run_service, then drawn by textual-image: half blocks, or kitty/sixel where the terminal has them. The
terminal only ever gets the pixels drawn, never bytes of the file. Anything else (a PDF, a drawing
file) shows its facts; `s` saves it to a path on the server where the clerk can fetch it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import attachments
from notedesk.services.attachment_files import PICTURES, size_text
from notedesk.services.types import AttachmentView
from notedesk.text import one_line
from notedesk.tui import pictures
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.attachment_table import kind_label
from notedesk.tui.widgets.choice_modal import ChoiceModal
from notedesk.tui.widgets.communication_log import local_time


def _picture(number: str, name: str):
    """(widget class, decoded thumbnail) of a picture attachment, in a worker. Raises NotedeskError."""
    _view, data = attachments.read_bytes(number, name)
    try:
        return pictures.widget_class(), pictures.thumbnail(data)
    except ValueError as exc:
        raise NotedeskError(str(exc)) from None


def facts_text(number: str, view: AttachmentView) -> Content:
    """Name, type, size, note, who and when, sha256: every stored string one cleaned line."""
    rows = [(_("File"), one_line(view.name)), (_("Type"), one_line(view.type)),
            (_("Size"), f"{size_text(view.size)} ({view.size:,} B)"),
            (_("Note"), kind_label(view.kind)), (_("Attached by"), f"{one_line(view.clerk)}, {local_time(view.at)}"),
            ("SHA-256", view.sha256), (_("Order"), one_line(number))]
    width = max(len(label) for label, _value in rows)
    return Content("\n".join(f"{label.ljust(width)}  {value}" for label, value in rows))


class AttachmentScreen(Screen[bool]):
    """Dismisses with True when the attachment was removed."""

    BINDINGS = [
        Binding("s", "save", _("Save to…")),
        Binding("x", "remove", _("Remove")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self, number: str, view: AttachmentView) -> None:
        super().__init__()
        self.number = number
        self.view = view

    @property
    def is_picture(self) -> bool:
        return self.view.type in PICTURES

    def compose(self) -> ComposeResult:
        yield Static(Content(f"{one_line(self.number)} · {one_line(self.view.name)}"), id="attachment-title")
        with Vertical(id="attachment-body"):
            if self.is_picture:
                yield Center(id="attachment-picture")
                yield Static(Content(f"{one_line(self.view.type)} · {size_text(self.view.size)} · "
                                     f"{one_line(self.view.clerk)}, {local_time(self.view.at)}"),
                             id="attachment-caption")
            else:
                yield Static(facts_text(self.number, self.view), id="attachment-facts")
                yield Static(Content(_("No preview for this type. s saves it to a path on this server, "
                                       "where you can fetch it.")), id="attachment-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.is_picture:
            self.query_one("#attachment-body").loading = True
            run_service(self, _picture, self.number, self.view.name, done=self._show, failed=self._no_picture,
                        group="attachment-preview", exclusive=True)

    def _show(self, found) -> None:
        widget_class, picture = found
        self.query_one("#attachment-body").loading = False
        self.query_one("#attachment-picture").mount(widget_class(picture, id="attachment-image"))

    def _no_picture(self, error: NotedeskError) -> None:
        body = self.query_one("#attachment-body")
        body.loading = False
        body.mount(Static(Content(_("Cannot show this picture: {why}").format(why=one_line(str(error), 200))),
                          id="attachment-hint"), before=0)

    def action_back(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        from notedesk.tui.screens.attach_file import SaveFileModal

        self.app.push_screen(SaveFileModal(self.number, self.view), callback=self._saved)

    def _saved(self, path: str | None) -> None:
        if path:
            notify_plain(self.app, _("Saved to {file}").format(file=path))

    def action_remove(self) -> None:
        question = _("Remove {name} from {number}? The timeline keeps a line saying who removed it.").format(
            name=one_line(self.view.name), number=one_line(self.number))
        choices = [("remove", _("Remove"), "r"), ("cancel", _("Cancel"), "c")]
        self.app.push_screen(ChoiceModal(question, choices), callback=self._remove_answer)

    def _remove_answer(self, answer: str | None) -> None:
        if answer == "remove":
            self._remove_attachment()

    def _remove_attachment(self) -> None:
        run_service(self, attachments.remove_attachment, self.number, self.view.name, done=self._removed)

    def _removed(self, view: AttachmentView) -> None:
        notify_plain(self.app, _("Removed {name}.").format(name=one_line(view.name)))
        self.dismiss(True)
