"""Importing checked orders: read what exists without the write lock, then one short write transaction
that inserts the new orders in bulk (issue 13.11: a 5,000-order import held the lock ~70 s, 26
queries an order, and locked every clerk out).

1. The file is parsed and checked before anything here runs (exchange_check: no database).
2. `plan()` reads, in a read-only snapshot that neither waits for nor holds up a writer, which numbers
   exist (matched without regard to case) and, for `--update`, what each existing order would become.
   A dry run stops here: it never takes the write lock.
3. `write()` runs in one write transaction (all or nothing: README, "Exchange format") and checks again what it
   depends on: new orders go in as rows (store/bulk: a dozen statements for the whole file, the search
   index built in one pass in the same transaction); orders replaced by `--update` go through the same
   services as a clerk's save, one by one.

Adding a field to the exchange format: parse it in exchange_check, write it for a new order in
`_new_rows()` (and its table in store/bulk.FIELDS), and for `--update` in the service that saves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

import peewee

from notedesk import clock, domain
from notedesk.i18n import _
from notedesk.services import (
    attachment_files,
    attachments,
    communications,
    customers,
    follow_ups,
    notes,
    orders,
    payments,
    settlement,
    views,
)
from notedesk.services.errors import InvalidInput
from notedesk.services.exchange_check import OrderPlan
from notedesk.services.transaction import operation
from notedesk.services.types import CUSTOMER_ROW_FIELDS, AddressData, ContactData, CustomerData, OrderInput, Payment
from notedesk.store import bulk, sort_keys
from notedesk.store import models as m
from notedesk.store import search_index as ix

CHUNK = 500  # values per IN (...) query


@dataclass(frozen=True)
class Outcome:
    """What an import does (or would do): numbers created / updated / unchanged, log entries added."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    communications: int = 0
    attachments: int = 0  # attached (or filed anew)
    missing_files: tuple[str, ...] = ()  # given without content this database does not hold: left out


# --- reading what exists ------------------------------------------------------------------------------


def existing_orders(numbers: list[str]) -> dict[str, tuple[int, str]]:
    """{number as in the file: (id, stored number)} of the orders that exist, matched without regard
    to case (a file's `so-2026-00042` is the stored `SO-2026-00042`)."""
    wanted = {n.lower(): n for n in numbers}
    found: dict[str, tuple[int, str]] = {}
    exact = list(wanted.values())
    for start in range(0, len(exact), CHUNK):
        query = m.Order.select(m.Order.id, m.Order.number).where(m.Order.number.in_(exact[start:start + CHUNK]))
        for order_id, number in m.db.execute(query).fetchall():
            found[number] = (order_id, number)
    if len(found) < len(wanted):  # another spelling of a stored number: one pass over the numbers
        for order_id, number in m.db.execute(m.Order.select(m.Order.id, m.Order.number)).fetchall():
            given = wanted.get(number.lower())
            if given is not None and given not in found:
                found[given] = (order_id, number)
    return found


def _refuse_existing(plans: list[OrderPlan], existing: dict, update: bool) -> None:
    if update:
        return
    for plan in plans:
        if plan.number in existing:
            raise InvalidInput(_("the order exists already (import with --update to replace it)"),
                               f"{plan.number} number")


@operation(read_only=True)
def plan(plans: list[OrderPlan], *, update: bool, clerk: str) -> Outcome:
    """What importing `plans` would do, read in one snapshot without the write lock (a dry run).
    Raises InvalidInput (an existing number without `update`)."""
    existing = existing_orders([p.number for p in plans])
    _refuse_existing(plans, existing, update)
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    added = files = 0
    missing: list[str] = []
    for p in plans:
        order_id = existing[p.number][0] if p.number in existing else None
        attached = _would_attach(order_id, p, missing)
        files += attached
        if order_id is None:
            created.append(p.number)
            added += len(p.communications)
            continue
        row = m.Order.get_by_id(order_id)
        merged, current = _merged_input(row, p)
        notes_changed = bool(_changed_notes(row, p))
        count = len(_new_communications(row, p, clerk))
        to_do = len(_new_follow_ups(row, p, clerk))
        added += count
        (updated if merged != current or notes_changed or count or attached or to_do else unchanged).append(p.number)
    return Outcome(tuple(created), tuple(updated), tuple(unchanged), added, files, tuple(missing))


