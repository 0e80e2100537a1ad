"""SentLines (tui/sent_lines.py): a repaint sends only the lines, and within them the cells, that differ
from what the terminal shows; what it does not know it sends whole."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from notedesk.tui.sent_lines import SentLines

WIDTH = 10
CONSOLE = Console(color_system="truecolor", force_terminal=True, width=WIDTH)
PLAIN, BOLD = Style(color="white"), Style(bold=True)


def strip(text: str, style: Style = PLAIN) -> Strip:
    return Strip([Segment(text.ljust(WIDTH - sum(2 for c in text if ord(c) > 0x2E80)), style)])


def full(*lines: str) -> LayoutUpdate:
    return LayoutUpdate([[strip(line)] for line in lines], Region(0, 0, WIDTH, len(lines)))


def sent(lines: SentLines, *rows: str) -> str:
    update = lines.update(full(*rows), CONSOLE, (WIDTH, len(rows)), compositor=None)
    return "" if update is None else update.render_segments(CONSOLE)


def test_the_first_repaint_sends_every_line_and_the_same_repaint_again_nothing():
    lines = SentLines()
    first = sent(lines, "order 1", "order 2")
    assert "order 1" in first and "order 2" in first
    assert sent(lines, "order 1", "order 2") == ""


def test_a_changed_line_sends_from_its_first_to_its_last_changed_cell():
    lines = SentLines()
    sent(lines, "order 1", "order 2")
    out = sent(lines, "order 1", "order 7")
    assert out.startswith("\x1b[2;7H")  # line 2, column 7: the only cell that changed
    assert "7" in out and "order" not in out


def test_a_wide_character_is_sent_whole():
    lines = SentLines()
    sent(lines, "红色 T", "x")
    out = sent(lines, "绿色 T", "x")  # the first character (two cells) changed
    assert out.startswith("\x1b[1;1H") and "绿" in out and "色" not in out


def test_forget_sends_everything_again():
    lines = SentLines()
    sent(lines, "order 1", "order 2")
    lines.forget()
    out = sent(lines, "order 1", "order 2")
    assert "order 1" in out and "order 2" in out


def test_a_new_size_sends_everything_again():
    lines = SentLines()
    sent(lines, "order 1", "order 2")
    out = sent(lines, "order 1", "order 2", "order 3")
    assert all(f"order {n}" in out for n in (1, 2, 3))


def _terminal(written: str, width: int = 40) -> list[list[tuple]]:
    """Each cell's character and attributes (pyte) after `written`."""
    import pyte

    screen = pyte.Screen(width, 1)
    pyte.Stream(screen).feed(written + "\x1b[0m")
    cell = lambda c: (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse)  # noqa: E731
    return [[cell(screen.buffer[0][x]) for x in range(width)]]


def test_a_line_is_written_with_one_style_sequence_per_change_and_shows_what_textual_would():
    from notedesk.tui.sent_lines import _render

    cell = Style(color="#dadada", bgcolor="#121212")
    head = Style(color="#dadada", bgcolor="#121212", bold=True)
    line = Strip([Segment("SO-1", cell), Segment(" ", cell), Segment("on hold", cell), Segment(" ", cell),
                  Segment("Qty", head), Segment(" "), Segment("link", Style(link="https://example.com")),
                  Segment("2,844.00", Style(color="red", italic=True, underline=True, reverse=True))])
    ours, textuals = _render(line, CONSOLE), line.render(CONSOLE)
    assert _terminal(ours) == _terminal(textuals)  # the same cells, the same colours and attributes
    assert len(ours) < len(textuals)
    assert ours.count("\x1b[0;") == 3  # the row's cells, the bold heading, the red amount: one set each
    assert "https://example.com" in ours  # a link as Textual writes it
