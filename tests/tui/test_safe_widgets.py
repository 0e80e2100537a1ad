"""Stored text given to widgets through notedesk.tui.safe renders literally (docs/ARCHITECTURE.md, "Text is data").

What is asserted is what Textual paints: the screen's rendered lines, and that no
painted segment carries a ``@click`` action. The plain-``str`` cases are the
control: they show the same assertions catch markup being parsed.
"""

from __future__ import annotations

import pytest
from harness import click_actions, screen_text
from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Button, DataTable, Label, Static, TabbedContent, TabPane, Tree

from notedesk.tui import safe

HOSTILE = "A[@click=app.quit]B[/]C Call [Tom] asap"
ESCAPES = "title\x1b]0;pwned\x07 clip\x1b]52;c;aGk=\x07 \x9b2J \u202etxt"
ESCAPES_SHOWN = "title\ufffd]0;pwned\ufffd clip\ufffd]52;c;aGk=\ufffd \ufffd2J \ufffdtxt"



class WidgetsApp(App):
    """Every kind of place a stored string ends up in, fed through the safe helpers."""

    def __init__(self, value: str, wrap=safe.content, cell=safe.text) -> None:
        super().__init__()
        self.value = value
        self.wrap = wrap
        self.cell = cell

    def compose(self) -> ComposeResult:
        yield Static(self.wrap(self.value), id="static")
        yield Label(self.wrap(self.value), id="label")
        yield DataTable(id="table")
        with TabbedContent(id="tabs"), TabPane(self.wrap(self.value), id="pane"):
            yield Label("pane body")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("note", key="note")
        table.add_row(self.cell(self.value))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "where",
    ["#static", "#label", "#table", "#tabs Tabs"],  # the tab title is painted by the Tabs strip
    ids=["Static", "Label", "DataTable cell", "TabPane title"],
)
async def test_markup_in_stored_text_is_shown_literally(where: str) -> None:
    app = WidgetsApp(HOSTILE)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        region = app.query_one(where).region
        assert region.area  # it is on screen
        lines = screen_text(app).split("\n")
        painted = "\n".join(line[region.x : region.right] for line in lines[region.y : region.bottom])
        assert HOSTILE in painted
        assert "[@click=app.quit]" in painted and "[/]" in painted and "Call [Tom] asap" in painted
        assert click_actions(app) == []


@pytest.mark.asyncio
async def test_plain_strings_would_be_parsed_as_markup() -> None:
    """Control: the same assertions fail when a widget is handed a str."""
    app = WidgetsApp(HOSTILE, wrap=lambda s: s, cell=lambda s: s)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        assert HOSTILE not in screen_text(app)
        assert "ABC Call  asap" in screen_text(app)  # [Tom] silently lost
        assert click_actions(app)  # and live @click actions painted


@pytest.mark.asyncio
async def test_clicking_literal_click_markup_does_nothing() -> None:
    app = WidgetsApp(HOSTILE)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        assert await pilot.click("#static", offset=(1, 0))  # where a parsed str has its live "B"
        await pilot.pause()
        assert app.is_running and app.return_code is None


@pytest.mark.asyncio
async def test_terminal_escapes_and_bidi_are_shown_as_replacement_characters() -> None:
    app = WidgetsApp(ESCAPES)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        painted = screen_text(app)
        assert painted.count(ESCAPES_SHOWN) == 4  # static, label, table cell, tab title
        assert "\x1b" not in painted and "\x07" not in painted and "\x9b" not in painted


@pytest.mark.asyncio
async def test_other_widgets_given_content_or_text() -> None:
    class OtherApp(App):
        def compose(self) -> ComposeResult:
            yield Button(safe.content(HOSTILE), id="button")
            tree: Tree[None] = Tree(safe.text(HOSTILE), id="tree")  # Tree needs Text, not Content
            tree.root.expand()
            tree.root.add_leaf(safe.text(HOSTILE))
            tree.styles.height = 3
            yield tree
            box = Static("body", id="box")
            box.styles.border = ("round", "white")
            box.border_title = safe.line("第一行\n" + HOSTILE, width=50)
            yield box

    app = OtherApp()
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        painted = screen_text(app)
        assert painted.count(HOSTILE) == 4  # button, tree root, tree leaf, border title
        assert click_actions(app) == []


@pytest.mark.asyncio
async def test_notify_plain_shows_message_and_title_literally() -> None:
    app = App()
    async with app.run_test(size=(100, 20), notifications=True) as pilot:
        safe.notify_plain(app, HOSTILE + "\x1b[2J", title="[b]" + HOSTILE, timeout=30)
        safe.notify_plain(app, "[/]", markup=True, timeout=30)  # markup=True is overridden
        await pilot.pause()
        await pilot.pause(0.1)
        painted = screen_text(app)
        assert HOSTILE + "\ufffd[2J" in painted
        assert "[b]" + HOSTILE in painted
        assert "[/]" in painted
        assert click_actions(app) == []


def test_helpers_return_literal_objects() -> None:
    assert isinstance(safe.content("[b]x"), Content)
    assert safe.content("[b]x\x1b").plain == "[b]x\ufffd"
    assert safe.content("a\r\nb").plain == "a\nb"  # Content alone would drop \r
    assert isinstance(safe.text("[b]x"), Text)
    assert safe.text("[b]x\x1b", style="bold").plain == "[b]x\ufffd"
    assert str(safe.text("x", style="bold").style) == "bold"
    assert safe.line("客户需求\n交货", width=7).plain == "客户需…"
    assert isinstance(safe.cell("x"), Text)
    assert safe.cell("客户需求\n交货\x1b", width=7, style="red").plain == "客户需…"
    assert safe.cell("客户\n交货\x1b").plain == "客户 交货\ufffd"