def _would_attach(order_id: int | None, p: OrderPlan, missing: list[str]) -> int:
    """How many of the file's attachments an import would add or change on the order (a dry run)."""
    count = 0
    for item in p.attachments:
        if item.facts is None and not m.AttachmentContent.select().where(
                m.AttachmentContent.sha256 == item.sha256).exists():
            missing.append(f"{item.where} {item.name}")
            continue
        same = order_id is not None and (
            m.Attachment.select().join(m.AttachmentContent)
            .where((m.Attachment.order == order_id) & (m.Attachment.name == item.name)
                   & (m.AttachmentContent.sha256 == item.sha256) & (m.Attachment.kind == item.kind)).exists())
        count += not same
    return count


# --- writing ------------------------------------------------------------------------------------------


@dataclass
class NewRows:
    """The new orders' rows, made before the write lock. Ids in them are relative (0, 1, ...) to bases
    taken under the lock; a customer that exists already is referred to by its own id, a new one by
    -(its relative id + 1)."""

    numbers: list[str]
    rows: dict = field(default_factory=lambda: {model: [] for model in bulk.FIELDS})
    customer_updates: list[tuple[int, dict, dt.datetime]] = field(default_factory=list)
    later: list[tuple[int, int]] = field(default_factory=list)  # (corrected, correction): a back-dated one
    picks: list[tuple[int | None, int | None]] = field(default_factory=list)  # each order's address, contact refs
    known: dict[str, str] = field(default_factory=dict)  # text -> gram tokens (store/search_index)
    # The search documents of the new rows: (when written, source, model, relative id, text), the text
    # as search_index.BODY reads it back (an order's: its customer's name and company as they will be
    # stored); `in_order` is them as bulk.index_documents takes them, for the bases read before the lock.
    documents: list[tuple[str, int, type, int, str]] = field(default_factory=list)
    in_order: list[tuple[int, str]] | None = None
    index_rows: bulk.DocumentRows | None = None  # in_order as the index tables take them
    # The stored customers the new orders name: (name, company) as they will be once the import has
    # updated them; the documents hold these, so the write checks them under the lock.
    expected: dict[int, tuple[str, str]] = field(default_factory=dict)
    # The rows with their ids made real for the bases read before the lock (SQLite), and those bases:
    # used as they are when the write transaction finds the same bases, the usual case.
    shifted: dict = field(default_factory=dict)
    bases: dict = field(default_factory=dict)


# Columns a new row has beyond bulk.FIELDS, at the end of its tuple: a customer's pinyin key, made
# before the lock (else sort_keys.fill_missing computes it row by row at the end of the transaction).
EXTRA: dict[type[m.BaseModel], tuple[str, ...]] = {m.Customer: ("sort_key",)}
# what copies a customer's name and company onto each new order (migration 0003)
NAMES_TRIGGER = ("orders_customer_names_ai",)
# the tables whose new ids are taken as a block
BASED = (m.Customer, m.CustomerContact, m.CustomerAddress, m.Order, m.Note, m.Communication)
# Where each table's rows hold an id or a reference to shift by a base: (position, the model whose base).
_SHIFTS = {
    m.Customer: ((0, m.Customer),),
    m.CustomerContact: ((0, m.CustomerContact),),
    m.CustomerAddress: ((0, m.CustomerAddress),),
    m.Order: ((0, m.Order),),
    m.OrderLine: ((3, m.Order),),
    m.Instalment: ((3, m.Order),),
    m.Payment: ((3, m.Order),),
    m.Note: ((0, m.Note), (4, m.Order)),
    m.NoteRevision: ((3, m.Note),),
    m.Communication: ((0, m.Communication), (4, m.Order), (10, m.Communication)),
    m.Event: ((3, m.Order),),
}
# References that are a stored id (>= 0) or -(relative id + 1) of a new row: (position, the model referred to).
_REFS = {
    m.CustomerContact: ((4, m.Customer),),
    m.CustomerAddress: ((4, m.Customer),),
    m.Order: ((5, m.Customer), (bulk.FIELDS[m.Order].index("address"), m.CustomerAddress),
              (bulk.FIELDS[m.Order].index("contact"), m.CustomerContact)),
}


