"""Amending an order after it was saved: any field a clerk entered, named by its exchange-format path.

One call of `amend_order` is one transaction: every change is checked first (an unknown path or a bad
value is one InvalidInput naming the path, and nothing is saved), then written, each changed field
recorded on the timeline as old → new with the clerk and the time. With a reason, the reason is a
communication entry, and the timeline events point at it (Event.communication, migration 0011): the
log says what the customer asked, the timeline what changed because of it.

Paths (values are text, as typed on the command line or in the amend form):

- `customer.name|company|phone|email|address|preferences` (services.amend_customer owns them)
- `lines.N.product|spec|quantity|unit_price`: line N as the detail numbers it, from 1. A number after
  the last line adds a line (`lines.3.…` on an order of two; `lines.+.…` is the next number); a new
  line needs product, quantity and unit price. `remove_lines` removes lines by number. Numbers are
  those of the order as it was loaded, whatever else the same call removes.
- `status`, `currency`, `deadline` (the clerk's words, read now by the deadline grammar; empty: none),
  `payment.method`, `payment.amount_due` (empty: the order total).

Quantities take a unit (`800件`, `800 pcs`), amounts a currency sign or thousands separators. The
total follows the lines; an amount due that was the total follows it too.

Conflicts (docs/ARCHITECTURE.md, "Versions and conflicts"). With `loaded` (the order as the clerk's
form loaded it), another clerk's change meanwhile stops the amend only where it touched what this
clerk changes: a field changed by both to different values, or the lines added or removed by the other
while this clerk changes lines. Then nothing is saved and AmendConflict says, field by field, what
was loaded, what the other clerk saved and what this clerk wants; amending again with the order as
stored now saves on top, knowingly. With only `base_version` (a script that read the order at that
version), any change meanwhile is a conflict. With neither, the order as stored is amended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from notedesk import clock, labels
from notedesk import deadlines as grammar
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import amend_customer, communications, orders, settlement, views
from notedesk.services import validation as v
from notedesk.services.errors import Conflict, InvalidInput
from notedesk.services.transaction import operation
from notedesk.services.types import CommunicationView, Deadline, LineData, OrderDetail
from notedesk.store import models as m

LINE_FIELDS = ("product", "spec", "quantity", "unit_price")
CUSTOMER_FIELDS = tuple(amend_customer.FIELDS)
ORDER_PATHS = ("status", "currency", "deadline", "payment.method", "payment.amount_due")
ALIASES = {"deadline.text": "deadline"}
NEW_LINE = "+"


def known_paths() -> tuple[str, ...]:
    """Every path, for messages and help (N: a line number)."""
    return (*(f"customer.{f}" for f in amend_customer.FIELDS), *(f"lines.N.{f}" for f in LINE_FIELDS),
            *ORDER_PATHS)


@dataclass(frozen=True)
class Amendment:
    """What a clerk changes on one order: (path, value) pairs, lines to remove, and why."""

    changes: tuple[tuple[str, str | Deadline], ...] = ()  # text as typed; a deadline may come read already
    remove_lines: tuple[int, ...] = ()
    reason: str = ""  # with a reason, a log entry linked to every change
    channel: str = "phone"  # how the customer asked (the log entry's channel)
    contact: str = ""  # who asked (the log entry's contact)
    log_text: str = ""  # the log entry's words when they say more than the reason (a deadline moved)

    def __bool__(self) -> bool:
        return bool(self.changes or self.remove_lines)


@dataclass(frozen=True)
class FieldChange:
    """One field as the timeline records it: the path, and the old and new values as text."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Amended:
    order: OrderDetail  # as stored after the call
    changes: tuple[FieldChange, ...]  # empty: every value was already so, nothing saved
    logged: CommunicationView | None = None  # the reason's log entry


@dataclass(frozen=True)
class Clash:
    """A field both clerks changed: as loaded, as the other clerk saved it, as this clerk wants it."""

    field: str
    loaded: str
    theirs: str
    mine: str


class AmendConflict(Conflict):
    """Another clerk changed the order meanwhile; `current` is the order as stored, `clashes` the fields
    both changed (empty when only the version is known to differ)."""

    def __init__(self, message: str, current: OrderDetail, clashes: tuple[Clash, ...] = ()):
        super().__init__(message, current)
        self.clashes = clashes


# --- reading the paths ------------------------------------------------------------------------------

@dataclass
class _Plan:
    """The checked values by path: customer fields, order fields, lines by number, lines removed."""

    customer: dict[str, str] = field(default_factory=dict)
    order: dict[str, Any] = field(default_factory=dict)
    lines: dict[int, dict[str, Any]] = field(default_factory=dict)  # existing and new, by number
    removed: tuple[int, ...] = ()

    def touches_lines(self) -> bool:
        return bool(self.lines or self.removed)


