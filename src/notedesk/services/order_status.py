"""Changing an order's status: one rule for the list, the detail and the deadline view.

The clerk chose a new status while looking at the order with status `loaded_status`. What else
another clerk changed meanwhile (the deadline, a note, the payment) is no reason to stop: only
the status itself is. So, in one transaction:
- the status stored is already the one chosen: nothing to do (both wanted the same);
- the status stored is still the one the clerk saw: the new one is saved on top;
- otherwise another clerk changed the status meanwhile: Conflict, with the order as stored, and
  nothing is saved; the screen shows both and the clerk decides (asking again with the stored
  status as `loaded_status` keeps theirs out of the way knowingly).

Marking a cash-on-delivery order delivered may carry the amount the courier `collected`: it is
recorded as a payment (services.payments) in the same transaction, only when this call changes the
status (an order another clerk marked delivered meanwhile keeps what that clerk recorded).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import orders, payments
from notedesk.services import validation as v
from notedesk.services.errors import Conflict
from notedesk.services.transaction import operation
from notedesk.services.types import OrderDetail, PaymentRecord


@dataclass(frozen=True)
class StatusChange:
    order: OrderDetail  # as stored after the call
    changed: bool  # False: the order had that status already
    payment: PaymentRecord | None = None  # what the courier collected, as recorded


@operation
def change_status(number: str, status: str, *, loaded_status: str, clerk: str | None = None,
                  collected: Decimal | str | None = None, via: str = "cash") -> StatusChange:
    """Set the status of order `number`, chosen while it showed `loaded_status` (logged in the
    timeline); with `collected`, the money the courier collected is recorded with it. Raises NotFound,
    InvalidInput (a bad status or amount), Conflict (another clerk changed the status)."""
    status = v.status(status)
    clerk = clerk or current_clerk()
    row = orders.find(number)
    current = orders.load(row)
    if current.status == status:
        return StatusChange(current, changed=False)
    if current.status != loaded_status:
        raise Conflict(_("{changed_by} changed the status of {number} to {status} meanwhile").format(
            changed_by=current.changed_by, number=number, status=current.status),
                       current)
    payment = None
    if collected is not None:
        record = v.payment_record(PaymentRecord(collected, via, None, _("collected on delivery"), clerk),  # type: ignore[arg-type]
                                  row.number)
        payment = payments.add(row, record, clerk)
    orders.replace_fields(row, orders.checked(replace(orders.as_input(current), status=status), number),
                          clerk, current.version)
    return StatusChange(orders.load(row), changed=True, payment=payment)
