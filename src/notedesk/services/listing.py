"""The order list: filter, sort and page through orders without loading them all."""

from __future__ import annotations

from dataclasses import dataclass

from notedesk.services import views
from notedesk.services.transaction import operation
from notedesk.services.types import OrderSummary
from notedesk.store import models as m

SORTS = {
    "updated": (m.Order.updated_at,),
    "created": (m.Order.created_at,),
    "number": (m.Order.number,),
    "deadline": (m.Order.deadline_date, m.Order.deadline_end),
    "status": (m.Order.status,),
    "customer": (m.Customer.name,),
    "total": (m.Order.total,),
}


@dataclass(frozen=True)
class OrderQuery:
    text: str = ""  # matches order number, customer name or company
    statuses: tuple[str, ...] = ()
    open_only: bool = False
    sort: str = "updated"
    descending: bool = True


def _select(query: OrderQuery):
    q = m.Order.select(m.Order, m.Customer).join(m.Customer)
    needle = query.text.strip()
    if needle:
        pattern = f"%{needle}%"
        q = q.where(
            m.Order.number.startswith(needle.upper())
            | m.Order.number.ilike(pattern)
            | m.Customer.name.ilike(pattern)
            | m.Customer.company.ilike(pattern)
        )
    if query.statuses:
        q = q.where(m.Order.status.in_(query.statuses))
    if query.open_only:
        q = q.where(m.Order.status.not_in(m.CLOSED_STATUSES))
    return q


@operation
def list_orders(query: OrderQuery = OrderQuery(), *, offset: int = 0, limit: int = 100) -> list[OrderSummary]:
    """One page of order rows, in the query's order (ties broken by id, so pages are stable)."""
    if query.sort not in SORTS:
        raise ValueError(f"unknown sort {query.sort!r}")
    keys = SORTS[query.sort] + (m.Order.id,)
    order_by = [k.desc(nulls="LAST") if query.descending else k.asc(nulls="LAST") for k in keys]
    rows = _select(query).order_by(*order_by).offset(offset).limit(limit)
    return [views.summary(row, row.customer) for row in rows]


@operation
def count_orders(query: OrderQuery = OrderQuery()) -> int:
    return _select(query).count()