def _unknown(path: str, where: str) -> InvalidInput:
    return InvalidInput(_("no such field; the fields are {paths}").format(paths=", ".join(known_paths())), where)


def _line_value(name: str, value: str, where: str) -> object:
    if name == "product":
        return v.clean_text(value, where, required=True, limit=200).strip()
    if name == "spec":
        return v.clean_text(value, where).strip()
    if name == "quantity":
        return v.quantity_text(value, where)
    return v.money_text(value, where)


def read_deadline(text: str, where: str = "deadline") -> Deadline:
    """The clerk's words read now (business time zone); empty is no deadline. Words the grammar cannot
    read are refused, naming them (never a wrong date); words without any date are kept as text.
    Raises InvalidInput."""
    text = v.clean_text(text, where).strip()
    if not text:
        return Deadline()
    try:
        parsed = grammar.parse_deadline(text, clock.local_now())
    except grammar.DeadlineError as exc:
        raise InvalidInput(str(exc), where) from None
    if parsed.unread:
        raise InvalidInput(labels.unread_words(parsed), where)
    return Deadline(text, parsed.date, parsed.start, parsed.end)


def _order_value(path: str, value: Any, where: str) -> object:
    if path == "status":
        return v.status(value.strip(), where)
    if path == "currency":
        code = v.clean_text(value, where, required=True).strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise InvalidInput(_("“{value}” is not a currency code like CNY").format(value=value), where)
        return code
    if path == "deadline":
        return value if isinstance(value, Deadline) else read_deadline(value, where)
    if path == "payment.method":
        return v.payment_method(value.strip(), where)
    return v.money_text(value, where, allow_none=True)  # payment.amount_due


def _plan(number: str, amendment: Amendment, count: int) -> _Plan:
    """Every path and value of `amendment` checked against an order of `count` lines. Raises InvalidInput."""
    plan = _Plan()
    seen: set[str] = set()
    for path, raw in amendment.changes:
        path = str(path).strip()
        key = ALIASES.get(path, path)
        where = f"{number} {path}"
        value: Any = raw if isinstance(raw, Deadline) else "" if raw is None else str(raw)  # a deadline read already
        head, _dot, rest = key.partition(".")
        if head == "customer" and rest in amend_customer.FIELDS:
            plan.customer[rest] = amend_customer.check(rest, value, where)
        elif key in ORDER_PATHS:
            plan.order[key] = _order_value(key, value, where)
        elif head == "lines":
            which, _dot, name = rest.partition(".")
            n = count + 1 if which == NEW_LINE else int(which) if which.isdigit() else 0
            if n < 1 or name not in LINE_FIELDS:
                if n >= 1 and not name:
                    raise InvalidInput(_("name a field of the line (lines.{n}.quantity…); to remove the line, "
                                         "remove line {n}").format(n=n), where)
                raise _unknown(path, where)
            key = f"lines.{n}.{name}"
            plan.lines.setdefault(n, {})[name] = _line_value(name, value, where)
        else:
            raise _unknown(path, where)
        if key in seen:
            raise InvalidInput(_("given twice"), where)
        seen.add(key)
    removed = []
    for n in amendment.remove_lines:
        where = f"{number} lines.{n}"
        if not 1 <= n <= count:
            raise InvalidInput(_("no line {n} to remove (the order has {count})").format(n=n, count=count), where)
        if n in plan.lines:
            raise InvalidInput(_("line {n} is both changed and removed").format(n=n), where)
        removed.append(n)
    plan.removed = tuple(sorted(set(removed)))
    new = sorted(n for n in plan.lines if n > count)
    if new and new != list(range(count + 1, count + 1 + len(new))):
        gap = next(n for i, n in enumerate(new) if n != count + 1 + i)
        raise InvalidInput(_("the order has {count} lines: a new line is number {next}").format(
            count=count, next=count + 1 + new.index(gap)), f"{number} lines.{gap}")
    for n in new:
        missing = [f for f in ("product", "quantity", "unit_price") if f not in plan.lines[n]]
        if missing:
            raise InvalidInput(_("a new line needs {fields}").format(
                fields=", ".join(f"lines.{n}.{f}" for f in missing)), f"{number} lines.{n}")
    if count and len(plan.removed) == count and not new:
        raise InvalidInput(_("an order keeps at least one line (cancel the order instead)"), f"{number} lines")
    return plan


# --- values as the timeline shows them ---------------------------------------------------------------

