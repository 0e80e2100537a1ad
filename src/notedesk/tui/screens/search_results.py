"""SearchResultsScreen: full-text search of the whole desk (numbers, customers, notes, the log).

Opened from the order list with `ctrl+f`, carrying what the filter box holds. A query box on top
searches as the clerk types (after a short pause) through services.search in a thread worker; the
table lists hits newest first: order number, customer, where the text was found (which note, the
log, the number or the customer), when it was written, and the matching line with the match marked.
`enter` opens the order; back from it, the search runs again (the order may have changed).

Every stored string reaches the table as a literal rich Text (notedesk.tui.safe); the snippet is
already cleaned by the service and is cut here to the width the terminal leaves, around the match.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from notedesk import clock, labels
from notedesk.errors import NotedeskError
from notedesk.i18n import _, ngettext
from notedesk.services import search
from notedesk.services.types import SearchHit
from notedesk.text import one_line
from notedesk.tui.safe import cell, line, notify_plain, text
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.table_columns import add_columns, fit_columns

LIMIT = 100
TYPE_DELAY_S = 0.25  # search after a pause in typing, not on every key
NUMBER_WIDTH = 13
CUSTOMER_WIDTH = 10
WHERE_WIDTH = 8
WHEN_WIDTH = 11
MATCH_STYLE = "bold reverse"  # readable in 16 colours and on the cursor row


def where_label(source: str) -> str:
    """Short words: the column is 8 cells wide at 80 columns."""
    return labels.source_label(source)


def snippet_text(hit: SearchHit, width: int) -> Text:
    """The hit's line cut to `width` cells around the match, the match styled (literal text)."""
    if hit.end > hit.start:
        body, start, end = search.snippet(hit.snippet, (hit.start, hit.end), width=width,
                                          context=max(4, width // 4))
    else:
        body, start, end = search.snippet(hit.snippet, None, width=width)
    out = text(body)
    if end > start:
        out.stylize(MATCH_STYLE, start, end)
    return out


class HitTable(DataTable):
    """The hits. DataTable's own enter binding is hidden, and as the focused widget's it hides the screen's."""

    BINDINGS = [Binding("enter", "select_cursor", _("Open"), key_display="⏎")]


class SearchResultsScreen(Screen):
    """Full-text search. Keys: type to search, enter open, down to the hits, escape back."""

    BINDINGS = [
        Binding("enter", "open", _("Open"), key_display="⏎"),
        Binding("ctrl+f", "edit_query", _("Search"), key_display="^f"),
        Binding("down", "to_hits", _("To the hits"), show=False),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query.strip()
        self.hits: list[SearchHit] = []
        self.shown_query: str | None = None
        self._asked: str | None = None  # the query of the newest search started
        self._timer: Timer | None = None
        self._resumed_once = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(value=self.query_text, id="search-query",
                    placeholder=_("search numbers, customers, notes and the log"))
        yield Static(id="search-summary")
        yield HitTable(id="search-hits", cursor_type="row", zebra_stripes=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = _("Search")
        table = self.table
        add_columns(table, ((key, text(title)) for key, title in (
            ("number", _("Order")), ("customer", _("Customer")), ("where", _("Where")), ("when", _("When")),
            ("snippet", _("Found")))))
        if self.query_text:
            table.focus()
            self.run_search(self.query_text)
        else:
            self.query_one("#search-query", Input).focus()
            self._summary(_("Type what to look for: Chinese or English, any length."))

    @property
    def table(self) -> DataTable:
        return self.query_one("#search-hits", DataTable)

    def on_screen_resume(self) -> None:
        if self._resumed_once and self.shown_query:  # back from an order: show it as it is now
            self.run_search(self.shown_query)
        self._resumed_once = True

    # --- searching ----------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(TYPE_DELAY_S, self._typed)

    def _typed(self) -> None:
        self._timer = None
        query = self.query_one("#search-query", Input).value.strip()
        if query != self._asked:
            self.run_search(query)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        query = event.value.strip()
        if query != self._asked:
            self.run_search(query)
        self.table.focus()

    def run_search(self, query: str) -> None:
        self._asked = query
        if not query:
            self.shown_query = ""
            self.hits = []
            self.table.clear()
            self._summary(_("Type what to look for: Chinese or English, any length."))
            return
        self._summary(_("Searching…"))
        run_service(self, search.search, query, limit=LIMIT, done=lambda hits: self._show(query, hits),
                    failed=self._failed, group="search-results", exclusive=True)

    def _failed(self, error: NotedeskError) -> None:
        notify_plain(self.app, str(error), severity="error", timeout=10)
        self._summary("")

    def _show(self, query: str, hits: list[SearchHit]) -> None:
        if query != self._asked:
            return  # typed on meanwhile: the newer search is on its way
        self.shown_query, self.hits = query, hits
        self._fill(self.table)
        if not hits:
            self._summary(_("Nothing has “{query}” in its number, customer, notes or log.").format(
                query=one_line(query, 30)))
        elif len(hits) >= LIMIT:
            self._summary(_("The newest {n} hits for “{query}”: type more to narrow them down.").format(
                n=len(hits), query=one_line(query, 30)))
        else:
            self._summary(ngettext("{n} hit for “{query}”, newest first", "{n} hits for “{query}”, newest first",
                                   len(hits)).format(n=len(hits), query=one_line(query, 30)))

    def _fill(self, table: DataTable) -> None:
        keep = table.cursor_row
        table.clear()
        today = clock.local_now().date()
        tz = clock.business_tz()
        rows = [(cell(hit.number, NUMBER_WIDTH, "bold"), cell(hit.customer, CUSTOMER_WIDTH),
                 cell(where_label(hit.source), WHERE_WIDTH),
                 cell(labels.format_date(hit.at.astimezone(tz).date(), today=today, with_weekday=False),
                      WHEN_WIDTH, "dim"))
                for hit in self.hits]
        fit_columns(table, rows)
        *columns, found = table.ordered_columns
        # the rest of the width is the matching line's (cell padding 1 each side of 5 columns)
        width = found.width = max(16, self.size.width - 10 - sum(column.width for column in columns) - 2)
        for n, (hit, row) in enumerate(zip(self.hits, rows)):
            table.add_row(*row, snippet_text(hit, width), key=str(n))
        if self.hits:
            table.move_cursor(row=min(keep, len(self.hits) - 1))

    def _summary(self, message: str) -> None:
        self.query_one("#search-summary", Static).update(line(message))

    def on_resize(self) -> None:
        if self.hits:
            self._fill(self.table)

    # --- keys ---------------------------------------------------------------------------------------

    def current(self) -> SearchHit | None:
        table = self.table
        if not self.hits or table.row_count == 0:
            return None
        return self.hits[min(table.cursor_row, len(self.hits) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if self.focused is self.query_one("#search-query", Input):
            return  # enter in the box submits the query (on_input_submitted)
        hit = self.current()
        if hit is None:
            return
        from notedesk.tui.screens.order_detail import OrderDetailScreen

        self.app.push_screen(OrderDetailScreen(hit.number))

    def action_edit_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def action_to_hits(self) -> None:
        self.table.focus()

    def action_back(self) -> None:
        self.dismiss()


__all__ = ["SearchResultsScreen", "snippet_text", "where_label"]
