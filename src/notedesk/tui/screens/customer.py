"""CustomerScreen: one customer across orders (`c` on the list and on the detail; issue 15).

Who they are (company, phone, e-mail), the standing preferences, the contacts and the delivery
addresses, all their orders (open ones first, by due time; `enter` opens one) and every
communication across those orders, newest first. A long history opens at once: the log comes a page
at a time (services.customers, keyset paging) and `m` reads the next page.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from notedesk import clock, labels
from notedesk.errors import NotedeskError
from notedesk.i18n import _, ngettext
from notedesk.services import customers
from notedesk.services.customers import CommunicationPage, CustomerCommunication, CustomerRecord
from notedesk.services.types import CustomerData
from notedesk.text import clean, one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.communication_log import channel_label, local_time
from notedesk.tui.widgets.order_cells import deadline_cell, status_label


def header(c: CustomerData) -> Text:
    out = Text()
    out.append(one_line(c.name), style="bold")
    for extra in (c.company, c.phone, c.email):
        if extra:
            out.append(" · ", style="dim")
            out.append(one_line(extra))
    return out


def contacts_text(c: CustomerData) -> Text:
    if not c.contacts:
        return Text(_("none recorded"), style="dim")
    out = Text()
    for n, person in enumerate(c.contacts):
        if n:
            out.append("\n")
        out.append(one_line(person.name), style="bold")
        if person.phone:
            out.append("  " + one_line(person.phone))
        if person.role:
            out.append("  " + one_line(person.role), style="dim")
    return out


def addresses_text(c: CustomerData) -> Text:
    if not c.addresses:
        return Text(_("none recorded"), style="dim")
    out = Text()
    for n, place in enumerate(c.addresses, 1):
        if n > 1:
            out.append("\n")
        out.append(f"{n}. ", style="dim")
        if place.label:
            out.append(one_line(place.label) + ": ", style="bold")
        out.append(one_line(place.text))
    return out


def communications_text(entries: tuple[CustomerCommunication, ...]) -> Text:
    """Each entry: time, order, channel, contact, clerk; the text indented under it."""
    out = Text()
    if not entries:
        out.append(_("No communication logged yet."), style="dim")
        return out
    for n, item in enumerate(entries):
        entry = item.entry
        if n:
            out.append("\n")
        out.append(local_time(entry.at), style="bold")
        out.append("  ")
        out.append(one_line(item.number), style="magenta")
        out.append("  ")
        out.append(channel_label(entry.channel), style="cyan")
        if entry.contact:
            out.append("  " + one_line(entry.contact))
        out.append("  · ", style="dim")
        out.append(one_line(entry.clerk), style="dim")
        out.append("\n")
        for text_line in clean(entry.text).split("\n"):
            out.append("  " + text_line + "\n")
    out.rstrip()
    return out


def _section(title: str, body_id: str, classes: str = "") -> ComposeResult:
    with Vertical(classes=f"customer-section {classes}".strip()):
        yield Static(Content(title), classes="section-title", id=f"{body_id}-title")
        yield Static(id=body_id, classes="section-body")


class CustomerScreen(Screen):
    """The customer of order `number` (or customer `customer_id`). enter opens an order, m more log, escape back."""

    BINDINGS = [
        Binding("enter", "open", _("Open order"), key_display="⏎"),
        Binding("m", "more", _("More log"), tooltip=_("Read the next page of communications")),
        Binding("escape", "back", _("Back")),
    ]

    page = customers.PAGE  # communications read at a time

    def __init__(self, number: str | None = None, customer_id: int | None = None) -> None:
        super().__init__()
        self.number = number
        self.customer_id = customer_id
        self.record: CustomerRecord | None = None
        self.entries: tuple[CustomerCommunication, ...] = ()
        self.next_page: customers.Cursor | None = None
        self._order_numbers: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Customer")), id="customer-header")
        with VerticalScroll(id="customer-body"):
            yield from _section(_("Customer's standing preferences — apply to every order"), "customer-preferences",
                                "-preferences")
            yield from _section(_("Contacts"), "customer-contacts")
            yield from _section(_("Delivery addresses"), "customer-addresses")
            with Vertical(classes="customer-section"):
                yield Static(Content(_("Orders")), classes="section-title", id="customer-orders-title")
                yield DataTable(id="customer-orders", cursor_type="row", zebra_stripes=True)
            yield from _section(_("Communications across orders (newest first)"), "customer-communications")
            yield Static(id="customer-more", classes="form-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#customer-orders", DataTable)
        table.add_columns(Text(_("Number")), Text(_("Status")), Text(_("Deadline")), Text(_("Amount")))
        table.focus()
        self.query_one("#customer-body").loading = True
        self.reload()

    def reload(self) -> None:
        """Read the customer again (the first page of the log; the cursor on the orders stays)."""
        if self.customer_id is not None:
            run_service(self, customers.get_customer, self.customer_id, page=self.page, done=self._show,
                        failed=self._failed, group="customer-load", exclusive=True)
        else:
            run_service(self, customers.get_customer_of_order, self.number or "", page=self.page, done=self._show,
                        failed=self._failed, group="customer-load", exclusive=True)

    def _failed(self, error: NotedeskError) -> None:
        notify_plain(self.app, str(error), severity="error", timeout=10)
        if self.record is None and self.is_current:
            self.dismiss()

    def _show(self, record: CustomerRecord) -> None:
        first_time = self.record is None
        self.record, self.customer_id = record, record.id
        if first_time:
            self._order_numbers = []
        c = record.customer
        self.query_one("#customer-header", Static).update(header(c))
        prefs = clean(c.preferences).strip()
        self.query_one("#customer-preferences", Static).update(
            Text(prefs) if prefs else Text(_("none recorded"), style="dim"))
        self.query_one("#customer-contacts", Static).update(contacts_text(c))
        self.query_one("#customer-addresses", Static).update(addresses_text(c))
        self._show_orders(record)
        self.entries, self.next_page = record.communications.entries, record.communications.next
        self._show_communications()
        self.query_one("#customer-body").loading = False

    def _show_orders(self, record: CustomerRecord) -> None:
        title = ngettext("Orders: {n}, {open} open", "Orders: {n}, {open} open", record.order_count).format(
            n=f"{record.order_count:,}", open=f"{record.open_orders:,}")
        if record.order_count > len(record.orders):
            title += " · " + _("the first {n} shown").format(n=f"{len(record.orders):,}")
        self.query_one("#customer-orders-title", Static).update(Content(title))
        table = self.query_one("#customer-orders", DataTable)
        row = table.cursor_row if self._order_numbers else None  # a reload keeps the cursor
        table.clear()
        today = clock.local_now().date()
        self._order_numbers = [o.number for o in record.orders]
        for o in record.orders:
            style = "bold" if o.number == self.number else ""
            table.add_row(Text(one_line(o.number), style=style), Text(status_label(o.status)),
                          Text(deadline_cell(o, today)), Text(labels.money(o.total, o.currency), justify="right"),
                          key=o.number)
        if record.orders:  # first: on the order it was opened from
            first = self._order_numbers.index(self.number) if self.number in self._order_numbers else 0
            table.move_cursor(row=min(row, len(record.orders) - 1) if row is not None else first)
        table.styles.height = min(len(record.orders), 12) + 1

    def _show_communications(self) -> None:
        self.query_one("#customer-communications", Static).update(communications_text(self.entries))
        more = self.query_one("#customer-more", Static)
        more.update(Content(_("m: older entries") if self.next_page is not None else ""))
        more.display = self.next_page is not None

    # --- actions ------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_open(self) -> None:
        table = self.query_one("#customer-orders", DataTable)
        if not self._order_numbers or table.cursor_row < 0:
            return
        from notedesk.tui.screens.order_detail import OrderDetailScreen

        number = self._order_numbers[table.cursor_row]
        self.app.push_screen(OrderDetailScreen(number), callback=lambda _r: self.reload())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_more(self) -> None:
        if self.next_page is None or self.customer_id is None:
            notify_plain(self.app, _("That is the whole log."))
            return
        run_service(self, customers.customer_communications, self.customer_id, self.next_page, self.page,
                    done=self._more, group="customer-more", exclusive=True)

    def _more(self, page: CommunicationPage) -> None:
        self.entries, self.next_page = self.entries + page.entries, page.next
        self._show_communications()
