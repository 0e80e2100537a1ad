"""StatusModal (pick an order's new status, the current one highlighted) and the one way every
screen changes a status: `ask_status` / `save_status`, over services.order_status."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from notedesk.domain import STATUSES
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import order_status
from notedesk.services.errors import Conflict
from notedesk.services.order_status import StatusChange
from notedesk.text import one_line
from notedesk.tui.safe import line, notify_plain
from notedesk.tui.service_calls import run_service
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


# --- the one way a screen changes a status ------------------------------------------------------


def ask_status(screen: Screen, number: str, shown: str, then: Callable[[], None]) -> None:
    """`s` on any screen: pick a new status for order `number` (showing `shown`) and save it."""

    def chosen(status: str | None) -> None:
        if status and status != shown:
            save_status(screen, number, status, shown, then)

    screen.app.push_screen(StatusModal(shown, number), callback=chosen)


def save_status(screen: Screen, number: str, status: str, shown: str, then: Callable[[], None]) -> None:
    """Save `status` by the one rule (services.order_status), chosen while the order showed `shown`.

    Another clerk changed the status meanwhile: both are shown and the clerk keeps theirs or takes
    the other's. `then()` once the order is as the clerk decided (to show it again)."""

    def saved(result: StatusChange) -> None:
        message = (_("{number}: status is now “{status}”.") if result.changed
                   else _("{number} is “{status}” already.")).format(number=number, status=status_label(status))
        notify_plain(screen.app, message)
        then()

    def failed(error: NotedeskError) -> None:
        if not isinstance(error, Conflict):
            notify_plain(screen.app, str(error), severity="error", timeout=10)
            return
        from notedesk.tui.screens.conflict import FieldConflictModal

        current = error.current
        who = _("{clerk} changed this order meanwhile.").format(clerk=one_line(current.changed_by))
        rows = [(_("Status"), status_label(current.status), status_label(status))]

        def answer(choice: str | None) -> None:
            if choice == "mine":
                save_status(screen, number, status, current.status, then)
            else:
                then()

        screen.app.push_screen(FieldConflictModal(_("Status changed by another clerk"), who, rows), callback=answer)

    run_service(screen, order_status.change_status, number, status, loaded_status=shown,
                done=saved, failed=failed, group="status-change")
