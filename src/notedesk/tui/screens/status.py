"""StatusModal: pick an order's new status from the list, the current one highlighted."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from notedesk.domain import STATUSES
from notedesk.i18n import _
from notedesk.tui.safe import line
from notedesk.tui.widgets.order_cells import status_label


class StatusModal(ModalScreen[str | None]):
    """Dismisses with the chosen status (one of STATUSES), or None on escape."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, current: str, number: str = "") -> None:
        super().__init__()
        self.current = current
        self.number = number

    def compose(self) -> ComposeResult:
        title = _("New status for {number}").format(number=self.number) if self.number else _("New status")
        with Vertical(classes="status-box"):
            yield Static(line(title), classes="message-title")
            yield OptionList(
                *(Option(line(("● " if s == self.current else "  ") + status_label(s)), id=s) for s in STATUSES),
                id="status-options",
            )
            yield Static(line(_("enter chooses · escape cancels")), classes="status-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in STATUSES:
            options.highlighted = STATUSES.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
