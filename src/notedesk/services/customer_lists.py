"""A customer's contacts and delivery addresses edited on the customer screen: add, change, remove.

Each edit is one call in one transaction that also writes the customer's history (`CustomerEvent`,
old → new, clerk and time) and returns the customer as stored now. The clerk sends the entry as it
was loaded: if another clerk changed or removed it meanwhile, nothing is written (Conflict, NotFound).

Removing one that orders picked (migration 0016): it leaves the customer's list, so a new order no
longer offers it, but it stays for those orders: their detail, sheets and `due` still show the address
they deliver to and whom to call. One that no order picked is deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from notedesk import clock
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import customers
from notedesk.services import validation as v
from notedesk.services.errors import Conflict, InvalidInput, NotFound
from notedesk.services.transaction import operation
from notedesk.services.types import AddressData, ContactData
from notedesk.store import models as m

HISTORY = 20  # changes a customer record carries (newest first)


@dataclass(frozen=True)
class ListChange:
    """One change in a customer's lists: `field` 'contact' or 'address'; old/new as contact_words or
    address_words give them ('' when added / removed)."""

    at: dt.datetime
    clerk: str
    field: str
    old: str
    new: str


def contact_words(person: ContactData) -> str:
    return " · ".join(part for part in (person.name, person.phone, person.role) if part)


def address_words(place: AddressData) -> str:
    return f"{place.label}: {place.text}" if place.label else place.text


def history(customer_id: int, limit: int = HISTORY) -> tuple[ListChange, ...]:
    E = m.CustomerEvent
    rows = E.select().where(E.customer == customer_id).order_by(E.created_at.desc(), E.id.desc()).limit(limit)
    return tuple(ListChange(row.created_at, row.changed_by, row.field, row.old, row.new) for row in rows)


def _customer(customer_id: int) -> m.Customer:
    row = m.Customer.get_or_none(m.Customer.id == customer_id)
    if row is None:
        raise NotFound(_("no customer {id}").format(id=customer_id))
    return row


def _contact(customer_id: int, contact_id: int) -> m.CustomerContact:
    K = m.CustomerContact
    row = K.get_or_none((K.id == contact_id) & (K.customer == customer_id) & K.removed_at.is_null())
    if row is None:
        raise NotFound(_("that contact is gone: another clerk removed it"))
    return row


def _address(customer_id: int, address_id: int) -> m.CustomerAddress:
    A = m.CustomerAddress
    row = A.get_or_none((A.id == address_id) & (A.customer == customer_id) & A.removed_at.is_null())
    if row is None:
        raise NotFound(_("that address is gone: another clerk removed it"))
    return row


def _log(customer_id: int, field: str, old: str, new: str, clerk: str, at: dt.datetime) -> None:
    m.CustomerEvent.create(customer=customer_id, field=field, old=old, new=new, created_at=at, updated_at=at,
                           changed_by=clerk)
    m.Customer.update(updated_at=at, changed_by=clerk).where(m.Customer.id == customer_id).execute()


def _checked_contact(person: ContactData) -> ContactData:
    return ContactData(v.clean_text(person.name, _("contact name"), required=True, limit=200).strip(),
                       v.clean_text(person.phone, _("phone"), limit=64).strip(),
                       v.clean_text(person.role, _("role"), limit=100).strip())


def _checked_address(place: AddressData) -> AddressData:
    return AddressData(v.clean_text(place.text, _("address"), required=True).strip(),
                       v.clean_text(place.label, _("label"), limit=100).strip())


def _next_position(model, customer_id: int) -> int:
    return (model.select(fn.MAX(model.position)).where(model.customer == customer_id).scalar() or 0) + 1


@operation
def save_contact(customer_id: int, contact_id: int | None, person: ContactData, loaded: ContactData | None = None,
                 *, clerk: str | None = None) -> customers.CustomerRecord:
    """Add a contact to the customer (`contact_id` None) or change one from `loaded` (as the clerk saw it)
    to `person`. Raises NotFound (the customer or contact is gone), Conflict (another clerk changed it
    meanwhile), InvalidInput (no name; a contact with the same name and phone already there)."""
    clerk, at = clerk or current_clerk(), clock.now()
    _customer(customer_id)
    person = _checked_contact(person)
    K = m.CustomerContact
    same = K.select().where((K.customer == customer_id) & K.removed_at.is_null() & (K.name == person.name)
                            & (K.phone == person.phone))
    if contact_id is None:
        if same.exists():
            raise InvalidInput(_("the customer already has this contact"))
        K.create(customer=customer_id, position=_next_position(K, customer_id), name=person.name,
                 phone=person.phone, role=person.role, created_at=at, updated_at=at, changed_by=clerk)
        _log(customer_id, "contact", "", contact_words(person), clerk, at)
        return customers.get_customer(customer_id)
    row = _contact(customer_id, contact_id)
    stored = ContactData(row.name, row.phone, row.role)
    if loaded is not None and stored != loaded:
        raise Conflict(_("{who} changed this contact meanwhile: now {now}").format(
            who=row.changed_by, now=contact_words(stored)), stored)
    if stored == person:
        return customers.get_customer(customer_id)
    if same.where(K.id != row.id).exists():
        raise InvalidInput(_("the customer already has this contact"))
    K.update(name=person.name, phone=person.phone, role=person.role, updated_at=at,
             changed_by=clerk).where(K.id == row.id).execute()
    _log(customer_id, "contact", contact_words(stored), contact_words(person), clerk, at)
    return customers.get_customer(customer_id)


@operation
def save_address(customer_id: int, address_id: int | None, place: AddressData, loaded: AddressData | None = None,
                 *, clerk: str | None = None) -> customers.CustomerRecord:
    """Add a delivery address (`address_id` None) or change one from `loaded` to `place`. Changing its
    text changes it for the orders that picked it too (the same place, better written); a place the
    customer moved to is a new address. Raises NotFound, Conflict, InvalidInput (no text; the customer
    already has that address)."""
    clerk, at = clerk or current_clerk(), clock.now()
    _customer(customer_id)
    place = _checked_address(place)
    A = m.CustomerAddress
    same = A.select().where((A.customer == customer_id) & A.removed_at.is_null() & (A.text == place.text))
    if address_id is None:
        if same.exists():
            raise InvalidInput(_("the customer already has this address"))
        A.create(customer=customer_id, position=_next_position(A, customer_id), text=place.text, label=place.label,
                 created_at=at, updated_at=at, changed_by=clerk)
        _log(customer_id, "address", "", address_words(place), clerk, at)
        return customers.get_customer(customer_id)
    row = _address(customer_id, address_id)
    stored = AddressData(row.text, row.label)
    if loaded is not None and stored != loaded:
        raise Conflict(_("{who} changed this address meanwhile: now {now}").format(
            who=row.changed_by, now=address_words(stored)), stored)
    if stored == place:
        return customers.get_customer(customer_id)
    if same.where(A.id != row.id).exists():
        raise InvalidInput(_("the customer already has this address"))
    A.update(text=place.text, label=place.label, updated_at=at, changed_by=clerk).where(A.id == row.id).execute()
    _log(customer_id, "address", address_words(stored), address_words(place), clerk, at)
    return customers.get_customer(customer_id)


@operation
def remove_contact(customer_id: int, contact_id: int, loaded: ContactData | None = None, *,
                   clerk: str | None = None) -> customers.CustomerRecord:
    """Take a contact off the customer's list; orders that picked it keep it (module docstring).
    Raises NotFound, Conflict (changed meanwhile: the clerk removes what they saw, or nothing)."""
    clerk, at = clerk or current_clerk(), clock.now()
    row = _contact(customer_id, contact_id)
    stored = ContactData(row.name, row.phone, row.role)
    if loaded is not None and stored != loaded:
        raise Conflict(_("{who} changed this contact meanwhile: now {now}").format(
            who=row.changed_by, now=contact_words(stored)), stored)
    _take_off(m.CustomerContact, m.Order.contact, row.id, clerk, at)
    _log(customer_id, "contact", contact_words(stored), "", clerk, at)
    return customers.get_customer(customer_id)


@operation
def remove_address(customer_id: int, address_id: int, loaded: AddressData | None = None, *,
                   clerk: str | None = None) -> customers.CustomerRecord:
    """Take a delivery address off the customer's list; orders that picked it keep delivering there
    (module docstring). Raises NotFound, Conflict."""
    clerk, at = clerk or current_clerk(), clock.now()
    row = _address(customer_id, address_id)
    stored = AddressData(row.text, row.label)
    if loaded is not None and stored != loaded:
        raise Conflict(_("{who} changed this address meanwhile: now {now}").format(
            who=row.changed_by, now=address_words(stored)), stored)
    _take_off(m.CustomerAddress, m.Order.address, row.id, clerk, at)
    _log(customer_id, "address", address_words(stored), "", clerk, at)
    return customers.get_customer(customer_id)


def _take_off(model, picked_by, row_id: int, clerk: str, at) -> None:
    """A contact or address leaves the customer's list: marked removed when an order picked it (the
    order keeps it), else deleted."""
    if m.Order.select().where(picked_by == row_id).exists():
        model.update(removed_at=at, updated_at=at, changed_by=clerk).where(model.id == row_id).execute()
    else:
        model.delete().where(model.id == row_id).execute()
