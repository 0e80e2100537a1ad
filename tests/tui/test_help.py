"""`?` on every screen lists its keys and the global ones; ctrl+p offers the screen's actions by name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import sample_order
from notedesk.services import orders
from notedesk.tui.app import NotedeskApp
from notedesk.tui.screens.deadline_view import DeadlineViewScreen
from notedesk.tui.screens.help import HelpScreen, key_name, palette_commands
from notedesk.tui.screens.note_editor import NoteEditorScreen
from notedesk.tui.screens.order_detail import OrderDetailScreen
from notedesk.tui.screens.order_list import OrderListScreen

NUMBER = "SO-2026-00042"
ROOT = Path(__file__).resolve().parents[2]


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def order(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:00:00")
    return orders.create_order(sample_order())


async def open_screen(pilot, name: str):
    """From the list, the way a clerk gets there."""
    await settle(pilot)
    if name in ("detail", "editor"):
        await pilot.press("enter")
        await settle(pilot)
        if name == "editor":
            await pilot.press("e")
            await settle(pilot)
    elif name == "deadlines":
        await pilot.press("d")
        await settle(pilot)
    return pilot.app.screen


async def help_for(pilot, key: str = "question_mark") -> dict[str, dict[str, str]]:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    return {title: dict(keys) for title, keys in pilot.app.screen.groups}


def every_key(groups: dict[str, dict[str, str]]) -> dict[str, str]:
    return {key: text for keys in groups.values() for key, text in keys.items()}


GLOBAL = {"?": "Help", "F1": "Help", "ctrl+p": "Commands", "ctrl+q": "Quit the app and return to the command prompt."}


@pytest.mark.parametrize("name, screen_type, expected", [
    ("list", OrderListScreen, {"/": None, "enter": "Open", "e": None, "n": None, "d": None, "s": None,
                               "q": "Quit", "escape": "Clear filter"}),
    ("detail", OrderDetailScreen, {"e": "Edit notes", "a": "Amend", "l": "Log call", "s": "Status", "h": "History",
                                   "o": "Save a sheet of this order: production, delivery slip or finance "
                                        "(html, md, txt)",
                                   "escape": "Back"}),
    ("editor", NoteEditorScreen, {"ctrl+s": "Save", "escape": "Close", "ctrl+PgDn": "Next tab",
                                  "ctrl+PgUp": "Previous tab", "F2": "Go to the tab Requirements",
                                  "F4": "Go to the tab Delivery", "F6": "Go to the tab Communication",
                                  "ctrl+o": "History"}),
    ("deadlines", DeadlineViewScreen, {"enter": "Open", "x": "Delivered", "p": "Deadline", "escape": "Back"}),
])
async def test_question_mark_lists_the_screen_keys_and_the_global_ones(order, name, screen_type, expected):
    app = NotedeskApp("unused")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, name)
        assert isinstance(screen, screen_type)
        # in the editor the note has the focus and ? is text: F1 is the help key there
        groups = await help_for(pilot, "f1" if name == "editor" else "question_mark")
        this_screen, everywhere = groups["This screen"], groups["Everywhere"]
        for key, text in expected.items():
            assert key in this_screen, (key, this_screen)
            if text:
                assert this_screen[key] == text
        # where a field has the focus Textual leaves out the keys it would type (?): help says F1
        globals_ = {k: v for k, v in GLOBAL.items() if not (name == "editor" and k == "?")}
        for key, text in globals_.items():
            assert everywhere[key] == text
        assert list(everywhere)[:len(globals_) - 1] == [k for k in globals_ if k != "ctrl+q"]  # notedesk's first
        assert not any("super+" in key for key in every_key(groups))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # escape closes help and nothing else


async def test_in_the_editor_question_mark_is_text_and_f1_is_help(order):
    app = NotedeskApp("unused")
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_screen(pilot, "editor")
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is editor and "?" in editor.focused.text
        await pilot.press("tab")  # the note's tab bar: ? is a key again
        await pilot.pause()
        if not hasattr(editor.focused, "text"):
            await help_for(pilot)
            await pilot.press("escape")
            await pilot.pause()


async def test_editor_help_explains_the_field_keys_too(order):
    app = NotedeskApp("unused")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "editor")
        groups = await help_for(pilot, "f1")
        field = groups["In the focused field"]
        assert field["ctrl+z"] == "Undo" and field["ctrl+x"] == "Cut"
        assert groups["This screen"]["ctrl+End"] == "End of note"  # the note area's own keys


ZH_HELP = r"""
import asyncio, json, sys
from notedesk import i18n
i18n.set_language("zh")  # before the screens are imported, as the desk does
from conftest import sample_order
from notedesk.services import orders
from notedesk.store.connection import open_database
from notedesk.tui.app import NotedeskApp
from harness import screen_text

