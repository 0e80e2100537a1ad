"""Another clerk saves between load and ctrl+s: nothing is overwritten, the conflict modal offers the choices."""

from __future__ import annotations

import datetime as dt

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import Input

from conftest import sample_order
from notedesk.services import notes, orders
from notedesk.services.merge import merge3
from notedesk.services.types import Deadline, Payment
from notedesk.tui.screens.conflict import ConflictModal, FieldConflictModal
from notedesk.tui.screens.note_editor import NoteEditorScreen
from notedesk.tui.widgets.diff_text import diff_text, side_text
from notedesk.tui.widgets.note_area import NoteArea

NUMBER = "SO-2026-00042"
BASE = "红色T恤200件\nXL码\n胸前印LOGO"
THEIRS = "红色T恤300件\nXL码\n胸前印LOGO"  # wang changed the quantity
MINE_END = "\n袖口加绣花"  # li adds a line at the end


@pytest.fixture
def order(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:00:00")
    return orders.create_order(sample_order(notes={"requirements": BASE}))


async def conflicted(pilot, app):
    """Open the editor, type, let wang save the same note from the service layer, press ctrl+s."""
    await settle(pilot)
    await pilot.press("ctrl+end", "enter", *MINE_END.strip())
    notes.save_note(NUMBER, "requirements", THEIRS, base_version=1, clerk="wang")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_conflict_shows_their_text_and_overwrites_nothing(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await conflicted(pilot, app)
        assert isinstance(app.screen, ConflictModal)
        text = screen_text(app)
        assert "wang saved this note" in text and "红色T恤300件" in text  # theirs, with author
        assert "袖口加绣花" in text  # mine
        assert "Keep mine" in text and "Take theirs" in text and "Edit a merge" in text
    stored = notes.get_note(NUMBER, "requirements")
    assert (stored.body, stored.version, stored.author) == (THEIRS, 2, "wang")


async def test_keep_mine_saves_on_top_of_theirs(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await conflicted(pilot, app)
        await pilot.press("k")
        await settle(pilot, 3)
        assert isinstance(app.screen, NoteEditorScreen)
        assert not app.screen.query_one("#note-requirements", NoteArea).dirty
    stored = notes.get_note(NUMBER, "requirements")
    assert (stored.body, stored.version, stored.author) == (BASE + MINE_END, 3, "li")
    assert [r.body for r in notes.history(NUMBER, "requirements")] == [BASE + MINE_END, THEIRS, BASE]


async def test_take_theirs_loads_their_text(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await conflicted(pilot, app)
        await pilot.press("t")
        await settle(pilot)
        area = app.screen.query_one("#note-requirements", NoteArea)
        assert (area.text, area.base_version, area.dirty) == (THEIRS, 2, False)
        assert app.focused is area
    assert notes.get_note(NUMBER, "requirements").version == 2


async def test_edit_a_merge_puts_both_changes_in_the_editor_unsaved(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await conflicted(pilot, app)
        await pilot.press("m")
        await settle(pilot)
        area = app.screen.query_one("#note-requirements", NoteArea)
        assert area.text == THEIRS + MINE_END  # different lines changed: both kept, no markers
        assert (area.base_version, area.dirty) == (2, True)
        assert notes.get_note(NUMBER, "requirements").version == 2  # not saved yet
        await pilot.press("ctrl+s")
        await settle(pilot)
    stored = notes.get_note(NUMBER, "requirements")
    assert (stored.body, stored.version) == (THEIRS + MINE_END, 3)


async def test_merge_of_the_same_line_has_conflict_markers(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#note-requirements", NoteArea).load_text("红色T恤250件\nXL码\n胸前印LOGO")
        notes.save_note(NUMBER, "requirements", THEIRS, base_version=1, clerk="wang")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        text = app.screen.query_one("#note-requirements", NoteArea).text
    assert text == "<<<<<<< wang v2\n红色T恤300件\n=======\n红色T恤250件\n>>>>>>> mine\nXL码\n胸前印LOGO"


async def test_a_merge_is_never_saved_with_its_conflict_markers(order):
    """Issue 13.4: ctrl+s on a merge that still has markers is refused, saying where; once they are
    gone it saves."""
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        area = app.screen.query_one("#note-requirements", NoteArea)
        area.load_text("红色T恤250件\nXL码\n胸前印LOGO")
        notes.save_note(NUMBER, "requirements", THEIRS, base_version=1, clerk="wang")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        app.notified.clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = app.notified
        assert any("Requirements" in m and "line 1, 3, 5" in m and "Nothing was saved" in m for m in refused), refused
        assert notes.get_note(NUMBER, "requirements").body == THEIRS and area.dirty
        area.replace("红色T恤250件\n", (0, 0), (5, 0))  # the clerk keeps their line, deletes the rest
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not area.dirty
    stored = notes.get_note(NUMBER, "requirements")
    assert (stored.body, stored.version) == ("红色T恤250件\nXL码\n胸前印LOGO", 3)


async def test_another_clerks_save_replacing_the_text_on_screen_is_told(order):
    """Issue 13.5: the editor shows another clerk's save where nothing is unsaved, and says what
    changed and who did it: a line of this clerk's can vanish ("keep mine" by the other)."""
    app = Harness(lambda: NoteEditorScreen(NUMBER, "delivery"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes.save_note(NUMBER, "requirements", THEIRS, base_version=1, clerk="wang")
        orders.set_deadline(NUMBER, Deadline("12月2日", dt.date(2026, 12, 2)), clerk="zhao")
        app.screen.reload()  # what the live refresh calls
        await settle(pilot)
        assert app.screen.query_one("#note-requirements", NoteArea).text == THEIRS
        assert app.screen.query_one("#deadline-input", Input).value == "12月2日"
        told = "\n".join(app.notified)
    assert "wang saved Requirements (v2): removed “红色T恤200件”; added “红色T恤300件”." in told
    assert "zhao changed the deadline:" in told and "Wed 2 Dec" in told


async def test_decide_later_keeps_the_text_unsaved(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await conflicted(pilot, app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.query_one("#note-requirements", NoteArea).text == BASE + MINE_END
        await pilot.press("ctrl+s")  # still against version 1: asks again
        await settle(pilot)
        assert isinstance(app.screen, ConflictModal)
    assert notes.get_note(NUMBER, "requirements").body == THEIRS


async def test_one_conflict_saves_nothing_and_keep_mine_then_saves_everything(order):
    """A ctrl+s is all or nothing (services.edits): the other note waits for the clerk's choice."""
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+end", *"!", "f3", *"丝印")
        notes.save_note(NUMBER, "requirements", THEIRS, base_version=1, clerk="wang")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictModal)
        assert notes.get_note(NUMBER, "special").body == ""  # nothing saved yet
        await pilot.press("k")
        await settle(pilot, 3)
        assert isinstance(app.screen, NoteEditorScreen) and not app.screen.dirty_tabs()
    assert notes.get_note(NUMBER, "special").body == "丝印"
    assert notes.get_note(NUMBER, "requirements").body == BASE + "!"


async def test_conflict_modal_at_80x24_shows_both_sides(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await conflicted(pilot, app)
        lines = screen_text(app).split("\n")
    theirs = next(i for i, line in enumerate(lines) if "− 红色T恤300件" in line)
    mine = next(i for i, line in enumerate(lines) if "+ 袖口加绣花" in line)
    assert 0 < theirs < mine < 23


# --- order fields --------------------------------------------------------------------------------


async def change_deadline(pilot, app, words: str) -> None:
    await settle(pilot)
    field = app.screen.query_one("#deadline-input", Input)
    field.value = words
    await settle(pilot)


@pytest.mark.parametrize("choice", ["k", "t"])
async def test_deadline_conflict(order, choice):
    app = Harness(lambda: NoteEditorScreen(NUMBER, "delivery"))
    async with app.run_test(size=(80, 24)) as pilot:
        await change_deadline(pilot, app, "12月3日")
        orders.set_deadline(NUMBER, Deadline("12月2日", dt.date(2026, 12, 2)), clerk="wang")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FieldConflictModal)
        text = screen_text(app)
        assert "wang changed this order" in text and "Wed 2 Dec" in text and "Thu 3 Dec" in text
        assert orders.get_order(NUMBER).deadline.date == dt.date(2026, 12, 2)  # nothing overwritten
        await pilot.press(choice)
        await settle(pilot, 3)
        assert isinstance(app.screen, NoteEditorScreen)
        shown = app.screen.query_one("#deadline-input", Input).value
    stored = orders.get_order(NUMBER).deadline
    if choice == "k":
        assert (stored.text, stored.date) == ("12月3日", dt.date(2026, 12, 3))
    else:
        assert (stored.text, stored.date, shown) == ("12月2日", dt.date(2026, 12, 2), "12月2日")


async def test_other_field_changed_meanwhile_is_no_conflict(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER, "delivery"))
    async with app.run_test(size=(80, 24)) as pilot:
        await change_deadline(pilot, app, "12月3日")
        orders.set_status(NUMBER, "on_hold", clerk="wang")
        orders.set_payment(NUMBER, Payment("prepaid", "paid"), clerk="wang")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
    stored = orders.get_order(NUMBER)
    assert (stored.status, stored.payment.method, stored.deadline.date) == ("on_hold", "prepaid", dt.date(2026, 12, 3))


# --- the diff and merge helpers -----------------------------------------------------------------


def test_diff_text_marks_lines_and_keeps_markup_literal():
    diff = diff_text("a\n[b]old[/b]\nc", "a\n[/]new\nc\nd")
    assert diff.plain == "  a\n- [b]old[/b]\n+ [/]new\n  c\n+ d"
    styles = {diff.plain[s.start:s.end]: str(s.style) for s in diff.spans}
    assert any("red" in style for style in styles.values()) and any("green" in style for style in styles.values())


def test_side_text_marks_only_its_own_lines():
    assert side_text(THEIRS, BASE, "red", "−").plain == "− 红色T恤300件\n  XL码\n  胸前印LOGO"


@pytest.mark.parametrize("base, theirs, mine, merged, conflicts", [
    ("a\nb\nc", "A\nb\nc", "a\nb\nC", "A\nb\nC", 0),
    ("a\nb\nc", "a\nb\nc", "a\nX\nc", "a\nX\nc", 0),
    ("a\nb\nc", "a\nY\nc", "a\nY\nc", "a\nY\nc", 0),
    ("a\nb\nc", "a\nY\nc", "a\nX\nc", "a\n<<<<<<< t\nY\n=======\nX\n>>>>>>> m\nc", 1),
    ("", "theirs", "mine", "<<<<<<< t\ntheirs\n=======\nmine\n>>>>>>> m", 1),
    ("a\nb", "a", "a\nb\nc", "a\n<<<<<<< t\n=======\nb\nc\n>>>>>>> m", 1),  # touching changes
])
def test_merge3(base, theirs, mine, merged, conflicts):
    result = merge3(base, theirs, mine, their_label="t", my_label="m")
    assert (result.text, result.conflicts) == (merged, conflicts)