def write(plans: list[OrderPlan], *, update: bool, clerk: str) -> Outcome:
    """Import `plans` in one write transaction: new orders in bulk, updated ones through the services.
    Everything that can be done before the transaction is: what exists is read in a snapshot, the new
    rows and the search index's tokens are made in Python. Raises InvalidInput (an existing number
    without `update`, a bad merged field)."""
    existing, stored, bases, first_document = _look_up(plans, update)
    new = _new_rows([p for p in plans if p.number not in existing], stored, clerk)
    if bases:
        new.bases, new.shifted = bases, {model: _shifted(model, new.rows[model], bases) for model in bulk.FIELDS}
        new.in_order = _in_order(new.documents, bases)
        if first_document is not None:
            new.index_rows = bulk.document_rows(new.in_order, first_document, new.known)
    return _write(plans, new, existing, update=update, clerk=clerk)


@operation(read_only=True)
def _look_up(plans: list[OrderPlan], update: bool) -> tuple[dict, dict, dict, int | None]:
    """The orders of the file that exist (refused without `update`), the stored customers the new
    orders name, by (name, phone), each with its contacts and addresses (services.customers), and the
    first new ids the write transaction will most likely take (bulk.next_ids; empty where they cannot
    be known before) and the id of the next search document (bulk.next_document_id)."""
    existing = existing_orders([p.number for p in plans])
    _refuse_existing(plans, existing, update)
    names = sorted({p.data.customer.name for p in plans if p.number not in existing})
    stored: dict[tuple[str, str], m.Customer] = {}
    for start in range(0, len(names), CHUNK):
        for row in m.Customer.select().where(m.Customer.name.in_(names[start:start + CHUNK])).order_by(m.Customer.id):
            stored.setdefault((row.name, row.phone), row)
    ids = [row.id for row in stored.values()]
    lists: dict[int, _Lists] = {row.id: _Lists(row.id) for row in stored.values()}
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        K, A = m.CustomerContact, m.CustomerAddress
        people = K.select(K.customer, K.id, K.name, K.phone).where(K.customer.in_(part))
        for cid, kid, name, phone in customers.tuples(people.order_by(K.customer, K.position, K.id)):
            lists[cid].contacts.append((kid, name, phone))
        for cid, aid, text in customers.tuples(A.select(A.customer, A.id, A.text).where(A.customer.in_(part))
                                               .order_by(A.customer, A.position, A.id)):
            lists[cid].addresses.append((aid, text))
    return (existing, {key: (row, lists[row.id]) for key, row in stored.items()}, bulk.next_ids(m.db.obj, BASED),
            bulk.next_document_id(m.db.obj))


@dataclass
class _Lists:
    """A customer's contacts and addresses while an import makes rows: (ref, name, phone) and (ref, text),
    a ref being a stored id or -(relative id + 1) of a row to insert."""

    customer: int  # the same kind of ref
    contacts: list[tuple[int, str, str]] = field(default_factory=list)
    addresses: list[tuple[int, str]] = field(default_factory=list)


def _customer_lists(out: NewRows, lists: _Lists, data: CustomerData, stamp: tuple) -> None:
    """What services.customers.pick adds for an order naming `data`, as rows."""
    rows = out.rows

    def contact(person: ContactData) -> int:
        ref = -(len(rows[m.CustomerContact]) + 1)
        rows[m.CustomerContact].append((-ref - 1, *stamp, lists.customer, len(lists.contacts), person.name,
                                        person.phone, person.role))
        lists.contacts.append((ref, person.name, person.phone))
        return ref

    def address(place: AddressData) -> int:
        ref = -(len(rows[m.CustomerAddress]) + 1)
        rows[m.CustomerAddress].append((-ref - 1, *stamp, lists.customer, len(lists.addresses), place.label,
                                        place.text))
        lists.addresses.append((ref, place.text))
        return ref

    for person in data.contacts:
        if not any((name, phone) == (person.name, person.phone) for _, name, phone in lists.contacts):
            contact(person)
    if not lists.contacts and data.phone and not data.contacts:
        contact(ContactData(data.name, data.phone))
    for place in data.addresses:
        if not any(text == place.text for _, text in lists.addresses):
            address(place)
    picked_address = None
    if data.address:
        picked_address = next((ref for ref, text in lists.addresses if text == data.address), None) or address(
            AddressData(data.address))
    picked_contact = None
    if data.contact is None:
        picked_contact = lists.contacts[0][0] if lists.contacts else None
    elif data.contact:
        picked_contact = next((ref for ref, name, _ in lists.contacts if name == data.contact), None) or contact(
            ContactData(data.contact))
    out.picks.append((picked_address, picked_contact))


