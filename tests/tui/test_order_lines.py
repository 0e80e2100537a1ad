"""How the order table draws its lines (widgets/order_lines.py): a row once per Look, one segment
per cell at its column; and the table's test for whether the scrollbar thumb moved, against Textual's."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from types import SimpleNamespace

from rich.style import Style
from textual.geometry import Size
from textual.scrollbar import ScrollBarRender

from notedesk.services.types import Deadline, OrderSummary
from notedesk.tui.widgets.order_cells import layout
from notedesk.tui.widgets.order_lines import LinePainter, Look
from notedesk.tui.widgets.order_table import _thumb_eighth

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
BASE = Style(color="white", bgcolor="black")


def look(width: int = 80, now: dt.datetime = NOW) -> Look:
    return Look(width=width, base=BASE, cursor=BASE + Style(bgcolor="blue"), header=BASE + Style(bold=True),
                muted=Style(color="grey50"), closed=Style(color="grey37"),
                overdue=Style(color="red", bold=True), today=Style(color="yellow", bold=True),
                soon=Style(color="yellow"), now=now, tz=UTC)


def order(number: str = "SO-2026-00001", date: dt.date | None = dt.date(2026, 12, 1),
          end: dt.time | None = dt.time(9)) -> OrderSummary:
    return OrderSummary(id=1, number=number, customer="王芳", company="芳华服饰", status="confirmed",
                        deadline=Deadline("x", date, None, end), payment_method="prepaid",
                        payment_status="paid", total=Decimal("10.00"), amount_due=None, currency="CNY",
                        updated_at=NOW)


def test_a_row_is_drawn_once_per_look():
    painter = LinePainter(rows=16)
    assert painter.use(look())
    first = painter.row(order())
    assert painter.has(order()) and painter.row(order()) is first
    assert not painter.has(order(), is_cursor=True)
    assert not painter.use(look())  # the same Look: the rows drawn stay
    assert painter.row(order()) is first
    assert painter.use(look(width=100))  # wider: drawn again, to the new width
    assert not painter.has(order())
    assert painter.row(order()).cell_length == 100
    assert painter.use(look(width=100, now=NOW + dt.timedelta(minutes=1)))  # the clock colours deadlines
    assert not painter.has(order())


def test_a_row_is_one_segment_per_cell_so_every_cell_starts_at_its_column():
    # An SVG screenshot places each segment at its cell offset: a segment running over Chinese text
    # into the next cells drifted there (the terminal is sent the same characters either way).
    painter = LinePainter(rows=16)
    painter.use(look())
    overdue = painter.row(order())  # due at 09:00, now 10:00
    assert overdue.cell_length == 80 and overdue.text.startswith("SO-2026-00001 王芳 · 芳华")
    cells = [s for s in overdue if s.text.strip()]
    columns = layout(80)
    assert len(cells) == len(columns)
    offsets, at = [], 0
    for segment in overdue:
        if segment.text.strip():
            offsets.append(at)
        at += segment.cell_length
    expected, at = [], 0
    for column in columns:
        expected.append(at)
        at += column.width + 1
    assert offsets == expected
    red = [s for s in overdue if s.style == BASE + Style(color="red", bold=True)]
    assert len(red) == 1 and red[0].text.startswith("12-01")  # the deadline cell alone is red


def test_the_thumb_moves_exactly_when_textual_draws_the_scrollbar_differently():
    rng = random.Random(7)
    for size, window, virtual in [(21, 21, 40), (21, 21, 100_001), (46, 46, 100_001), (21, 21, 2_000),
                                  (5, 5, 7), (21, 21, 21)]:
        bar = SimpleNamespace(size=Size(1, size), window_size=window, window_virtual_size=virtual)
        positions = [rng.randrange(0, max(1, virtual - window) * 8) / 8 for _ in range(200)]
        for a, b in zip(positions, positions[1:]):
            drawn_a = list(ScrollBarRender.render_bar(size, virtual, window, a).segments)
            drawn_b = list(ScrollBarRender.render_bar(size, virtual, window, b).segments)
            same_thumb = _thumb_eighth(bar, a) == _thumb_eighth(bar, b)
            assert same_thumb == (drawn_a == drawn_b), (size, virtual, a, b)
