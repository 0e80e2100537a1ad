"""The customer across orders: finding one as the clerk types, its record (contacts, addresses, standing
preferences, orders open first) and every communication across its orders, newest first, page by page.

Writing: an order save picks the customer, its delivery address and contact person here (`pick`), so
the new-order form, amend and an import follow one rule: the same customer is the clerk's pick, else
the same name and phone; an address or contact named by an order that the customer lacks is added to
its lists, never replaced (migration 0012 has the story of the data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import peewee
from peewee import fn

from notedesk import domain
from notedesk.i18n import language
from notedesk.services import views
from notedesk.services.errors import NotFound
from notedesk.services.transaction import operation
from notedesk.services.types import (
    CUSTOMER_ROW_FIELDS,
    AddressData,
    CommunicationView,
    ContactData,
    CustomerData,
    OrderSummary,
)
from notedesk.store import models as m

LOOKUP_LIMIT = 8  # lines the new-order form shows under the field
ORDERS_LIMIT = 500  # orders a customer screen lists (open ones first); the rest are counted
PAGE = 50  # communications per page
_TOP = "\U0010ffff"  # above every character: 'wang' <= x < 'wang' + _TOP is "starts with wang"


@dataclass(frozen=True)
class CustomerMatch:
    """One customer the lookup found: its id, its data (lists included; `address`/`contact` its first
    ones, what a new order picks by default) and how many orders it has."""

    id: int
    customer: CustomerData
    orders: int


@dataclass(frozen=True)
class CustomerCommunication:
    """A communication on one of the customer's orders."""

    number: str
    entry: CommunicationView


Cursor = tuple[dt.datetime, int]  # (at, id) of the last entry shown: the next page starts after it


@dataclass(frozen=True)
class CommunicationPage:
    entries: tuple[CustomerCommunication, ...]
    next: Cursor | None  # None: this was the last page


@dataclass(frozen=True)
class CustomerRecord:
    """Everything on a customer: `customer.address`/`contact` are empty (no order picked them)."""

    id: int
    customer: CustomerData
    orders: tuple[OrderSummary, ...]  # open ones by due time, then the others newest first
    open_orders: int
    order_count: int  # all of them, also those past ORDERS_LIMIT
    communications: CommunicationPage  # the first page
    # beside customer.contacts / customer.addresses, in their order: the ids (what an edit names, services
    # customer_lists) and how many orders picked each
    contact_ids: tuple[int, ...] = ()
    address_ids: tuple[int, ...] = ()
    contact_orders: tuple[int, ...] = ()
    address_orders: tuple[int, ...] = ()
    changes: tuple = ()  # customer_lists.ListChange: the lists' history, newest first


# --- reading ------------------------------------------------------------------------------------------


def tuples(query) -> list[tuple]:
    """The rows of a select as tuples, converted by the fields (Peewee's typing calls them models)."""
    return cast(list[tuple], list(query.tuples()))


def lists(customer_ids: Iterable[int]) -> tuple[dict[int, list[ContactData]], dict[int, list[AddressData]]]:
    """Contacts and addresses of these customers, in position order: two queries."""
    ids = list(customer_ids)
    contacts: dict[int, list[ContactData]] = {}
    addresses: dict[int, list[AddressData]] = {}
    if not ids:
        return contacts, addresses
    C, A = m.CustomerContact, m.CustomerAddress
    for cid, name, phone, role in tuples(C.select(C.customer, C.name, C.phone, C.role)
                                         .where(C.customer.in_(ids) & C.removed_at.is_null())
                                         .order_by(C.customer, C.position, C.id)):
        contacts.setdefault(cid, []).append(ContactData(name, phone, role))
    for cid, text, label in tuples(A.select(A.customer, A.text, A.label)
                                   .where(A.customer.in_(ids) & A.removed_at.is_null())
                                   .order_by(A.customer, A.position, A.id)):
        addresses.setdefault(cid, []).append(AddressData(text, label))
    return contacts, addresses


def customer_data(row: m.Customer, contacts: Iterable[ContactData] = (), addresses: Iterable[AddressData] = (),
                  address: str = "", contact: str | None = "") -> CustomerData:
    return CustomerData(name=row.name, company=row.company, phone=row.phone, email=row.email,
                        preferences=row.preferences, address=address, contact=contact,
                        contacts=tuple(contacts), addresses=tuple(addresses))


