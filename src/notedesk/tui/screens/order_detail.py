"""OrderDetailScreen: everything on one order, read-only, with the keys that change it.

Header, the customer's standing preferences (they apply to every order, so they stand out),
lines, deadline and payment, the four notes, the communication log newest first, and the
timeline. `reload()` re-reads the order in a worker and updates the parts in place, so the
clerk's scroll position survives a live refresh.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Static

from notedesk.domain import NOTE_KINDS
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import orders
from notedesk.services.errors import Conflict
from notedesk.services.types import OrderDetail
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.screens.status import StatusModal
from notedesk.tui.widgets import order_sections as sections
from notedesk.tui.widgets.communication_log import entries_text


def _section(title: str, body_id: str, classes: str = "") -> ComposeResult:
    with Vertical(classes=f"detail-section {classes}".strip()):
        yield Static(Content(title), classes="section-title")
        yield Static(id=body_id, classes="section-body")


class OrderDetailScreen(Screen):
    """One order, read-only. Keys: e edit notes, l log, s status, h history, escape back."""

    BINDINGS = [
        Binding("e", "edit", _("Edit notes")),
        Binding("l", "log", _("Log call")),
        Binding("s", "status", _("Status")),
        Binding("h", "history", _("History")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.detail: OrderDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(one_line(self.number)), id="detail-header")
        yield Static("", id="detail-presence")
        with VerticalScroll(id="detail-body"):
            yield from _section(_("Customer's standing preferences — apply to every order"),
                                "detail-preferences", "-preferences")
            yield from _section(_("Lines"), "detail-lines")
            with Horizontal(classes="detail-pair"):
                yield from _section(_("Delivery deadline"), "detail-deadline")
                yield from _section(_("Payment terms"), "detail-payment")
            for kind in NOTE_KINDS:
                yield from _section(sections.note_title(kind), f"detail-note-{kind}", "-note")
            yield from _section(_("Communication log (newest first)"), "detail-communications")
            yield from _section(_("Timeline"), "detail-timeline")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.query_one("#detail-body").loading = True
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the order and update every part in place (the scroll position stays)."""
        self._load()

    @work(thread=True, exclusive=True, group="order-detail-load")
    def _load(self) -> None:
        try:
            detail = orders.get_order(self.number)
        except NotedeskError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, detail)

    def _failed(self, message: str) -> None:
        notify_plain(self.app, message, severity="error", timeout=10)
        if self.detail is None and self.is_current:
            self.dismiss()

    def _show(self, detail: OrderDetail) -> None:
        try:
            self.detail = detail
            self._put("#detail-header", sections.header(detail))
            self._put("#detail-preferences", sections.preferences(detail))
            self._put("#detail-lines", sections.lines_table(detail))
            self._put("#detail-deadline", sections.deadline_text(detail.deadline))
            self._put("#detail-payment", sections.payment_text(detail.payment, detail.currency))
            for kind in NOTE_KINDS:
                self._put(f"#detail-note-{kind}", sections.note_text(detail.notes.get(kind)))
            self._put("#detail-communications", entries_text(detail.communications))
            self._put("#detail-timeline", sections.timeline(detail))
            self.query_one("#detail-body").loading = False
        except NoMatches:  # the screen was closed while the worker ran
            return

    def show_presence(self, editors) -> None:
        """Other clerks with this order's notes open (called by the live refresh; empty: nobody)."""
        from notedesk.tui.live import presence_text

        line = self.query_one("#detail-presence", Static)
        line.update(Content("✎ " + one_line(presence_text(editors))) if editors else "")
        line.display = bool(editors)

    def _put(self, selector: str, renderable) -> None:
        self.query_one(selector, Static).update(renderable)

    # --- actions ------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        from notedesk.tui.screens.note_editor import NoteEditorScreen

        self.app.push_screen(NoteEditorScreen(self.number), callback=lambda _saved: self.reload())

    def action_log(self) -> None:
        from notedesk.tui.screens.log_entry import LogEntryModal

        contact = ""
        if self.detail is not None:
            contact = next((c.contact for c in self.detail.communications if c.contact), self.detail.customer.name)
        self.app.push_screen(LogEntryModal(self.number, contact), callback=self._logged)

    def _logged(self, entry) -> None:
        if entry is not None:
            notify_plain(self.app, _("Logged."))
            self.reload()

    def action_history(self) -> None:
        from notedesk.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.number, "requirements"), callback=lambda _r: self.reload())

    def action_status(self) -> None:
        if self.detail is None:
            return
        loaded = self.detail
        self.app.push_screen(StatusModal(loaded.status, loaded.number),
                             callback=lambda status: status and self._set_status(status, loaded))

    def _set_status(self, status: str, loaded: OrderDetail) -> None:
        if status != loaded.status:
            self._save_status(status, loaded.version, loaded.status)

    @work(thread=True, group="order-detail-status")
    def _save_status(self, status: str, base_version: int, loaded_status: str) -> None:
        try:
            try:
                orders.set_status(self.number, status, base_version=base_version)
            except Conflict as exc:
                if exc.current.status != loaded_status:  # they changed the status itself: ask
                    self.app.call_from_thread(self._status_conflict, exc.current, status)
                    return
                orders.set_status(self.number, status, base_version=exc.current.version)
        except NotedeskError as exc:
            self.app.call_from_thread(notify_plain, self.app, str(exc), severity="error")
            return
        self.app.call_from_thread(notify_plain, self.app,
                                  _("Status: {status}").format(status=sections.order_status_label(status)))
        self.app.call_from_thread(self.reload)

    def _status_conflict(self, current: OrderDetail, mine: str) -> None:
        from notedesk.tui.screens.conflict import FieldConflictModal

        who = _("{clerk} changed this order meanwhile.").format(clerk=one_line(current.changed_by))
        rows = [(_("Status"), sections.order_status_label(current.status), sections.order_status_label(mine))]

        def answer(choice: str | None) -> None:
            if choice == "mine":
                self._save_status(mine, current.version, current.status)
            else:
                self.reload()

        self.app.push_screen(FieldConflictModal(_("Status changed by another clerk"), who, rows), callback=answer)
