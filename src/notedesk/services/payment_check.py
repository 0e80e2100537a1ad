"""`notedesk check` of the money: does every order's stored received equal the sum of its payments, and
do its payment status and instalment flags follow (services.settlement has the rules)?

Every write keeps them so in its own transaction; a difference means something wrote past the services
(a hand-made SQL update, a tool, a bug). `check --repair` settles those orders again from their
payments, as a save would (received, status, instalment flags; a timeline event for what moved, reason
"notedesk check --repair"), and never adds, changes or removes a payment: the payments are the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from notedesk.config import current_clerk
from notedesk.services import orders, settlement
from notedesk.services.customers import tuples
from notedesk.services.transaction import operation
from notedesk.store import models as m

REASON = "notedesk check --repair"
CHUNK = 5000  # orders read at a time


@dataclass(frozen=True)
class Unsettled:
    """An order whose stored money does not follow its payments: what is stored and what they say."""

    number: str
    received: Decimal  # stored
    payments: Decimal  # the sum of its payments
    status: str  # stored
    expected: str  # what the payments give
    instalments: bool  # instalment flags differ too

    @property
    def received_wrong(self) -> bool:
        return self.received != self.payments


def _sums(ids: list[int]) -> dict[int, Decimal]:
    """Sums of payments per order, added as Decimal (SQLite's SUM over NUMERIC is a float)."""
    P = m.Payment
    rows = tuples(P.select(P.order, P.amount).where(P.order.in_(ids)).order_by(P.order))
    return {oid: sum((amount for _o, amount in group), settlement.ZERO) for oid, group in groupby(rows, lambda r: r[0])}


def _flags(ids: list[int]) -> dict[int, list[tuple]]:
    I = m.Instalment  # noqa: E741
    rows = tuples(I.select(I.order, I.due, I.amount, I.paid).where(I.order.in_(ids)).order_by(I.order, I.position))
    return {oid: [r[1:] for r in group] for oid, group in groupby(rows, lambda r: r[0])}


def _find(after: int = 0) -> tuple[list[tuple[int, Unsettled]], int | None]:
    O = m.Order  # noqa: E741
    rows = tuples(O.select(O.id, O.number, O.received, O.payment_status, O.amount_due, O.total)
                  .where(O.id > after).order_by(O.id).limit(CHUNK))
    if not rows:
        return [], None
    ids = [r[0] for r in rows]
    sums, flags = _sums(ids), _flags(ids)
    found = []
    for oid, number, received, status, due, total in rows:
        paid = sums.get(oid, settlement.ZERO)
        expected = settlement.payment_status(paid, settlement.amount_due(due, total))
        schedule = flags.get(oid, [])
        wrong_flags = [bool(p) for _d, _a, p in schedule] != settlement.instalments_paid(
            [(d, a) for d, a, _p in schedule], paid)
        if received != paid or status != expected or wrong_flags:
            found.append((oid, Unsettled(number, received, paid, status, expected, wrong_flags)))
    return found, ids[-1]


def _all() -> list[tuple[int, Unsettled]]:
    found: list[tuple[int, Unsettled]] = []
    after: int | None = 0
    while after is not None:
        part, after = _find(after)
        found += part
    return found


@operation(read_only=True)
def unsettled_orders() -> list[Unsettled]:
    """Orders whose stored received, payment status or instalment flags do not follow their payments,
    by order id. Reads every order once, a chunk at a time."""
    return [u for _oid, u in _all()]


@operation
def settle_again(*, clerk: str | None = None) -> list[Unsettled]:
    """Settle every order found by unsettled_orders again from its payments, in one transaction, with a
    timeline event for each received and status that moves; returns what was found (and mended)."""
    clerk = clerk or current_clerk()
    found = _all()
    for oid, u in found:
        settlement.settle(oid)
        if u.received_wrong:
            orders.record_event(oid, "received", str(u.received), str(u.payments), clerk, reason=REASON)
        if u.status != u.expected:
            orders.record_event(oid, "payment_status", u.status, u.expected, clerk, reason=REASON)
    return [u for _oid, u in found]
