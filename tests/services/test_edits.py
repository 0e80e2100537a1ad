"""The note editor's save (services.edits.save_edits): one transaction, all or nothing, the conflict rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import sample_order
from notedesk.services import changes, drafts, notes, orders
from notedesk.services.edits import LogEntry, NoteEdit, OrderEdits, save_edits
from notedesk.services.errors import InvalidInput
from notedesk.services.merge import merge3
from notedesk.services.types import Deadline, Payment

N = "SO-2026-00042"
REQ, SPECIAL = "红色T恤200件,XL码", "胸前印LOGO"  # stored at version 1 by sample_order
NEW_DEADLINE = Deadline("12月3日", dt.date(2026, 12, 3))


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(N))


def edits(loaded, **parts) -> OrderEdits:
    return OrderEdits(loaded_deadline=loaded.deadline, loaded_payment=loaded.payment, **parts)


def test_notes_fields_and_a_log_entry_are_saved_in_one_transaction(order):
    before = changes.counter()
    drafts.save_draft(N, "special", "half typed", 1)
    result = save_edits(N, edits(
        order, notes={"requirements": NoteEdit(REQ + "\n加急", 1), "special": NoteEdit("丝印", 1)},
        deadline=NEW_DEADLINE, payment=Payment("prepaid", "paid", Decimal("7000.00")),
        log_entry=LogEntry("客户要求加急", channel="wechat", contact="王芳")), clerk="li")
    assert result.saved and not (result.note_conflicts or result.field_conflicts)
    stored = orders.get_order(N)
    assert {k: (n.body, n.version) for k, n in stored.notes.items() if k in ("requirements", "special")} == {
        "requirements": (REQ + "\n加急", 2), "special": ("丝印", 2)}
    assert (stored.deadline, stored.payment.method) == (NEW_DEADLINE, "prepaid")
    assert {e.field for e in stored.events} >= {"deadline", "payment"}
    assert result.logged is not None and stored.communications[0].text == "客户要求加急"
    assert result.order == stored
    assert changes.counter() == before + 1  # one transaction: other clerks reload once
    assert drafts.get_draft(N, "special") is None  # saved: nothing left to offer back


def test_a_conflict_on_one_note_saves_nothing_at_all(order):
    notes.save_note(N, "requirements", "红色T恤300件,XL码", base_version=1, clerk="wang")
    result = save_edits(N, edits(order, notes={"requirements": NoteEdit(REQ + "\n加急", 1),
                                               "special": NoteEdit("丝印", 1)},
                                 deadline=NEW_DEADLINE, log_entry=LogEntry("加急")))
    assert not result.saved and result.note_conflicts == ("requirements",)
    theirs = result.order.notes["requirements"]
    assert (theirs.body, theirs.version, theirs.author) == ("红色T恤300件,XL码", 2, "wang")
    stored = orders.get_order(N)
    assert stored.notes["special"].body == SPECIAL and stored.deadline == order.deadline
    assert stored.communications == order.communications


def test_both_wrote_the_same_is_nothing_to_resolve(order):
    notes.save_note(N, "special", "丝印", base_version=1, clerk="wang")
    result = save_edits(N, edits(order, notes={"special": NoteEdit("丝印", 1)}))
    assert result.saved and result.order.notes["special"].version == 2  # theirs, no revision of mine
    assert [r.author for r in notes.history(N, "special")] == ["wang", "li"]


def test_an_unchanged_note_makes_no_revision(order):
    result = save_edits(N, edits(order, notes={"special": NoteEdit(SPECIAL, 1)}))
    assert result.saved and result.order.notes["special"].version == 1


def test_fields_save_on_top_of_other_changes_but_not_over_other_fields(order):
    orders.set_status(N, "on_hold", clerk="wang")  # another part of the order: no reason to stop
    result = save_edits(N, edits(order, deadline=NEW_DEADLINE))
    assert result.saved and (result.order.status, result.order.deadline) == ("on_hold", NEW_DEADLINE)

    moved = orders.set_deadline(N, Deadline("12月5日", dt.date(2026, 12, 5)), clerk="wang")
    mine = Deadline("12月6日", dt.date(2026, 12, 6))
    result = save_edits(N, edits(order, deadline=mine))  # loaded before wang's change
    assert not result.saved and result.field_conflicts == ("deadline",)
    assert orders.get_order(N).deadline == moved.deadline
    # keep mine: the clerk has seen theirs, so theirs is what the save starts from now
    result = save_edits(N, OrderEdits(deadline=mine, loaded_deadline=result.order.deadline))
    assert result.saved and orders.get_order(N).deadline == mine


def test_a_merge_with_its_markers_left_is_refused_and_says_where(order):
    merged = merge3("a\nb\nc", "a\nY\nc", "a\nX\nc", their_label="wang v2", my_label="mine")
    assert merged.conflicts == 1
    with pytest.raises(InvalidInput) as refused:
        save_edits(N, edits(order, notes={"requirements": NoteEdit(merged.text, 1, merged.markers),
                                          "special": NoteEdit("丝印", 1)}))
    assert "Requirements" in str(refused.value) and "2, 4, 6" in str(refused.value)
    assert orders.get_order(N).notes["special"].body == SPECIAL  # nothing saved
    resolved = "a\nX\nc"
    assert save_edits(N, edits(order, notes={"requirements": NoteEdit(resolved, 1, merged.markers)})).saved


def test_a_bad_log_entry_saves_nothing(order):
    with pytest.raises(InvalidInput):
        save_edits(N, edits(order, notes={"special": NoteEdit("丝印", 1)}, log_entry=LogEntry("   ")))
    assert orders.get_order(N).notes["special"].body == SPECIAL


def test_merge_keeps_a_separator_the_clerks_wrote_as_text():
    merged = merge3("a\n=======\nb", "A\n=======\nb", "X\n=======\nb")
    assert merged.conflicts == 1 and "=======" not in merged.markers
