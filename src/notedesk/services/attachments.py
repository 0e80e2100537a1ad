"""Attachments: files on an order, stored in the database once per content, read back only when asked.

A file is checked and hashed before the transaction (services.attachment_files), then stored in one
transaction with the others of the same action: its content row and chunks only when no attachment
anywhere has the same sha256 yet, and the bytes read a second time are checked against the hash, so
a file that changed between the two reads stores nothing. Listing attachments (the detail, the
editor, `notedesk attachments`) reads names and facts only: the bytes live in their own table and are
read chunk by chunk when a clerk saves or previews one. Adding and removing are on the timeline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

from notedesk import clock
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import attachment_files as files
from notedesk.services import validation as v
from notedesk.services import views as view_rows
from notedesk.services.errors import InvalidInput, NotFound, StoreError
from notedesk.services.orders import find, record_event
from notedesk.services.transaction import operation, transaction
from notedesk.services.types import AttachmentView
from notedesk.store import models as m

A, C = m.Attachment, m.AttachmentContent
EVENT_FIELD = "attachment"


def _views(query) -> list[AttachmentView]:
    return [AttachmentView(*row) for row in query.tuples()]


def _select():
    return (A.select(A.id, A.name, A.kind, C.type, C.size, C.sha256, A.changed_by, A.created_at)
            .join(C, on=(A.content == C.id)))


def describe(view_or_facts) -> str:
    """'logo.png (image/png, 12.0 KB)': what the timeline says was added or removed."""
    return f"{view_or_facts.name} ({view_or_facts.type}, {files.size_text(view_or_facts.size)})"


def _kind(kind: str | None) -> str:
    if not kind:
        return ""
    return v.note_kind(kind, "kind")


# --- storing ----------------------------------------------------------------------------------------------

def store_content(facts: files.FileFacts, clerk: str, at: dt.datetime) -> int:
    """The id of the content with `facts.sha256`, written chunk by chunk now if it is new. Inside an
    operation. Raises InvalidInput when the bytes read now are not the bytes checked before."""
    existing = C.select(C.id).where(C.sha256 == facts.sha256).scalar()
    if existing is not None:
        return existing
    content = C.insert(sha256=facts.sha256, size=facts.size, type=facts.type, created_at=at, updated_at=at,
                       changed_by=clerk).execute()
    if facts.open is None:
        raise NotFound(_("no stored content {sha256}").format(sha256=facts.sha256))
    sha, size = hashlib.sha256(), 0
    with facts.open() as stream:
        for seq, piece in enumerate(files.chunks(stream)):
            sha.update(piece)
            size += len(piece)
            if size > facts.size:
                break
            m.AttachmentChunk.insert(content=content, seq=seq, data=piece).execute()
    if size != facts.size or sha.hexdigest() != facts.sha256:
        raise InvalidInput(_("changed while it was being read: try again when it is complete"), facts.name)
    return content


def add(order: m.Order, facts: files.FileFacts, kind: str, clerk: str, *, replace: bool = False,
        at: dt.datetime | None = None) -> tuple[AttachmentView, bool]:
    """Attach checked content to `order` under `facts.name`, inside an operation; (view, whether anything
    changed). The same name with the same content is left as it is; with other content it is an error,
    unless `replace` (an import with --update). Raises InvalidInput (name taken, count limit)."""
    at = at or clock.now()
    current = A.get_or_none((A.order == order.id) & (A.name == facts.name))
    if current is not None:
        stored = C.get_by_id(current.content_id)
        if stored.sha256 == facts.sha256 and current.kind == kind:
            return _one(current.id), False
        if stored.sha256 == facts.sha256:  # only filed under another note kind now
            A.update(kind=kind, updated_at=at, changed_by=clerk).where(A.id == current.id).execute()
            return _one(current.id), True
        if not replace:
            raise InvalidInput(_("{number} has an attachment named {name} already, with other content: "
                                 "remove it first or rename the file").format(number=order.number, name=facts.name),
                               facts.name)
        _remove(order, current, clerk, at)
    limit = files.limits().per_order
    if A.select().where(A.order == order.id).count() >= limit:
        raise InvalidInput(_("{number} has {count} attachments, the most an order may have "
                             "(setting attachments_per_order)").format(number=order.number, count=limit), facts.name)
    content = store_content(facts, clerk, at)
    row = A.insert(order=order.id, content=content, name=facts.name, kind=kind, created_at=at, updated_at=at,
                   changed_by=clerk).execute()
    record_event(order.id, EVENT_FIELD, "", describe(facts), clerk, at=at)
    m.Order.update(updated_at=at).where(m.Order.id == order.id).execute()
    return _one(row), True


def _one(attachment_id: int) -> AttachmentView:
    return _views(_select().where(A.id == attachment_id))[0]


@operation
def _attach(number: str, checked: list[files.FileFacts], kind: str, clerk: str) -> list[AttachmentView]:
    order = find(number)
    names = [f.name for f in checked]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:
        raise InvalidInput(_("two files have the same name"), twice)
    return [add(order, facts, kind, clerk)[0] for facts in checked]


def attach_files(number: str, paths: Iterable[str], *, kind: str | None = None,
                 clerk: str | None = None) -> list[AttachmentView]:
    """Attach files to an order, all or none, in one transaction; each is checked and hashed first,
    outside it. Raises NotFound, InvalidInput naming the file (see attachment_files), ConfigError."""
    kind = _kind(kind)
    limit = files.limits()
    checked = [files.inspect_path(path, limit) for path in paths]
    if not checked:
        raise InvalidInput(_("no file to attach"))
    return _attach(number, checked, kind, clerk or current_clerk())


# --- reading ----------------------------------------------------------------------------------------------

@operation
def list_attachments(number: str) -> list[AttachmentView]:
    """The order's attachments by name, without content. Raises NotFound."""
    order_id = find(number).id
    return view_rows.attachments([order_id]).get(order_id, [])


