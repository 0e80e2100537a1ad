"""Notes: save against the version loaded, append, history, revert. History is never rewritten."""

from __future__ import annotations

from notedesk import clock
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import drafts, orders, views
from notedesk.services import validation as v
from notedesk.services.errors import Conflict, NotFound
from notedesk.services.orders import find
from notedesk.services.transaction import operation
from notedesk.services.types import NoteView, RevisionPage, RevisionView
from notedesk.store import models as m


def _note(number: str, kind: str) -> m.Note:
    """The note row, made (empty) for an order made before its kind existed: inside a write operation."""
    order = find(number)
    v.note_kind(kind)
    return note_row(order, kind)


def note_row(order: m.Order, kind: str) -> m.Note:
    """The order's note of `kind`, inside an operation (made empty for orders older than the kind)."""
    note = m.Note.get_or_none((m.Note.order == order.id) & (m.Note.kind == kind))
    if note is None:
        at = clock.now()
        note = m.Note.create(order=order, kind=kind, body="", version=0, created_at=at, updated_at=at,
                             changed_by=order.changed_by)
    return note


def write(note: m.Note, body: str, base_version: int, clerk: str) -> NoteView:
    """Save `body` over `base_version` and add its revision; zero rows updated means someone saved first.
    Raises InvalidInput (longer than the text limit), Conflict."""
    v.within_text_limit(body, f"notes.{note.kind}")
    now = clock.now()
    rows = (m.Note.update(body=body, version=m.Note.version + 1, updated_at=now, changed_by=clerk)
            .where((m.Note.id == note.id) & (m.Note.version == base_version)).execute())
    if rows == 0:
        current = views.note(m.Note.get_by_id(note.id))
        raise Conflict(_("{author} saved this note meanwhile (version {version})").format(
            author=current.author, version=current.version), current)
    m.NoteRevision.create(note=note.id, version=base_version + 1, body=body, created_at=now,
                          updated_at=now, changed_by=clerk)
    # the order's "last changed" is who changed anything on it, its notes too (the detail's header)
    m.Order.update(updated_at=now, changed_by=clerk).where(m.Order.id == note.order_id).execute()
    return views.note(m.Note.get_by_id(note.id))


@operation(read_only=True)
def get_note(number: str, kind: str) -> NoteView:
    """Raises NotFound, InvalidInput."""
    order = find(number)
    v.note_kind(kind)
    note = m.Note.get_or_none((m.Note.order == order.id) & (m.Note.kind == kind))
    if note is None:  # an order made before the kind existed: an empty note, made when first saved
        return NoteView(kind=kind, body="", version=0, author=order.changed_by, updated_at=None)
    return views.note(note)


@operation
def save_note(number: str, kind: str, body: str, *, base_version: int, clerk: str | None = None) -> NoteView:
    """Save a note as loaded at `base_version`. Raises NotFound, InvalidInput, Conflict (nothing overwritten)."""
    note = _note(number, kind)
    drafts.discard_for(note.order_id, kind, clerk or current_clerk())  # rolled back on Conflict
    body = v.clean_text(body, f"{number} notes.{kind}")
    if body == note.body and base_version == note.version:
        return views.note(note)
    return write(note, body, base_version, clerk or current_clerk())


@operation
def append_note(number: str, kind: str, text: str, *, clerk: str | None = None) -> NoteView:
    """Add a paragraph to the end of a note (inside one transaction, so it cannot conflict)."""
    note = _note(number, kind)
    text = v.clean_text(text, f"{number} notes.{kind}", required=True)
    body = f"{note.body.rstrip()}\n{text}" if note.body.strip() else text
    return write(note, body, note.version, clerk or current_clerk())


@operation(read_only=True)
def history(number: str, kind: str) -> list[RevisionView]:
    """Every saved version of a note, newest first."""
    order = find(number)
    v.note_kind(kind)
    rows = (m.NoteRevision.select().join(m.Note)
            .where((m.Note.order == order.id) & (m.Note.kind == kind)).order_by(m.NoteRevision.version.desc()))
    return [RevisionView(r.version, r.body, r.changed_by, r.created_at) for r in rows]


HISTORY_PAGE = 100  # revisions a history screen reads at a time


@operation(read_only=True)
def history_page(number: str, kind: str, *, before: int | None = None, limit: int = HISTORY_PAGE) -> RevisionPage:
    """A page of a note's revisions, newest first: `limit` of them, older than version `before` when
    given (keyset on the version), with the revision before the oldest of them (what it changed).
    Raises NotFound, InvalidInput."""
    order = find(number)
    v.note_kind(kind)
    condition = (m.Note.order == order.id) & (m.Note.kind == kind)
    if before is not None:
        condition &= m.NoteRevision.version < before
    rows = list(m.NoteRevision.select().join(m.Note).where(condition)
                .order_by(m.NoteRevision.version.desc()).limit(limit + 1))
    views_ = [RevisionView(r.version, r.body, r.changed_by, r.created_at) for r in rows]
    return RevisionPage(tuple(views_[:limit]), views_[limit] if len(views_) > limit else None)


@operation
def revert(number: str, kind: str, version: int, *, base_version: int, clerk: str | None = None) -> NoteView:
    """Save an old revision's text as a new revision. Raises NotFound, Conflict."""
    note = _note(number, kind)
    old = m.NoteRevision.get_or_none((m.NoteRevision.note == note.id) & (m.NoteRevision.version == version))
    if old is None:
        raise NotFound(_("{number} {kind} has no version {version}").format(number=number, kind=kind, version=version))
    return write(note, old.body, base_version, clerk or current_clerk())


@operation
def set_on_slip(number: str, kind: str, on_slip: bool, *, clerk: str | None = None) -> NoteView:
    """Mark the note to be printed on the delivery slip, or not (the timeline says who and when).
    Raises NotFound, InvalidInput."""
    order = find(number)
    v.note_kind(kind)
    note = note_row(order, kind)
    if note.on_slip == on_slip:
        return views.note(note)
    clerk = clerk or current_clerk()
    now = clock.now()
    m.Note.update(on_slip=on_slip).where(m.Note.id == note.id).execute()
    orders.record_event(order.id, f"slip.{kind}", "yes" if note.on_slip else "no", "yes" if on_slip else "no", clerk,
                        at=now)
    return views.note(m.Note.get_by_id(note.id))
