"""OrderTable: the order list as a virtual table that holds a few pages of rows, never all of them.

Why not DataTable: it holds every row (10.8 s and 155 MB at 100,000 orders, issue 7). This is a
Line API ScrollView whose virtual height is the row count; `render_line` draws from a small cache
of pages that thread workers fetch from services.listing on demand (keyset from a neighbouring
page when there is one, else by offset), evicting pages far from the view.

Bytes on a slow link (issue 7): Textual does not use terminal scroll regions, so every scroll
repaints the whole widget. Moving the cursor inside the view therefore repaints only the old and
the new cursor line, and a cursor leaving the view scrolls a whole page, not one line.

Latency (issue 7: a key answered within 16 ms at 100,000 orders): no key waits for the database or
for drawing rows it does not show. After each scroll, once the frame is out, the pages around the
view are fetched and the rows a page jump up or down would show are drawn ahead, a few per turn
of the event loop; the scrollbar repaints only when its thumb moves.

How lines are drawn (and remembered) is widgets/order_lines.py; cells are widgets/order_cells.py.
"""

from __future__ import annotations

from functools import partial
from itertools import chain
from math import ceil

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from notedesk import clock
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import listing
from notedesk.services.listing import FirstScreen, OrderQuery, Page
from notedesk.services.types import OrderSummary
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.order_lines import LinePainter, Look

