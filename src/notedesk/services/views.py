"""Turning model rows into the dataclasses of services.types (the only place that reads models for callers)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from notedesk.services.types import (
    AttachmentView,
    CommunicationView,
    CustomerData,
    Deadline,
    EventView,
    FollowUpView,
    InstalmentData,
    LineData,
    NoteView,
    OrderSummary,
    Payment,
)
from notedesk.store import models as m


def customer(row: m.Customer) -> CustomerData:
    """The customer's own fields (services.customers adds its contacts and addresses, and an order's picks)."""
    return CustomerData(name=row.name, company=row.company, phone=row.phone, email=row.email,
                        preferences=row.preferences)


def deadline(row: m.Order) -> Deadline:
    return Deadline(row.deadline_text, row.deadline_date, row.deadline_start, row.deadline_end)


def payment(row: m.Order, instalments) -> Payment:
    return Payment(
        method=row.payment_method,
        status=row.payment_status,
        amount_due=row.amount_due,
        instalments=tuple(InstalmentData(i.due, i.amount, i.paid) for i in instalments),
    )


def line(row: m.OrderLine) -> LineData:
    return LineData(product=row.product, quantity=row.quantity, unit_price=row.unit_price, spec=row.spec)


def note(row: m.Note) -> NoteView:
    return NoteView(kind=row.kind, body=row.body, version=row.version, author=row.changed_by,
                    updated_at=row.updated_at if row.version else None, on_slip=row.on_slip)


def communication(row: m.Communication, order_number: str = "") -> CommunicationView:
    return CommunicationView(
        id=row.id, at=row.at, channel=row.channel, contact=row.contact, clerk=row.clerk,
        text=row.text, corrects=row.corrects_id, order_number=order_number,
    )


def event(row: m.Event) -> EventView:
    return EventView(at=row.created_at, clerk=row.changed_by, field=row.field, old=row.old,
                     new=row.new, reason=row.reason, communication=row.communication_id)


def follow_up(row: m.FollowUp, number: str, customer: str) -> FollowUpView:
    return FollowUpView(id=row.id, number=number, customer=customer, clerk=row.clerk, text=row.text,
                        due_text=row.due_text, due_at=row.due_at, state=row.state, version=row.version,
                        created_at=row.created_at, changed_by=row.changed_by, updated_at=row.updated_at)


def follow_ups(order: m.Order) -> tuple[FollowUpView, ...]:
    """An order's follow-ups: pending first, then done, each part soonest first."""
    rows = m.FollowUp.select().where(m.FollowUp.order == order.id).order_by(m.FollowUp.due_at, m.FollowUp.id)
    found = [follow_up(row, order.number, order.customer_name) for row in rows]
    return tuple(sorted(found, key=lambda f: f.state == "done"))


def summary(row: m.Order, customer_row: m.Customer) -> OrderSummary:
    return OrderSummary(
        id=row.id, number=row.number, customer=customer_row.name, company=customer_row.company,
        status=row.status, deadline=deadline(row), payment_method=row.payment_method,
        payment_status=row.payment_status, total=row.total, amount_due=row.amount_due,
        currency=row.currency, updated_at=row.updated_at, received=row.received,
    )


def attachments(order_ids: list[int]) -> dict[int, list[AttachmentView]]:
    """The attachments of these orders by order id, by name: one query, never a byte of content
    (that is in its own table, services.attachments)."""
    A, C = m.Attachment, m.AttachmentContent
    found: dict[int, list[AttachmentView]] = {}
    if not order_ids:
        return found
    query = (A.select(A.order, A.id, A.name, A.kind, C.type, C.size, C.sha256, A.changed_by, A.created_at)
             .join(C, on=(A.content == C.id)).where(A.order.in_(order_ids)).order_by(A.order, A.name, A.id))
    for order_id, *rest in cast(Iterable[tuple], query.tuples()):  # converted by the fields, unlike a raw cursor
        found.setdefault(order_id, []).append(AttachmentView(*rest))
    return found
