"""The one status rule (services.order_status): the status itself decides, not the order's version."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import sample_order
from notedesk.services import orders
from notedesk.services.errors import Conflict, InvalidInput
from notedesk.services.order_status import change_status
from notedesk.services.types import Deadline

N = "SO-2026-00042"


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(N))  # status "confirmed"


def test_a_status_change_is_saved_and_logged(order):
    result = change_status(N, "in_production", loaded_status="confirmed", clerk="li")
    assert result.changed and result.order.status == "in_production"
    event = result.order.events[0]
    assert (event.field, event.old, event.new, event.clerk) == ("status", "confirmed", "in_production", "li")


def test_other_fields_changed_meanwhile_do_not_stop_it(order):
    orders.set_deadline(N, Deadline("12月2日", dt.date(2026, 12, 2)), clerk="wang")
    result = change_status(N, "shipped", loaded_status="confirmed", clerk="li")
    assert (result.order.status, result.order.deadline.date) == ("shipped", dt.date(2026, 12, 2))


def test_the_status_changed_meanwhile_is_a_conflict_and_saves_nothing(order):
    orders.set_status(N, "on_hold", clerk="wang")
    with pytest.raises(Conflict) as caught:
        change_status(N, "shipped", loaded_status="confirmed", clerk="li")
    assert (caught.value.current.status, caught.value.current.changed_by) == ("on_hold", "wang")
    assert orders.get_order(N).status == "on_hold"
    # the clerk saw theirs and keeps their own choice: asked again from the stored status
    assert change_status(N, "shipped", loaded_status="on_hold", clerk="li").order.status == "shipped"


def test_both_chose_the_same_status_is_nothing_to_do(order):
    orders.set_status(N, "shipped", clerk="wang")
    version = orders.get_order(N).version
    result = change_status(N, "shipped", loaded_status="confirmed", clerk="li")
    assert not result.changed and result.order.version == version


def test_an_unknown_status_is_refused(order):
    with pytest.raises(InvalidInput):
        change_status(N, "lost", loaded_status="confirmed")