def _new_rows(new: list[OrderPlan], stored: dict, clerk: str) -> NewRows:
    """Every row of the new orders, as orders.insert and communications.append write them. The same
    customer (name and phone) is one row, with the fields of the last order that names it; the
    addresses and contacts of all its orders."""
    out = NewRows([p.number for p in new])
    rows = out.rows
    wanted: dict[tuple[str, str], tuple[CustomerData, dt.datetime, dt.datetime]] = {}
    for p in new:
        c, at = p.data.customer, _created(p)
        first = wanted[(c.name, c.phone)][1] if (c.name, c.phone) in wanted else at
        wanted[(c.name, c.phone)] = (c, first, at)
    customer_ref: dict[tuple[str, str], _Lists] = {}
    for key, (data, first, last) in wanted.items():
        found = stored.get(key)
        if found is None:
            ref = -(len(rows[m.Customer]) + 1)
            customer_ref[key] = _Lists(ref)
            rows[m.Customer].append((-ref - 1, bulk.stamp(first), bulk.stamp(last), clerk, data.name,
                                     data.company, data.phone, data.email, data.preferences,
                                     sort_keys.sort_key(data.name)))
            continue
        row, lists = found
        customer_ref[key] = lists
        out.expected[row.id] = (data.name, data.company)
        changed = {k: getattr(data, k) for k in CUSTOMER_ROW_FIELDS if getattr(row, k) != getattr(data, k)}
        if changed:
            out.customer_updates.append((row.id, changed, last))
    now = bulk.stamp(clock.now())
    kinds = domain.NOTE_KINDS
    documents = out.documents
    for order_id, p in enumerate(new):
        d, c = p.data, p.data.customer
        made = bulk.stamp(_created(p))
        stamp = (made, made, clerk)
        _customer_lists(out, customer_ref[(c.name, c.phone)], c, stamp)
        documents.append((made, ix.ORDER, m.Order, order_id,
                          ix.order_text(p.number, c.name, wanted[(c.name, c.phone)][0].company)))
        for i, line in enumerate(d.lines):
            rows[m.OrderLine].append((*stamp, order_id, i, line.product, line.spec, line.quantity,
                                      bulk.money(line.unit_price)))
        total = sum((line.amount for line in d.lines), Decimal("0.00"))
        pay = d.payment
        due = settlement.amount_due(pay.amount_due, total)
        received_list = d.payments if d.payments is not None else settlement.from_old_fields(pay, due, _created(p),
                                                                                            clerk)
        for r in received_list:
            when = bulk.stamp(r.at or _created(p))
            rows[m.Payment].append((when, when, r.clerk or clerk, order_id, bulk.money(r.amount), r.via, when, r.note,
                                    r.clerk or clerk))
        received = sum((r.amount for r in received_list), Decimal("0.00"))
        paid = settlement.instalments_paid([(i.due, i.amount) for i in pay.instalments], received)
        for i, inst in enumerate(pay.instalments):
            rows[m.Instalment].append((*stamp, order_id, i, inst.due.isoformat(), bulk.money(inst.amount), paid[i]))
        for kind in kinds:
            body = d.notes.get(kind, "")
            note_id = len(rows[m.Note])
            rows[m.Note].append((note_id, *stamp, order_id, kind, body, 1 if body else 0))
            if body:
                rows[m.NoteRevision].append((*stamp, note_id, 1, body))
                documents.append((made, ix.NOTE, m.Note, note_id, body))
        rows[m.Event].append((*stamp, order_id, "created", "", d.status, ""))
        base = len(rows[m.Communication])
        for n, entry in enumerate(p.communications):
            corrects = base + entry.corrects if entry.corrects is not None else None
            if entry.corrects is not None and entry.corrects > n:  # back-dated: its target comes later
                out.later.append((base + entry.corrects, base + n))
                corrects = None
            when = bulk.stamp(entry.at)
            rows[m.Communication].append((base + n, now, now, clerk, order_id, when, entry.channel,
                                          entry.contact, entry.clerk or clerk, entry.text, corrects))
            documents.append((when, ix.COMMUNICATION, m.Communication, base + n, entry.text))
        dl = d.deadline
        picked_address, picked_contact = out.picks[-1]
        rows[m.Order].append((
            order_id, made, now if p.communications else made, clerk, p.number,
            customer_ref[(c.name, c.phone)].customer, c.name, wanted[(c.name, c.phone)][0].company,  # as stored
            d.status, d.currency, 1, bulk.money(total), dl.text, dl.date.isoformat() if dl.date else None,
            bulk.clock_time(dl.start), bulk.clock_time(dl.end), pay.method, settlement.payment_status(received, due),
            bulk.money(pay.amount_due), bulk.money(received), picked_address, picked_contact))
    out.known = bulk.gram_tokens(text for *_, text in documents)
    return out


