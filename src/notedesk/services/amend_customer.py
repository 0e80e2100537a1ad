"""The customer's part of an amend (`customer.*` paths): every rule about them is here, in one place.

An order's customer is one record shared by the customer's orders (store.models.Customer), so
amending `customer.phone` on an order changes the customer's phone, and every order of theirs shows
the new one (the customer's name and company reach the orders' copies by trigger, migration 0003).
The timeline of the order amended records the change. `customer.address` and `customer.contact` are
what this order picked among the customer's delivery addresses and contacts (migration 0012): amending
them picks another (added to the customer's lists when new, services.customers), other orders keep theirs.
"""

from __future__ import annotations

import datetime as dt

from notedesk.services import customers
from notedesk.services import validation as v
from notedesk.services.types import OrderDetail
from notedesk.store import models as m

# field -> the longest value stored (None: no limit)
FIELDS: dict[str, int | None] = {"name": 200, "company": 200, "phone": 64, "email": 200, "address": None,
                                 "contact": 200, "preferences": None}
PICKS = ("address", "contact")  # the order's, not the customer record's


def read(detail: OrderDetail, field: str) -> str:
    """The field's value on an order as loaded."""
    return getattr(detail.customer, field) or ""


def check(field: str, value: str, where: str) -> str:
    """The value as it would be stored. Raises InvalidInput (the name may not be empty)."""
    return v.clean_text(value, where, required=field == "name", limit=FIELDS[field]).strip()


def write(order: m.Order, changed: dict[str, str], clerk: str, at: dt.datetime) -> None:
    """Store the changed fields (checked) for the order's customer, inside the amend's transaction."""
    own = {k: v for k, v in changed.items() if k not in PICKS}
    if own:
        (m.Customer.update(**own, updated_at=at, changed_by=clerk)
         .where(m.Customer.id == order.customer_id).execute())
    picks = {}
    if "address" in changed:
        picks["address"] = customers.address_for(order.customer_id, changed["address"], clerk, at)
    if "contact" in changed:
        picks["contact"] = customers.contact_for(order.customer_id, changed["contact"], clerk, at)
    if picks:
        m.Order.update(**picks).where(m.Order.id == order.id).execute()
