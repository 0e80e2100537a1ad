"""Presence: who has an order's notes open, from heartbeat rows that go stale by themselves.

An open editor calls `heartbeat()` every ~10 s (tui.live does it); a row not seen for STALE_AFTER
no longer counts, so a crashed or hung-up desk needs no clean-up job. `leave()` when the editor
closes. One row per clerk and order: the same clerk in two terminals shares it. Presence writes
are `live=False`: a heartbeat does not make other clerks' screens reload (tui.live polls
`editing()` for the screen that shows it instead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Case

from notedesk import clock
from notedesk.config import current_clerk
from notedesk.services.errors import NotFound
from notedesk.services.orders import find
from notedesk.services.transaction import operation
from notedesk.store import models as m

STALE_AFTER = dt.timedelta(seconds=30)
FORGET_AFTER = dt.timedelta(hours=1)  # rows this old are deleted on the next heartbeat anywhere


@dataclass(frozen=True)
class PresenceView:
    clerk: str
    since: dt.datetime  # aware UTC: when this editing session started
    kind: str = ""  # the note tab last reported, "" when unknown
    seen_at: dt.datetime | None = None


@operation(live=False)
def heartbeat(number: str, kind: str = "", clerk: str | None = None) -> None:
    """This clerk still has the order's notes open. Keeps `since` unless the row had gone stale. Raises NotFound."""
    now = clock.now()
    clerk = clerk or current_clerk()
    order = find(number)
    p = m.Presence
    (p.insert(clerk=clerk, order=order.id, kind=kind, since=now, seen_at=now)
     .on_conflict(conflict_target=[p.clerk, p.order],
                  # every right-hand side sees the old row, so `since` restarts only after a gap
                  update={p.since: Case(None, [(p.seen_at < now - STALE_AFTER, p.since.db_value(now))], p.since),
                          p.seen_at: now, p.kind: kind})
     .execute())
    p.delete().where(p.seen_at < now - FORGET_AFTER).execute()


@operation(live=False)
def leave(number: str, clerk: str | None = None) -> None:
    """This clerk closed the order's notes (no error when they were not open)."""
    try:
        order = find(number)
    except NotFound:
        return
    mine = (m.Presence.order == order.id) & (m.Presence.clerk == (clerk or current_clerk()))
    m.Presence.delete().where(mine).execute()


@operation(live=False)
def update(editing_now: dict[str, str], left: list[str], clerk: str | None = None) -> None:
    """One desk's heartbeat: this clerk edits the orders `editing_now` ({number: tab}) and closed
    those in `left`, in one transaction. An order deleted meanwhile is passed over."""
    for number, kind in editing_now.items():
        try:
            heartbeat(number, kind, clerk)
        except NotFound:
            continue
    for number in left:
        leave(number, clerk)


@operation(read_only=True)
def editing(number: str, exclude_clerk: str | None = None) -> list[PresenceView]:
    """Other clerks with the order's notes open now, earliest first. exclude_clerk: default this clerk; "" for all."""
    exclude = current_clerk() if exclude_clerk is None else exclude_clerk
    p = m.Presence
    order = find(number)
    rows = (p.select().where((p.order == order.id) & (p.seen_at >= clock.now() - STALE_AFTER) & (p.clerk != exclude))
            .order_by(p.since, p.clerk))
    return [PresenceView(r.clerk, r.since, r.kind, r.seen_at) for r in rows]
