"""The departments' sheets (DESIGN §11): what production, logistics and finance each get of an order, to print or send.

A sheet is content first (`Sheet`: headings, fields, tables, texts), built here from an OrderDetail for
one department, then written as Markdown, HTML or plain text by services/sheet_formats.py. What each
carries is decided here, once for every format:

- production: lines without any price, requirements, special processing, attachments, deadline,
  customer preferences; never an amount;
- logistics (the delivery slip, which goes with the goods to the customer): customer, address,
  contact, window, what is in the parcel (no prices), the amount to collect on delivery, and only the
  notes a clerk marked "print on the delivery slip" (services.notes.set_on_slip: off by default);
  never the internal notes, the communication log or the timeline;
- finance: lines with prices, amount due, method, received, balance, what to do next (collect on
  delivery, a prepayment not received, the next unpaid instalment), the instalment schedule, the
  payments received (when, amount, how, who recorded it, note), and the payment note.

Labels follow the interface language (i18n), like the screens. `save_sheet` writes one to a file (the
detail's `o`, the command line's `-o`) through safe_output: whole or not at all, never over a folder or
in place of a device.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO, cast

from notedesk import clock, labels, safe_output
from notedesk.i18n import _
from notedesk.services import attachments as attachment_service
from notedesk.services.errors import InvalidInput
from notedesk.services.list_filters import DueRange
from notedesk.services.transaction import transaction
from notedesk.services.types import OrderDetail, collects_on_delivery, unpaid_prepaid
from notedesk.text import clean, one_line

DEPARTMENTS = ("production", "logistics", "finance")


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: frozenset[int] = frozenset()  # columns aligned right (numbers)


@dataclass(frozen=True)
class Block:
    """One part of a sheet: a heading, then fields (label, value), a table, a text or a list of items."""

    heading: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    table: Table | None = None
    text: str | None = None  # multi-line stored text (None: no text part; "" shows as "(none)")
    items: tuple[str, ...] = ()
    important: bool = False  # set off on the page (special processing, the amount to collect)


@dataclass(frozen=True)
class Sheet:
    department: str
    title: str  # "Delivery slip"
    number: str
    heading: str  # "SO-2026-00042 · 王芳"
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def department_title(department: str) -> str:
    return {"production": _("Production sheet"), "logistics": _("Delivery slip"),
            "finance": _("Finance sheet")}[department]


def _who(d: OrderDetail) -> str:
    c = d.customer
    return one_line(c.name) + (f" ({one_line(c.company)})" if c.company.strip() else "")


def _deadline(d: OrderDetail) -> str:
    if d.deadline.date is None:
        return _("unscheduled") + (f": {one_line(d.deadline.text)}" if d.deadline.text.strip() else "")
    return labels.format_deadline(d.deadline)


def _note(d: OrderDetail, kind: str) -> str:
    note = d.notes.get(kind)
    return clean(note.body) if note else ""


def _lines(d: OrderDetail, *, prices: bool) -> Block:
    headers = ["#", _("Product"), _("Spec"), _("Quantity")]
    if prices:
        headers += [_("Unit price"), _("Amount")]
    rows = []
    for n, line in enumerate(d.lines, 1):
        row = [str(n), one_line(line.product), one_line(line.spec), f"{line.quantity:,}"]
        if prices:
            row += [labels.money(line.unit_price), labels.money(line.amount)]
        rows.append(tuple(row))
    right = frozenset({0, 3, 4, 5} if prices else {0, 3})
    return Block(heading=_("Lines"), table=Table(tuple(headers), tuple(rows), right))


def production(d: OrderDetail) -> Sheet:
    blocks = [
        Block(fields=((_("Customer"), _who(d)), (_("Deadline"), _deadline(d)),
                      (_("Status"), labels.status_label(d.status)))),
        _lines(d, prices=False),
        Block(heading=_("Special processing"), text=_note(d, "special"), important=True),
        Block(heading=_("Requirements"), text=_note(d, "requirements")),
    ]
    if d.customer.preferences.strip():
        blocks.append(Block(heading=_("Customer preferences"), text=clean(d.customer.preferences)))
    blocks.append(Block(heading=_("Attachments"), items=tuple(
        one_line(attachment_service.describe(a)) for a in d.attachments) or (_("(none)"),)))
    return Sheet("production", department_title("production"), d.number, f"{d.number} · {one_line(d.customer.name)}",
                 tuple(blocks))


def _collect(d: OrderDetail) -> str:
    if collects_on_delivery(d.payment.method, d.payment.status):
        return labels.money(d.balance, d.currency)
    return _("nothing to collect")


def logistics(d: OrderDetail) -> Sheet:
    c = d.customer
    contact = " ".join(part for part in (one_line(c.contact or ""), one_line(c.contact_phone)) if part)
    blocks = [
        Block(fields=((_("Customer"), _who(d)), (_("Address"), one_line(c.address) or "—"),
                      (_("Contact"), contact or "—"), (_("Deadline"), _deadline(d)))),
        Block(heading=_("Amount to collect on delivery"), fields=((_("Collect"), _collect(d)),), important=True),
        _lines(d, prices=False),
    ]
    for kind in ("delivery", "special", "requirements", "payment"):
        note = d.notes.get(kind)
        if note is not None and note.on_slip and note.body.strip():
            blocks.append(Block(heading=labels.note_kind_label(kind), text=clean(note.body)))
    return Sheet("logistics", department_title("logistics"), d.number, f"{d.number} · {one_line(c.name)}",
                 tuple(blocks))


def _local(moment: dt.datetime | None, tz: dt.tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def _next_step(d: OrderDetail) -> str:
    """What finance does next, as the finance lens's Next column says it ("" when nothing is open)."""
    p = d.payment
    if collects_on_delivery(p.method, p.status):
        return _("collect {amount} on delivery").format(amount=labels.money(d.balance, d.currency))
    if unpaid_prepaid(p.method, p.status):
        return _("prepayment not received: {amount} outstanding").format(amount=labels.money(d.balance, d.currency))
    upcoming = next((i for i in p.instalments if not i.paid), None)
    if upcoming is not None and p.status != "paid":
        return _("next instalment {date}: {amount}").format(date=upcoming.due.isoformat(),
                                                           amount=labels.money(upcoming.amount, d.currency))
    return ""