def _named(order: m.Order, name: str) -> AttachmentView:
    """The attachment called `name` (as typed, or as that name is stored once cleaned). Raises NotFound."""
    views = _views(_select().where((A.order == order.id) & (A.name == name)))
    if not views:
        wanted = files.clean_name(name) if name.strip() else name
        views = _views(_select().where((A.order == order.id) & (A.name == wanted)))
    if not views:
        raise NotFound(_("{number} has no attachment named {name}").format(number=order.number, name=name))
    return views[0]


def write_content(sha256: str, write: Callable[[bytes], object]) -> int:
    """Hand the content's bytes to `write`, a chunk at a time (inside a transaction); returns how many bytes."""
    content = C.select(C.id).where(C.sha256 == sha256).scalar()
    if content is None:
        raise NotFound(_("no stored content {sha256}").format(sha256=sha256))
    done, seq = 0, 0
    while True:  # a chunk per query: no driver buffers a whole file's rows
        data = (m.AttachmentChunk.select(m.AttachmentChunk.data)
                .where((m.AttachmentChunk.content == content) & (m.AttachmentChunk.seq == seq)).scalar())
        if data is None:
            return done
        write(bytes(data))
        done += len(data)
        seq += 1


def save_to(number: str, name: str, write: Callable[[bytes], object]) -> AttachmentView:
    """Stream one attachment's bytes to `write`, from one snapshot, checked against its sha256 and size.
    Raises NotFound, StoreError (stored bytes damaged)."""
    sha = hashlib.sha256()

    def checked(piece: bytes) -> None:
        sha.update(piece)
        write(piece)

    with transaction(read_only=True):
        view = _named(find(number), name)
        size = write_content(view.sha256, checked)
    if size != view.size or sha.hexdigest() != view.sha256:
        raise StoreError(_("the stored content of {name} is damaged (its sha256 does not match): "
                           "restore it from a backup").format(name=view.name))
    return view


def read_bytes(number: str, name: str) -> tuple[AttachmentView, bytes]:
    """One attachment's whole content (for a preview: at most the size limit). Raises NotFound, StoreError."""
    parts: list[bytes] = []
    view = save_to(number, name, parts.append)
    return view, b"".join(parts)


# --- removing ---------------------------------------------------------------------------------------------

def _remove(order: m.Order, row: m.Attachment, clerk: str, at: dt.datetime) -> None:
    view = _one(row.id)
    A.delete().where(A.id == row.id).execute()
    if not A.select().where(A.content == row.content_id).exists():  # the last one with that content
        m.AttachmentChunk.delete().where(m.AttachmentChunk.content == row.content_id).execute()
        C.delete().where(C.id == row.content_id).execute()
    record_event(order.id, EVENT_FIELD, describe(view), "", clerk, at=at)
    m.Order.update(updated_at=at).where(m.Order.id == order.id).execute()


@operation
def remove_attachment(number: str, name: str, *, clerk: str | None = None) -> AttachmentView:
    """Take an attachment off the order; the timeline keeps who removed what. Raises NotFound."""
    order = find(number)
    view = _named(order, name)
    _remove(order, A.get_by_id(view.id), clerk or current_clerk(), clock.now())
    return view
