"""OrderTable: the order list as a virtual table that holds a few pages of rows, never all of them.

Why not DataTable: it holds every row (10.8 s and 155 MB at 100,000 orders, issue 7). This is a
Line API ScrollView whose virtual height is the row count; `render_line` draws from a small cache
of pages that thread workers fetch from services.listing on demand (keyset from a neighbouring
page when there is one, else by offset), evicting pages far from the view.

Bytes on a slow link (issue 7): Textual does not use terminal scroll regions, so every scroll
repaints the whole widget. Moving the cursor inside the view therefore repaints only the old and
the new cursor line, and a cursor leaving the view scrolls a whole page, not one line.

Cells (labels, widths, Chinese-aware padding) are widgets/order_cells.py.
"""

from __future__ import annotations

from functools import partial

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from notedesk import clock
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import listing
from notedesk.services.listing import OrderQuery, Page
from notedesk.services.types import OrderSummary
from notedesk.store.models import CLOSED_STATUSES
from notedesk.tui.widgets.order_cells import (
    SORT_OF_COLUMN,
    Column,
    deadline_cell,
    deadline_urgency,
    fit,
    layout,
    money,
    payment_cell,
    status_label,
)

PAGE_SIZE = 64  # rows per fetch: more than a tall terminal shows, small enough to stay a few ms
KEEP_PAGES = 12  # pages kept in memory; the ones farthest from the view go first


