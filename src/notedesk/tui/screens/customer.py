"""CustomerScreen: one customer across orders (`c` on the list and on the detail; issue 15).

Who they are (company, phone, e-mail), the standing preferences, the contacts and the delivery
addresses, all their orders (open ones first, by due time; `enter` opens one) and every
communication across those orders, newest first. A long history opens at once: the log comes a page
at a time (services.customers, keyset paging) and `m` reads the next page.
"""

from __future__ import annotations

from typing import Any

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
from notedesk.services import customer_lists, customers
from notedesk.services.customer_lists import ListChange
from notedesk.services.customers import CommunicationPage, CustomerCommunication, CustomerRecord
from notedesk.services.types import AddressData, ContactData, CustomerData
from notedesk.text import clean, one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.communication_log import channel_label, local_time
from notedesk.tui.widgets.customer_lists import EntryModal, ListTable, fill_addresses, fill_contacts
from notedesk.tui.widgets.order_cells import deadline_cell, status_label


def header(c: CustomerData) -> Text:
    out = Text()
    out.append(one_line(c.name), style="bold")
    for extra in (c.company, c.phone, c.email):
        if extra:
            out.append(" · ", style="dim")
            out.append(one_line(extra))
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


def changes_text(changes: tuple[ListChange, ...]) -> Text:
    """The customer's lists' history, newest first: time, clerk, what: old → new."""
    out = Text()
    for n, change in enumerate(changes):
        if n:
            out.append("\n")
        out.append(local_time(change.at), style="bold")
        out.append("  " + one_line(change.clerk, 16), style="dim")
        what = _("contact") if change.field == "contact" else _("address")
        if not change.old:
            out.append("  " + _("{what} added: {new}").format(what=what, new=one_line(change.new)))
        elif not change.new:
            out.append("  " + _("{what} removed: {old}").format(what=what, old=one_line(change.old)))
        else:
            out.append("  " + _("{what}: {old} → {new}").format(what=what, old=one_line(change.old),
                                                                new=one_line(change.new)))
    return out


def _section(title: str, body_id: str, classes: str = "") -> ComposeResult:
    with Vertical(classes=f"customer-section {classes}".strip()):
        yield Static(Content(title), classes="section-title", id=f"{body_id}-title")
        yield Static(id=body_id, classes="section-body")


