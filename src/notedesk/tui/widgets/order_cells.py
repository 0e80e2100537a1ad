"""How one row of the order list reads: labels, the deadline, payment and amount cells, column widths.

Shared by the order table and any screen that shows an order in a line. Every cell is cleaned and
cut by `notedesk.text.one_line` and padded to its width in terminal cells as Rich measures them,
so Chinese (double-width) text stays aligned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from rich.cells import cell_len, set_cell_size

from notedesk import labels
from notedesk.deadlines import group_of
from notedesk.domain import CLOSED_STATUSES
from notedesk.i18n import _
from notedesk.labels import format_window
from notedesk.services.types import OrderSummary
from notedesk.text import one_line

SOON_DAYS = 3


def status_label(status: str) -> str:
    return labels.status_label(status)


def method_label(method: str) -> str:
    return labels.method_label(method, short=True)  # "COD": the payment column is narrow


def payment_status_label(status: str) -> str:
    return labels.payment_status_label(status)


def money(amount: Decimal | None) -> str:
    return labels.money(amount)


def deadline_cell(order: OrderSummary, today: dt.date) -> str:
    """'12-01 09:00–11:00' (the year only when it is not this year); the clerk's words when undated."""
    d = order.deadline
    if d.date is None:
        return d.text
    day = f"{d.date:%m-%d}" if d.date.year == today.year else d.date.isoformat()
    return f"{day} {format_window(d.start, d.end)}".strip()


def deadline_urgency(order: OrderSummary, now: dt.datetime, tz: dt.tzinfo) -> str | None:
    """'overdue', 'today', 'soon' (within SOON_DAYS) or None; closed orders are never urgent."""
    d = order.deadline
    if d.date is None or order.status in CLOSED_STATUSES:
        return None
    group = group_of(d.date, d.end, now, tz)
    if group in ("overdue", "today"):
        return group
    return "soon" if (d.date - now.astimezone(tz).date()).days <= SOON_DAYS else None


def payment_cell(order: OrderSummary) -> str:
    """The method; cash on delivery also says what the courier collects."""
    label = method_label(order.payment_method)
    if order.payment_method != "cod":
        return label
    if order.payment_status == "paid":
        return label + " " + _("paid")
    collect = order.amount_due if order.amount_due is not None else order.total
    return f"{label} {labels.money(collect)}"


@dataclass(frozen=True)
class Column:
    name: str  # also the listing sort it shows, when there is one
    title: str
    width: int
    right: bool = False


# Minimum widths; the customer column takes the rest. Room beyond a comfortable customer column
# widens the others, in this order, by at most this much.
_FIXED = {"number": 13, "status": 9, "deadline": 17, "payment": 11, "amount": 12}
_GROW = (("status", 4), ("payment", 5), ("amount", 4), ("number", 2))
_CUSTOMER_MIN, _CUSTOMER_COMFORT = 10, 28
SORT_OF_COLUMN = {"number": "number", "customer": "customer", "status": "status",
                   "deadline": "deadline", "amount": "total"}


def layout(width: int) -> list[Column]:
    """Column widths for a table `width` cells wide (one space between columns)."""
    widths = dict(_FIXED)
    separators = len(_FIXED)  # six columns, five gaps
    spare = width - separators - sum(widths.values())
    customer = max(_CUSTOMER_MIN, min(spare, _CUSTOMER_COMFORT))
    spare -= customer
    for name, extra in _GROW:
        grow = max(0, min(extra, spare))
        widths[name] += grow
        spare -= grow
    customer += max(0, spare)
    titles = {"number": _("Number"), "customer": _("Customer"), "status": _("Status"),
              "deadline": _("Deadline"), "payment": _("Payment"), "amount": _("Amount")}
    order = ("number", "customer", "status", "deadline", "payment", "amount")
    sizes = {**widths, "customer": customer}
    return [Column(n, titles[n], sizes[n], right=n == "amount") for n in order]


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` cleaned, on one line, cut with '…' and padded to exactly `width` cells."""
    s = one_line(text, width)
    if cell_len(s) > width:  # Rich and notedesk.text disagree on some emoji: Rich decides the layout
        s = set_cell_size(s, width)
    pad = " " * (width - cell_len(s))
    return pad + s if right else s + pad