def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def describe_line(line: LineData) -> str:
    spec = f" | {line.spec}" if line.spec else ""
    return f"{line.product}{spec} | {line.quantity} × {_money(line.unit_price)}"


def _deadline_words(deadline: Deadline) -> str:
    return orders.describe_deadline(deadline)


def _line_field(line: LineData, name: str) -> str:
    value = getattr(line, name)
    return _money(value) if name == "unit_price" else str(value)


def value_of(detail: OrderDetail, path: str) -> str:
    """A path's value on an order, as text ('' for a line it does not have)."""
    head, _dot, rest = path.partition(".")
    if head == "customer":
        return amend_customer.read(detail, rest)
    if head == "lines":
        which, _dot, name = rest.partition(".")
        n = int(which)
        if n > len(detail.lines):
            return ""
        return _line_field(detail.lines[n - 1], name) if name else describe_line(detail.lines[n - 1])
    return {"status": detail.status, "currency": detail.currency, "deadline": _deadline_words(detail.deadline),
            "payment.method": detail.payment.method, "payment.amount_due": _money(detail.payment.amount_due),
            "total": _money(detail.total)}[path]


# --- what the order becomes ----------------------------------------------------------------------------

def _amended(current: OrderDetail, plan: _Plan) -> OrderDetail:
    """The order with the plan applied (lines renumbered, totals following them)."""
    customer = replace(current.customer, **dict[str, Any](plan.customer)) if plan.customer else current.customer
    lines = []
    for n, line in enumerate(current.lines, 1):
        if n not in plan.removed:
            lines.append(replace(line, **plan.lines.get(n, {})))
    for n in sorted(k for k in plan.lines if k > len(current.lines)):
        lines.append(LineData(**plan.lines[n]))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    o = plan.order
    payment = current.payment
    if "payment.method" in o:
        payment = replace(payment, method=o["payment.method"])
    if "payment.amount_due" in o:
        payment = replace(payment, amount_due=o["payment.amount_due"])
    elif payment.amount_due is not None and payment.amount_due == current.total and total != current.total:
        payment = replace(payment, amount_due=total)  # it was the total: it stays the total
    return replace(current, customer=customer, lines=tuple(lines), total=total, payment=payment,
                   status=o.get("status", current.status), currency=o.get("currency", current.currency),
                   deadline=o.get("deadline", current.deadline))


def _changes(before: OrderDetail, after: OrderDetail, plan: _Plan) -> list[FieldChange]:
    """What differs, in the order the detail shows it: customer, lines, total, the order's fields."""
    out = [FieldChange(f"customer.{f}", amend_customer.read(before, f), amend_customer.read(after, f))
           for f in amend_customer.FIELDS if f in plan.customer]
    kept = [n for n in range(1, len(before.lines) + 1) if n not in plan.removed]
    for n in range(1, len(before.lines) + 1):
        line = before.lines[n - 1]
        if n in plan.removed:
            out.append(FieldChange(f"lines.{n}", describe_line(line), ""))
            continue
        new = after.lines[kept.index(n)]
        out += [FieldChange(f"lines.{n}.{f}", _line_field(line, f), _line_field(new, f))
                for f in LINE_FIELDS if f in plan.lines.get(n, {})]
    for n, line in enumerate(after.lines[len(kept):], len(before.lines) + 1):
        out.append(FieldChange(f"lines.{n}", "", describe_line(line)))
    out += [FieldChange(p, value_of(before, p), value_of(after, p))
            for p in ("total", *ORDER_PATHS) if p in plan.order or p == "total" or p == "payment.amount_due"]
    changed = [c for c in out if c.old != c.new]
    if before.deadline != after.deadline and not any(c.field == "deadline" for c in changed):
        changed.append(FieldChange("deadline", before.deadline.text, after.deadline.text))  # same date, new words
    return changed


# --- conflicts -------------------------------------------------------------------------------------------

def _paths(plan: _Plan) -> list[str]:
    return [*(f"customer.{f}" for f in plan.customer), *plan.order,
            *(f"lines.{n}.{f}" for n, fields in plan.lines.items() for f in fields)]


