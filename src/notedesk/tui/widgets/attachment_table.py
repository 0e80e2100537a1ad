"""AttachmentTable: an order's attachments, one row each (name, note, size, who, when); `enter` chooses one.

Takes AttachmentViews (no content: services.attachments reads that when a preview asks) and posts
`AttachmentTable.Chosen` upward. Every cell is literal Text from the safe helpers: a file's name may
hold markup or escape sequences.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import DataTable

from notedesk.i18n import _
from notedesk.labels import note_kind_label
from notedesk.services.attachment_files import size_text
from notedesk.services.types import AttachmentView
from notedesk.tui.safe import cell
from notedesk.tui.widgets.communication_log import local_time

NAME_WIDTH = 28


def kind_label(kind: str) -> str:
    return note_kind_label(kind) if kind else _("Order")


class AttachmentTable(DataTable):
    """The rows of `show(views)`; enter posts Chosen with the view under the cursor."""

    @dataclass
    class Chosen(Message):
        view: AttachmentView

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.views: list[AttachmentView] = []

    def on_mount(self) -> None:
        for label in (_("File"), _("Note"), _("Size"), _("By"), _("When")):
            self.add_column(cell(label))

    def show(self, views: tuple[AttachmentView, ...] | list[AttachmentView]) -> None:
        """Replace the rows (the cursor stays on the same file when it is still there)."""
        views = list(views)
        if views == self.views:
            return
        chosen = self.views[self.cursor_row].id if self.views and 0 <= self.cursor_row < len(self.views) else None
        self.views = views
        self.clear()
        for v in views:
            self.add_row(cell(v.name, NAME_WIDTH), cell(kind_label(v.kind)), cell(size_text(v.size)),
                         cell(v.clerk, 12), cell(local_time(v.at)), key=str(v.id))
        ids = [v.id for v in views]
        if chosen in ids:
            self.move_cursor(row=ids.index(chosen))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.views):
            self.post_message(self.Chosen(self.views[event.cursor_row]))
