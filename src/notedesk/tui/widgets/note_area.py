"""NoteArea: the TextArea for one note, which remembers the body and version it was loaded at.

The version is what a save is checked against (docs/ARCHITECTURE.md, "Versions and conflicts");
the loaded body tells whether the clerk has unsaved text; after a merge, the marker lines it wrote
go with the save, which is refused while any is left. Stored text is cleaned before the TextArea
gets it (TextArea passes escape sequences to the terminal: "Text is data").
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea

from notedesk.i18n import _
from notedesk.services.types import NoteView
from notedesk.text import clean


class NoteArea(TextArea):
    """A soft-wrapping plain-text editor for one note kind."""

    # Textual's TextArea has no keys for the start and end of the whole text; clerks expect them.
    BINDINGS = [
        Binding("ctrl+home", "document_start", _("Start of note"), show=False),
        Binding("ctrl+end", "document_end", _("End of note"), show=False),
        Binding("ctrl+shift+home", "document_start(True)", _("Select to start"), show=False),
        Binding("ctrl+shift+end", "document_end(True)", _("Select to end"), show=False),
    ]

    def __init__(self, kind: str, *, id: str | None = None, classes: str | None = None) -> None:
        # tab_behavior="focus": Tab leaves the editor, escape reaches the screen (close / ask).
        super().__init__("", soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         id=id, classes=classes)
        self.kind = kind
        self.loaded_body = ""
        self.base_version = 0
        self.markers: tuple[str, ...] = ()  # the conflict-marker lines of a merge being edited

    def load(self, note: NoteView) -> None:
        """Show the stored note; it is now the version a save is checked against."""
        self.set_base(clean(note.body), note.version)
        self.markers = ()
        self.load_text(self.loaded_body)

    def saved(self, note: NoteView) -> None:
        """The save came back: `note` is stored. Text typed since it left stays, unsaved."""
        self.set_base(note.body, note.version)
        self.markers = ()

    def set_base(self, body: str, version: int) -> None:
        """What the store holds (after a save, or as taken for a merge), without touching the text."""
        self.loaded_body = clean(body)
        self.base_version = version

    def replace_text(self, body: str, *, markers: tuple[str, ...] = ()) -> None:
        """Put `body` in the editor as unsaved text (a draft, a merge with its `markers`), keeping undo possible."""
        self.markers = markers
        self.replace(clean(body), (0, 0), self.document.end)

    def action_document_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_document_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)

    @property
    def dirty(self) -> bool:
        return self.text != self.loaded_body
