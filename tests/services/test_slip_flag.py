"""The "print on the delivery slip" flag per note (issue 16): one call, on the order, on the timeline."""

from __future__ import annotations

import pytest

from conftest import sample_order
from notedesk import i18n, labels
from notedesk.services import notes, orders
from notedesk.services.errors import InvalidInput, NotFound

NUMBER = "SO-2026-00042"


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(notes={"requirements": "红色T恤200件", "delivery": "放门卫室"}))


def test_every_note_is_off_the_slip_until_a_clerk_marks_it(order):
    assert not any(note.on_slip for note in order.notes.values())
    view = notes.set_on_slip(NUMBER, "delivery", True, clerk="wang")
    assert view.on_slip and view.kind == "delivery"
    detail = orders.get_order(NUMBER)
    assert detail.notes["delivery"].on_slip and not detail.notes["requirements"].on_slip
    event = detail.events[0]
    assert (event.field, event.old, event.new, event.clerk) == ("slip.delivery", "no", "yes", "wang")
    assert detail.notes["delivery"].version == order.notes["delivery"].version  # the text is not touched


def test_marking_again_changes_nothing_and_off_is_logged_too(order):
    notes.set_on_slip(NUMBER, "special", True)
    notes.set_on_slip(NUMBER, "special", True)
    notes.set_on_slip(NUMBER, "special", False)
    events = [(e.field, e.old, e.new) for e in orders.get_order(NUMBER).events if e.field.startswith("slip.")]
    assert events == [("slip.special", "yes", "no"), ("slip.special", "no", "yes")]  # newest first
    assert not orders.get_order(NUMBER).notes["special"].on_slip


def test_a_note_kind_never_written_can_be_marked(order):
    assert notes.set_on_slip(NUMBER, "payment", True).on_slip  # the payment note had no text yet
    assert orders.get_order(NUMBER).notes["payment"].on_slip


def test_unknown_order_or_kind(order):
    with pytest.raises(NotFound):
        notes.set_on_slip("SO-0000-00000", "delivery", True)
    with pytest.raises(InvalidInput):
        notes.set_on_slip(NUMBER, "gossip", True)


def test_the_timeline_reads_the_flag_in_words(order):
    assert labels.event_field("slip.delivery") == "Delivery printed on the delivery slip"
    assert labels.event_value("slip.delivery", "yes") == "yes"
    i18n.set_language("zh")
    try:
        assert "送货单" in labels.event_field("slip.delivery")
        assert labels.event_value("slip.delivery", "no") == "否"
    finally:
        i18n.set_language("en")