open_database(sys.argv[1])
orders.create_order(sample_order())

async def main():
    app = NotedeskApp(sys.argv[1])
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("", "enter", "e", "f1"):
            if key:
                await pilot.press(key)
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
        print(json.dumps({"groups": app.screen.groups, "text": screen_text(app)}))

asyncio.run(main())
"""


def test_help_reads_in_chinese(tmp_path):
    """In a fresh process (descriptions are set when the screens are imported, after the language)."""
    path = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "tests" / "tui")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    run = subprocess.run([sys.executable, "-c", ZH_HELP, str(tmp_path / "zh.sqlite3")], capture_output=True,
                         text=True, encoding="utf-8", env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout.strip().splitlines()[-1])
    groups = {title: dict(keys) for title, keys in shown["groups"]}
    assert list(groups) == ["本页面", "全局", "当前输入框"]
    keys = every_key(groups)
    assert keys["ctrl+s"] == "保存" and keys["escape"] == "关闭" and keys["ctrl+p"] == "命令"
    assert keys["F4"] == "切换到“交货”标签页" and keys["ctrl+z"] == "撤销" and keys["tab"] == "下一个输入项"
    assert all(not text.isascii() for text in keys.values()), keys  # every description translated
    assert "按键" in shown["text"] and "escape 关闭" in shown["text"]


async def test_help_fits_and_scrolls_at_80x24(order):
    app = NotedeskApp("unused")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "editor")
        await help_for(pilot, "f1")
        box = app.screen.query_one(".help-box")
        assert box.region.bottom <= 24 and box.region.right <= 80
        scroller = app.screen.query_one("#help-keys")
        assert scroller.max_scroll_y > 0  # more keys than lines: the list scrolls
        await pilot.press("pagedown")
        assert scroller.scroll_y > 0
        await pilot.press("question_mark")  # ? again closes it too
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)


async def test_the_palette_offers_every_action_of_the_screen_by_name(order):
    app = NotedeskApp("unused")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(pilot, "list")
        names = [command.title for command in app.get_system_commands(screen)]
        for action in ("Filter by order number, customer or company", "Deadline view: open orders by due time",
                       "Change the status of the order under the cursor", "Sort by the next column",
                       "Help", "High contrast", "Quit"):
            assert any(name == action or name.startswith(action) for name in names), (action, names)
        assert "Commands" not in names  # the palette does not offer itself
        assert not {"Up", "Page down", "Focus Next"} & set(names)  # nor cursor moves
        assert len(names) == len(set(names))


async def test_choosing_a_palette_command_runs_it(order):
    app = NotedeskApp("unused")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot, "list")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"deadline view")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeadlineViewScreen)


async def test_the_palette_switches_to_high_contrast_and_back(order):
    app = NotedeskApp("unused")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(pilot, "list")
        before = app.theme
        switch = next(c for c in palette_commands(app, screen) if c.title == "High contrast")
        switch.callback()
        assert app.theme == "high-contrast"
        assert [c.title for c in palette_commands(app, screen)][-1] == "Normal colours"
        next(c for c in palette_commands(app, screen) if c.title == "Normal colours").callback()
        assert app.theme == before


def test_key_names_read_like_the_keyboard():
    assert [key_name(k) for k in ("ctrl+s", "question_mark", "ctrl+pagedown", "f2", "slash", "shift+tab",
                                  "escape", "ctrl+shift+end")] == \
        ["ctrl+s", "?", "ctrl+PgDn", "F2", "/", "shift+tab", "escape", "ctrl+shift+End"]