class CustomerScreen(Screen):
    """The customer of order `number` (or customer `customer_id`). enter opens an order, m more log, escape back;
    on the contacts and addresses (tab), n adds, enter changes, delete removes."""

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
            with Vertical(classes="customer-section"):
                yield Static(Content(_("Contacts · tab here: n adds, ⏎ changes, del removes")),
                             classes="section-title")
                yield ListTable(id="customer-contacts")
            with Vertical(classes="customer-section"):
                yield Static(Content(_("Delivery addresses")), classes="section-title")
                yield ListTable(id="customer-addresses")
            with Vertical(classes="customer-section"):
                yield Static(Content(_("Orders")), classes="section-title", id="customer-orders-title")
                yield DataTable(id="customer-orders", cursor_type="row", zebra_stripes=True)
            yield from _section(_("Communications across orders (newest first)"), "customer-communications")
            yield Static(id="customer-more", classes="form-hint")
            yield from _section(_("Changes to the contacts and addresses"), "customer-changes")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#customer-orders", DataTable)
        table.add_columns(Text(_("Number")), Text(_("Status")), Text(_("Deadline")), Text(_("Amount")))
        self.query_one("#customer-contacts", ListTable).add_columns(Text(_("Name")), Text(_("Phone")), Text(_("Role")),
                                                                    Text(_("Orders")))
        self.query_one("#customer-addresses", ListTable).add_columns(Text(_("Label")), Text(_("Address")),
                                                                     Text(_("Orders")))
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
        fill_contacts(self.query_one("#customer-contacts", ListTable), c.contacts, record.contact_orders)
        fill_addresses(self.query_one("#customer-addresses", ListTable), c.addresses, record.address_orders)
        changes = self.query_one("#customer-changes", Static)
        changes.update(changes_text(record.changes))
        changes.parent.display = bool(record.changes)  # type: ignore[union-attr]
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
        if event.data_table.id == "customer-orders":
            self.action_open()
        else:
            self.action_change_entry()

    # --- the contacts and addresses (services.customer_lists: one call each) ---------------------

    def _list(self) -> str | None:
        """'contacts' or 'addresses' when the cursor is in that table."""
        focused = self.focused
        if isinstance(focused, ListTable) and focused.id:
            return focused.id.removeprefix("customer-")
        return None

    def _entry(self) -> tuple[str, int, ContactData | AddressData] | None:
        """The list, id and data under the cursor."""
        which, record = self._list(), self.record
        if which is None or record is None:
            return None
        table = self.query_one(f"#customer-{which}", ListTable)
        ids = record.contact_ids if which == "contacts" else record.address_ids
        items = record.customer.contacts if which == "contacts" else record.customer.addresses
        if not ids or not 0 <= table.cursor_row < len(ids):
            return None
        return which, ids[table.cursor_row], items[table.cursor_row]

    def action_add_entry(self) -> None:
        which = self._list()
        if which == "contacts":
            self._edit_contact(None, ContactData(""))
        elif which == "addresses":
            self._edit_address(None, AddressData(""))

    def action_change_entry(self) -> None:
        entry = self._entry()
        if entry is None:
            return
        which, entry_id, data = entry
        if isinstance(data, ContactData):
            self._edit_contact(entry_id, data)
        else:
            self._edit_address(entry_id, data)

    def _edit_contact(self, contact_id: int | None, person: ContactData) -> None:
        customer_id = self.customer_id
        if customer_id is None:
            return
        fields = [("name", _("Name"), person.name), ("phone", _("Phone"), person.phone),
                  ("role", _("Role"), person.role)]
        loaded = person if contact_id is not None else None

        def save(values: dict[str, str]):
            return customer_lists.save_contact, (customer_id, contact_id, ContactData(**values), loaded)

        title = _("New contact") if contact_id is None else _("Change contact")
        self.app.push_screen(EntryModal(title, fields, save),
                             callback=lambda record: self._saved(record, "contacts", contact_id is None))

    def _edit_address(self, address_id: int | None, place: AddressData) -> None:
        customer_id = self.customer_id
        if customer_id is None:
            return
        fields = [("text", _("Address"), place.text), ("label", _("Label"), place.label)]
        loaded = place if address_id is not None else None

        def save(values: dict[str, str]):
            return customer_lists.save_address, (customer_id, address_id, AddressData(**values), loaded)

        title = _("New delivery address") if address_id is None else _("Change delivery address")
        self.app.push_screen(EntryModal(title, fields, save),
                             callback=lambda record: self._saved(record, "addresses", address_id is None))

    def _saved(self, record: CustomerRecord | None, which: str, added: bool) -> None:
        if record is None:
            return
        self._show(record)
        if added:  # the cursor on the new one
            table = self.query_one(f"#customer-{which}", ListTable)
            table.move_cursor(row=table.row_count - 1)
        notify_plain(self.app, _("Saved."))

    def action_remove_entry(self) -> None:
        entry, record = self._entry(), self.record
        if entry is None or record is None or self.customer_id is None:
            return
        which, entry_id, data = entry
        customer_id = self.customer_id
        if isinstance(data, ContactData):
            words = customer_lists.contact_words(data)
            uses = record.contact_orders[record.contact_ids.index(entry_id)]
            question = _("Remove the contact {what}?").format(what=one_line(words, 60))
            call: Any = customer_lists.remove_contact
        else:
            words = customer_lists.address_words(data)
            uses = record.address_orders[record.address_ids.index(entry_id)]
            question = _("Remove the delivery address {what}?").format(what=one_line(words, 60))
            call = customer_lists.remove_address
        if uses:
            question += " " + ngettext("The order that picked it keeps it.",
                                       "The {n} orders that picked it keep it.", uses).format(n=uses)

        def answer(yes: bool | None) -> None:
            if yes:
                run_service(self, call, customer_id, entry_id, data, done=self._removed, failed=self._list_failed,
                            group="customer-entry")

        from notedesk.tui.widgets.choice_modal import ChoiceModal

        self.app.push_screen(ChoiceModal(question, [(True, _("Remove"), "y"), (False, _("Cancel"), "n")],
                                         title=_("Remove")), callback=answer)

    def _removed(self, record: CustomerRecord) -> None:
        self._show(record)
        notify_plain(self.app, _("Removed."))

    def _list_failed(self, error: NotedeskError) -> None:
        notify_plain(self.app, str(error), severity="error", timeout=10)
        self.reload()

    def action_more(self) -> None:
        if self.next_page is None or self.customer_id is None:
            notify_plain(self.app, _("That is the whole log."))
            return
        run_service(self, customers.customer_communications, self.customer_id, self.next_page, self.page,
                    done=self._more, group="customer-more", exclusive=True)

    def _more(self, page: CommunicationPage) -> None:
        self.entries, self.next_page = self.entries + page.entries, page.next
        self._show_communications()