def _created(p: OrderPlan) -> dt.datetime:
    """When the order was made: exchange_check always sets it (the file's, or the time of the import)."""
    assert p.data.created_at is not None
    return p.data.created_at


def _in_order(documents: list[tuple[str, int, type, int, str]], bases: dict) -> list[tuple[int, str]]:
    """The documents as bulk.index_documents takes them: (ref, text) by when written, then ref, as
    search_index.index_new numbers the rows it finds."""
    made = sorted(((at, (bases[model] + rel) * 4 + source), text) for at, source, model, rel, text in documents)
    return [(ref, text) for (_, ref), text in made]


def _as_expected(expected: dict[int, tuple[str, str]]) -> bool:
    """The stored customers the new orders' documents name read as the documents say (another clerk
    may have renamed one since the snapshot; then the index reads the texts back from the rows)."""
    ids = list(expected)
    for start in range(0, len(ids), CHUNK):
        query = m.Customer.select(m.Customer.id, m.Customer.name, m.Customer.company).where(
            m.Customer.id.in_(ids[start:start + CHUNK]))
        for customer_id, name, company in m.db.execute(query).fetchall():
            if expected[customer_id] != (name, company):
                return False
    return True


def _shifted(model, rows: list[tuple], bases: dict) -> list[tuple]:
    """The rows with their relative ids made real."""
    shifts = [(pos, bases[target]) for pos, target in _SHIFTS[model]]
    refs = [(pos, bases[target]) for pos, target in _REFS.get(model, ())]
    out = []
    for row in rows:
        values = list(row)
        for pos, base in shifts:
            if values[pos] is not None:
                values[pos] += base
        for pos, base in refs:
            if values[pos] is not None and values[pos] < 0:
                values[pos] = base - values[pos] - 1
        out.append(tuple(values))
    return out


@operation
def _write(plans: list[OrderPlan], new: NewRows, existing: dict, *, update: bool, clerk: str) -> Outcome:
    """The write transaction: the new orders' rows, then the updated orders."""
    database = m.db.obj
    _still_new(new.numbers)
    added = len(new.rows[m.Communication])
    if new.numbers:
        for customer_id, fields, at in new.customer_updates:
            m.Customer.update(**fields, updated_at=at, changed_by=clerk).where(m.Customer.id == customer_id).execute()
        # The new rows hold the names and companies the stored customers have (checked here, under the lock):
        # the trigger that would set them on each order is not needed (migration 0003), nor a lookup of
        # each order's text for the search index.
        as_expected = isinstance(database, peewee.SqliteDatabase) and _as_expected(new.expected)
        with (bulk.indexing_suspended(database, new.known) as index,
              bulk.triggers_suspended(database, NAMES_TRIGGER if as_expected else ())):
            bases = {model: bulk.reserve_ids(database, model, len(new.rows[model])) for model in BASED}
            if bases != new.bases:  # another clerk wrote meanwhile (or PostgreSQL): shift here, under the lock
                new.shifted = {model: _shifted(model, new.rows[model], bases) for model in bulk.FIELDS}
                new.in_order = new.index_rows = None
            for model in bulk.FIELDS:  # parents before children
                bulk.insert(database, model, new.shifted[model], bulk.FIELDS[model] + EXTRA.get(model, ()))
            for corrected, entry in new.later:
                (m.Communication.update(corrects=bases[m.Communication] + corrected)
                 .where(m.Communication.id == bases[m.Communication] + entry).execute())
            if as_expected:
                index.documents = new.in_order if new.in_order is not None else _in_order(new.documents, bases)
                index.prepared = new.index_rows
    updated: list[str] = []
    unchanged: list[str] = []
    files = 0
    missing: list[str] = []
    with_files = [p.number for p in plans if p.number not in existing and (p.attachments or p.follow_ups)]
    new_ids = dict(m.db.execute(m.Order.select(m.Order.number, m.Order.id)
                                .where(m.Order.number.in_(with_files))).fetchall()) if with_files else {}
    for p in plans:
        if p.number not in existing:
            if p.attachments or p.follow_ups:
                row = m.Order.get_by_id(new_ids[p.number])
                files += _attach(row, p, clerk, missing)
                _add_follow_ups(row, p, clerk)
            continue
        row = m.Order.get_by_id(existing[p.number][0])
        changed = _update(row, p, clerk)
        count = _append_communications(row, p, clerk)
        attached = _attach(row, p, clerk, missing)
        to_do = _add_follow_ups(row, p, clerk)
        count_paid = _append_payments(row, p, clerk)
        added += count
        files += attached
        (updated if changed or count or attached or to_do or count_paid else unchanged).append(p.number)
    return Outcome(tuple(new.numbers), tuple(updated), tuple(unchanged), added, files, tuple(missing))