PAGE_SIZE = listing.PAGE_ROWS  # rows per fetch (the desk's first read fetches as many)
KEEP_PAGES = 12  # pages kept in memory; the ones farthest from the view go first
# Fetching and drawing ahead wait this long after a scroll, so that the frame reaches the terminal
# first: Textual's writer thread needs the GIL they would hold (measured at 80x24, 100,000 orders:
# page jumps answered in 12.8 ms median, 21 ms worst, when they started at once; 10.1 and 12 ms so).
AHEAD_DELAY_S = 0.05
WARM_CHUNK = 8  # rows drawn ahead of a page jump per turn of the event loop (~1 ms)


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
        Binding("enter", "choose", _("Open"), key_display="⏎", show=False),  # see OrderListScreen
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

    def __init__(self, query: OrderQuery | None = None, *, first: FirstScreen | None = None, **kwargs) -> None:
        """`first`: the first load's answer, read before the desk started (used if it fits the query)."""
        super().__init__(**kwargs)
        self.query = query or OrderQuery()
        self._first = first
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
        self._painter = LinePainter(rows=KEEP_PAGES * PAGE_SIZE)
        self._in_frame = False
        self._component_styles_seen: dict[tuple[str, bool], Style] = {}
        self._ahead_scheduled = False
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
        top = not keep_cursor and select is None  # the view starts at the top: its rows come along
        first, self._first = self._first, None  # it can only answer the first load
        if first is not None and top and (first.query, first.limit) == (self.query, PAGE_SIZE):
            self._counted(self._generation, first.count, first.page)  # rows in the very first frame
            return
        generation, query = self._generation, self.query

        def count_and_first_page() -> tuple[int, Page | None, int | None]:
            # With the first page in the same worker, a new list paints after one round trip, not
            # two (issue 7: at 100,000 orders the second one cost ~0.1 s of the first paint, the
            # worker sharing the GIL with the starting desk).
            count = listing.count_orders(query)
            position = listing.position_of(query, select) if select else None
            first = listing.fetch_page(query, offset=0, limit=PAGE_SIZE) if top and count else None
            return count, first, position

        run_service(self, count_and_first_page, done=lambda found: self._counted(generation, *found),
                    failed=partial(self._failed, generation, None), group="order-table-count", exclusive=True)

    def _counted(self, generation: int, count: int, first: Page | None = None, position: int | None = None) -> None:
        if generation != self._generation:
            return
        if first is not None:
            self._pages[0] = first
            self._stale.pop(0, None)
        self.failed = False
        self.count = count
        self.virtual_size = Size(0, count + 1)  # +1: the column header is line 0
        if not self.container_size and count + 1 > self.app.size.height:
            # Before the first layout: with the scrollbar decided only after it, the first frame drew
            # every row a column wider and the next one drew them all again (issue 21: 8 KB at 80x24).
            self.show_vertical_scrollbar = True
        self.cursor = position if position is not None else min(self.cursor, max(0, count - 1))
        if position is not None and not self._visible(position):
            self.scroll_to(y=max(0, min(position, self._max_top())), animate=False)
        self.refresh()
        self._want_soon()
        self.post_message(self.Counted(count))

    def _view_pages(self) -> tuple[int, int]:
        """The first and last page the view shows."""
        top = int(self.scroll_offset.y)
        return top // PAGE_SIZE, (top + max(1, self._rows_visible())) // PAGE_SIZE

    def _want_soon(self) -> None:
        """What the view lacks at once; when it lacks nothing (the first page came with the count), the
        pages either side once this frame is out: a worker started now would slow the frame down."""
        first, last = self._view_pages()
        if all(p in self._pages for p in range(first, last + 1) if p * PAGE_SIZE < (self.count or 0)):
            self._ahead_later()
        else:
            self._want_visible()

    def _want_visible(self) -> None:
        """Ask for the pages the view shows, and one either side, in one worker (one connection)."""
        self._want_scheduled = False
        if not self.count:
            return
        first, last = self._view_pages()
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
        generation = self._generation
        run_service(self, listing.fetch_pages, self.query, requests, limit=PAGE_SIZE, total=self.count,
                    done=lambda results: self._fetched(generation, dict(zip(wanted, results))),
                    failed=partial(self._failed, generation, wanted), group="order-table-pages")

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
        self._ahead_later()

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
        # ScrollView's watcher, but the scrollbar is repainted only when its thumb moves: at 100,000
        # orders a page moves it by less than an eighth of a cell, and repainting its lines cost
        # as much as the page's rows (measured).
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            moved = _thumb_eighth(bar, new_value) != _thumb_eighth(bar, bar.position)
            bar.set_reactive(ScrollBar.position, bar.validate_position(new_value))
            if moved:
                bar.refresh()
        if round(old_value) == round(new_value):
            return
        self.refresh(self.size.region)
        self._ahead_later()

    def _ahead_later(self) -> None:
        """Fetch the pages around the view and draw the rows a page jump would show, once this
        frame is on the terminal."""
        if not self._ahead_scheduled:
            self._ahead_scheduled = True
            self.set_timer(AHEAD_DELAY_S, self._ahead)

    def _ahead(self) -> None:
        self._ahead_scheduled = False
        self._want_visible()
        self._warm()

    def on_resize(self, event: events.Resize) -> None:
        self._want_soon()

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

    def _look(self) -> Look:
        base, style = self.rich_style, self._component_style
        cursor = "order-table--cursor" if self.has_focus else "order-table--cursor-blurred"
        overlays = {name: style(f"order-table--{name}", partial=True)
                    for name in ("muted", "closed", "overdue", "today", "soon")}
        return Look(width=self._width(), base=base, cursor=base + style(cursor),
                    header=base + style("order-table--header"), now=self._now, tz=self._tz,
                    lens=self.query.lens or "all", **overlays)

    def _component_style(self, name: str, *, partial: bool = False) -> Style:
        """A component class's style (partial: only what the class sets, so the line's background
        stays), kept until the CSS changes, as DataTable keeps its own: Textual forgets its copy on
        every refresh, and reading seven of them again cost ~0.5 ms a frame (measured)."""
        key = (name, partial)
        if key not in self._component_styles_seen:
            self._component_styles_seen[key] = self.get_component_rich_style(name, partial=partial)
        return self._component_styles_seen[key]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._component_styles_seen.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        """A frame: the Look is read once for all its lines."""
        if self._painter.use(self._look()):  # a new Look: the rows drawn ahead are gone
            self._ahead_later()
        self._in_frame = True
        try:
            return super().render_lines(crop)
        finally:
            self._in_frame = False

    def render_line(self, y: int) -> Strip:
        painter = self._painter
        if not self._in_frame:  # called on its own (tests): no frame has read the Look
            painter.use(self._look())
        if y == 0:
            return painter.header(self.query.sort, self.query.descending)
        if self.count is None:
            return painter.message(_("Loading…") if y == 1 else "")
        if self.count == 0:
            q = self.query
            filtered = q.text.strip() or q.statuses or q.payment_statuses or q.due or q.customer.strip() or q.open_only
            empty = _("No orders match this filter.") if filtered else _("No orders yet: n adds one.")
            return painter.message(empty if y == 1 else "")
        index = int(self.scroll_offset.y) + y - 1
        if index >= self.count:
            return painter.blank()
        order = self.row(index)
        if order is None:
            if not self._want_scheduled:  # one request per frame, not one per missing line
                self._want_scheduled = True
                self.call_later(self._want_visible)
            return painter.message("…", is_cursor=index == self.cursor)
        return painter.row(order, index == self.cursor)

    def _warm(self) -> None:
        """Draw the rows a page jump down or up would show, WARM_CHUNK at a time (a key that comes
        meanwhile waits for one chunk at most), so that the jump finds them drawn."""
        if not self.count or self._painter.look is None:
            return
        rows, top = self._rows_visible(), int(self.scroll_offset.y)
        drawn = 0
        for index in chain(range(top + rows, top + 2 * rows), range(top - 1, top - rows - 1, -1)):
            order = self.row(index) if 0 <= index < self.count else None
            if order is None or self._painter.has(order):
                continue
            if drawn == WARM_CHUNK:
                self.call_later(self._warm)
                return
            self._painter.row(order)
            drawn += 1


def _thumb_eighth(bar: ScrollBar, position: float) -> int:
    """Where Textual's ScrollBarRender draws the top of the thumb, in eighths of a cell."""
    size, virtual, window = bar.size.height, ceil(bar.window_virtual_size), ceil(bar.window_size)
    if not (size and virtual and window) or window >= virtual or size == virtual:
        return 0
    thumb = max(1, window / (virtual / size))
    return int((size - thumb) * position / (virtual - window) * 8)
