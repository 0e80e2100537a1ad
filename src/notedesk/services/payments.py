"""Payments received: record one (a refund is a negative one), read an order's money, and turn the old
hand-set status into payments.

A payment is never changed or deleted once recorded: a mistake is put right by another payment (a
refund of it), so the record of what was received stays whole. Recording one is one transaction: the
payment, the order's received/status/instalments (services.settlement) and the timeline events
(`received` old -> new; `payment_status` old -> new when it moves). The rules (what is due, the
status, overpaid, instalments in date order) are in services.settlement.

- A refund may not take more back than was received (received never goes below zero).
- An amount above the balance is taken, and shows as overpaid (balance negative).
- `at` is when the money came: not in the future, by default now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from notedesk import clock, labels
from notedesk import deadlines as grammar
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import orders, settlement
from notedesk.services import validation as v
from notedesk.services.errors import InvalidInput
from notedesk.services.transaction import operation
from notedesk.services.types import OrderDetail, PaymentRecord, PaymentSummary
from notedesk.store import models as m


@dataclass(frozen=True)
class Recorded:
    """What record_payment did: the payment as stored, and the order after it."""

    payment: PaymentRecord
    order: OrderDetail


def add(row: m.Order, payment: PaymentRecord, clerk: str) -> PaymentRecord:
    """Store one checked payment on `row` and settle the order, with its timeline events, inside the
    caller's transaction. Raises InvalidInput (a refund of more than was received)."""
    before = settlement.received_of(row.id)
    after = before + payment.amount
    if after < 0:
        raise InvalidInput(_("a refund of {refund} is more than the {received} received").format(
            refund=labels.money(-payment.amount), received=labels.money(before)), f"{row.number} amount")
    stamp = clock.now()
    old_status = m.Order.select(m.Order.payment_status).where(m.Order.id == row.id).scalar()
    stored = m.Payment.create(order=row.id, amount=payment.amount, via=payment.via, at=payment.at or stamp,
                              note=payment.note, clerk=payment.clerk or clerk, created_at=stamp,
                              updated_at=stamp, changed_by=clerk)
    status = settlement.settle(row.id)
    orders.record_event(row.id, "received", str(before), str(after), clerk, reason=payment.note, at=stamp)
    if status != old_status:
        orders.record_event(row.id, "payment_status", old_status, status, clerk, at=stamp)
    return settlement.view(stored)


@operation
def record_payment(number: str, amount: Decimal | str, *, via: str = "other", at: dt.datetime | None = None,
                   note: str = "", clerk: str | None = None) -> Recorded:
    """Record money received for order `number` (negative: a refund), in one transaction with the
    order's status, instalments and timeline. Raises NotFound, InvalidInput (a bad amount, way or time;
    a refund of more than was received)."""
    clerk = clerk or current_clerk()
    row = orders.find(number)
    payment = v.payment_record(PaymentRecord(amount, via, at, note, clerk), row.number)  # type: ignore[arg-type]
    stored = add(row, payment, clerk)
    return Recorded(stored, orders.load(row))


def summary_of(detail: OrderDetail) -> PaymentSummary:
    return PaymentSummary(number=detail.number, currency=detail.currency, method=detail.payment.method,
                          due_amount=detail.due_amount, received=detail.received, status=detail.payment.status,
                          payments=detail.payments, instalments=detail.payment.instalments)


NOON = dt.time(12, 0)  # a day given without a time: mid-day, so no time zone moves it to another date


def read_time(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """When money came, as a clerk types it: an ISO date or time (`2026-12-01`, `2026-12-01 15:30`,
    with or without an offset) or words the deadline grammar reads (`昨天下午3点`, `yesterday 3pm`,
    `today`, `12月1日`). A day without a time is its noon (today: now); a date without a year that the
    grammar puts a year ahead (it reads deadlines forward) is this year's. Aware UTC, never in the
    future. Raises InvalidInput."""
    now = now or clock.now()
    tz = clock.business_tz()
    words = (text or "").strip()
    where = _("when")
    if not words:
        raise InvalidInput(_("say when, like 2026-12-01 15:30, 昨天下午3点 or yesterday"), where)
    moment: dt.datetime | None = None
    try:
        moment = dt.datetime.fromisoformat(words)
    except ValueError:
        pass
    if moment is not None and len(words) <= 10:  # a date alone
        moment = _on_day(moment.date(), None, now, tz)
    elif moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    if moment is None:
        try:
            parsed = grammar.parse_deadline(words, now.astimezone(tz))
        except grammar.DeadlineError as exc:
            raise InvalidInput(_("“{text}” is not a time: {why}").format(text=words, why=exc), where) from None
        if parsed.date is None:
            why = labels.unread_words(parsed) or _("no date in this text")
            raise InvalidInput(_("“{text}” is not a time: {why}").format(text=words, why=why), where)
        day = parsed.date
        today = now.astimezone(tz).date()
        if day > today and "far_ahead" in parsed.flags:
            try:
                earlier = day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                earlier = day.replace(year=day.year - 1, day=28)
            if earlier <= today:
                day = earlier
        moment = _on_day(day, parsed.start or parsed.end, now, tz)
    return v.payment_time(moment, where, now=now)


def _on_day(day: dt.date, at: dt.time | None, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    if at is None:
        if day == now.astimezone(tz).date():
            return now
        at = NOON
    return dt.datetime.combine(day, at, tzinfo=tz)


@operation(read_only=True)
def summary(number: str) -> PaymentSummary:
    """An order's money: amount due, received, balance, status, the payments and the schedule.
    Raises NotFound."""
    return summary_of(orders.load(orders.find(number)))