def _check_version(number: str, current: OrderDetail, plan: _Plan, base_version: int | None,
                   loaded: OrderDetail | None) -> None:
    if loaded is not None:
        if current.version == loaded.version:
            return
        mine = _amended(loaded, plan)
        clashes = []
        if plan.touches_lines() and len(loaded.lines) != len(current.lines):
            clashes.append(Clash("lines", str(len(loaded.lines)), str(len(current.lines)), str(len(mine.lines))))
        else:
            for n in plan.removed:
                if value_of(loaded, f"lines.{n}") != value_of(current, f"lines.{n}"):
                    clashes.append(Clash(f"lines.{n}", value_of(loaded, f"lines.{n}"),
                                         value_of(current, f"lines.{n}"), ""))
            for path in _paths(plan):
                was, theirs = value_of(loaded, path), value_of(current, path)
                wanted = value_of(mine, path) if not path.startswith("lines.") else _planned(plan, path)
                if was != theirs and theirs != wanted:
                    clashes.append(Clash(path, was, theirs, wanted))
        if clashes:
            raise AmendConflict(_("{clerk} changed {fields} of {number} meanwhile: nothing saved").format(
                clerk=current.changed_by, fields=", ".join(c.field for c in clashes), number=number),
                current, tuple(clashes))
    elif base_version is not None and current.version != base_version:
        raise AmendConflict(_("{number} was changed by {clerk} meanwhile (version {now}, not {base}): nothing "
                              "saved").format(number=number, clerk=current.changed_by, now=current.version,
                                              base=base_version), current)


def _planned(plan: _Plan, path: str) -> str:
    _lines, n, name = path.split(".")
    value = plan.lines[int(n)][name]
    return _money(value) if name == "unit_price" else str(value)


# --- writing ---------------------------------------------------------------------------------------------

def _write(row: m.Order, before: OrderDetail, after: OrderDetail, plan: _Plan, clerk: str) -> None:
    at = clock.now()
    amend_customer.write(row, {f: amend_customer.read(after, f) for f in plan.customer
                               if amend_customer.read(after, f) != amend_customer.read(before, f)}, clerk, at)
    d, p = after.deadline, after.payment
    updated = (m.Order.update(version=m.Order.version + 1, updated_at=at, changed_by=clerk, status=after.status,
                              currency=after.currency, total=after.total, deadline_text=d.text,
                              deadline_date=d.date, deadline_start=d.start, deadline_end=d.end,
                              payment_method=p.method, amount_due=p.amount_due)
               .where((m.Order.id == row.id) & (m.Order.version == before.version)).execute())
    if not updated:  # cannot happen under the write lock; never write over a change unseen
        raise Conflict(_("{number} was changed meanwhile: nothing saved").format(number=row.number))
    if after.lines != before.lines:
        m.OrderLine.delete().where(m.OrderLine.order == row.id).execute()
        m.OrderLine.insert_many([
            dict(order=row.id, position=i, product=x.product, spec=x.spec, quantity=x.quantity,
                 unit_price=x.unit_price, created_at=at, updated_at=at, changed_by=clerk)
            for i, x in enumerate(after.lines)]).execute()
    status = settlement.settle(row.id)  # the total or the amount due may have moved the payment status
    if status != before.payment.status:
        orders.record_event(row.id, "payment_status", before.payment.status, status, clerk, at=at)


@operation
def amend_order(number: str, amendment: Amendment, *, base_version: int | None = None,
                loaded: OrderDetail | None = None, clerk: str | None = None, at: dt.datetime | None = None) -> Amended:
    """Change the fields of order `number` named in `amendment`, in one transaction, each change on the
    timeline (linked to the reason's log entry when there is a reason). `loaded`: the order as the clerk
    loaded it (conflicts field by field); else `base_version` (any change meanwhile conflicts). `at`:
    when it happened (default now).
    Raises NotFound, InvalidInput (unknown path, bad value: names the path), AmendConflict."""
    clerk = clerk or current_clerk()
    row = orders.find(number)
    number = row.number
    current = orders.load(row)
    base = loaded or current
    plan = _plan(number, amendment, len(base.lines))
    reason = v.clean_text(amendment.reason, f"{number} reason").strip()
    channel = v.channel(amendment.channel)
    contact = v.clean_text(amendment.contact, f"{number} contact", limit=200).strip()
    _check_version(number, current, plan, base_version, loaded)
    if loaded is not None and len(loaded.lines) != len(current.lines):
        plan = _plan(number, amendment, len(current.lines))  # only without line changes (else a clash above)
    after = _amended(current, plan)
    changes = _changes(current, after, plan)
    if not changes:
        return Amended(current, ())
    _write(row, current, after, plan, clerk)
    logged = None
    at = at or clock.now()
    if reason:
        text = v.clean_text(amendment.log_text, f"{number} communication.text").strip() or reason
        entry = communications.append(row, text=text, channel=channel, contact=contact, clerk=clerk, at=at,
                                      corrects=None, recorded_by=clerk)
        logged = views.communication(entry)
    for change in reversed(changes):  # the timeline lists newest (highest id) first: read in order
        orders.record_event(row.id, change.field, change.old, change.new, clerk, reason=reason, at=at,
                            communication=logged.id if logged else None)
    return Amended(orders.load(row), tuple(changes), logged)