def for_order(order: m.Order, row: m.Customer | None = None) -> CustomerData:
    """The order's customer with its lists, `address`/`contact` what the order picked."""
    row = row or m.Customer.get_by_id(order.customer_id)
    contacts, addresses = lists([row.id])
    people, places = contacts.get(row.id, []), addresses.get(row.id, [])
    address = m.CustomerAddress.get_or_none(m.CustomerAddress.id == order.address_id) if order.address_id else None
    contact = m.CustomerContact.get_or_none(m.CustomerContact.id == order.contact_id) if order.contact_id else None
    # one removed from the customer's lists stays for the orders that picked it (services.customer_lists)
    if contact is not None and contact.removed_at is not None:
        people = [*people, ContactData(contact.name, contact.phone, contact.role)]
    elif contact is not None:  # of two of one name, the order's first: its contact_phone is that one's
        mine = ContactData(contact.name, contact.phone, contact.role)
        first = next((n for n, p in enumerate(people) if p.name == contact.name), None)
        if first is not None and people[first] != mine and mine in people:
            people.remove(mine)
            people.insert(first, mine)
    if address is not None and address.removed_at is not None:
        places = [*places, AddressData(address.text, address.label)]
    return customer_data(row, people, places, address.text if address else "", contact.name if contact else "")


def _prefix(column, text: str):
    """`column` starts with `text`, on an index: a range on SQLite (LIKE cannot use an expression
    index there), LIKE on PostgreSQL (text_pattern_ops indexes, migration 0012)."""
    if isinstance(m.db.obj, peewee.PostgresqlDatabase):
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return peewee.Expression(column, "LIKE", escaped + "%")
    return (column >= text) & (column < text + _TOP)


@operation(read_only=True)
def find_customers(text: str, limit: int = LOOKUP_LIMIT) -> list[CustomerMatch]:
    """Customers whose name, company, phone or a contact's phone starts with `text` (case aside), the
    best first: name matches (in pinyin order under Chinese), then company, then phone; each part on
    its own index, at most `limit`."""
    text = text.strip()
    if not text:
        return []
    lowered = text.lower()
    C = m.Customer
    found: dict[int, None] = {}
    # names in the interface language's order: by pinyin under Chinese (the stored key, store/sort_keys.py)
    by_name = (C.sort_key, C.id) if language() == "zh" else (fn.LOWER(C.name), C.id)
    queries: list[Any] = [
        C.select(C.id).where(_prefix(fn.LOWER(C.name), lowered)).order_by(*by_name),
        C.select(C.id).where(_prefix(fn.LOWER(C.company), lowered)).order_by(fn.LOWER(C.company), C.id),
    ]
    if any(ch.isdigit() for ch in text):
        queries.append(C.select(C.id).where(_prefix(C.phone, text)).order_by(C.phone, C.id))
        K = m.CustomerContact
        queries.append(K.select(K.customer).where(_prefix(K.phone, text) & K.removed_at.is_null())
                       .order_by(K.phone, K.id))
    for query in queries:
        for (cid,) in tuples(query.limit(limit)):
            found.setdefault(cid, None)
        if len(found) >= limit:
            break
    ids = list(found)[:limit]
    if not ids:
        return []
    rows = {row.id: row for row in C.select().where(C.id.in_(ids))}
    counts: dict[int, int] = dict(tuples(m.Order.select(m.Order.customer, fn.COUNT(m.Order.id))
                                         .where(m.Order.customer.in_(ids)).group_by(m.Order.customer)))
    contacts, addresses = lists(ids)
    out = []
    for cid in ids:
        people, places = contacts.get(cid, []), addresses.get(cid, [])
        out.append(CustomerMatch(cid, customer_data(rows[cid], people, places, places[0].text if places else "",
                                                    None), counts.get(cid, 0)))
    return out


