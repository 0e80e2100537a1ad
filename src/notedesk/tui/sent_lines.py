"""What the terminal shows already, line by line, so that a repaint sends only the cells that changed.

Why: Textual repaints the whole screen more often than anything on it changes. A screen that comes
back on top (back from the detail), a Resize right after start, the App's `sub_title` (the header's
reminder counts) and a widget whose layout geometry moves (a summary that grows by a digit) each send
every line again, though most of them are the very lines the terminal shows. Over a slow SSH link
those bytes are the cost (issue 21; benchmarks/results.md).

How: the app's `_display` (NotedeskApp) hands each update from Textual's compositor to
`SentLines.update()` before it is written. Every line the update touches (all of them for a full
repaint, Textual's `LayoutUpdate`; the dirty ones of a partial `ChopsUpdate`) is rendered whole, as
the terminal will show it, and compared with what was sent for that line last: an unchanged line is
not sent; a changed one goes out from its first changed cell to its last (a whole wide character at
either end), or whole when nothing is known of it yet. So the terminal always shows exactly what
was sent, and nothing is assumed that was not.

What resets it (the terminal may not show what was sent): a new size, the app resuming after a
suspend, `ctrl+l` (redraw: `forget()` and a full repaint).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

Cell = tuple[str, object]  # a character (or "" for the right half of a wide one) and its style


def _move_to(x: int, y: int) -> str:
    return f"\x1b[{y + 1};{x + 1}H"


def _cells(strip: Strip) -> list[Cell] | None:
    """The line cell by cell; None when it holds control segments (an image) that have no cells."""
    out: list[Cell] = []
    append = out.append
    for segment in strip:
        if segment.control:
            return None
        style = segment.style
        for char in segment.text:
            append((char, style))
            if cell_len(char) == 2:
                append(("", style))
    return out


def _changed_span(old: list[Cell], new: list[Cell]) -> tuple[int, int] | None:
    """Cells [start, end) that differ, widened to whole wide characters; None: the same."""
    size = len(new)
    start = 0
    while start < size and old[start] == new[start]:
        start += 1
    if start == size:
        return None
    end = size
    while end > start and old[end - 1] == new[end - 1]:
        end -= 1
    while start > 0 and (new[start][0] == "" or old[start][0] == ""):
        start -= 1
    while end < size and (new[end][0] == "" or old[end][0] == ""):
        end += 1
    return start, end


def _render(strip: Strip, console: Console) -> str:
    """What Strip.render writes, the terminal left in the same state, in fewer bytes: Textual sets a
    style and resets it around every segment (a table cell, its padding, each column's gap each
    repeat the same colours); this writes one SGR where the style changes (reset and set in one
    sequence) and a reset at the end. A segment with a link is written as Textual writes it."""
    color_system = console._color_system or ColorSystem.TRUECOLOR
    out: list[str] = []
    append = out.append
    current = ""  # the SGR parameters in effect ("": none)
    for text, style, _control in strip:
        if style is None:
            ansi = ""
        elif style._link:
            if current:
                append("\x1b[0m")
                current = ""
            append(Strip.render_style(style, text, color_system))
            continue
        else:
            ansi = style._ansi if style._ansi is not None else Strip.render_ansi(style, color_system)
        if ansi != current:
            append(f"\x1b[0;{ansi}m" if ansi else "\x1b[0m")
            current = ansi
        append(text)
    if current:
        append("\x1b[0m")
    return "".join(out)


class LinesUpdate(CompositorUpdate):
    """The changed parts of an update, ready to write."""

    def __init__(self, text: str) -> None:
        self.text = text

    def render_segments(self, console: Console) -> str:
        return self.text

    def __rich_console__(self, console, options):  # only render_segments is used for a terminal
        yield Segment(self.text)


class SentLines:
    """For each line of the screen: its text as sent and its cells (None: not known)."""

    def __init__(self) -> None:
        self.width = 0
        self.lines: list[tuple[str, list[Cell] | None] | None] = []
        self.sent_lines = 0  # counters, for tests
        self.kept_lines = 0

    def forget(self) -> None:
        """The terminal's content is unknown (cleared, resized, resumed): the next repaint sends all."""
        self.lines = [None] * len(self.lines)

    def update(self, update: CompositorUpdate, console: Console, size: tuple[int, int],
               compositor) -> CompositorUpdate | None:
        """What to write instead of `update` (made by `compositor`, the screen's): only what differs from
        what the terminal shows (None: nothing)."""
        width, height = size
        if width != self.width or height != len(self.lines):
            self.width, self.lines = width, [None] * height
        if isinstance(update, LayoutUpdate) and update.region == Region(0, 0, width, height):
            lines = {y: Strip.join(strips) for y, strips in enumerate(update.strips)}
        elif isinstance(update, ChopsUpdate):
            touched = sorted({y for y, _x1, _x2 in update.spans if 0 <= y < height})
            if not touched:
                return None
            wanted = set(touched)
            chops = compositor._render_chops(Region(0, touched[0], width, touched[-1] - touched[0] + 1),
                                             wanted.__contains__)
            lines = {}
            for y in touched:
                strips = list(chops[y].values())
                if None in strips:  # a part no widget covers (should not happen): Textual's own update
                    self.forget()
                    return update
                lines[y] = Strip.join(strips)
        else:
            self.forget()
            return update
        out: list[str] = []
        for y, strip in lines.items():
            self._line(y, strip, console, out)
        return LinesUpdate("".join(out)) if out else None

    def _line(self, y: int, strip: Strip, console: Console, out: list[str]) -> None:
        text = _render(strip, console)
        old = self.lines[y]
        if old is not None and old[0] == text:
            self.kept_lines += 1
            return
        self.sent_lines += 1
        cells = _cells(strip)
        span = None
        if old is not None and old[1] is not None and cells is not None and len(old[1]) == len(cells):
            span = _changed_span(old[1], cells)
        if span is None:
            out.append(_move_to(0, y))
            out.append(text)
        else:
            start, end = span
            out.append(_move_to(start, y))
            out.append(_render(strip.crop(start, end), console))
        self.lines[y] = (text, cells)
