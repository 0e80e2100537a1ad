"""DeadlineViewScreen: open orders by deadline group (Overdue · Today · Tomorrow · This week · Later ·
No deadline), each group by due time; the logistics clerk's working list.

One DataTable: a coloured header row per group (with its count) followed by that group's orders;
the cursor never rests on a header row. Rows show the due date and window, order number, customer,
payment (amount to collect on delivery, "!" for a prepaid order not paid) and status. Delivered and
cancelled orders are not shown. Data comes from services.deadlines in a thread worker; `reload()`
keeps the cursor on the same order, or on the row that took its place when it left the view.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from notedesk import clock, labels
from notedesk.deadlines import GROUPS
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import deadlines
from notedesk.services.types import DueItem
from notedesk.text import one_line
from notedesk.tui.reminders import weekday, window
from notedesk.tui.safe import notify_plain, text
from notedesk.tui.screens.status import ask_delivered, collect_of
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.order_sections import STATUS_STYLES
from notedesk.tui.widgets.payment_fields import method_label
from notedesk.tui.widgets.table_columns import add_columns, fit_columns

CUSTOMER_WIDTH = 13  # at most: narrower when the other columns need the room (_fit_customers)
CUSTOMER_COLUMN = 2
GROUP_STYLES = {"overdue": "bold red", "today": "bold yellow", "tomorrow": "bold cyan",
                "this_week": "bold green", "later": "bold blue", "none": "bold magenta"}
DUE_STYLES = {"overdue": "red", "today": "yellow"}
HEADER_PREFIX = "\0"  # row keys of header and "more" rows: no order number holds a NUL (refused on input)


def group_label(group: str) -> str:
    return labels.group_label(group)


def due_cell(item: DueItem, today: dt.date) -> Text:
    """'Thu 26 Nov 10:00–11:00' / '11月26日 周四 10:00–11:00' (with the year when it is not this year);
    the clerk's words if unscheduled."""
    d = item.deadline
    if d.date is None:
        words = one_line(d.text, 20)
        return text(words, "italic") if words else text("—", "dim")
    return text(labels.format_deadline(d, today=today), DUE_STYLES.get(item.group, ""))


def payment_cell(item: DueItem) -> Text:
    if item.collect is not None:
        return text(_("COD {amount}").format(amount=labels.money(item.collect)), "bold")
    if item.unpaid_prepaid:
        return text(f"! {method_label('prepaid')} {labels.money(item.balance)}", "bold red")
    if item.payment_status != "paid":
        return text(f"{method_label(item.payment_method)} {labels.money(item.balance)}")
    return text(method_label(item.payment_method) + " " + (_("overpaid") if item.balance < 0 else _("paid")))


def status_label(status: str) -> str:
    # "in production" is the one long status; the short word keeps every column inside 80 cells
    return labels.status_label(status, short=True)


def cell(content: Text) -> Text:
    """One space before every cell: the table has no cell padding, so 80 columns hold all five."""
    return Text.assemble(" ", content)


def order_row(item: DueItem, today: dt.date) -> list[Text]:
    return [cell(due_cell(item, today)), cell(text(one_line(item.number), "bold")),
            cell(text(one_line(item.customer, CUSTOMER_WIDTH))), cell(payment_cell(item)),
            cell(text(status_label(item.status), STATUS_STYLES.get(item.status, "")))]


def summary(view: deadlines.DeadlineGroups) -> Text:
    out = Text()  # no title and short labels: at 80 columns six four-digit counts need the whole line
    for n, group in enumerate(GROUPS):
        if n:
            out.append("  ")
        count = view.total(group)
        label = _("No date") if group == "none" else group_label(group)
        out.append(f"{label} {count}", style=GROUP_STYLES[group] if count else "dim")
    return out


