"""Saving what a clerk edited on one order at once: changed notes, deadline, payment and a log entry.

The note editor's ctrl+s is one call of `save_edits`, one transaction (a log entry and the follow-up
it promised included): everything is saved, or,
when another clerk changed something the clerk edited, nothing is and the result says what
conflicts (with the stored versions, for the clerk to choose). The rules:

- A note was loaded at `base_version`. Stored still at that version: saved. Stored newer with
  exactly the text the clerk is saving: both wrote the same, nothing to resolve. Otherwise: a
  conflict.
- The deadline and the payment fields were loaded as `loaded_deadline` / `loaded_payment`.
  Another clerk changing other parts of the order meanwhile (its status, a note) is no reason
  to stop: the fields are saved on top when what is stored is still what the clerk loaded (or
  already what the clerk is saving). Otherwise: a conflict.
- A log entry never conflicts (appends from many clerks are all kept).
- A note still holding the conflict markers of a merge is refused, naming the lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from notedesk import labels
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import communications, drafts, follow_ups, notes, orders
from notedesk.services import validation as v
from notedesk.services.communications import LOG_PAGE
from notedesk.services.errors import InvalidInput
from notedesk.services.merge import markers_left
from notedesk.services.transaction import operation
from notedesk.services.types import CommunicationView, Deadline, FollowUpView, NewFollowUp, OrderDetail, Payment
from notedesk.store import models as m


@dataclass(frozen=True)
class NoteEdit:
    body: str
    base_version: int  # the version the clerk started from
    markers: tuple[str, ...] = ()  # the marker lines of a merge the clerk is editing (services.merge)


@dataclass(frozen=True)
class LogEntry:
    text: str
    channel: str = "phone"
    contact: str = ""
    at: dt.datetime | None = None


@dataclass(frozen=True)
class OrderEdits:
    """What one save carries; a part left out (empty, None) is not saved."""

    notes: dict[str, NoteEdit] = field(default_factory=dict)
    deadline: Deadline | None = None
    loaded_deadline: Deadline | None = None  # the deadline as the clerk loaded it
    payment: Payment | None = None
    loaded_payment: Payment | None = None
    log_entry: LogEntry | None = None
    follow_up: NewFollowUp | None = None  # added in the same transaction (a call promising a call back)

    def __bool__(self) -> bool:
        return bool(self.notes or self.deadline is not None or self.payment is not None or self.log_entry
                    or self.follow_up)


@dataclass(frozen=True)
class EditsSaved:
    """The order as stored after the call (its newest LOG_PAGE log entries); `saved` False when a
    conflict kept everything unsaved."""

    order: OrderDetail
    saved: bool
    note_conflicts: tuple[str, ...] = ()  # kinds another clerk saved meanwhile: theirs is order.notes[kind]
    field_conflicts: tuple[str, ...] = ()  # "deadline", "payment": theirs is order.deadline / order.payment
    logged: CommunicationView | None = None
    follow_up: FollowUpView | None = None


@operation
def save_edits(number: str, edits: OrderEdits, *, clerk: str | None = None) -> EditsSaved:
    """Save `edits` of order `number`, all or nothing. Raises NotFound, InvalidInput (a bad value,
    conflict markers left); a conflict is not an error but a result with `saved` False."""
    clerk = clerk or current_clerk()
    row = orders.find(number)
    bodies = _checked_bodies(number, edits.notes)
    stored = {n.kind: n for n in m.Note.select().where(m.Note.order == row.id)}
    note_conflicts = tuple(
        kind for kind, edit in edits.notes.items()
        if kind in stored and stored[kind].version != edit.base_version and stored[kind].body != bodies[kind])
    current = orders.load(row, log_limit=LOG_PAGE) if edits.deadline is not None or edits.payment is not None else None
    field_conflicts = tuple(
        name for name, mine, loaded in (("deadline", edits.deadline, edits.loaded_deadline),
                                         ("payment", edits.payment, edits.loaded_payment))
        if mine is not None and _terms(getattr(current, name)) not in (_terms(loaded), _terms(mine)))
    if note_conflicts or field_conflicts:
        return EditsSaved(current or orders.load(row, log_limit=LOG_PAGE), saved=False, note_conflicts=note_conflicts,
                          field_conflicts=field_conflicts)
    for kind, body in bodies.items():
        note = stored.get(kind) or notes.note_row(row, kind)
        drafts.discard_for(row.id, kind, clerk)
        if body != note.body:
            notes.write(note, body, note.version, clerk)
    if current is not None:
        changed = replace(orders.as_input(current),
                          deadline=current.deadline if edits.deadline is None else edits.deadline,
                          payment=current.payment if edits.payment is None else edits.payment)
        if (changed.deadline, changed.payment) != (current.deadline, current.payment):
            orders.replace_fields(row, orders.checked(changed, number), clerk, current.version)
    logged = None
    if edits.log_entry is not None:
        entry = edits.log_entry
        logged = communications.log_communication(number, entry.text, channel=entry.channel, contact=entry.contact,
                                                  at=entry.at, clerk=clerk)
    added = None
    if edits.follow_up is not None:
        f = edits.follow_up
        added = follow_ups.add(number, f.text, due=f.due, clerk=f.clerk, now=f.at, by=clerk)
    return EditsSaved(orders.load(row, log_limit=LOG_PAGE), saved=True, logged=logged, follow_up=added)


def _terms(value):
    """What a clerk set: a payment's status and paid instalments follow from payments received
    meanwhile (services.settlement), which is no conflict with the clerk's amount or schedule."""
    return value.terms() if isinstance(value, Payment) else value


def _checked_bodies(number: str, edits: dict[str, NoteEdit]) -> dict[str, str]:
    """Each note's text as it would be stored; refuses conflict markers a merge left."""
    bodies = {}
    for kind, edit in edits.items():
        v.note_kind(kind, f"{number} notes")
        body = v.clean_text(edit.body, f"{number} notes.{kind}")
        left = markers_left(body, edit.markers)
        if left:
            raise InvalidInput(_("the merge's conflict markers are still on line {lines}: keep the lines you "
                                 "want, delete the markers, then save").format(lines=", ".join(map(str, left))),
                               labels.note_kind_label(kind))
        bodies[kind] = body
    return bodies