def finance(d: OrderDetail, tz: dt.tzinfo) -> Sheet:
    p = d.payment
    step = _next_step(d)
    blocks = [
        Block(fields=((_("Customer"), _who(d)), (_("Method"), labels.method_label(p.method)),
                      (_("Amount due"), labels.money(d.due_amount, d.currency)),
                      (_("Received"), labels.money(d.received, d.currency)),
                      (_("Balance"), labels.money(d.balance, d.currency)),
                      (_("Payment status"), labels.payment_status_label(p.status)),
                      *(((_("Next"), step),) if step else ()),
                      (_("Deadline"), _deadline(d))), important=True),
        _lines(d, prices=True),
        Block(fields=((_("Total"), labels.money(d.total, d.currency)),)),
    ]
    if p.instalments:
        yes, no = _("yes"), _("no")
        blocks.append(Block(heading=_("Instalments"), table=Table(
            ("#", _("Due"), _("Amount"), _("Paid")),
            tuple((str(n), i.due.isoformat(), labels.money(i.amount), yes if i.paid else no)
                  for n, i in enumerate(p.instalments, 1)), frozenset({0, 2}))))
    blocks.append(Block(heading=_("Payments received"), table=Table(
        (_("When"), _("Amount"), _("How"), _("Recorded by"), _("Note")),
        tuple((_local(r.at, tz), labels.money(r.amount), labels.via_label(r.via), one_line(r.clerk), one_line(r.note))
              for r in d.payments),
        frozenset({1}))))
    blocks.append(Block(heading=_("Payment notes"), text=_note(d, "payment")))
    return Sheet("finance", department_title("finance"), d.number, f"{d.number} · {one_line(d.customer.name)}",
                 tuple(blocks))


def build(d: OrderDetail, department: str, tz: dt.tzinfo) -> Sheet:
    """The sheet of `department` (one of DEPARTMENTS) for an order. Raises ValueError for another."""
    if department == "production":
        return production(d)
    if department == "logistics":
        return logistics(d)
    if department == "finance":
        return finance(d, tz)
    raise ValueError(f"unknown department {department!r} (use {', '.join(DEPARTMENTS)})")


def build_all(details: Iterable[OrderDetail], department: str, tz: dt.tzinfo) -> list[Sheet]:
    return [build(d, department, tz) for d in details]


MAX_ORDERS = 1000  # orders one document holds (`sheet --due …`): a day's deliveries, not the whole desk


def write_sheets(out: TextIO, department: str, fmt: str = "md", numbers: Sequence[str] = (),
                 due: DueRange | None = None) -> int:
    """The sheets of `department` for orders `numbers`, or for the orders of that department's lens due in
    `due` (by due time), as one document in `fmt`; returns how many orders. Raises NotFound, InvalidInput."""
    from notedesk.services import lenses, listing, orders, sheet_formats

    if department not in DEPARTMENTS:
        raise InvalidInput(_("unknown department {name!r} (use production, logistics or finance)")
                           .format(name=department), "for")
    if fmt not in sheet_formats.FORMATS:
        raise InvalidInput(_("unknown sheet format {name!r} (use md, html or txt)").format(name=fmt), "format")
    tz = clock.business_tz()
    with transaction(read_only=True):
        chosen = list(numbers)
        if due is not None:
            query = replace(lenses.lens_query(department), due=due)
            chosen += [o.number for o in listing.list_orders(query, limit=MAX_ORDERS)
                       if o.number not in chosen]
        details = [orders.get_order(number) for number in chosen]
    sheets = build_all(details, department, tz)
    sheet_formats.write(sheets, out, fmt)
    return len(sheets)


def file_name(number: str, department: str, fmt: str) -> str:
    """A sensible name for one order's sheet: 'SO-2026-00042-delivery-slip.html'."""
    names = {"production": "production-sheet", "logistics": "delivery-slip", "finance": "finance-sheet"}
    what = names.get(department, department)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in number).strip(".") or "order"
    return f"{safe}-{what}.{fmt}"


def save_sheet(dest: str | os.PathLike, department: str, fmt: str, numbers: Sequence[str]) -> Path:
    """The sheets of `department` for orders `numbers` written to the file `dest` (replaced whole, as the
    command line's `-o`: safe_output); returns the absolute path written. Not an operation: the file is
    written after the read transaction ends. Raises NotFound, InvalidInput, safe_output.OutputError."""
    text = os.fspath(dest).strip()
    if text == "-":  # standard output is the clerk's screen here
        raise InvalidInput(_("name a file to write the sheet to"))
    path = Path(os.path.expanduser(text))
    if not text or not path.name:
        raise InvalidInput(_("name a file to write the sheet to"))
    with safe_output.output(path) as out:
        write_sheets(cast(TextIO, out), department, fmt, numbers)  # text mode: output() opens it so
    return Path(os.path.abspath(path))
