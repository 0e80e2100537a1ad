"""What an order's payments settle: the payment status, the balance and which instalments are paid.

The rules (one place; the list, the detail, `due`, the sheets and the lenses read what they give):

- **Amount due** is the amount a clerk set, else the order total.
- **Received** is the sum of the order's payments; a refund is a negative payment.
- **Balance** = amount due − received. Negative means overpaid: shown as such ("overpaid 50.00"),
  never hidden, and the status stays `paid`.
- **Status**: `unpaid` while nothing (net) was received, `paid` once received covers the amount
  due, `partial` in between. An order with nothing due and nothing received is `unpaid`: "paid"
  needs money (a free order is settled by recording a payment of 0? no: zero payments are refused;
  its balance is 0 and nothing is owed, which the balance says).
- **Instalments** are covered in due-date order (then schedule order) by what was received: one is
  paid when the money received covers it and every earlier one.

`settle(order_id)` stores the derived values (orders.received, payment_status, instalment.paid)
inside the caller's transaction. Every write that changes the payments, the total or the amount due
calls it (services.payments, services.orders), so stored and derived never differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import cast

from notedesk.services.types import Payment, PaymentRecord
from notedesk.store import models as m

ZERO = Decimal("0.00")
MARKED_PAID = "recorded from the status 'paid' given without payments"
TICKED = "recorded from instalments marked paid without payments: {dues}"


def amount_due(amount_due: Decimal | None, total: Decimal) -> Decimal:
    return total if amount_due is None else amount_due


def payment_status(received: Decimal, due: Decimal) -> str:
    if received <= 0:
        return "unpaid"
    return "paid" if received >= due else "partial"


def instalments_paid(schedule: Sequence[tuple[dt.date, Decimal]], received: Decimal) -> list[bool]:
    """For each (due date, amount) of a schedule, in its order: whether it is paid. Covered in
    due-date order (ties: schedule order) by `received`."""
    paid = [False] * len(schedule)
    running = ZERO
    for index in sorted(range(len(schedule)), key=lambda i: (schedule[i][0], i)):
        running += schedule[index][1]
        paid[index] = received > 0 and running <= received
    return paid


def received_of(order_id: int) -> Decimal:
    """The sum of the order's payments, added as Decimal (SQLite's SUM over NUMERIC is a float)."""
    amounts = m.Payment.select(m.Payment.amount).where(m.Payment.order == order_id).tuples()
    return sum((amount for (amount,) in cast(Iterable[tuple[Decimal]], amounts)), ZERO)


def settle(order_id: int) -> str:
    """Store the order's received, payment status and instalment flags as its payments say (inside
    the caller's transaction); returns the status."""
    order = (m.Order.select(m.Order.total, m.Order.amount_due, m.Order.received, m.Order.payment_status)
             .where(m.Order.id == order_id).get())
    received = received_of(order_id)
    status = payment_status(received, amount_due(order.amount_due, order.total))
    if (received, status) != (order.received, order.payment_status):
        m.Order.update(received=received, payment_status=status).where(m.Order.id == order_id).execute()
    schedule = list(m.Instalment.select(m.Instalment.id, m.Instalment.due, m.Instalment.amount, m.Instalment.paid)
                    .where(m.Instalment.order == order_id).order_by(m.Instalment.position))
    flags = instalments_paid([(i.due, i.amount) for i in schedule], received)
    for row, paid in zip(schedule, flags):
        if row.paid != paid:
            m.Instalment.update(paid=paid).where(m.Instalment.id == row.id).execute()
    return status


def view(row: m.Payment) -> PaymentRecord:
    return PaymentRecord(amount=row.amount, via=row.via, at=row.at, note=row.note, clerk=row.clerk,
                         id=row.id, recorded_at=row.created_at)


def of_orders(order_ids: Iterable[int]) -> dict[int, list[PaymentRecord]]:
    """The payments of these orders by order id, oldest first: one query (inside an operation)."""
    ids = list(order_ids)
    found: dict[int, list[PaymentRecord]] = {}
    if not ids:
        return found
    P = m.Payment
    query = P.select().where(P.order.in_(ids)).order_by(P.order, P.at, P.id)
    for row in query:
        found.setdefault(row.order_id, []).append(view(row))
    return found


def from_old_fields(payment: Payment, due: Decimal, at: dt.datetime, clerk: str) -> list[PaymentRecord]:
    """The payments an order given without any stands for (an old file, a form): its status "paid" is
    a payment of the amount due; instalments marked paid, one of their sum. Nothing else is known
    (a "partial" without instalments says no amount), so nothing else is made up."""
    if payment.status == "paid" and due > 0:
        return [PaymentRecord(due, "other", at, MARKED_PAID, clerk)]
    ticked = [i for i in payment.instalments if i.paid]
    total = sum((i.amount for i in ticked), ZERO)
    if total > 0:
        dues = ", ".join(i.due.isoformat() for i in ticked)
        return [PaymentRecord(total, "other", at, TICKED.format(dues=dues), clerk)]
    return []


def insert_all(order_id: int, records: Iterable[PaymentRecord], clerk: str) -> None:
    """Store an order's payments as given (an import or a new order: no timeline events of their own,
    the order's creation is the event), then settle the order. Inside the caller's transaction."""
    rows = [dict(order=order_id, amount=p.amount, via=p.via, at=p.at, note=p.note, clerk=p.clerk or clerk,
                 created_at=p.recorded_at or p.at, updated_at=p.recorded_at or p.at, changed_by=p.clerk or clerk)
            for p in records]
    if rows:
        m.Payment.insert_many(rows).execute()
    settle(order_id)