def _page(customer_id: int, after: Cursor | None, limit: int) -> CommunicationPage:
    E, O = m.Communication, m.Order  # noqa: E741
    query = (E.select(E, O.number).join(O, on=(E.order == O.id)).where(O.customer == customer_id))
    if after is not None:
        at, entry_id = after
        query = query.where((E.at < at) | ((E.at == at) & (E.id < entry_id)))
    rows = list(query.order_by(E.at.desc(), E.id.desc()).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    entries = tuple(CustomerCommunication(row.order.number, views.communication(row)) for row in rows)
    return CommunicationPage(entries, (rows[-1].at, rows[-1].id) if more else None)


@operation(read_only=True)
def customer_communications(customer_id: int, after: Cursor | None = None, limit: int = PAGE) -> CommunicationPage:
    """Communications across the customer's orders, newest first, `limit` after the cursor `after`
    (the `next` of the page before). Raises NotFound."""
    if not m.Customer.select().where(m.Customer.id == customer_id).exists():
        raise NotFound(f"no customer {customer_id}")
    return _page(customer_id, after, limit)


def _orders(customer_id: int) -> tuple[list[OrderSummary], int, int]:
    O = m.Order  # noqa: E741
    row = m.Customer.get_by_id(customer_id)
    mine = O.customer == customer_id
    open_ = O.status.in_(domain.OPEN_STATUSES)
    first = (O.select().where(mine & open_)
             .order_by(O.deadline_date.asc(nulls="LAST"), O.deadline_end.asc(nulls="LAST"), O.number)
             .limit(ORDERS_LIMIT))
    rows = list(first)
    if len(rows) < ORDERS_LIMIT:
        rows += list(O.select().where(mine & ~open_).order_by(O.created_at.desc(), O.id.desc())
                     .limit(ORDERS_LIMIT - len(rows)))
    open_count = O.select().where(mine & open_).count()
    total = O.select().where(mine).count()
    return [views.summary(r, row) for r in rows], open_count, total


@operation(read_only=True)
def get_customer(customer_id: int, *, page: int = PAGE) -> CustomerRecord:
    """A customer with its contacts, addresses, preferences, orders (open first) and the first page of
    communications across them. Raises NotFound."""
    row = m.Customer.get_or_none(m.Customer.id == customer_id)
    if row is None:
        raise NotFound(f"no customer {customer_id}")
    from notedesk.services.customer_lists import history

    orders, open_count, total = _orders(row.id)
    K, A, O = m.CustomerContact, m.CustomerAddress, m.Order  # noqa: E741
    people = tuples(K.select(K.id, K.name, K.phone, K.role).where((K.customer == row.id) & K.removed_at.is_null())
                    .order_by(K.position, K.id))
    places = tuples(A.select(A.id, A.text, A.label).where((A.customer == row.id) & A.removed_at.is_null())
                    .order_by(A.position, A.id))
    contact_uses = dict(tuples(O.select(O.contact, fn.COUNT(O.id)).where(O.customer == row.id).group_by(O.contact)))
    address_uses = dict(tuples(O.select(O.address, fn.COUNT(O.id)).where(O.customer == row.id).group_by(O.address)))
    data = customer_data(row, [ContactData(*p[1:]) for p in people], [AddressData(*a[1:]) for a in places])
    return CustomerRecord(row.id, data, tuple(orders), open_count, total, _page(row.id, None, page),
                          contact_ids=tuple(p[0] for p in people), address_ids=tuple(a[0] for a in places),
                          contact_orders=tuple(contact_uses.get(p[0], 0) for p in people),
                          address_orders=tuple(address_uses.get(a[0], 0) for a in places),
                          changes=history(row.id))


@operation(read_only=True)
def get_customer_of_order(number: str, *, page: int = PAGE) -> CustomerRecord:
    """The customer of order `number` (what `c` opens), as get_customer. Raises NotFound."""
    from notedesk.services.orders import find

    return get_customer(find(number).customer_id, page=page)


@operation(read_only=True)
def customer_of_order(number: str) -> int:
    """The id of an order's customer (what `c` opens). Raises NotFound."""
    from notedesk.services.orders import find

    return find(number).customer_id


# --- writing (inside an order's operation) ---------------------------------------------------------------


def pick(data: CustomerData, clerk: str, at: dt.datetime,
         customer_id: int | None = None) -> tuple[m.Customer, int | None, int | None]:
    """The customer an order saved with `data` belongs to, and the ids of the address and contact it
    picks. The customer: `customer_id` when the clerk picked one, else the same name and phone, else a
    new one. Its own fields follow `data`; addresses and contacts `data` has that it lacks are added.
    Raises NotFound (a picked customer that is gone)."""
    row = _customer_row(data, clerk, at, customer_id)
    known_contacts = list(m.CustomerContact.select().where(m.CustomerContact.customer == row.id)
                          .order_by(m.CustomerContact.position, m.CustomerContact.id))
    known_addresses = list(m.CustomerAddress.select().where(m.CustomerAddress.customer == row.id)
                           .order_by(m.CustomerAddress.position, m.CustomerAddress.id))
    stamp = dict(created_at=at, updated_at=at, changed_by=clerk)

    def add_contact(person: ContactData) -> m.CustomerContact:
        made = m.CustomerContact.create(customer=row.id, position=len(known_contacts), name=person.name,
                                        phone=person.phone, role=person.role, **stamp)
        known_contacts.append(made)
        return made

    def add_address(place: AddressData) -> m.CustomerAddress:
        made = m.CustomerAddress.create(customer=row.id, position=len(known_addresses), text=place.text,
                                        label=place.label, **stamp)
        known_addresses.append(made)
        return made

    for person in data.contacts:
        if not any((k.name, k.phone) == (person.name, person.phone) for k in known_contacts):
            add_contact(person)
    if not known_contacts and data.phone and not data.contacts:
        add_contact(ContactData(data.name, data.phone))  # as migration 0012 did with every phone
    for place in data.addresses:
        if not any(a.text == place.text for a in known_addresses):
            add_address(place)
    address_id = None
    if data.address.strip():
        address = next((a for a in known_addresses if a.text == data.address), None) or add_address(
            AddressData(data.address))
        address_id = address.id
    contact_id = None
    if data.contact is None:
        contact_id = known_contacts[0].id if known_contacts else None
    elif data.contact.strip():
        # the contact of that name; of two, the one with the phone `data.contacts` gives it (the form's
        # "李四 139…" when the customer has another 李四)
        phones = [p.phone for p in data.contacts if p.name == data.contact]
        same_name = [k for k in known_contacts if k.name == data.contact]
        contact = next((k for k in same_name if k.phone in phones[:1]), None) or next(iter(same_name), None)
        contact_id = (contact or add_contact(ContactData(data.contact))).id
    return row, address_id, contact_id


def _customer_row(data: CustomerData, clerk: str, at: dt.datetime, customer_id: int | None) -> m.Customer:
    fields = {k: getattr(data, k) for k in CUSTOMER_ROW_FIELDS}
    if customer_id is not None:
        row = m.Customer.get_or_none(m.Customer.id == customer_id)
        if row is None:
            raise NotFound(f"the customer {data.name} is gone (another clerk merged or removed it)")
    else:
        row = m.Customer.get_or_none((m.Customer.name == data.name) & (m.Customer.phone == data.phone))
    if row is None:
        return m.Customer.create(**fields, created_at=at, updated_at=at, changed_by=clerk)
    changed = {k: val for k, val in fields.items() if getattr(row, k) != val}
    if changed:
        m.Customer.update(**changed, updated_at=at, changed_by=clerk).where(m.Customer.id == row.id).execute()
        for key, value in changed.items():
            setattr(row, key, value)
    return row



def address_for(customer_id: int, text: str, clerk: str, at: dt.datetime) -> int | None:
    """The id of the customer's address with this text, added when it has none; None for no text
    (an amend of `customer.address`, services.amend_customer)."""
    text = text.strip()
    if not text:
        return None
    A = m.CustomerAddress
    found = A.select(A.id).where((A.customer == customer_id) & (A.text == text)).order_by(A.position, A.id).first()
    if found is not None:
        return found.id
    position = A.select(fn.COUNT(A.id)).where(A.customer == customer_id).scalar() or 0
    return A.create(customer=customer_id, position=position, text=text, label="", created_at=at, updated_at=at,
                    changed_by=clerk).id


def contact_for(customer_id: int, name: str, clerk: str, at: dt.datetime) -> int | None:
    """The id of the customer's contact of this name, added when it has none; None for no name
    (an amend of `customer.contact`)."""
    name = name.strip()
    if not name:
        return None
    K = m.CustomerContact
    found = K.select(K.id).where((K.customer == customer_id) & (K.name == name)).order_by(K.position, K.id).first()
    if found is not None:
        return found.id
    position = K.select(fn.COUNT(K.id)).where(K.customer == customer_id).scalar() or 0
    return K.create(customer=customer_id, position=position, name=name, phone="", role="", created_at=at,
                    updated_at=at, changed_by=clerk).id
