"""HistoryScreen through Pilot: revisions with clerk and time, the diff between two, revert as a new revision."""

from __future__ import annotations

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import OptionList

from conftest import sample_order
from notedesk.services import notes, orders
from notedesk.tui.screens.history import HistoryScreen
from notedesk.tui.screens.note_editor import NoteEditorScreen
from notedesk.tui.widgets.choice_modal import ChoiceModal

NUMBER = "SO-2026-00042"
V1, V2, V3 = "红色T恤200件\nXL码", "红色T恤300件\nXL码", "红色T恤300件\nXL码\n[@click=app.quit] 加急 [/]"


@pytest.fixture
def order(database):
    orders.create_order(sample_order(notes={"requirements": V1, "special": "胸前印LOGO"}))
    notes.save_note(NUMBER, "requirements", V2, base_version=1, clerk="wang")
    notes.save_note(NUMBER, "requirements", V3, base_version=2, clerk="zhao")


def diff_shown(app) -> str:
    return str(app.screen.query_one("#history-diff-text").render())


async def test_lists_every_revision_newest_first_with_clerk(order):
    app = Harness(lambda: HistoryScreen(NUMBER, "requirements"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        text = screen_text(app)
    assert [row.split()[0] for row in rows] == ["v3", "v2", "v1"]
    assert "zhao" in rows[0] and "wang" in rows[1] and "li" in rows[2]
    assert "Changes from v2 to v3" in text
    assert "+ [@click=app.quit] 加急 [/]" in text  # literal, not markup


async def test_diff_follows_the_highlight_and_compares_marked(order):
    app = Harness(lambda: HistoryScreen(NUMBER, "requirements"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")  # v2 against v1
        await settle(pilot)
        assert "- 红色T恤200件" in diff_shown(app) and "+ 红色T恤300件" in diff_shown(app)
        await pilot.press("down")  # v1: the first text
        await settle(pilot)
        assert "the first saved text" in screen_text(app)
        await pilot.press("space", "up", "up")  # mark v1, highlight v3
        await settle(pilot)
        assert "Changes from v1 to v3 · ● v1 marked" in screen_text(app)
        shown = diff_shown(app)
        assert "- 红色T恤200件" in shown and "+ 红色T恤300件" in shown and "+ [@click=app.quit]" in shown
        assert "● v1" in screen_text(app)


async def test_revert_asks_then_saves_a_new_revision(order):
    app = Harness(lambda: HistoryScreen(NUMBER, "requirements"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "r")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert "v1" in screen_text(app) and "v4" in screen_text(app)
        await pilot.press("y")
        await settle(pilot, 3)
        assert isinstance(app.screen, HistoryScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 4 and options.highlighted == 0
    stored = notes.get_note(NUMBER, "requirements")
    assert (stored.body, stored.version, stored.author) == (V1, 4, "li")
    assert [r.version for r in notes.history(NUMBER, "requirements")] == [4, 3, 2, 1]  # nothing rewritten


async def test_revert_cancelled_changes_nothing(order):
    app = Harness(lambda: HistoryScreen(NUMBER, "requirements"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "r")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
    assert notes.get_note(NUMBER, "requirements").version == 3


async def test_revert_after_another_save_is_refused(order):
    app = Harness(lambda: HistoryScreen(NUMBER, "requirements"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes.save_note(NUMBER, "requirements", "钱写的", base_version=3, clerk="qian")
        await pilot.press("down", "r", "y")
        await settle(pilot, 3)
        assert app.screen.query_one(OptionList).option_count == 4  # reloaded: qian's v4 is listed
    assert notes.get_note(NUMBER, "requirements").body == "钱写的"


async def test_f_keys_switch_the_note_kind(order):
    app = Harness(lambda: HistoryScreen(NUMBER, "requirements"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.kind == "special"
        assert "Special" in screen_text(app).split("\n")[0]
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("f5")  # the payment note was never saved
        await settle(pilot)
        assert "never been saved" in screen_text(app)


async def test_editor_history_key_and_revert_reloads_the_note(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("down", "down", "r", "y")
        await settle(pilot, 3)
        await pilot.press("escape")
        await settle(pilot, 3)
        assert isinstance(app.screen, NoteEditorScreen)
        area = app.screen.query_one("#note-requirements")
        assert (area.text, area.base_version) == (V1, 4)
