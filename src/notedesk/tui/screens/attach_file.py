"""AttachFileModal (a file on this server, by path, onto the order) and SaveFileModal (an attachment out to a path).

Both take a path with completion as the clerk types (widgets.path_input), do their work through
run_service and services.attachments, and stay open with the one-line reason when it fails, so the
clerk can correct the path. The desk runs on a server: "open" a PDF means save it where the clerk
can fetch it.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, Static

from notedesk import labels, safe_output
from notedesk.domain import NOTE_KINDS
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import attachments
from notedesk.services.types import AttachmentView
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.attachment_table import kind_label
from notedesk.tui.widgets.path_input import PathInput


class _PathModal(ModalScreen):
    """A title, a path field with completion, maybe more fields, and OK / Cancel."""

    BINDINGS = [
        Binding("ctrl+s", "ok", _("OK"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]
    OK_LABEL = ""

    def __init__(self, number: str, title: str, path: str = "") -> None:
        super().__init__()
        self.number = number
        self.title_text = title
        self.start_path = path
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="path-box"):
            yield Static(Content(self.title_text), classes="path-title")
            yield PathInput(self.start_path, id="path", placeholder=_("a path on this server"))
            yield Static(Content(_("→ completes the name; enter or ctrl+s to go on")), classes="path-hint")
            yield from self.more_fields()
            with Horizontal(classes="path-buttons"):
                yield Button(Content(self.OK_LABEL + " (ctrl+s)"), id="path-ok", variant="primary", compact=True)
                yield Button(Content(_("Cancel") + " (esc)"), id="path-cancel", compact=True)
        yield Footer()

    def more_fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one(PathInput).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_ok()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "path-ok":
            self.action_ok()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_ok(self) -> None:
        path = self.query_one(PathInput).value.strip()
        if not path:
            notify_plain(self.app, _("Type a path first."), severity="warning")
            return
        if not self._busy:
            self._busy = True
            self.act_on(Path(os.path.expanduser(path)))

    def act_on(self, path: Path) -> None:
        raise NotImplementedError

    def failed(self, error: NotedeskError) -> None:
        self._busy = False
        notify_plain(self.app, str(error), severity="error", timeout=10)


class AttachFileModal(_PathModal):
    """Attach one file to `number`; dismisses with its AttachmentView, or None when cancelled."""

    OK_LABEL = _("Attach")

    def __init__(self, number: str, kind: str = "") -> None:
        super().__init__(number, _("Attach a file to {number}").format(number=one_line(number)),
                         str(Path.home()) + "/")
        self.kind = kind if kind in NOTE_KINDS else ""

    def more_fields(self) -> ComposeResult:
        options = [(kind_label(""), "")] + [(kind_label(k), k) for k in NOTE_KINDS]
        yield Select(options, value=self.kind, allow_blank=False, id="attach-kind", compact=True)

    def act_on(self, path: Path) -> None:
        self._attach_file(path, self.query_one("#attach-kind", Select).value or "")

    def _attach_file(self, path: Path, kind: str) -> None:
        run_service(self, attachments.attach_files, self.number, [str(path)], kind=kind or None,
                    done=lambda views: self.dismiss(views[0]), failed=self.failed)


class SaveFileModal(_PathModal):
    """Save attachment `view` of `number` to a new file; dismisses with the path, or None when cancelled."""

    OK_LABEL = _("Save")

    def __init__(self, number: str, view: AttachmentView) -> None:
        super().__init__(number, _("Save {name} to").format(name=one_line(view.name)),
                         str(Path.home() / view.name.replace("/", "_")))
        self.view = view

    def act_on(self, path: Path) -> None:
        self._save_file(path)

    def _save_file(self, path: Path) -> None:
        run_service(self, _save, self.number, self.view.name, path, done=lambda _view: self.dismiss(str(path)),
                    failed=self.failed)


def _save(number: str, name: str, path: Path) -> AttachmentView:
    """The attachment written to the new file `path` (in a worker). Raises NotedeskError."""
    if path.exists() and path.is_file():
        raise NotedeskError(_("{file} exists already: give another name").format(file=path))
    try:
        with safe_output.output(path, binary=True) as out:
            return attachments.save_to(number, name, out.write)
    except OSError as exc:
        raise NotedeskError(labels.labelled(str(path), labels.os_problem(exc))) from None