def _new_follow_ups(row: m.Order | None, plan: OrderPlan, clerk: str) -> list:
    """The file's follow-ups not already on the order (same clerk, text and due time)."""
    stored = set() if row is None else {
        (f.clerk, f.text, f.due_at) for f in m.FollowUp.select().where(m.FollowUp.order == row.id)}
    return [f for f in plan.follow_ups if (f.clerk or clerk, f.text, f.due) not in stored]


def _add_follow_ups(row: m.Order, plan: OrderPlan, clerk: str) -> int:
    """Add the file's follow-ups not already on the order, each with its timeline event; returns how many."""
    fresh = _new_follow_ups(row, plan, clerk)
    for f in fresh:
        follow_ups.insert(row, f.text, f.when, f.due, clerk=f.clerk or clerk, by=clerk, at=f.created_at,
                          state=f.state, touch=False)
    return len(fresh)


def _attach(row: m.Order, plan: OrderPlan, clerk: str, missing: list[str]) -> int:
    """The file's attachments on the order (same name, other content: replaced); an entry without its
    content is linked to the same content (sha256) when this database has it, else left out and named
    in `missing`. Returns how many changed. Through the attachments service, one by one: files are few."""
    changed = 0
    for item in plan.attachments:
        facts = item.facts
        if facts is None:
            stored = (m.AttachmentContent.select(m.AttachmentContent.size, m.AttachmentContent.type)
                      .where(m.AttachmentContent.sha256 == item.sha256).tuples().first())
            if stored is None:
                missing.append(f"{item.where} {item.name}")
                continue
            facts = attachment_files.FileFacts(item.name, stored[0], item.sha256, stored[1], open=None)
        changed += attachments.add(row, facts, item.kind, clerk, replace=True)[1]
    return changed


def _still_new(numbers: list[str]) -> None:
    """The numbers read as new before the lock are still free (another clerk may have saved one since)."""
    for start in range(0, len(numbers), CHUNK):
        taken = m.Order.select(m.Order.number).where(m.Order.number.in_(numbers[start:start + CHUNK])).first()
        if taken is not None:
            raise InvalidInput(_("the order exists already: it was saved a moment ago (import with --update "
                                 "to replace it)"), f"{taken.number} number")


# --- updating an existing order (--update) ---------------------------------------------------------------


def _with_customer(data: OrderInput, given: frozenset[str], base: CustomerData | None = None) -> OrderInput:
    """Customer fields the file leaves out keep what is stored for that customer (name and phone)."""
    missing = [k for k in vars(data.customer) if f"customer.{k}" not in given]
    if not missing:
        return data
    if base is None:
        c = m.Customer
        row = c.get_or_none((c.name == data.customer.name) & (c.phone == data.customer.phone))
        base = views.customer(row) if row is not None else None
    if base is None:
        return data
    return replace(data, customer=replace(data.customer, **{k: getattr(base, k) for k in missing}))


