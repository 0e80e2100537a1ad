"""Presence: heartbeat rows per clerk and order that expire by themselves after 30 s."""

from __future__ import annotations

import pytest

from conftest import sample_order
from notedesk import clock
from notedesk.services import changes, orders, presence
from notedesk.services.errors import NotFound

N = "SO-2026-00042"


@pytest.fixture
def order(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:02:00")
    return orders.create_order(sample_order(N))


def at(monkeypatch, hhmmss: str) -> None:
    monkeypatch.setenv("NOTEDESK_NOW", f"2026-11-26T{hhmmss}")


def test_heartbeat_shows_other_clerks_only(order, monkeypatch):
    presence.heartbeat(N, "special", clerk="wang")
    presence.heartbeat(N)  # li, this clerk
    seen = presence.editing(N)
    assert [(p.clerk, p.kind) for p in seen] == [("wang", "special")]
    assert seen[0].since == clock.now()
    assert {p.clerk for p in presence.editing(N, exclude_clerk="")} == {"li", "wang"}
    assert [p.clerk for p in presence.editing(N, exclude_clerk="wang")] == ["li"]


def test_heartbeat_keeps_since_and_rows_expire(order, monkeypatch):
    presence.heartbeat(N, clerk="wang")
    start = clock.now()
    at(monkeypatch, "10:02:20")
    presence.heartbeat(N, "delivery", clerk="wang")
    at(monkeypatch, "10:02:45")  # 25 s after the last heartbeat: still there, since unchanged
    [p] = presence.editing(N)
    assert (p.since, p.kind) == (start, "delivery")
    at(monkeypatch, "10:02:51")  # 31 s: gone by itself
    assert presence.editing(N) == []
    presence.heartbeat(N, clerk="wang")  # back after a gap: a new session
    [p] = presence.editing(N)
    assert p.since == clock.now()


def test_leave_and_cleanup(order, monkeypatch):
    from notedesk.store import models as m

    presence.heartbeat(N, clerk="wang")
    presence.leave(N, clerk="wang")
    assert presence.editing(N) == []
    presence.leave(N, clerk="wang")  # twice is fine
    presence.leave("SO-NOPE", clerk="wang")
    presence.heartbeat(N, clerk="zhao")
    at(monkeypatch, "12:00:00")
    presence.heartbeat(N, clerk="wang")  # an hour later: zhao's forgotten row is deleted
    from notedesk.store.models import db

    with db.connection_context():
        assert sorted(r.clerk for r in m.Presence.select()) == ["wang"]


def test_unknown_order(order):
    with pytest.raises(NotFound):
        presence.heartbeat("SO-NOPE")
    with pytest.raises(NotFound):
        presence.editing("SO-NOPE")


def test_heartbeats_do_not_count_as_changes(order):
    before = changes.counter()
    presence.heartbeat(N, clerk="wang")
    presence.heartbeat(N, clerk="wang")
    presence.leave(N, clerk="wang")
    assert changes.counter() == before


def test_one_heartbeat_for_every_open_editor_and_the_closed_ones(order):
    presence.update({N: "special"}, [], clerk="wang")
    assert [(p.clerk, p.kind) for p in presence.editing(N)] == [("wang", "special")]
    presence.update({"SO-NOT-THERE": "payment"}, [N], clerk="wang")  # a vanished order is passed over
    assert presence.editing(N) == []
