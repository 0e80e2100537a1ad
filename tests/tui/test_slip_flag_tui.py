"""The delivery-slip flag in the screens (issue 16): F8 in the note editor, shown on the detail and its timeline."""

from __future__ import annotations

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import Static

from conftest import sample_order
from notedesk.services import notes, orders
from notedesk.tui.screens.note_editor import NoteEditorScreen
from notedesk.tui.screens.order_detail import OrderDetailScreen

NUMBER = "SO-2026-00042"


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(notes={"requirements": "红色T恤200件", "delivery": "放门卫室"}))


def slip_line(app) -> str:
    return str(app.screen.query_one("#editor-slip", Static).content)


async def test_f8_marks_the_note_shown_and_only_that_one(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert slip_line(app) == "not on the delivery slip (F8)"  # requirements: off, as every note starts
        await pilot.press("f4")  # the Delivery tab
        await pilot.press(*"，电话联系")  # unsaved text stays unsaved: the flag is saved on its own
        await pilot.press("f8")
        await settle(pilot)
        assert slip_line(app) == "✓ on the delivery slip (F8)"
        assert "Delivery: printed on the delivery slip" in app.notified
        assert "✓ on the delivery slip (F8)" in screen_text(app).split("\n")[0]  # at 80 columns, beside the title
        await pilot.press("f2")
        await pilot.pause()
        assert slip_line(app) == "not on the delivery slip (F8)"
        await pilot.press("f6")  # the log has no flag
        await pilot.pause()
        assert slip_line(app) == ""
        await pilot.press("f8")
        await settle(pilot)
        assert any("go to a note's tab" in n for n in app.notified)
        assert app.screen.dirty_tabs() == ["delivery"]
    stored = orders.get_order(NUMBER).notes
    assert stored["delivery"].on_slip and stored["delivery"].body == "放门卫室"
    assert not stored["requirements"].on_slip and not stored["payment"].on_slip


async def test_f8_again_takes_it_off(order):
    notes.set_on_slip(NUMBER, "special", True)
    app = Harness(lambda: NoteEditorScreen(NUMBER, "special"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert slip_line(app) == "✓ on the delivery slip (F8)"
        await pilot.press("f8")
        await settle(pilot)
        assert slip_line(app) == "not on the delivery slip (F8)"
        assert "Special: not on the delivery slip" in app.notified
    assert not orders.get_order(NUMBER).notes["special"].on_slip


async def test_another_clerks_mark_shows_on_a_live_reload(order):
    app = Harness(lambda: NoteEditorScreen(NUMBER, "delivery"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes.set_on_slip(NUMBER, "delivery", True, clerk="wang")
        app.screen.reload()
        await settle(pilot)
        assert slip_line(app) == "✓ on the delivery slip (F8)"


async def test_the_detail_says_which_notes_go_on_the_slip_and_the_timeline_who_marked_them(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        assert "printed on the delivery slip" not in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("f4", "f8")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        text = screen_text(app)
    assert "Delivery · ✓ printed on the delivery slip" in text
    assert "Requirements · ✓" not in text
    assert "Delivery printed on the delivery slip: no → yes" in text  # the timeline, with the clerk