def _merged(current: OrderInput, plan: OrderPlan) -> OrderInput:
    """What the order becomes: the fields the file gives replace the stored ones, the rest stay."""
    data, given = plan.data, plan.given
    merged = _with_customer(data, given, base=current.customer)
    p = current.payment
    payment = Payment(
        method=data.payment.method if "payment.method" in given else p.method,
        status=data.payment.status if "payment.status" in given else p.status,
        amount_due=data.payment.amount_due if "payment.amount_due" in given else p.amount_due,
        instalments=data.payment.instalments if "payment.instalments" in given else p.instalments,
    )
    return replace(
        current, customer=merged.customer, payment=payment,
        status=data.status if "status" in given else current.status,
        currency=data.currency if "currency" in given else current.currency,
        lines=data.lines if "lines" in given else current.lines,
        deadline=data.deadline if "deadline" in given else current.deadline,
    )


def _merged_input(row: m.Order, plan: OrderPlan) -> tuple[OrderInput, OrderInput]:
    current = orders.as_input(orders.load(row))
    return orders.checked(_merged(current, plan), plan.number), current


def _changed_notes(row: m.Order, plan: OrderPlan) -> dict[str, str]:
    stored = {n.kind: n.body for n in m.Note.select(m.Note.kind, m.Note.body).where(m.Note.order == row.id)}
    return {kind: body for kind, body in plan.data.notes.items() if stored.get(kind, "") != body}


def _update(row: m.Order, plan: OrderPlan, clerk: str) -> bool:
    """Replace what the file gives; notes get a new revision only where they changed. True if anything did."""
    merged, current = _merged_input(row, plan)
    changed = merged != current
    if changed:
        orders.replace_fields(row, merged, clerk, None)
    for kind, body in _changed_notes(row, plan).items():
        note = m.Note.get_or_none((m.Note.order == row.id) & (m.Note.kind == kind))
        if note is None:
            at = clock.now()
            note = m.Note.create(order=row.id, kind=kind, body="", version=0, created_at=at, updated_at=at,
                                 changed_by=clerk)
        notes.write(note, body, note.version, clerk)
        changed = True
    return changed


def _new_communications(row: m.Order, plan: OrderPlan, clerk: str) -> list[int]:
    """Positions of the file's entries not already on the order (same time, text and clerk)."""
    stored = {(c.at, c.text, c.clerk) for c in m.Communication.select().where(m.Communication.order == row.id)}
    return [n for n, c in enumerate(plan.communications) if (c.at, c.text, c.clerk or clerk) not in stored]


def _append_payments(row: m.Order, plan: OrderPlan, clerk: str) -> int:
    """The file's payments not already on the order (same time, amount and clerk), each recorded as a
    clerk records one (timeline included); payments are never removed. Returns how many."""
    if not plan.data.payments:
        return 0
    stored = {(p.at, p.amount, p.clerk) for p in m.Payment.select().where(m.Payment.order == row.id)}
    added = 0
    for record in sorted(plan.data.payments, key=lambda x: x.at or clock.now()):
        if (record.at, record.amount, record.clerk or clerk) in stored:
            continue
        payments.add(row, record, clerk)
        added += 1
    return added


def _append_communications(row: m.Order, plan: OrderPlan, clerk: str) -> int:
    """Append the entries not already on the order; returns how many."""
    if not plan.communications:
        return 0
    stored = {(c.at, c.text, c.clerk): c.id for c in m.Communication.select().where(m.Communication.order == row.id)}
    ids: list[int | None] = []
    later: list[tuple[int, int]] = []  # (entry id, position it corrects) for back-dated corrections
    added = 0
    for n, c in enumerate(plan.communications):
        key = (c.at, c.text, c.clerk or clerk)
        if key in stored:
            ids.append(stored[key])
            continue
        corrects = ids[c.corrects] if c.corrects is not None and c.corrects < n else None
        entry = communications.append(row, text=c.text, channel=c.channel, contact=c.contact, clerk=c.clerk or clerk,
                                      at=c.at, corrects=corrects, recorded_by=clerk)
        stored[key] = entry.id
        ids.append(entry.id)
        if c.corrects is not None and c.corrects > n:
            later.append((entry.id, c.corrects))
        added += 1
    for entry_id, position in later:
        m.Communication.update(corrects=ids[position]).where(m.Communication.id == entry_id).execute()
    return added