class GroupedTable(DataTable):
    """A DataTable with group header rows (added with `add_header`) that the cursor steps over."""

    # DataTable's own enter binding is hidden, and as the focused widget's it hides the screen's
    BINDINGS = [Binding("enter", "select_cursor", _("Open"))]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Row indices, not keys: every add_row re-validates the cursor, and looking a key up by
        # index through `ordered_rows` rebuilds that list each time (2,000 rows took 30 s).
        self.header_rows: set[int] = set()

    def add_header(self, *cells, key: str) -> None:
        self.header_rows.add(self.row_count)
        self.add_row(*cells, key=key)

    def clear(self, columns: bool = False):
        self.header_rows = set()
        return super().clear(columns)

    def is_header(self, row: int) -> bool:
        return row in self.header_rows

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        value = super().validate_cursor_coordinate(value)
        if self.row_count == 0 or not self.is_header(value.row):
            return value
        step = 1 if value.row >= self.cursor_coordinate.row else -1  # keep going the way it moved
        for direction in (step, -step):
            row = value.row
            while 0 <= row < self.row_count:
                if not self.is_header(row):
                    return Coordinate(row, value.column)
                row += direction
        return value

    def current_key(self) -> str | None:
        if self.row_count == 0 or self.is_header(self.cursor_row):
            return None
        return str(self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value)


