"""OrderListScreen: the home screen. The virtual order table, a live filter box, sort keys, the
departments' lenses (`v`), the filters dialog (`f`) with the totals of what is listed, and the ways out
to an order (detail, notes, status), a new order and the deadline view.

The other screens are imported inside their actions: the list paints first without loading them.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static

from notedesk import labels
from notedesk.i18n import _, ngettext
from notedesk.services import lenses, listing
from notedesk.services.listing import DEFAULT_DESCENDING, FirstScreen, OrderQuery, Totals
from notedesk.tui.safe import line, notify_plain
from notedesk.tui.service_calls import ignore_failure, run_service
from notedesk.tui.widgets.order_table import OrderTable

SORT_CYCLE = ("updated", "deadline", "number", "customer", "status", "total", "created")
FILTER_DELAY_S = 0.15  # wait for a pause in typing before asking the database


def sort_label(sort: str) -> str:
    return {"updated": _("last change"), "created": _("created"), "number": _("number"),
            "deadline": _("deadline"), "status": _("status"), "customer": _("customer"),
            "total": _("amount")}.get(sort, sort)


class OrderListScreen(Screen):
    """The order list. `reload()` refreshes what is shown (e.g. when another clerk changed data)."""

    AUTO_FOCUS = "OrderTable"
    BINDINGS = [
        # priority: checked when the key arrives, before the keys after it are handed to the focused
        # widget; over SSH "/00007⏎" often arrives in one read and must all land in the filter box
        Binding("slash", "filter", _("Filter"), key_display="/", priority=True,
                tooltip=_("Filter by order number, customer or company")),
        # not in the footer: at 80 columns it makes room for v (lenses) beside ? Help; enter is what a
        # clerk tries first anyway, and help and the palette list it
        Binding("enter", "open", _("Open"), key_display="⏎", show=False),
        Binding("ctrl+f", "full_text", _("Full text"), key_display="^f",
                tooltip=_("Search notes, the log, numbers and customers for the filter box's text")),
        Binding("e", "notes", _("Notes"), tooltip=_("Edit the notes of the order under the cursor")),
        Binding("n", "new_order", _("New"), tooltip=_("New order")),
        Binding("d", "deadlines", _("Due"), tooltip=_("Deadline view: open orders by due time")),
        Binding("m", "app.reminders", _("Reminders"), show=False,  # the header says "N reminders (m)"
                tooltip=_("What is coming due and what was missed, and my follow-ups")),
        Binding("s", "status", _("Status"), tooltip=_("Change the status of the order under the cursor")),
        Binding("o", "next_sort", _("Sort"), tooltip=_("Sort by the next column")),
        # not in the footer either (80 columns): the customer of the order under the cursor
        Binding("c", "customer", _("Customer"), show=False,
                tooltip=_("The customer of the order under the cursor: contacts, addresses, all orders and calls")),
        Binding("v", "next_lens", _("Lens"),
                tooltip=_("The next department's view: all orders, production, logistics, finance")),
        # not in the footer (no room at 80 columns): the filter box's placeholder, help and the palette say it
        Binding("f", "filters", _("Filters"), show=False,
                tooltip=_("Filter by status, payment, deadline range or customer")),
        # not in the footer: with ^f it would no longer fit 80 columns (help and the palette list it)
        Binding("r", "reverse", _("Reverse"), tooltip=_("Reverse the sort"), show=False),
        Binding("escape", "clear_filter", _("Clear filter"), show=False),
        Binding("down", "to_list", _("To the list"), show=False),  # from the filter box; the table has its own
        Binding("ctrl+r", "reload", _("Reload"), show=False, tooltip=_("Read the list again from the database")),
        Binding("q", "app.quit", _("Quit")),
    ]

    def __init__(self, first: FirstScreen | None = None, lens: str = "all") -> None:
        """`lens`: the department's lens to start in (services/lenses.py); `first` was read for it."""
        super().__init__()
        self.query_state = lenses.lens_query(lens)  # `first` is used only if it was read for this query
        self._first = first  # this list's first rows, read before the desk started
        self._filter_timer: Timer | None = None
        self._resumed_once = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="list-bar"):
            yield Input(placeholder=_("/ filter: number, customer · f: status, payment, due"), id="list-filter")
            yield Static(id="list-summary")
        yield OrderTable(self.query_state, first=self._first, id="orders")
        yield Static(id="list-totals")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.table.set_query(self.query_state)
        self._show_summary()

    @property
    def table(self) -> OrderTable:
        return self.query_one(OrderTable)

    def reload(self, *, select: str | None = None) -> None:
        """Fetch the visible rows and the count again; the cursor stays (or goes to `select`)."""
        self.table.reload(select=select)

    def on_screen_resume(self) -> None:
        # back from the detail, the editor, a modal: show what changed there. Not after a failed
        # load: closing its error message would fail again and bring the message straight back.
        if self._resumed_once and not self.table.failed:
            self.reload()
        self._resumed_once = True

    def action_reload(self) -> None:
        self.reload()

    # --- the summary line ---------------------------------------------------------------------

    def _show_summary(self, count: int | None = None) -> None:
        q = self.query_state
        arrow = "▼" if q.descending else "▲"
        parts = []
        if q.lens:
            parts.append(lenses.lens_label(q.lens))
        if count is not None:
            parts.append(ngettext("{n} order", "{n} orders", count).format(n=f"{count:,}"))
        parts.append(_("sort: {what} {arrow}").format(what=sort_label(q.sort), arrow=arrow))
        self.query_one("#list-summary", Static).update(line(" · ".join(parts)))

    def on_order_table_counted(self, event: OrderTable.Counted) -> None:
        self._show_summary(event.count)
        # the totals after the rows: an aggregate over every listed order, never in the first frame's way
        run_service(self, listing.totals, self.query_state, done=self._show_totals, failed=ignore_failure,
                    group="list-totals", exclusive=True)

    def _show_totals(self, totals: Totals) -> None:
        from notedesk.tui.screens.list_filters import describe_filters

        parts = [ngettext("{n} order", "{n} orders", totals.count).format(n=f"{totals.count:,}")]
        if totals.by_currency and self.query_state.lens != "production":  # production reads no prices
            # one sum per currency: amounts in CNY and USD never add up
            parts.append(_("amount {amounts}").format(amounts=", ".join(
                labels.money(amount, currency) for currency, _count, amount, _balance in totals.by_currency)))
            parts.append(_("balance {amounts}").format(amounts=", ".join(
                labels.money(balance, currency) for currency, _count, _amount, balance in totals.by_currency)))
        filters = describe_filters(self.query_state)
        if filters:
            parts.append(_("filters: {which}").format(which=filters))
        self.query_one("#list-totals", Static).update(line(" · ".join(parts)))

    # --- filter and sort ----------------------------------------------------------------------

    def _apply(self, query: OrderQuery, *, select: str | None = None) -> None:
        self.query_state = query
        self.table.set_query(query, select=select)
        self._show_summary()
        # the totals are counted after the new rows: until then the old ones would be wrong (and a
        # production lens must never show the previous lens's amounts, not even for an instant)
        self.query_one("#list-totals", Static).update("")

    def action_filter(self) -> None:
        box = self.query_one("#list-filter", Input)
        if self.focused is box:  # the binding has priority: a "/" typed in the box is text
            # queued behind the keys that arrived before it (an SSH read of "ab/cd" is one burst):
            # inserting now would put the "/" before the "ab" the box has not handled yet
            box.call_later(box.insert_text_at_cursor, "/")
            return
        self.set_focus(box)  # now, not box.focus() (a turn later): the next keys are already queued

    def action_full_text(self) -> None:
        """The full-text results (screens/search_results.py) for what the filter box holds."""
        from notedesk.tui.screens.search_results import SearchResultsScreen

        self.app.push_screen(SearchResultsScreen(self.query_one("#list-filter", Input).value))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "list-filter":
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY_S, self._filter_now)

    def _filter_now(self) -> None:
        self._filter_timer = None
        text = self.query_one("#list-filter", Input).value.strip()
        if text != self.query_state.text:
            self._apply(replace(self.query_state, text=text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "list-filter":
            return
        event.stop()
        self._filter_now()  # typed fast and pressed enter before the pause
        self.set_focus(self.table)
        self.table.move_cursor(0)

    def action_to_list(self) -> None:
        self.set_focus(self.table)

    def action_clear_filter(self) -> None:
        box = self.query_one("#list-filter", Input)
        had_text = bool(box.value or self.query_state.text)
        box.value = ""
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        self.set_focus(self.table)
        if had_text:  # the whole list again, the cursor still on the order it was on
            self._apply(replace(self.query_state, text=""), select=self.table.cursor_number)

    def action_next_sort(self) -> None:
        current = self.query_state.sort
        sort = SORT_CYCLE[(SORT_CYCLE.index(current) + 1) % len(SORT_CYCLE)] if current in SORT_CYCLE else SORT_CYCLE[0]
        self._apply(replace(self.query_state, sort=sort, descending=DEFAULT_DESCENDING.get(sort, False)))

    def action_next_lens(self) -> None:
        """All orders → production → logistics → finance → all orders: each its filters, sort and columns."""
        current = self.query_state.lens or "all"
        lens = lenses.LENSES[(lenses.LENSES.index(current) + 1) % len(lenses.LENSES)]
        query = replace(lenses.lens_query(lens), text=self.query_state.text)
        self._apply(query, select=self.table.cursor_number)  # the summary line names the lens

    def action_filters(self) -> None:
        from notedesk.tui.screens.list_filters import ListFiltersModal

        self.app.push_screen(ListFiltersModal(self.query_state), callback=self._filtered)

    def _filtered(self, query: OrderQuery | None) -> None:
        if query is not None and query != self.query_state:
            self._apply(query, select=self.table.cursor_number)

    def action_reverse(self) -> None:
        self._apply(replace(self.query_state, descending=not self.query_state.descending))

    # --- ways out -----------------------------------------------------------------------------

    def _chosen(self) -> str | None:
        number = self.table.cursor_number
        if number is None:
            notify_plain(self, _("No order under the cursor."), severity="warning")
        return number

    def on_order_table_order_chosen(self, event: OrderTable.OrderChosen) -> None:
        event.stop()
        self._open(event.number)

    def action_open(self) -> None:
        number = self._chosen()
        if number:
            self._open(number)

    def _open(self, number: str) -> None:
        from notedesk.tui.screens.order_detail import OrderDetailScreen

        self.app.push_screen(OrderDetailScreen(number))

    def action_customer(self) -> None:
        number = self._chosen()
        if number:
            from notedesk.tui.screens.customer import CustomerScreen

            self.app.push_screen(CustomerScreen(number))

    def action_notes(self) -> None:
        number = self._chosen()
        if number:
            from notedesk.tui.screens.note_editor import NoteEditorScreen

            self.app.push_screen(NoteEditorScreen(number))

    def action_deadlines(self) -> None:
        from notedesk.tui.screens.deadline_view import DeadlineViewScreen

        self.app.push_screen(DeadlineViewScreen())

    def action_new_order(self) -> None:
        from notedesk.tui.screens.new_order import NewOrderScreen

        self.app.push_screen(NewOrderScreen(), callback=self._created)

    def _created(self, number: str | None) -> None:
        if not number:
            return
        self.query_one("#list-filter", Input).value = ""  # the new order must not be filtered away
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        self._apply(replace(self.query_state, text=""), select=number)
        self.set_focus(self.table)

    # --- status -------------------------------------------------------------------------------

    def action_status(self) -> None:
        order = self.table.cursor_order
        if order is None:
            notify_plain(self, _("No order under the cursor."), severity="warning")
            return
        from notedesk.tui.screens.status import ask_status, collect_of

        ask_status(self, order.number, order.status, then=self.reload, collect=collect_of(order))
