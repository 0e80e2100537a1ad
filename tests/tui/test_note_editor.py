"""NoteEditorScreen through Pilot on a real SQLite file: tab keys, saving every changed tab, fields, closing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import Input, TabbedContent, TextArea

from conftest import sample_order
from notedesk.services import communications, notes, orders
from notedesk.services.types import InstalmentData
from notedesk.tui.screens.note_editor import NoteEditorScreen
from notedesk.tui.widgets.choice_modal import ChoiceModal
from notedesk.tui.widgets.communication_log import CommunicationLog
from notedesk.tui.widgets.note_area import NoteArea

NUMBER = "SO-2026-00042"
STORED = {"requirements": "红色T恤200件,XL码", "special": "胸前印LOGO", "delivery": "", "payment": ""}


def stored_bodies() -> dict[str, str]:
    return {kind: notes.get_note(NUMBER, kind).body for kind in STORED}


@pytest.fixture
def order(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:00:00")  # business time (Asia/Shanghai)
    return orders.create_order(sample_order())


def editor_app(tab: str = "requirements") -> Harness:
    return Harness(lambda: NoteEditorScreen(NUMBER, tab))


@pytest.mark.parametrize("keys, tab, widget", [
    ((), "requirements", "note-requirements"),
    (("ctrl+pagedown",) * 3, "payment", "note-payment"),
    (("f5",), "payment", "note-payment"),
    (("f3",), "special", "note-special"),
    (("f4",), "delivery", "note-delivery"),
    (("f6",), "communication", "comm-text"),
    (("f6", "f2"), "requirements", "note-requirements"),
    (("ctrl+pageup",), "attachments", "editor-attachments"),  # wraps around to the Files tab
    (("f7",), "attachments", "editor-attachments"),
    (("ctrl+pagedown",) * 6, "requirements", "note-requirements"),
])
async def test_tab_keys_switch_tab_and_focus_its_editor(order, keys, tab, widget):
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == tab
        assert app.focused is not None and app.focused.id == widget


async def test_tab_keys_work_while_typing_in_a_field(order):
    app = editor_app("delivery")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#deadline-input", Input).focus()
        await pilot.press("f6")  # TextArea binds f6 itself; the screen's binding has priority
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "communication"


async def test_typing_chinese_into_payment_saves_exactly_that_note(order):
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*("ctrl+pagedown",) * 3)
        await settle(pilot)
        await pilot.press(*"货到付款,收现金7000元")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "•" not in screen_text(app).split("\n")[1]  # no tab marked unsaved any more
    assert stored_bodies() == {**STORED, "payment": "货到付款,收现金7000元"}
    assert notes.get_note(NUMBER, "payment").version == 1
    assert orders.get_order(NUMBER).deadline == sample_order().deadline  # the fields were not touched


async def test_ctrl_s_saves_every_changed_tab(order):
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("end", *" 加急")
        await pilot.press("f4", *"送到仓库")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert stored_bodies() == {**STORED, "requirements": "红色T恤200件,XL码 加急", "delivery": "送到仓库"}
    assert [notes.get_note(NUMBER, k).version for k in STORED] == [2, 1, 1, 0]


async def test_unsaved_tabs_are_marked(order):
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3", "x")
        await settle(pilot)
        assert "Special •" in screen_text(app)
        await pilot.press("backspace")
        await settle(pilot)
        assert "•" not in screen_text(app)


async def test_escape_without_changes_closes(order):
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditorScreen)


@pytest.mark.parametrize("answer, closed, saved", [("c", False, False), ("d", True, False), ("s", True, True)])
async def test_escape_with_unsaved_text_asks(order, answer, closed, saved):
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3", *"丝印")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert "Special" in screen_text(app)
        await pilot.press(answer)
        await settle(pilot, 3)
        assert isinstance(app.screen, NoteEditorScreen) is not closed
        if not closed:
            assert app.focused is not None and app.screen.query_one("#note-special", NoteArea).dirty
    assert (notes.get_note(NUMBER, "special").body == "丝印胸前印LOGO") is saved


async def test_deadline_preview_is_live_and_saved(order):
    app = editor_app("delivery")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        preview = app.screen.query_one("#deadline-preview")
        assert "→ Tue 1 Dec 09:00–11:00, in 5 days" in str(preview.render())  # the stored one
        field = app.screen.query_one("#deadline-input", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"下周五下午3点前")
        await settle(pilot)
        assert "→ Fri 4 Dec by 15:00, in 8 days" in str(preview.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    deadline = orders.get_order(NUMBER).deadline
    assert (deadline.text, deadline.date, deadline.start, deadline.end) == (
        "下周五下午3点前", dt.date(2026, 12, 4), None, dt.time(15))


async def test_impossible_deadline_shows_why_and_blocks_saving(order):
    app = editor_app("delivery")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"下午送")  # into the delivery note
        field = app.screen.query_one("#deadline-input", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"2026-02-30")
        await settle(pilot)
        preview = app.screen.query_one("#deadline-preview")
        assert "no day 30 in February 2026" in str(preview.render())
        assert preview.has_class("-error")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Nothing was saved" in message for message in app.notified)
    assert notes.get_note(NUMBER, "delivery").body == ""
    assert orders.get_order(NUMBER).deadline == sample_order().deadline


async def test_unreadable_deadline_is_kept_as_unscheduled_text(order):
    app = editor_app("delivery")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#deadline-input", Input)
        field.value = "尽快"
        await settle(pilot)
        assert "unscheduled" in str(app.screen.query_one("#deadline-preview").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    deadline = orders.get_order(NUMBER).deadline
    assert (deadline.text, deadline.date) == ("尽快", None)


async def test_payment_fields_are_checked_and_saved(order):
    app = editor_app("payment")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#payment-method").value = "instalments"
        screen.query_one("#payment-amount", Input).value = "12.345"
        await settle(pilot)
        assert "more than two decimals" in str(screen.query_one("#payment-error").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert orders.get_order(NUMBER).payment.method == "cod"  # blocked
        screen.query_one("#payment-amount", Input).value = "7000"
        screen.query_one("#payment-instalments", TextArea).load_text("2026-12-15 3500.00 paid\n2027-01-15 3500")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    payment = orders.get_order(NUMBER).payment
    assert (payment.method, payment.amount_due) == ("instalments", Decimal("7000.00"))
    # "paid" typed on a line is not what makes an instalment paid: the payments received are (issue 15)
    assert payment.instalments == (InstalmentData(dt.date(2026, 12, 15), Decimal("3500.00"), False),
                                   InstalmentData(dt.date(2027, 1, 15), Decimal("3500.00"), False))


async def test_communication_tab_lists_and_logs(order):
    communications.log_communication(NUMBER, "早先的电话", contact="王芳", clerk="wang")
    app = editor_app("communication")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "早先的电话" in screen_text(app)
        await pilot.press(*"确认300件")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "确认300件" in [entry.text for entry in app.screen.query_one("#comm-log", CommunicationLog).entries]
        assert app.screen.query_one("#comm-text", TextArea).text == ""
    entries = orders.get_order(NUMBER).communications
    assert [e.text for e in entries] == ["确认300件", "早先的电话"]


async def test_communication_draft_is_not_logged_by_ctrl_s_elsewhere(order):
    app = editor_app("communication")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"半句话")
        await pilot.press("f2", "end", *"!")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Communication •" in screen_text(app)
    assert orders.get_order(NUMBER).communications == ()
    assert notes.get_note(NUMBER, "requirements").body == "红色T恤200件,XL码!"


async def test_markup_and_controls_in_notes_load_literally(database):
    hostile = "A[@click=app.quit]B[/]C\x1b]0;pwned\x07"
    orders.create_order(sample_order(notes={"requirements": hostile}))
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        area = app.screen.query_one("#note-requirements", NoteArea)
        assert area.text == "A[@click=app.quit]B[/]C\ufffd]0;pwned\ufffd"
        assert "A[@click=app.quit]B[/]C" in screen_text(app)
        assert not area.dirty


async def test_keys_queued_right_after_a_tab_switch_land_in_the_new_tab(order):
    """On a busy server the text typed after F5 can already be queued when F5 is handled."""
    from textual import events

    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.action_tab("payment")
        for ch in "abc":
            app.post_message(events.Key(ch, ch))
        await settle(pilot)
        assert app.screen.query_one("#note-payment", NoteArea).text == "abc"
        assert app.screen.query_one("#note-requirements", NoteArea).text == STORED["requirements"]


async def test_reload_shows_other_clerks_saves_and_keeps_unsaved_text(order):
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("end", *"!")  # requirements: unsaved
        notes.save_note(NUMBER, "requirements", "王改的需求", base_version=1, clerk="wang")
        notes.save_note(NUMBER, "special", "王改的特殊要求", base_version=1, clerk="wang")
        communications.log_communication(NUMBER, "王打的电话", clerk="wang")
        app.screen.reload()
        await settle(pilot)
        requirements = app.screen.query_one("#note-requirements", NoteArea)
        special = app.screen.query_one("#note-special", NoteArea)
        assert (requirements.text, requirements.base_version) == ("红色T恤200件,XL码!", 1)  # untouched
        assert (special.text, special.base_version, special.dirty) == ("王改的特殊要求", 2, False)
        assert "王打的电话" in [entry.text for entry in app.screen.query_one("#comm-log", CommunicationLog).entries]


async def test_keys_typed_before_the_notes_are_loaded_wait_for_them(order, monkeypatch):
    """`e` and the first words often come in one burst (issue 13.2). The editor cannot take text
    before its notes arrive (load_text() would replace it), so the keys wait and land after, in
    order: the tab key included."""
    import threading

    from notedesk.tui.screens import note_editor

    arrived, real_get_order = threading.Event(), orders.get_order
    monkeypatch.setattr(note_editor.orders, "get_order",
                        lambda number, **kw: arrived.wait(10) and real_get_order(number, **kw))
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(TabbedContent).disabled
        await pilot.press(*"加急", "f5", *"also")
        assert screen.query_one("#note-requirements", NoteArea).text == ""  # not yet: waiting
        arrived.set()
        await settle(pilot)
        assert not screen.query_one(TabbedContent).disabled
        assert screen.query_one("#note-requirements", NoteArea).text == "加急" + STORED["requirements"]
        assert screen.query_one("#note-payment", NoteArea).text == "also"
        assert app.focused is screen.query_one("#note-payment", NoteArea)


# --- drafts: unsaved text survives a crash and is offered back --------------------------------------


@pytest.fixture
def quick_drafts(monkeypatch):
    from notedesk.tui.widgets.draft_keeper import DraftKeeper

    monkeypatch.setattr(DraftKeeper, "DELAY_S", 0.05)


async def type_and_crash(text: str) -> None:
    """Type into Special, wait for the draft, and leave without closing the editor (a crash)."""
    from notedesk.services import drafts

    app = editor_app("special")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*text)
        await pilot.pause(0.2)
        await settle(pilot)
        assert drafts.get_draft(NUMBER, "special").body == text + STORED["special"]


async def test_unsaved_text_is_kept_as_a_draft_and_restored(order, quick_drafts):
    await type_and_crash("丝印")
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        assert isinstance(app.screen, ChoiceModal) and "Special" in screen_text(app)
        await pilot.press("r")
        await settle(pilot)
        area = app.screen.query_one("#note-special", NoteArea)
        assert (area.text, area.base_version, area.dirty) == ("丝印胸前印LOGO", 1, True)
        assert app.focused is area
        await pilot.press("ctrl+s")
        await settle(pilot)
    from notedesk.services import drafts

    assert notes.get_note(NUMBER, "special").body == "丝印胸前印LOGO"
    assert drafts.get_draft(NUMBER, "special") is None  # saved: nothing left to offer


async def test_restored_draft_conflicts_when_another_clerk_saved_since(order, quick_drafts):
    await type_and_crash("丝印")
    notes.save_note(NUMBER, "special", "胸前印LOGO\n背后印字", base_version=1, clerk="wang")
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConflictModal"
        await pilot.press("m")  # merged against v1, the version the draft started from: both edits kept
        await settle(pilot)
        assert app.screen.query_one("#note-special", NoteArea).text == (
            "<<<<<<< wang v2\n胸前印LOGO\n背后印字\n=======\n丝印胸前印LOGO\n>>>>>>> mine")


@pytest.mark.parametrize("answer, kept", [("d", False), ("l", True)])
async def test_draft_can_be_discarded_or_left(order, quick_drafts, answer, kept):
    from notedesk.services import drafts

    await type_and_crash("丝印")
    app = editor_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        await pilot.press(answer)
        await settle(pilot)
        assert app.screen.query_one("#note-special", NoteArea).text == STORED["special"]
    assert (drafts.get_draft(NUMBER, "special") is not None) is kept


async def test_discarding_on_close_forgets_the_draft(order, quick_drafts):
    from notedesk.services import drafts

    app = editor_app("special")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"丝印")
        await pilot.pause(0.2)
        await settle(pilot)
        assert drafts.get_draft(NUMBER, "special") is not None
        await pilot.press("escape", "d")
        await settle(pilot)
    assert drafts.get_draft(NUMBER, "special") is None