class DeadlineViewScreen(Screen):
    """Open orders by deadline. Keys: enter open, x mark delivered, p change the deadline, g next group, escape back."""

    BINDINGS = [
        Binding("enter", "open", _("Open")),
        Binding("x", "deliver", _("Delivered")),
        Binding("p", "postpone", _("Deadline")),  # change it, earlier or later, with the reason
        Binding("g", "next_group", _("Next group")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _("Deadlines")
        self.board: deadlines.DeadlineGroups | None = None
        self.items: dict[str, DueItem] = {}
        self.group_rows: list[int] = []  # the header row of each group with orders loaded

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(text(_("Deadlines")), id="dv-summary")
        yield GroupedTable(id="dv-table", cursor_type="row", zebra_stripes=False, cell_padding=0)
        yield Static(id="dv-delivery")  # where the order under the cursor goes, whom to call (no room for a column)
        yield Static("", id="dv-money")
        yield Footer()

    def on_mount(self) -> None:
        table = self.table
        add_columns(table, ((key, cell(text(title))) for key, title in (
            ("due", _("Due")), ("number", _("Order")), ("customer", _("Customer")), ("payment", _("Payment")),
            ("status", _("Status")))))
        table.loading = True
        table.focus()
        self.reload()

    @property
    def table(self) -> GroupedTable:
        return self.query_one("#dv-table", GroupedTable)

    # --- loading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the groups; the cursor stays on the same order (or where it was, if it left)."""
        run_service(self, deadlines.deadline_groups, done=self._show, failed=self._failed,
                    group="deadline-view-load", exclusive=True)

    def _failed(self, error: NotedeskError) -> None:
        notify_plain(self.app, str(error), severity="error", timeout=10)
        self.table.loading = False

    def _show(self, view: deadlines.DeadlineGroups) -> None:
        table = self.table
        keep, row_before = table.current_key(), table.cursor_row
        self.board = view
        self.items = {item.number: item for item in view.items()}
        today = view.now.astimezone(clock.business_tz()).date()
        rows: list[tuple[bool, list[Text], str]] = []  # (a header?, cells, key) in table order

        def header(label: Text, key: str) -> None:
            rows.append((True, [cell(label)], f"{HEADER_PREFIX}{key}"))

        self.group_rows = []
        for group in GROUPS:
            items = view[group]
            if not view.total(group):
                continue
            if items:  # `g` jumps between groups with orders on screen
                self.group_rows.append(len(rows))
            header(text(f"{group_label(group)} ({view.total(group)})", GROUP_STYLES[group] + " underline"), group)
            more = view.more.get(group, 0)
            if more and group == "overdue":  # the oldest were left out: say so where they would be
                header(text(_("+{n} older").format(n=more), "dim italic"), f"more-{group}")
            rows.extend((False, order_row(item, today), item.number) for item in items)
            if more and group != "overdue":
                header(text(_("+{n} more").format(n=more), "dim italic"), f"more-{group}")
        self._fit_customers(rows)
        table.clear()
        fit_columns(table, [cells for _, cells, _ in rows])
        empty = [Text("") for _ in range(4)]
        for is_header, cells, key in rows:
            if is_header:
                table.add_header(*cells, *empty, key=key)
            else:
                table.add_row(*cells, key=key)
        self.query_one("#dv-summary", Static).update(summary(view))
        if not self.items:
            self.query_one("#dv-summary", Static).update(
                text(_("No open orders: nothing to deliver."), "bold"))
        table.loading = False
        if keep is not None and keep in self.items:
            table.move_cursor(row=table.get_row_index(keep))
        else:
            table.move_cursor(row=min(row_before, max(0, table.row_count - 1)))
        self._show_delivery()
        self._show_money()

    def _fit_customers(self, rows: list[tuple[bool, list[Text], str]]) -> None:
        """The customer column gives way so that every column fits the screen: a Chinese date and
        payment are wider than the English ones, and at 80 columns the status went off the edge."""
        table = self.table
        room = (table.size.width or self.app.size.width) - 2  # the vertical scrollbar
        order_rows = [cells for is_header, cells, _ in rows if not is_header]
        if room <= 0 or not order_rows:
            return
        titles = [column.label.cell_len for column in table.ordered_columns]
        others = sum(max([titles[n], *(cells[n].cell_len for cells in order_rows)])
                     for n in range(len(titles)) if n != CUSTOMER_COLUMN)
        width = max(4, min(CUSTOMER_WIDTH, room - others - 1))  # the cell's leading space
        if width == CUSTOMER_WIDTH:
            return
        for is_header, cells, key in rows:
            if not is_header:
                cells[CUSTOMER_COLUMN] = cell(text(one_line(self.items[key].customer, width)))

    # --- actions ------------------------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_delivery()
        self._show_money()

    def _show_delivery(self) -> None:
        item = self.current()
        line = self.query_one("#dv-delivery", Static)
        if item is None or not (item.address or item.contact_phone):
            line.update(text(_("→ no delivery address") if item is not None else "", "dim"))
            return
        words = " · ".join(part for part in (one_line(item.address), one_line(item.contact_phone)) if part)
        line.update(Text.assemble(text("→ ", "dim"), text(words)))

    def current(self) -> DueItem | None:
        key = self.table.current_key()
        return self.items.get(key) if key else None

    def _show_money(self) -> None:
        """The highlighted order's money, under the table: amount due, received, balance."""
        item = self.current()
        line = "" if item is None else _("amount due {due} · received {received} · {balance}").format(
            due=labels.money(item.due_amount, item.currency),
            received=labels.money(item.received), balance=labels.balance_label(item.balance))
        self.query_one("#dv-money", Static).update(text(line))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        item = self.current()
        if item is None:
            return
        from notedesk.tui.screens.order_detail import OrderDetailScreen

        self.app.push_screen(OrderDetailScreen(item.number), callback=lambda _result: self.reload())

    def action_deliver(self) -> None:
        item = self.current()
        if item is None:
            return
        ask_delivered(self, item.number, item.status, collect_of(item), self.reload, customer=item.customer)

    def action_postpone(self) -> None:
        item = self.current()
        if item is None:
            return
        from notedesk.tui.screens.postpone import PostponeModal

        self.app.push_screen(PostponeModal(item), callback=self._postponed)

    def _postponed(self, detail) -> None:
        if detail is None:
            return
        notify_plain(self.app, _("{number}: the deadline is now {when}.").format(
            number=detail.number, when=due_words(detail.deadline)))
        self.reload()

    def action_next_group(self) -> None:
        """To the first order of the next group (after the last group, back to the first)."""
        table = self.table
        if not self.group_rows:
            return
        header = next((h for h in self.group_rows if h > table.cursor_row), self.group_rows[0])
        table.move_cursor(row=header + 1, scroll=False)
        table.scroll_to(y=header, animate=False)  # the group's header at the top, its orders below

    def action_back(self) -> None:
        self.dismiss()


def due_words(deadline) -> str:
    if deadline.date is None:
        return _("no date")
    return f"{weekday(deadline.date)} {deadline.date.isoformat()} {window(deadline.start, deadline.end)}".rstrip()
