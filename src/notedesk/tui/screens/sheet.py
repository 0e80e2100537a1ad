"""SheetModal: the detail's `o` — a department's sheet of this order, saved to a file the clerk can fetch.

The desk runs on a server, so "print" means: write the sheet (services.sheets.save_sheet, the same
content and the same safe writing as `notedesk sheet … -o FILE`) where the clerk can download it or
send it to a printer. The clerk chooses the department (production sheet, delivery slip, finance
sheet), the format (html prints on A4 with Chinese text; md, txt) and the path, which starts as a
sensible name in the desk's current folder (the line under it shows the whole path) and follows the
choices until the clerk edits it. A file of that name is replaced whole (the dialog says so before);
the new file is readable by the clerk (and a shared folder's group) only, as every file the desk
writes. Dismisses with the path written, or None.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import sheets
from notedesk.text import one_line
from notedesk.tui.safe import line, notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.path_input import PathInput

FORMATS = ("html", "md", "txt")


def format_label(fmt: str) -> str:
    return {"html": _("html — prints on A4, Chinese included"), "md": _("md — Markdown text"),
            "txt": _("txt — plain text, a page per order")}[fmt]


class SheetModal(ModalScreen[Path | None]):
    """Save order `number`'s sheet for a department. Keys: ctrl+s (or enter in the path) saves, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, number: str, department: str = "production") -> None:
        super().__init__()
        self.number = number
        self.department = department if department in sheets.DEPARTMENTS else "production"
        self._default = ""  # the path this dialog proposed last: replaced as the choices change
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="sheet-box"):
            yield Static(line(_("Sheet of {number}").format(number=one_line(self.number))), classes="sheet-title")
            yield Static(Content(_("Sheet")), classes="field-label")
            yield Select([(sheets.department_title(d), d) for d in sheets.DEPARTMENTS], value=self.department,
                         allow_blank=False, compact=True, id="sheet-department")
            yield Static(Content(_("Format")), classes="field-label")
            yield Select([(format_label(f), f) for f in FORMATS], value="html", allow_blank=False, compact=True,
                         id="sheet-format")
            yield Static(Content(_("Save to (a path on this server)")), classes="field-label")
            yield PathInput(self._proposed(), id="sheet-path", compact=True)
            yield Static("", id="sheet-path-note", classes="field-note")
            with Horizontal(classes="sheet-buttons"):
                yield Button(Content(_("Save") + " (ctrl+s)"), id="sheet-save", variant="primary", compact=True)
                yield Button(Content(_("Cancel") + " (esc)"), id="sheet-cancel", compact=True)

    def on_mount(self) -> None:
        self._note()
        self.query_one("#sheet-department", Select).focus()

    @property
    def chosen(self) -> tuple[str, str]:
        """(department, format) as chosen now."""
        department = self.query_one("#sheet-department", Select).value
        fmt = self.query_one("#sheet-format", Select).value
        return str(department), str(fmt)

    def _proposed(self) -> str:
        department, fmt = (self.department, "html") if not self.is_mounted else self.chosen
        self._default = sheets.file_name(self.number, department, fmt)  # in the desk's current folder
        return self._default

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        path = self.query_one("#sheet-path", PathInput)
        if path.value == self._default:  # not edited by the clerk: it follows the choices
            path.value = self._proposed()
            path.cursor_position = len(path.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._note()

    def _note(self) -> None:
        """Where the file goes (a relative path is in the desk's current folder), and whether one is
        there already (saving replaces it)."""
        note = self.query_one("#sheet-path-note", Static)
        text = self.query_one("#sheet-path", PathInput).value.strip()
        target = Path(os.path.abspath(os.path.expanduser(text))) if text else None
        exists = target is not None and target.is_file()
        note.set_class(exists, "-warning")
        if target is None:
            note.update(Content(_("Type a path.")))
        elif target.is_dir():
            note.update(line(_("{name} is a folder: add a file name.").format(name=target)))
        elif exists:
            note.update(line(_("→ {path} (exists: saving replaces it)").format(path=target)))
        else:
            note.update(line(_("→ {path}").format(path=target)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sheet-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        if self._busy:
            return
        department, fmt = self.chosen
        self._busy = True
        run_service(self, sheets.save_sheet, self.query_one("#sheet-path", PathInput).value, department, fmt,
                    [self.number], done=self.dismiss, failed=self._failed, group="sheet-save")

    def _failed(self, error: NotedeskError) -> None:
        """Stays open with the reason, so the clerk can correct the path."""
        self._busy = False
        notify_plain(self.app, str(error), severity="error", timeout=10)
        self.query_one("#sheet-path", PathInput).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
