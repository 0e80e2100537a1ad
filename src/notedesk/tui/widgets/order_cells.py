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
from notedesk.domain import CLOSED_STATUSES, STATUSES
from notedesk.i18n import _, pgettext
from notedesk.labels import format_window
from notedesk.services.types import OrderSummary, collects_on_delivery, unpaid_prepaid
from notedesk.text import one_line

SOON_DAYS = 3


def status_label(status: str, *, short: bool = False) -> str:
    return labels.status_label(status, short=short)


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


def _short_method(method: str) -> str:
    """The method in the payment column's short word ('预付', 'instal'), when the whole one does not fit."""
    return {"prepaid": pgettext("payment column", "prepay"), "cod": labels.method_label("cod", short=True),
            "instalments": pgettext("payment column", "instal"),
            "on_account": pgettext("payment column", "acct"),
            "other": pgettext("payment column", "other")}.get(method, method)


def method_cell(method: str, width: int) -> str:
    """The method within `width` cells: its label, or its short word ('instal', 'acct'), never cut."""
    whole = method_label(method)
    return whole if cell_len(whole) <= width else _short_method(method)


def payment_cell(order: OrderSummary, width: int | None = None) -> str:
    """The method, and: what the courier collects (cash on delivery) or what is still owed (partly
    paid) — the balance, unless that is the whole amount beside it; 'paid' once the payments cover the
    amount due, 'overpaid' beyond it. Within `width` cells (11–14 at 80 columns) the first of these
    that fits, never a word or an amount cut: the whole words; the method's short word ('预付 已付',
    'instal 5,565.00'); the short words with the state instead of the amount ('到付 部分付款', 'prepay part'); the
    method alone ('prepaid'), in its short word if need be."""
    paid = order.payment_status == "paid"
    owes = not paid and (order.payment_method == "cod" or order.payment_status == "partial") \
        and order.balance != order.total
    if paid:
        state = _("overpaid") if order.balance < 0 else _("paid")
        short_state = pgettext("payment column", "over") if order.balance < 0 else pgettext("payment column", "paid")
    elif owes:
        state = short_state = labels.money(order.balance)
    else:
        state = short_state = ""
    short = _short_method(order.payment_method)
    candidates = [f"{method_label(order.payment_method)} {state}", f"{short} {short_state}"]
    if owes:
        candidates.append(short + " " + pgettext("payment column", "part"))
    candidates += [method_label(order.payment_method), short]
    candidates = [c.strip() for c in candidates]
    if width is None:
        return candidates[0]
    return next((c for c in candidates if cell_len(c) <= width), candidates[-1])


def home_currency() -> str:
    """The business's own currency (config `currency`); CNY when the config cannot be read (the
    desk says what is wrong with it elsewhere)."""
    from notedesk.config import ConfigError, settings

    try:
        return settings().currency
    except ConfigError:
        return "CNY"


def amount_cell(order: OrderSummary, home_currency: str, width: int | None = None) -> str:
    """'17,500.00' in the business's own currency (the column title names it), '1,792.50 USD' in another;
    within `width` cells as `money_cell` puts it ('123456.00 USD')."""
    if order.currency == home_currency:
        return money_cell(order.total, width)
    room = None if width is None else width - 1 - cell_len(order.currency)
    return f"{money_cell(order.total, room)} {order.currency}"


@dataclass(frozen=True)
class Column:
    name: str  # also the listing sort it shows, when there is one
    title: str
    width: int
    right: bool = False


# Minimum widths; the customer column takes the rest. Room beyond a comfortable customer column
# widens the others, in this order, by at most this much.
_FIXED = {"number": 13, "status": 9, "deadline": 17, "payment": 11, "amount": 13}
_GROW = (("amount", 3), ("payment", 5), ("status", 4), ("number", 2))
_CUSTOMER_MIN, _CUSTOMER_COMFORT = 10, 28
SORT_OF_COLUMN = {"number": "number", "customer": "customer", "status": "status",
                   "deadline": "deadline", "amount": "total"}
# The lenses' columns (services/lenses.py): (name, width, right-aligned); width 0 is the column that
# takes the rest, at least FLEX_MIN. Each fits 80 columns (78 cells beside the scrollbar).
FLEX_MIN = 10
LENS_COLUMNS: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "production": (("number", 13, False), ("deadline", 17, False), ("status", 9, False), ("marks", 4, False),
                   ("items", 0, False), ("customer", 10, False)),
    "logistics": (("number", 13, False), ("deadline", 17, False), ("customer", 8, False), ("address", 0, False),
                  ("phone", 11, False), ("collect", 10, True)),  # 10: '162,000.00' whole
    "finance": (("number", 13, False), ("customer", 0, False), ("method", 8, False), ("due", 10, True),
                ("received", 10, True), ("balance", 10, True), ("next", 10, False)),  # 10: '2027-01-15'

}


