"""How the order table's lines are drawn: the header, a row, a one-line message, as Strips.

A Look is everything a line's appearance depends on besides its row: the width, the styles the
table's CSS gives it and the clock that colours deadlines. The table reads it once a frame, not
once a line (`rich_style` alone walks every ancestor: measured, half the cost of a row).

LinePainter draws rows for the current Look and remembers them, so a cursor move draws one new
line, and a page jump finds its rows already drawn: the table draws the rows a jump would show
while the clerk reads (issue 7: a page jump redrew ~20 rows at ~0.5 ms each, over the 16 ms
budget at 80x24). A new Look (resize, theme, focus, the minute changing) forgets every row.

Cells (labels, widths, Chinese-aware padding) are widgets/order_cells.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from notedesk import labels
from notedesk.domain import CLOSED_STATUSES
from notedesk.services.types import OrderSummary
from notedesk.tui.widgets.order_cells import (
    SORT_OF_COLUMN,
    amount_cell,
    collect_cell,
    deadline_cell,
    deadline_urgency,
    fit,
    home_currency,
    items_cell,
    layout,
    marks_cell,
    method_cell,
    money_cell,
    next_cell,
    payment_cell,
    status_label,
)


@dataclass(frozen=True)
class Look:
    """The styles, width and clock of one frame. Overlays (muted, closed, the deadline's urgency)
    carry only what their component class sets, so the line's background stays."""

    width: int
    base: Style
    cursor: Style  # the whole cursor line: focused or not, as the table is now
    header: Style
    muted: Style
    closed: Style
    overdue: Style
    today: Style
    soon: Style
    now: dt.datetime
    tz: dt.tzinfo
    lens: str = "all"  # whose columns (services/lenses.py)


class LinePainter:
    """Strips for the table's lines in the current Look; rows are remembered until the Look changes."""

    def __init__(self, rows: int) -> None:
        self.look: Look | None = None
        self._rows: LRUCache[tuple[OrderSummary, bool], Strip] = LRUCache(rows)
        self._home = home_currency()
        self._columns = layout(0, home_currency=self._home)
        self._today = dt.date.min
        self._used = 0
        self._widths: dict[str, int] = {}  # column name -> cells

    def use(self, look: Look) -> bool:
        """Draw in `look` from now on; True when it differs from the last one (rows drawn are forgotten)."""
        if look == self.look:
            return False
        self.look = look
        self._rows.clear()
        self._columns = layout(look.width, look.lens, self._home)
        self._today = look.now.astimezone(look.tz).date()
        self._used = sum(c.width for c in self._columns) + len(self._columns) - 1
        self._widths = {c.name: c.width for c in self._columns}
        return True

    def _status(self, status: str) -> str:
        """The status's label, the short one ('producing') when the whole one is cut at this width."""
        label = status_label(status)
        width = next((c.width for c in self._columns if c.name == "status"), cell_len(label))
        return label if cell_len(label) <= width else labels.status_label(status, short=True)

    def has(self, order: OrderSummary, is_cursor: bool = False) -> bool:
        return (order, is_cursor) in self._rows

    def row(self, order: OrderSummary, is_cursor: bool = False) -> Strip:
        key = (order, is_cursor)
        strip = self._rows.get(key)
        if strip is None:
            strip = self._draw_row(order, is_cursor)
            self._rows.set(key, strip)
        return strip

    def header(self, sort: str, descending: bool) -> Strip:
        look = self.look
        arrow = "▼" if descending else "▲"
        cells = []
        for column in self._columns:
            title = column.title
            if SORT_OF_COLUMN.get(column.name) == sort:
                title = f"{title} {arrow}"
            cells.append(fit(title, column.width, column.right))
        return self._strip([(" ".join(cells), look.header)], self._used, look.header)

    def message(self, text: str, *, is_cursor: bool = False) -> Strip:
        """A muted line (loading, empty list, a row not fetched yet) with one space before it."""
        look = self.look
        style = (look.cursor if is_cursor else look.base) + look.muted
        return Strip([Segment(" " + fit(text, max(0, look.width - 1)), style)], look.width)

    def blank(self) -> Strip:
        return Strip.blank(self.look.width, self.look.base)

    def _draw_row(self, order: OrderSummary, is_cursor: bool) -> Strip:
        look = self.look
        style = look.cursor if is_cursor else look.base
        if order.status in CLOSED_STATUSES and not is_cursor:
            style = style + look.closed
        deadline_style = style
        if not is_cursor:  # the cursor's colours stay legible
            urgency = deadline_urgency(order, look.now, look.tz)
            if urgency is not None:
                deadline_style = style + getattr(look, urgency)
            elif order.deadline.date is None:
                deadline_style = style + look.muted
        customer = order.customer + (f" · {order.company}" if order.company else "")
        styles = {"deadline": deadline_style}
        if look.lens == "all":
            values = {
                "number": order.number, "customer": customer, "status": self._status(order.status),
                "deadline": deadline_cell(order, self._today),
                "payment": payment_cell(order, self._widths.get("payment")),
                "amount": amount_cell(order, self._home, self._widths.get("amount")),
            }
        else:
            values = self._lens_values(order, customer)
            next_text, urgency = next_cell(order, self._today)
            values["next"] = next_text
            if urgency is not None and not is_cursor:
                styles["next"] = style + getattr(look, urgency)
        parts = []
        for column in self._columns:
            text = fit(values[column.name], column.width, column.right)
            parts.append((text, styles.get(column.name, style)))
        return self._strip(parts, self._used, style)

    def _lens_values(self, order: OrderSummary, customer: str) -> dict[str, str]:
        """A lens's cells (order_cells.LENS_COLUMNS): never a price on production's."""
        values = {"number": order.number, "customer": customer, "deadline": deadline_cell(order, self._today),
                  "status": status_label(order.status, short=True)}
        lens = self.look.lens
        if lens == "production":
            values.update(marks=marks_cell(order), items=items_cell(order))
        elif lens == "logistics":
            values.update(address=order.address, phone=order.phone,
                          collect=collect_cell(order, self._widths["collect"]))
        elif lens == "finance":
            values.update(method=method_cell(order.payment_method, self._widths["method"]),
                          due=money_cell(order.due_amount, self._widths["due"]),
                          received=money_cell(order.received, self._widths["received"]),
                          balance=money_cell(order.balance, self._widths["balance"]))
        return values

    def _strip(self, parts: list[tuple[str, Style]], used: int, style: Style) -> Strip:
        """The cells, a space in the line's style between them, padded (or cut) to the width. One
        segment per cell, not per run of a style: a segment is placed by its cell offset in an SVG
        screenshot, and a run holding Chinese text drifts there (the terminal gets the same bytes)."""
        width = self.look.width
        pieces = [parts[0]]
        for part in parts[1:]:
            pieces += [(" ", style), part]
        if used < width:
            pieces.append((" " * (width - used), style))
        strip = Strip([Segment(text, piece_style) for text, piece_style in pieces], max(used, width))
        return strip if used <= width else strip.crop(0, width)
