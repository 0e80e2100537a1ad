"""Drafts: upsert per clerk+order+kind, nothing to restore when equal to the stored text, save discards."""

from __future__ import annotations

import pytest

from conftest import sample_order
from notedesk.services import changes, drafts, notes, orders
from notedesk.services.errors import Conflict, InvalidInput, NotFound

N = "SO-2026-00042"


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(N))


def test_save_then_get_and_replace(order):
    assert drafts.get_draft(N, "requirements") is None
    drafts.save_draft(N, "requirements", "红色T恤200件,XL码\n加急", base_version=1)
    d = drafts.get_draft(N, "requirements")
    assert (d.kind, d.body, d.base_version, d.clerk) == ("requirements", "红色T恤200件,XL码\n加急", 1, "li")
    assert d.saved_at.tzinfo is not None
    drafts.save_draft(N, "requirements", "second", base_version=1)  # upsert, never a second row
    assert drafts.get_draft(N, "requirements").body == "second"
    assert drafts.get_drafts(N) == {"requirements": drafts.get_draft(N, "requirements")}


def test_drafts_are_per_clerk_and_kind(order):
    drafts.save_draft(N, "requirements", "li's", 1)
    drafts.save_draft(N, "requirements", "wang's", 1, clerk="wang")
    drafts.save_draft(N, "delivery", "li's delivery", 0)
    assert drafts.get_draft(N, "requirements").body == "li's"
    assert drafts.get_draft(N, "requirements", clerk="wang").body == "wang's"
    assert set(drafts.get_drafts(N)) == {"requirements", "delivery"}
    drafts.discard_draft(N, "requirements")
    assert drafts.get_draft(N, "requirements") is None
    assert drafts.get_draft(N, "requirements", clerk="wang").body == "wang's"
    drafts.discard_draft(N)  # every kind of this clerk
    assert drafts.get_drafts(N) == {}
    drafts.discard_draft("SO-NOPE", "requirements")  # quiet


def test_draft_equal_to_stored_text_is_not_offered(order):
    drafts.save_draft(N, "requirements", "红色T恤200件,XL码", 1)
    assert drafts.get_draft(N, "requirements") is None


def test_draft_text_is_cleaned_never_refused(order):
    drafts.save_draft(N, "special", "a\x00b\x1b]52;c;x\x07", 1)
    assert drafts.get_draft(N, "special").body == "a\ufffdb\ufffd]52;c;x\ufffd"


def test_bad_order_or_kind(order):
    with pytest.raises(NotFound):
        drafts.save_draft("SO-NOPE", "special", "x", 0)
    with pytest.raises(InvalidInput):
        drafts.save_draft(N, "gossip", "x", 0)


def test_save_note_discards_the_savers_draft_only(order):
    drafts.save_draft(N, "special", "typed, then saved", 1)
    drafts.save_draft(N, "special", "wang types too", 1, clerk="wang")
    drafts.save_draft(N, "delivery", "other kind", 0)
    notes.save_note(N, "special", "typed, then saved", base_version=1)
    assert drafts.get_draft(N, "special") is None
    assert drafts.get_draft(N, "special", clerk="wang").body == "wang types too"
    assert drafts.get_draft(N, "delivery").body == "other kind"


def test_conflicting_save_keeps_the_draft(order):
    drafts.save_draft(N, "special", "mine", 1)
    notes.save_note(N, "special", "theirs", base_version=1, clerk="wang")
    with pytest.raises(Conflict):
        notes.save_note(N, "special", "mine", base_version=1)
    assert drafts.get_draft(N, "special").body == "mine"


def test_a_draft_brings_the_text_it_started_from(order):
    """What a merge with another clerk's newer save needs: the text of the draft's base version."""
    drafts.save_drafts(N, {"special": ("胸前印LOGO, 背后印字", 1), "payment": ("货到付款", 0)})
    notes.save_note(N, "special", "胸前印大LOGO", base_version=1, clerk="wang")
    offered = drafts.get_drafts(N)
    assert (offered["special"].base_body, offered["payment"].base_body) == ("胸前印LOGO", "")


def test_save_drafts_many_kinds_in_one_go(order):
    assert drafts.save_drafts(N, {"special": ("s", 1), "payment": ("p", 0)}) == 2
    assert {k: d.body for k, d in drafts.get_drafts(N).items()} == {"special": "s", "payment": "p"}


def test_drafts_do_not_count_as_changes(order):
    before = changes.counter()
    drafts.save_draft(N, "special", "x", 1)
    drafts.discard_draft(N, "special")
    assert changes.counter() == before
    notes.append_note(N, "special", "more")
    assert changes.counter() > before