def _titles() -> dict[str, str]:
    return {"number": _("Number"), "customer": _("Customer"), "status": _("Status"),
            "deadline": _("Deadline"), "payment": _("Payment"), "amount": _("Amount"),
            # TRANSLATORS: a narrow column (4 cells) of marks: special processing, drawings attached
            "marks": _("Mark"), "items": _("Product · spec × quantity"), "address": _("Address"),
            "phone": _("Phone"), "collect": _("Collect"), "method": _("Method"), "due": _("Amount due"),
            "received": _("Received"), "balance": _("Balance"),
            # TRANSLATORS: what finance does next: collect COD, chase a prepayment, the next instalment
            "next": _("Next")}


def layout(width: int, lens: str = "all", home_currency: str = "") -> list[Column]:
    """Column widths for a table `width` cells wide (one space between columns), in `lens`'s columns;
    the amount column's title names the currency its bare amounts are in."""
    titles = _titles()
    titles["amount"] = (titles["amount"] + " " + home_currency).rstrip()
    # Chinese statuses are 3 characters (6 cells): the cells English needs for 'producing' go elsewhere
    status = max(cell_len(titles["status"]), *(cell_len(labels.status_label(s, short=True)) for s in STATUSES))
    if lens in LENS_COLUMNS:
        spec = tuple((name, min(w, status) if name == "status" else w, right)
                     for name, w, right in LENS_COLUMNS[lens])  # the flex column takes what status gives
        rest = width - (len(spec) - 1) - sum(w for _name, w, _right in spec)
        return [Column(name, titles[name], w or max(FLEX_MIN, rest), right) for name, w, right in spec]
    widths = dict(_FIXED)
    if status < widths["status"]:
        widths["payment"] += widths["status"] - status
        widths["status"] = status
    separators = len(_FIXED)  # six columns, five gaps
    spare = width - separators - sum(widths.values())
    customer = max(_CUSTOMER_MIN, min(spare, _CUSTOMER_COMFORT))
    spare -= customer
    for name, extra in _GROW:
        grow = max(0, min(extra, spare))
        widths[name] += grow
        spare -= grow
    customer += max(0, spare)
    order = ("number", "customer", "status", "deadline", "payment", "amount")
    sizes = {**widths, "customer": customer}
    return [Column(n, titles[n], sizes[n], right=n == "amount") for n in order]


def items_cell(order: OrderSummary) -> str:
    """Production: 'T恤 · 红色 / XL × 200', '+2' when more lines follow; never a price."""
    line = order.first_line
    if line is None:
        return ""
    what = f"{line.product} · {line.spec}" if line.spec.strip() else line.product
    text = f"{what} × {line.quantity:,}"
    return text + (f" +{order.line_count - 1}" if order.line_count > 1 else "")


def marks_cell(order: OrderSummary) -> str:
    # TRANSLATORS: one-cell marks (zh: one character): S = special processing noted, D = drawings attached
    return (_("S") if order.special else "") + (_("D") if order.drawings else "")


def money_cell(amount: Decimal | None, width: int | None = None) -> str:
    """An amount whole within `width` cells where it can be: '1,234,567.50', else without the thousands
    separators '1234567.50', else without zero cents '12345678'; a cut amount reads as another amount,
    so only one too long for all of these is cut (with '…', by `fit`). No width: as every screen shows it."""
    shown = money(amount)
    if amount is None or width is None or cell_len(shown) <= width:
        return shown
    shorter = [f"{amount:.2f}"] + ([f"{amount:.0f}"] if amount == amount.to_integral_value() else [])
    return next((plain for plain in shorter if len(plain) <= width), shown)


def collect_cell(order: OrderSummary, width: int) -> str:
    """Logistics: what the courier collects on delivery ('' when nothing)."""
    if not collects_on_delivery(order.payment_method, order.payment_status):
        return ""
    return money_cell(order.balance, width)  # what is still owed, as `due` collects


def next_cell(order: OrderSummary, today: dt.date) -> tuple[str, str | None]:
    """Finance: what to do next and the urgency it shows in: collect COD, chase an unpaid prepayment,
    the next unpaid instalment's date."""
    if collects_on_delivery(order.payment_method, order.payment_status):
        return _("collect"), "today"
    if unpaid_prepaid(order.payment_method, order.payment_status):
        return _("not paid"), "overdue"
    due = order.next_instalment
    if due is not None:
        day = f"{due.due:%m-%d}" if due.due.year == today.year else due.due.isoformat()
        return day, ("overdue" if due.due < today else "today" if due.due == today else None)
    return "", None


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` cleaned, on one line, cut with '…' and padded to exactly `width` cells."""
    s = one_line(text, width)
    if cell_len(s) > width:  # Rich and notedesk.text disagree on some emoji: Rich decides the layout
        s = set_cell_size(s, width)
    pad = " " * (width - cell_len(s))
    return pad + s if right else s + pad