class OrderTable(ScrollView, can_focus=True):
    """A virtual, keyboard-driven list of orders; posts OrderChosen on enter or double click."""

    COMPONENT_CLASSES = {
        "order-table--header", "order-table--cursor", "order-table--cursor-blurred",
        "order-table--overdue", "order-table--today", "order-table--soon", "order-table--closed",
        "order-table--muted",
    }
    BINDINGS = [
        Binding("up", "cursor(-1)", _("Up"), show=False),
        Binding("down", "cursor(1)", _("Down"), show=False),
        Binding("pageup", "page(-1)", _("Page up"), show=False),
        Binding("pagedown", "page(1)", _("Page down"), show=False),
        Binding("home", "jump(0)", _("First"), show=False),
        Binding("end", "jump(-1)", _("Last"), show=False),
        Binding("enter", "choose", _("Open"), key_display="⏎"),
    ]

    class OrderChosen(Message):
        """The clerk chose an order (enter or double click)."""

        def __init__(self, number: str) -> None:
            super().__init__()
            self.number = number

    class Counted(Message):
        """A (re)count finished: `count` rows match the query."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, query: OrderQuery | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.query = query or OrderQuery()
        self.count: int | None = None  # None until the first count arrives
        self.cursor = 0
        self._pages: dict[int, Page] = {}
        self._stale: dict[int, Page] = {}  # the previous load's pages, shown until replaced
        self._pending: set[int] = set()
        self._generation = 0
        self._now = clock.now()
        self._tz = clock.business_tz()
        self._error_shown = False
        self._want_scheduled = False
        self.failed = False  # the last load failed (an error message was shown); cleared by the next success

    # --- public -------------------------------------------------------------------------------

    @property
    def cursor_order(self) -> OrderSummary | None:
        return self.row(self.cursor) if self.count else None

    @property
    def cursor_number(self) -> str | None:
        order = self.cursor_order
        return order.number if order else None

    def row(self, index: int) -> OrderSummary | None:
        """The row at `index` if it is loaded (or still shown from the previous load)."""
        page, offset = divmod(index, PAGE_SIZE)
        for pages in (self._pages, self._stale):
            found = pages.get(page)
            if found is not None and offset < len(found.rows):
                return found.rows[offset]
        return None

    def set_query(self, query: OrderQuery, *, select: str | None = None) -> None:
        """Show `query`'s rows from the top (or with the cursor on order `select`)."""
        self.query = query
        self._stale = {}
        self._load(select=select, keep_cursor=False)

    def reload(self, *, select: str | None = None) -> None:
        """Count again and refetch what is visible. The cursor stays on its order (or goes to order
        `select`) even when a change moved it in the sort, so the next key acts on the order the
        clerk was on; on the same line when that order has left the list. The view scrolls only
        when the order moved out of it."""
        select = select or self.cursor_number
        self._stale = self._pages or self._stale  # a reload before anything arrived keeps the older rows
        self._load(select=select, keep_cursor=True)

    # --- loading ------------------------------------------------------------------------------

    def _load(self, *, select: str | None, keep_cursor: bool) -> None:
        self._generation += 1
        self._pages, self._pending = {}, set()
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False)
        self._now, self._tz = clock.now(), clock.business_tz()
        self.run_worker(partial(self._count_rows, self._generation, self.query, select), thread=True,
                        group="order-table-count", exclusive=True)

    def _count_rows(self, generation: int, query: OrderQuery, select: str | None) -> None:
        try:
            count = listing.count_orders(query)
            position = listing.position_of(query, select) if select else None
        except NotedeskError as exc:
            self.app.call_from_thread(self._failed, generation, None, exc)
            return
        self.app.call_from_thread(self._counted, generation, count, position)

    def _counted(self, generation: int, count: int, position: int | None) -> None:
        if generation != self._generation:
            return
        self.failed = False
        self.count = count
        self.virtual_size = Size(0, count + 1)  # +1: the column header is line 0
        self.cursor = position if position is not None else min(self.cursor, max(0, count - 1))
        if position is not None and not self._visible(position):
            self.scroll_to(y=max(0, min(position, self._max_top())), animate=False)
        self.refresh()
        self._want_visible()
        self.post_message(self.Counted(count))

    def _want_visible(self) -> None:
        """Ask for the pages the view shows, and one either side, in one worker (one connection)."""
        self._want_scheduled = False
        if not self.count:
            return
        top = int(self.scroll_offset.y)
        first, last = top // PAGE_SIZE, (top + max(1, self._rows_visible())) // PAGE_SIZE
        wanted = [p for p in range(max(0, first - 1), last + 2)
                  if p * PAGE_SIZE < self.count and p not in self._pages and p not in self._pending]
        self._evict(first, last)
        if not wanted:
            return
        requests = []
        for page in wanted:
            before, after = self._pages.get(page - 1), self._pages.get(page + 1)
            if before is not None and len(before.keys) == PAGE_SIZE:  # continue from a neighbour's key
                requests.append({"after": before.keys[-1]})
            elif after is not None and after.keys:
                requests.append({"before": after.keys[0]})
            else:
                requests.append({"offset": page * PAGE_SIZE})
        self._pending.update(wanted)
        self.run_worker(partial(self._fetch, self._generation, wanted, self.query, requests, self.count),
                        thread=True, group="order-table-pages")

    def _fetch(self, generation: int, pages: list[int], query: OrderQuery, requests: list[dict],
               total: int) -> None:
        try:
            results = listing.fetch_pages(query, requests, limit=PAGE_SIZE, total=total)
        except NotedeskError as exc:
            self.app.call_from_thread(self._failed, generation, pages, exc)
            return
        self.app.call_from_thread(self._fetched, generation, dict(zip(pages, results)))

    def _fetched(self, generation: int, results: dict[int, Page]) -> None:
        if generation != self._generation:
            return
        top = int(self.scroll_offset.y)
        for page, result in results.items():
            self._pending.discard(page)
            self._pages[page] = result
            self._stale.pop(page, None)
            first = page * PAGE_SIZE
            lo, hi = max(first, top), min(first + PAGE_SIZE, top + self._rows_visible())
            if lo < hi:  # only the lines of this page that are on screen
                self.refresh(Region(0, lo - top + 1, self._width(), hi - lo))
        self._evict(top // PAGE_SIZE, (top + self._rows_visible()) // PAGE_SIZE)

    def _failed(self, generation: int, pages: list[int] | None, exc: NotedeskError) -> None:
        self._pending.difference_update(pages or ())
        if generation == self._generation:
            self.failed = True
        if generation == self._generation and not self._error_shown:
            self._error_shown = True  # one message, not one per page
            show = getattr(self.app, "show_error", None)
            if show is not None:
                show(str(exc), on_close=self._error_closed)
            else:
                self.notify(str(exc), severity="error", markup=False)

    def _error_closed(self) -> None:
        self._error_shown = False

    def _evict(self, first: int, last: int) -> None:
        if len(self._pages) <= KEEP_PAGES:
            return
        far = sorted(self._pages, key=lambda p: -max(first - p, p - last, 0))
        for page in far[: len(self._pages) - KEEP_PAGES]:
            del self._pages[page]

    # --- geometry -----------------------------------------------------------------------------

    def _width(self) -> int:
        """Cells a line has: the widget less its vertical scrollbar (self.size includes it)."""
        return self.scrollable_content_region.width

    def _rows_visible(self) -> int:
        return max(0, self.scrollable_content_region.height - 1)

    def _max_top(self) -> int:
        return max(0, (self.count or 0) - self._rows_visible())

    def _visible(self, index: int) -> bool:
        top = int(self.scroll_offset.y)
        return top <= index < top + self._rows_visible()

    def _refresh_row(self, index: int) -> None:
        if self._visible(index):
            self.refresh(Region(0, index - int(self.scroll_offset.y) + 1, self._width(), 1))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._want_visible()

    def on_resize(self, event: events.Resize) -> None:
        self._want_visible()

    # --- cursor -------------------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row `index`: two lines repainted, or a page scrolled when it leaves the view."""
        if not self.count:
            return
        index = max(0, min(index, self.count - 1))
        old = self.cursor
        if index == old:
            return
        self.cursor = index
        if self._visible(index):
            self._refresh_row(old)
            self._refresh_row(index)
            return
        rows = max(1, self._rows_visible())
        top = int(self.scroll_offset.y)
        if abs(index - old) == 1:  # stepping out of the view: show the next (previous) page
            top = index if index > old else index - rows + 1
        else:  # a jump: keep the cursor where it was on the screen
            top = index - (old - top)
        self._scroll_page(top)

    def _scroll_page(self, top: int) -> None:
        top = max(0, min(top, self._max_top()))
        if not top <= self.cursor < top + self._rows_visible():
            top = max(0, min(self.cursor, self._max_top()))
        self.scroll_to(y=top, animate=False)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        if not self.count:
            return
        rows = max(1, self._rows_visible())
        self.cursor = max(0, min(self.cursor + direction * rows, self.count - 1))
        self._scroll_page(int(self.scroll_offset.y) + direction * rows)

    def action_jump(self, where: int) -> None:
        if self.count:
            self.move_cursor(where if where >= 0 else self.count - 1)

    def action_choose(self) -> None:
        number = self.cursor_number
        if number:
            self.post_message(self.OrderChosen(number))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1 or not self.count:
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if index < self.count:
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_choose()

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)

    def on_mount(self) -> None:
        self.set_interval(60, self._tick)  # colours follow the clock: today becomes overdue

    def _tick(self) -> None:
        self._now = clock.now()
        self.refresh()

    # --- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self._width()
        base = self.rich_style
        columns = layout(width)
        if y == 0:
            return self._header(columns, width, base)
        index = int(self.scroll_offset.y) + y - 1
        muted = base + self._overlay("order-table--muted")
        if self.count is None:
            return self._message(_("Loading…") if y == 1 else "", width, muted)
        if self.count == 0:
            empty = _("No orders match this filter.") if self.query.text.strip() else _("No orders yet: n adds one.")
            return self._message(empty if y == 1 else "", width, muted)
        if index >= self.count:
            return Strip.blank(width, base)
        order = self.row(index)
        if index == self.cursor:
            name = "order-table--cursor" if self.has_focus else "order-table--cursor-blurred"
            line_style = base + self.get_component_rich_style(name)
        else:
            line_style = base
        if order is None:
            if not self._want_scheduled:  # one request per frame, not one per missing line
                self._want_scheduled = True
                self.call_later(self._want_visible)
            return self._message("…", width, line_style + self._overlay("order-table--muted"))
        return self._row_strip(order, columns, width, line_style, index == self.cursor)

    def _overlay(self, name: str) -> Style:
        """Only what the component class sets (colour, bold): the line's background stays."""
        return self.get_component_rich_style(name, partial=True)

    def _message(self, text: str, width: int, style: Style) -> Strip:
        return Strip([Segment(" " + fit(text, max(0, width - 1)), style)], width)

    def _header(self, columns: list[Column], width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("order-table--header")
        arrow = "▼" if self.query.descending else "▲"
        cells = []
        for column in columns:
            title = column.title
            if SORT_OF_COLUMN.get(column.name) == self.query.sort:
                title = f"{title} {arrow}"
            cells.append(fit(title, column.width, column.right))
        return self._strip([(" ".join(cells), style)], width, style)

    def _row_strip(self, order: OrderSummary, columns: list[Column], width: int, style: Style,
                   is_cursor: bool) -> Strip:
        closed = order.status in CLOSED_STATUSES
        if closed and not is_cursor:
            style = style + self._overlay("order-table--closed")
        today = self._now.astimezone(self._tz).date()
        urgency = deadline_urgency(order, self._now, self._tz)
        customer = order.customer + (f" · {order.company}" if order.company else "")
        values = {
            "number": order.number, "customer": customer, "status": status_label(order.status),
            "deadline": deadline_cell(order, today), "payment": payment_cell(order),
            "amount": f"{money(order.total)} {order.currency}",
        }
        segments: list[tuple[str, Style]] = []
        for i, column in enumerate(columns):
            cell_style = style
            if column.name == "deadline" and not is_cursor:  # the cursor's colours stay legible
                if urgency is not None:
                    cell_style = style + self._overlay(f"order-table--{urgency}")
                elif order.deadline.date is None:
                    cell_style = style + self._overlay("order-table--muted")
            segments.append((fit(values[column.name], column.width, column.right), cell_style))
            if i < len(columns) - 1:
                segments.append((" ", style))
        return self._strip(segments, width, style)

    @staticmethod
    def _strip(parts: list[tuple[str, Style]], width: int, style: Style) -> Strip:
        segments = [Segment(text, s) for text, s in parts]
        used = sum(cell_len(text) for text, _s in parts)
        if used < width:
            segments.append(Segment(" " * (width - used), style))
        return Strip(segments).crop(0, width)
