"""OrderDetailScreen: everything on one order, read-only, with the keys that change it.

Header, the customer's standing preferences (they apply to every order, so they stand out), lines,
deadline and payment, the four notes, the attachments (`f` goes to them, `enter` shows one, `t`
attaches a file), the communication log newest first, and the timeline. `reload()` re-reads the
order in a worker and updates the parts in place, so the clerk's scroll position survives a live
refresh.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from notedesk import labels
from notedesk.domain import NOTE_KINDS
from notedesk.errors import NotedeskError
from notedesk.i18n import _, ngettext
from notedesk.services import follow_ups, orders
from notedesk.services.communications import LOG_PAGE
from notedesk.services.types import OrderDetail
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.screens.status import ask_status, collect_of
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets import order_sections as sections
from notedesk.tui.widgets.attachment_table import AttachmentTable
from notedesk.tui.widgets.communication_log import CommunicationLog, changes_by_entry


def _section(title: str, body_id: str, classes: str = "") -> ComposeResult:
    with Vertical(classes=f"detail-section {classes}".strip()):
        yield Static(Content(title), id=f"{body_id}-title", classes="section-title")
        yield Static(id=body_id, classes="section-body")


class OrderDetailScreen(Screen):
    """One order, read-only. Keys: e edit notes, a amend, l log, s status, p payment received, h history,
    c customer, o a department's sheet, escape back."""

    BINDINGS = [
        Binding("e", "edit", _("Edit notes")),
        Binding("a", "amend", _("Amend")),
        Binding("l", "log", _("Log call")),
        Binding("u", "follow_up", _("Follow-up"), show=False,  # its section says so; 80 columns keep Back
                tooltip=_("A dated to-do on this order (周五下午回电确认颜色)")),
        Binding("s", "status", _("Status")),
        Binding("p", "pay", _("Pay"), show=False),  # the payment section says so; 80 columns keep Back
        Binding("h", "history", _("History")),
        Binding("c", "customer", _("Customer"), tooltip=_("The customer: contacts, addresses, all orders and calls")),
        Binding("f", "files", _("Files"), tooltip=_("Go to the attachments: enter shows one")),
        Binding("t", "attach", _("Attach file"), show=False),  # the section says so; 80 columns keep Back
        # not in the footer either (80 columns are full); help and the palette list it
        Binding("o", "sheet", _("Sheet"), show=False,
                tooltip=_("Save a sheet of this order: production, delivery slip or finance (html, md, txt)")),
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
            yield from _section(_("Deliver to"), "detail-delivery")
            with Horizontal(classes="detail-pair"):
                yield from _section(_("Delivery deadline"), "detail-deadline")
                yield from _section(_("Payment · p records money received"), "detail-payment")
            for kind in NOTE_KINDS:
                yield from _section(sections.note_title(kind), f"detail-note-{kind}", "-note")
            with Vertical(classes="detail-section"):
                yield Static(Content(_("Attachments")), classes="section-title")
                yield Static(Content(_("None. t attaches a file.")), id="detail-no-attachments", classes="section-body")
                yield AttachmentTable(id="detail-attachments")
            yield from _section(_("Follow-ups (u adds one)"), "detail-follow-ups")
            with Vertical(classes="detail-section"):
                yield Static(Content(_("Communication log (newest first)")), classes="section-title")
                yield CommunicationLog(id="detail-communications", classes="section-body")
            yield from _section(_("Timeline"), "detail-timeline")
        yield Footer(compact=True, show_command_palette=False)  # 80 columns: every key and Back

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.query_one("#detail-body").loading = True
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the order and update every part in place (the scroll position stays)."""
        # the newest log entries only: the log reads older ones as the clerk scrolls (issue 21)
        run_service(self, orders.get_order, self.number, log_limit=LOG_PAGE, done=self._show,
                    failed=self._failed, group="order-detail-load", exclusive=True)

    def _failed(self, error: NotedeskError) -> None:
        notify_plain(self.app, str(error), severity="error", timeout=10)
        if self.detail is None and self.is_current:
            self.dismiss()

    def _show(self, detail: OrderDetail) -> None:
        self.detail = detail
        self._put("#detail-header", sections.header(detail))
        self._put("#detail-preferences", sections.preferences(detail))
        self._put("#detail-lines", sections.lines_table(detail))
        self._put("#detail-delivery", sections.delivery(detail))
        self._put("#detail-deadline", sections.deadline_text(detail.deadline))
        self._put("#detail-payment", sections.payment_text(detail))
        for kind in NOTE_KINDS:
            self._put(f"#detail-note-{kind}-title", sections.note_heading(kind, detail.notes.get(kind)))
            self._put(f"#detail-note-{kind}", sections.note_text(detail.notes.get(kind)))
        self._show_attachments(detail)
        self._put("#detail-follow-ups", sections.follow_ups_text(detail.follow_ups))
        self.query_one(CommunicationLog).show(detail.number, detail.communications, detail.log_keys,
                                              detail.older_log, changes=changes_by_entry(detail.events))
        self._put("#detail-timeline", sections.timeline(detail))
        self.query_one("#detail-body").loading = False

    def _show_attachments(self, detail: OrderDetail) -> None:
        self.query_one(AttachmentTable).show(detail.attachments)
        self.query_one(AttachmentTable).display = bool(detail.attachments)
        self.query_one("#detail-no-attachments").display = not detail.attachments

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

    def action_amend(self) -> None:
        if self.detail is None:
            return
        from notedesk.tui.screens.amend import AmendScreen

        self.app.push_screen(AmendScreen(self.detail), callback=self._amended)

    def _amended(self, result) -> None:
        if result is None:
            return
        if result.changes:
            notify_plain(self.app, ngettext("Amended: {n} change.", "Amended: {n} changes.",
                                            len(result.changes)).format(n=len(result.changes)))
        self.reload()

    def action_files(self) -> None:
        table = self.query_one(AttachmentTable)
        if table.display:
            table.focus()
            table.scroll_visible()
        else:
            notify_plain(self.app, _("No attachments yet: t attaches a file."))

    def action_attach(self) -> None:
        from notedesk.tui.screens.attach_file import AttachFileModal

        self.app.push_screen(AttachFileModal(self.number), callback=lambda view: view and self.reload())

    def on_attachment_table_chosen(self, event: AttachmentTable.Chosen) -> None:
        from notedesk.tui.screens.attachment import AttachmentScreen

        self.app.push_screen(AttachmentScreen(self.number, event.view), callback=lambda _removed: self.reload())

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

    def action_customer(self) -> None:
        from notedesk.tui.screens.customer import CustomerScreen

        self.app.push_screen(CustomerScreen(self.number), callback=lambda _r: self.reload())

    def action_follow_up(self) -> None:
        from notedesk.tui.screens.follow_up import FollowUpModal

        self.app.push_screen(FollowUpModal(self.number), callback=self._followed_up)

    def _followed_up(self, view) -> None:
        if view is not None:
            notify_plain(self.app, _("Follow-up for {clerk}: {when}").format(
                clerk=one_line(view.clerk), when=follow_ups.when_label(view.due_at)))
            self.reload()

    def action_history(self) -> None:
        from notedesk.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.number, "requirements"), callback=lambda _r: self.reload())

    def action_sheet(self) -> None:
        from notedesk.tui.screens.sheet import SheetModal

        self.app.push_screen(SheetModal(self.number, self._department()), callback=self._sheet_saved)

    def _department(self) -> str:
        """The department whose lens the list below shows (its sheet is the likely one), else production."""
        for screen in reversed(self.app.screen_stack):
            lens = getattr(getattr(screen, "query_state", None), "lens", "")
            if lens:
                return lens
        return "production"

    def _sheet_saved(self, path) -> None:
        if path is not None:
            notify_plain(self.app, _("Sheet saved: {path}").format(path=path), timeout=10)

    def action_status(self) -> None:
        if self.detail is not None:
            ask_status(self, self.number, self.detail.status, then=self.reload, collect=collect_of(self.detail))

    def action_pay(self) -> None:
        if self.detail is None:
            return
        from notedesk.tui.screens.pay import PayModal

        self.app.push_screen(PayModal(self.detail), callback=self._paid)

    def _paid(self, recorded) -> None:
        if recorded is None:
            return
        order = recorded.order
        notify_plain(self.app, _("{number}: {amount} recorded; {status}, {balance}.").format(
            number=order.number, amount=labels.money(recorded.payment.amount, order.currency),
            status=labels.payment_status_label(order.payment.status), balance=labels.balance_label(order.balance)))
        self._show(order)
