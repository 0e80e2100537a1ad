"""Drafts: a clerk's unsaved editor text, one row per clerk, order and note kind; never conflicts.

The editor saves a draft a few seconds after typing stops and on SIGHUP/SIGTERM (tui.hangup);
opening the note again offers `get_draft()` back. A successful `notes.save_note` removes the
saving clerk's draft for that note in the same transaction (`discard_for`). Drafts are
`live=False` operations: other clerks' screens do not reload for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from notedesk import clock
from notedesk import text as textgate
from notedesk.config import current_clerk
from notedesk.services import validation as v
from notedesk.services.errors import NotFound
from notedesk.services.orders import find
from notedesk.services.transaction import operation
from notedesk.store import models as m


@dataclass(frozen=True)
class DraftView:
    kind: str
    body: str
    base_version: int  # the note version the clerk started from: save_note(base_version=...) with it
    saved_at: dt.datetime
    clerk: str
    base_body: str = ""  # the text of that version: what a merge with a newer save starts from


def _upsert(order_id: int, kind: str, body: str, base_version: int, clerk: str, now: dt.datetime) -> None:
    # A draft is whatever was typed: never refuse it (NUL and controls become U+FFFD like everywhere).
    body = textgate.clean(body if isinstance(body, str) else str(body))
    d = m.Draft
    (d.insert(clerk=clerk, order=order_id, kind=kind, body=body, base_version=int(base_version),
              created_at=now, updated_at=now, changed_by=clerk)
     .on_conflict(conflict_target=[d.clerk, d.order, d.kind],
                  update={d.body: body, d.base_version: int(base_version), d.updated_at: now})
     .execute())


@operation(live=False)
def save_draft(number: str, kind: str, body: str, base_version: int, clerk: str | None = None) -> None:
    """Keep `body` as this clerk's draft of the note (replacing any older draft).
    Raises NotFound, InvalidInput(kind)."""
    v.note_kind(kind)
    _upsert(find(number).id, kind, body, base_version, clerk or current_clerk(), clock.now())


@operation(live=False)
def save_drafts(number: str, items: dict[str, tuple[str, int]], clerk: str | None = None) -> int:
    """Several kinds of one order at once, one transaction: {kind: (body, base_version)}. Returns how many."""
    order_id = find(number).id
    clerk, now = clerk or current_clerk(), clock.now()
    for kind, (body, base_version) in items.items():
        v.note_kind(kind)
        _upsert(order_id, kind, body, base_version, clerk, now)
    return len(items)


def _restorable(order: m.Order, clerk: str) -> dict[str, DraftView]:
    notes = {n.kind: n for n in m.Note.select(m.Note.id, m.Note.kind, m.Note.body).where(m.Note.order == order.id)}
    # A draft holding exactly what is stored has nothing to restore (e.g. saved just before a hangup).
    rows = [r for r in m.Draft.select().where((m.Draft.order == order.id) & (m.Draft.clerk == clerk))
            if r.body != (notes[r.kind].body if r.kind in notes else "")]
    wanted = {(notes[r.kind].id, r.base_version) for r in rows if r.kind in notes and r.base_version > 0}
    bases = {}
    if wanted:
        query = m.NoteRevision.select(m.NoteRevision.note, m.NoteRevision.version, m.NoteRevision.body).where(
            m.NoteRevision.note.in_([note for note, _ in wanted])
            & m.NoteRevision.version.in_([version for _, version in wanted]))
        revisions = cast("Iterable[tuple[int, int, str]]", query.tuples())
        bases = {(note, version): body for note, version, body in revisions}
    return {r.kind: DraftView(r.kind, r.body, r.base_version, r.updated_at, r.clerk,
                              bases.get((notes[r.kind].id, r.base_version), "") if r.kind in notes else "")
            for r in rows}


@operation(read_only=True)
def get_draft(number: str, kind: str, clerk: str | None = None) -> DraftView | None:
    """This clerk's draft of the note, or None when there is nothing to restore. Raises NotFound."""
    v.note_kind(kind)
    return _restorable(find(number), clerk or current_clerk()).get(kind)


@operation(read_only=True)
def get_drafts(number: str, clerk: str | None = None) -> dict[str, DraftView]:
    """This clerk's restorable drafts of every note of the order, by kind. Raises NotFound."""
    return _restorable(find(number), clerk or current_clerk())


@operation(live=False)
def save_open_work(items: list[tuple[str, dict[str, tuple[str, int]]]], clerk: str | None = None) -> int:
    """The unsaved notes of every editor a clerk leaves (quitting, a hang-up): [(number, {kind:
    (body, base_version)})], one transaction. An order deleted meanwhile is passed over. Returns
    how many notes were kept."""
    kept = 0
    for number, notes in items:
        try:
            kept += save_drafts(number, notes, clerk) if notes else 0
        except NotFound:
            continue
    return kept


@operation(live=False)
def keep_drafts(number: str, items: dict[str, tuple[str, int]], clean_again=(), clerk: str | None = None) -> None:
    """The editor's pause in typing: keep `items` ({kind: (body, base_version)}) as drafts and forget
    the drafts of the kinds in `clean_again` (typed back to what is stored). One transaction."""
    if items:
        save_drafts(number, items, clerk)
    for kind in clean_again:
        discard_draft(number, kind, clerk)


@operation(live=False)
def discard_draft(number: str, kind: str | None = None, clerk: str | None = None) -> None:
    """Forget this clerk's draft of one note (or of all notes of the order when kind is None)."""
    try:
        order = find(number)
    except NotFound:
        return
    query = m.Draft.delete().where((m.Draft.order == order.id) & (m.Draft.clerk == (clerk or current_clerk())))
    if kind is not None:
        query = query.where(m.Draft.kind == kind)
    query.execute()


def discard_for(order_id: int, kind: str, clerk: str) -> None:
    """Inside an operation: the clerk's draft of this note is saved now (called by notes.save_note)."""
    m.Draft.delete().where((m.Draft.order == order_id) & (m.Draft.kind == kind) & (m.Draft.clerk == clerk)).execute()
