"""Reading a `notedesk/1` document back: strict types, every text cleaned and counted, plans to import.

Pure: no database. `parse_document()` checks a decoded document and returns one `OrderPlan` per order,
or raises InvalidInput naming the order and the field ("SO-2026-00042 lines[0].quantity"); messages
are one line and never echo control characters (repr, cut short).

Decisions where the exchange format (README, "Exchange format") is silent:
- `deadline` holding a `date` key (even null) is taken as is; only a deadline without a `date` key is
  parsed from its text (relative to `created_at`), so an exported unscheduled "明天" stays unscheduled;
- keys an order leaves out are "not given": defaults on create, left as they are on `--update`;
- a communication without `clerk` is the importing clerk's, without `channel` a phone call;
- `corrects` may point at a later entry too (a back-dated correction), never at itself.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, NoReturn, overload

from notedesk import clock, deadlines
from notedesk import text as textgate
from notedesk.config import settings
from notedesk.domain import (
    CHANNELS,
    FOLLOW_UP_STATES,
    NOTE_KINDS,
    PAYMENT_METHODS,
    PAYMENT_STATUSES,
    PAYMENT_VIA,
    STATUSES,
)
from notedesk.i18n import _
from notedesk.services import attachment_files
from notedesk.services import validation as v
from notedesk.services.attachment_files import FileFacts
from notedesk.services.errors import InvalidInput
from notedesk.services.exchange_json import (
    ADDRESS_KEYS,
    ATTACHMENT_KEYS,
    COMMUNICATION_KEYS,
    CONTACT_KEYS,
    CUSTOMER_KEYS,
    CUSTOMER_TEXT_KEYS,
    DEADLINE_KEYS,
    DOCUMENT_KEYS,
    FOLLOW_UP_KEYS,
    FORMAT,
    INSTALMENT_KEYS,
    LINE_KEYS,
    ORDER_KEYS,
    ORDER_OPTIONAL_KEYS,
    PAYMENT_KEYS,
    PAYMENT_RECORD_KEYS,
)
from notedesk.services.orders import checked
from notedesk.services.types import (
    AddressData,
    ContactData,
    CustomerData,
    Deadline,
    InstalmentData,
    LineData,
    OrderInput,
    Payment,
    PaymentRecord,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TIME = re.compile(r"\d{2}:\d{2}", re.ASCII)
_DIGITS = re.compile(r"\d{1,12}", re.ASCII)  # int() of thousands of digits raises
_AMOUNT = re.compile(r"\d{1,12}(?:\.\d{1,2})?", re.ASCII)
_SIGNED_AMOUNT = re.compile(r"-?\d{1,12}(?:\.\d{1,2})?", re.ASCII)
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)



# --- import: what one order becomes -------------------------------------------------------------------


@dataclass(frozen=True)
class CommunicationPlan:
    at: dt.datetime
    channel: str
    contact: str
    clerk: str
    text: str
    corrects: int | None = None  # position in the same order's list


@dataclass(frozen=True)
class AttachmentPlan:
    """A file of the document: its content checked (`facts`) when the entry carries "data", else only
    its name and sha256 (imported when the database holds that content already)."""

    where: str  # 'SO-2026-00042 attachments[0]'
    name: str
    kind: str
    sha256: str
    facts: FileFacts | None = None


@dataclass(frozen=True)
class FollowUpPlan:
    clerk: str  # "" = the clerk who imports
    text: str
    when: str  # the clerk's words for when (may be empty: `due` says it)
    due: dt.datetime
    state: str
    created_at: dt.datetime


@dataclass(frozen=True)
class OrderPlan:
    """One checked order: the input with defaults for what is missing, and which fields were given."""

    number: str
    data: OrderInput
    given: frozenset[str]  # "status", "lines", "deadline", "customer.phone", "payment.method", "notes.special"...
    communications: tuple[CommunicationPlan, ...] = ()
    attachments: tuple[AttachmentPlan, ...] = ()
    follow_ups: tuple[FollowUpPlan, ...] = ()


@dataclass
class Replacements:
    """Characters clean() replaced, by where they were ('SO-2026-00042 notes.special')."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, where: str, count: int) -> None:
        self.counts[where] = self.counts.get(where, 0) + count


class _Reader:
    """Strict typed reads; every error names the order and the field."""

    def __init__(self, where: str, replacements: Replacements, text_limit: int | None = None):
        self.where = where
        self.replacements = replacements
        self.text_limit = settings().text_limit if text_limit is None else text_limit  # validation.within_text_limit

    def at(self, path: str) -> str:
        return f"{self.where} {path}" if path else self.where

    def fail(self, path: str, message: str) -> NoReturn:
        raise InvalidInput(message, self.at(path))

    def obj(self, value, path: str, keys: tuple[str, ...], required: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(path, _("expected an object, got {kind}").format(kind=_kind(value)))
        for key in value:
            if key not in keys:
                name = textgate.one_line(key, 40)  # the where is printed: no controls, not too long
                self.fail(f"{path}.{name}" if path else name,
                          _("unknown key {key} (expected one of {keys})").format(key=brief(key), keys=", ".join(keys)))
        for key in required:
            if key not in value or value[key] is None:
                self.fail(f"{path}.{key}" if path else key, _("is missing"))
        return value

    def array(self, value, path: str) -> list:
        if not isinstance(value, list):
            self.fail(path, _("expected a list, got {kind}").format(kind=_kind(value)))
        return value

    def text(self, value, path: str, *, required: bool = False, limit: int | None = None) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(path, _("expected text, got {kind}").format(kind=_kind(value)))
        if "\x00" in value:
            self.fail(path, _("NUL character is not allowed"))
        if (len(value) * 4 <= self.text_limit and textgate.is_clean(value) and (limit is None or len(value) <= limit)
                and (not required or value.strip())):
            return value  # the usual text: nothing to replace, nothing to refuse (a 10,000-order file has 400,000)
        v.within_text_limit(value, self.at(path))
        cleaned, count = textgate.clean_counted(value)
        if count:
            self.replacements.add(self.at(path), count)
        return v.clean_text(cleaned, self.at(path), required=required, limit=limit)

    def choice(self, value, path: str, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str):
            self.fail(path, _("expected one of {allowed}, got {kind}").format(
                allowed=", ".join(allowed), kind=_kind(value)))
        return v.choice(value, allowed, self.at(path))

    def quantity(self, value, path: str) -> int:
        if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, _("{value} is not a whole number").format(value=brief(value)))
        return v.quantity(value, self.at(path))

    @overload
    def amount(self, value, path: str, *, allow_none: Literal[False] = False) -> Decimal: ...
    @overload
    def amount(self, value, path: str, *, allow_none: bool) -> Decimal | None: ...
    def amount(self, value, path: str, *, allow_none: bool = False) -> Decimal | None:
        if value is None and allow_none:
            return None
        if isinstance(value, float):
            self.fail(path, _("give money as a string like \"35.00\", not the number {value}").format(
                value=brief(value)))
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            self.fail(path, _("expected an amount like \"35.00\", got {kind}").format(kind=_kind(value)))
        if isinstance(value, str) and not _AMOUNT.fullmatch(value.strip()):
            self.fail(path, _("{value} is not an amount like \"35.00\"").format(value=brief(value)))
        return v.money(value, self.at(path), allow_none=allow_none)

    def date(self, value, path: str) -> dt.date:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            self.fail(path, _("{value} is not a date (YYYY-MM-DD)").format(value=brief(value)))
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            self.fail(path, _("no such date {value} ({exc})").format(value=brief(value), exc=exc))

    def time(self, value, path: str) -> dt.time | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _TIME.fullmatch(value):
            self.fail(path, _("{value} is not a time of day (HH:MM)").format(value=brief(value)))
        hours, minutes = int(value[:2]), int(value[3:])
        if hours > 23 or minutes > 59:
            self.fail(path, _("no such time {value}").format(value=brief(value)))
        return dt.time(hours, minutes)

    def moment(self, value, path: str, tz: dt.tzinfo) -> dt.datetime:
        if not isinstance(value, str):
            self.fail(path, _("expected an ISO time like 2026-11-26T10:00:00+08:00, got {kind}").format(
                kind=_kind(value)))
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(path, _("{value} is not an ISO time like 2026-11-26T10:00:00+08:00").format(value=brief(value)))
        if not clock.YEARS[0] <= moment.year <= clock.YEARS[1]:
            self.fail(path, _("{value} is out of range (years {first}-{last})").format(
                value=brief(value), first=clock.YEARS[0], last=clock.YEARS[1]))
        if moment.tzinfo is None:  # local business time
            moment = moment.replace(tzinfo=tz)
        return moment.astimezone(dt.UTC)


def brief(value) -> str:
    """A value for a one-line message: repr() escapes controls; long values are cut."""
    shown = repr(value)
    return shown if len(shown) <= 50 else shown[:49] + "…"


def _or(value, default):
    """null and absent mean the default; any other value is checked for its type (so {} is not a list)."""
    return default if value is None else value


def _kind(value) -> str:
    return {dict: _("an object"), list: _("a list"), str: _("text"), bool: _("true/false"), int: _("a number"),
            float: _("a number"), type(None): "null"}.get(type(value), type(value).__name__)


# --- import: parsing -----------------------------------------------------------------------------------


def parse_document(data, *, tz: dt.tzinfo, now: dt.datetime, replacements: Replacements,
                   labels: list[str] | None = None) -> list[OrderPlan]:
    """Check a decoded `notedesk/1` document; raises InvalidInput naming the order and field."""
    top = _Reader("document", replacements)
    if not isinstance(data, dict):
        raise InvalidInput(_("expected a notedesk/1 document (an object), got {kind}").format(kind=_kind(data)))
    for key in data:
        if key not in DOCUMENT_KEYS:
            raise InvalidInput(_("unknown key {key} (expected format, orders)").format(key=brief(key)), "document")
    if data.get("format") != FORMAT:
        raise InvalidInput(_("format must be {FORMAT!r}, got {value}").format(
            FORMAT=FORMAT, value=brief(data.get('format'))), "document")
    raw_orders = top.array(data.get("orders"), "orders")
    plans: list[OrderPlan] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(raw_orders):
        label = labels[i] if labels else f"orders[{i}]"
        plan = parse_order(raw, label, tz=tz, now=now, replacements=replacements)
        if plan.number in seen:
            raise InvalidInput(_("appears twice in the file ({first} and {label})").format(
                first=seen[plan.number], label=label), f"{plan.number} number")
        seen[plan.number] = label
        plans.append(plan)
    return plans


def parse_order(raw, label: str, *, tz: dt.tzinfo, now: dt.datetime, replacements: Replacements) -> OrderPlan:
    if not isinstance(raw, dict):
        raise InvalidInput(_("expected an order (an object), got {kind}").format(kind=_kind(raw)), label)
    number_raw = raw.get("number")
    if number_raw is None or (isinstance(number_raw, str) and not number_raw.strip()):
        raise InvalidInput(_("the order number is missing"), f"{label} number")
    r = _Reader(label, replacements)
    number = r.text(number_raw, "number", required=True, limit=64).strip()
    if any(ch in number for ch in "\n\t"):
        r.fail("number", _("an order number is one line"))
    r.where = number
    r.obj(raw, "", ORDER_KEYS + ORDER_OPTIONAL_KEYS, required=("customer",))
    given = {key for key in raw
             if key not in ("customer", "payment", "notes", "communications", "attachments", "follow_ups", "payments")}
    created = r.moment(raw["created_at"], "created_at", tz) if raw.get("created_at") is not None else now

    c = r.obj(raw["customer"], "customer", CUSTOMER_KEYS, required=("name",))
    given |= {f"customer.{k}" for k in c}
    customer = _customer(r, c)

    lines = []
    for n, item in enumerate(r.array(_or(raw.get("lines"), []), "lines")):
        path = f"lines[{n}]"
        item = r.obj(item, path, LINE_KEYS, required=("product", "quantity", "unit_price"))
        lines.append(LineData(product=r.text(item["product"], f"{path}.product"),
                              spec=r.text(item.get("spec"), f"{path}.spec"),
                              quantity=r.quantity(item["quantity"], f"{path}.quantity"),
                              unit_price=r.amount(item["unit_price"], f"{path}.unit_price")))

    deadline = _deadline(r, raw.get("deadline"), created, tz)
    payment, payment_given = _payment(r, raw.get("payment"))
    given |= payment_given

    notes = {}
    for kind, body in r.obj(_or(raw.get("notes"), {}), "notes", NOTE_KINDS).items():
        notes[kind] = r.text(body, f"notes.{kind}")
        given.add(f"notes.{kind}")

    received = None
    if raw.get("payments") is not None:
        received = tuple(_received(r, item, n, tz) for n, item in enumerate(r.array(raw["payments"], "payments")))
        total = Decimal("0.00")
        for record in sorted(received, key=lambda x: x.at or now):
            total += record.amount
            if total < 0:
                r.fail("payments", _("the refunds take back more than was received"))
    entries = r.array(_or(raw.get("communications"), []), "communications")
    communications = tuple(_communication(r, item, n, len(entries), tz) for n, item in enumerate(entries))
    files = r.array(_or(raw.get("attachments"), []), "attachments")
    limit = attachment_files.limits() if files else None
    attached = tuple(_attachment(r, item, n, limit) for n, item in enumerate(files))
    names = [a.name for a in attached]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:
        r.fail("attachments", _("two attachments are named {name}").format(name=brief(twice)))
    to_do = r.array(_or(raw.get("follow_ups"), []), "follow_ups")
    follow_ups = tuple(_follow_up(r, item, n, created, tz) for n, item in enumerate(to_do))
    data = OrderInput(
        customer=customer, number=number,
        status=r.choice(raw["status"], "status", STATUSES) if raw.get("status") is not None else "new",
        currency=r.text(raw["currency"], "currency") if raw.get("currency") is not None else "CNY",
        lines=tuple(lines), deadline=deadline, payment=payment, notes=notes, created_at=created, payments=received,
    )
    return OrderPlan(number=number, data=checked(data, number), given=frozenset(given),
                     communications=communications, attachments=attached, follow_ups=follow_ups)


def _customer(r: _Reader, c: dict) -> CustomerData:
    """The customer; `contact` left out is None (the customer's first contact, as before the key was
    there), `contacts`/`addresses` left out are empty (the customer's stay as they are)."""
    contacts = []
    for n, item in enumerate(r.array(_or(c.get("contacts"), []), "customer.contacts")):
        path = f"customer.contacts[{n}]"
        item = r.obj(item, path, CONTACT_KEYS, required=("name",))
        contacts.append(ContactData(r.text(item["name"], f"{path}.name"), r.text(item.get("phone"), f"{path}.phone"),
                                    r.text(item.get("role"), f"{path}.role")))
    addresses = []
    for n, item in enumerate(r.array(_or(c.get("addresses"), []), "customer.addresses")):
        path = f"customer.addresses[{n}]"
        item = r.obj(item, path, ADDRESS_KEYS, required=("text",))
        addresses.append(AddressData(r.text(item["text"], f"{path}.text"), r.text(item.get("label"), f"{path}.label")))
    return CustomerData(**{k: r.text(c.get(k), f"customer.{k}") for k in CUSTOMER_TEXT_KEYS},
                        contact=r.text(c["contact"], "customer.contact") if c.get("contact") is not None else None,
                        contacts=tuple(contacts), addresses=tuple(addresses))


def _deadline(r: _Reader, raw, created: dt.datetime, tz: dt.tzinfo) -> Deadline:
    if raw is None:
        return Deadline()
    d = r.obj(raw, "deadline", DEADLINE_KEYS)
    text = r.text(d.get("text"), "deadline.text")
    if "date" in d:  # given (even as null): it wins, and the window comes from the document
        date = r.date(d["date"], "deadline.date") if d["date"] is not None else None
        return Deadline(text, date, r.time(d.get("start"), "deadline.start"), r.time(d.get("end"), "deadline.end"))
    if d.get("start") is not None or d.get("end") is not None:
        r.fail("deadline.date", _("a time window needs a date"))
    try:
        parsed = deadlines.parse_deadline(text, reference=created.astimezone(tz))
    except deadlines.DeadlineError as exc:
        r.fail("deadline.text", str(exc))
    return Deadline(text, parsed.date, parsed.start, parsed.end)


def _payment(r: _Reader, raw) -> tuple[Payment, set[str]]:
    if raw is None:
        return Payment(), set()
    p = r.obj(raw, "payment", PAYMENT_KEYS)
    instalments = []
    for n, item in enumerate(r.array(_or(p.get("instalments"), []), "payment.instalments")):
        path = f"payment.instalments[{n}]"
        item = r.obj(item, path, INSTALMENT_KEYS, required=("due", "amount"))
        paid = item.get("paid", False)
        if not isinstance(paid, bool):
            r.fail(f"{path}.paid", _("expected true or false, got {kind}").format(kind=_kind(paid)))
        instalments.append(InstalmentData(due=r.date(item["due"], f"{path}.due"),
                                          amount=r.amount(item["amount"], f"{path}.amount"), paid=paid))
    payment = Payment(
        method=r.choice(p["method"], "payment.method", PAYMENT_METHODS) if p.get("method") is not None else "other",
        status=r.choice(p["status"], "payment.status", PAYMENT_STATUSES) if p.get("status") is not None else "unpaid",
        amount_due=r.amount(p.get("amount_due"), "payment.amount_due", allow_none=True),
        instalments=tuple(instalments),
    )
    return payment, {f"payment.{k}" for k in p}


def _received(r: _Reader, raw, n: int, tz: dt.tzinfo) -> PaymentRecord:
    """An entry of `payments`: money received (a negative amount: a refund)."""
    path = f"payments[{n}]"
    item = r.obj(raw, path, PAYMENT_RECORD_KEYS, required=("at", "amount"))
    amount = item["amount"]
    if isinstance(amount, float):
        r.fail(f"{path}.amount", _("give money as a string like \"35.00\", not the number {value}").format(
            value=brief(amount)))
    if isinstance(amount, bool) or not isinstance(amount, (int, str)) or not _SIGNED_AMOUNT.fullmatch(
            str(amount).strip()):
        r.fail(f"{path}.amount", _("{value} is not an amount like \"35.00\" (\"-35.00\" for a refund)").format(
            value=brief(amount)))
    clerk = r.text(item["clerk"], f"{path}.clerk", limit=64) if item.get("clerk") is not None else ""
    return PaymentRecord(
        amount=v.payment_amount(amount, r.at(f"{path}.amount")),
        via=r.choice(item["via"], f"{path}.via", PAYMENT_VIA) if item.get("via") is not None else "other",
        at=r.moment(item["at"], f"{path}.at", tz),
        note=r.text(item.get("note"), f"{path}.note", limit=2000),
        clerk=clerk,  # "" = the clerk who imports
    )


def _communication(r: _Reader, raw, n: int, count: int, tz: dt.tzinfo) -> CommunicationPlan:
    path = f"communications[{n}]"
    c = r.obj(raw, path, COMMUNICATION_KEYS, required=("at", "text"))
    corrects = c.get("corrects")
    # Usually an earlier entry; a later one is possible when the correction was back-dated.
    if corrects is not None and (isinstance(corrects, bool) or not isinstance(corrects, int)
                                 or not 0 <= corrects < count or corrects == n):
        r.fail(f"{path}.corrects", _("{value} is not the position of another entry of this order").format(
            value=brief(corrects)))
    clerk = r.text(c["clerk"], f"{path}.clerk", required=True, limit=64) if c.get("clerk") is not None else ""
    return CommunicationPlan(
        at=r.moment(c["at"], f"{path}.at", tz),
        channel=r.choice(c["channel"], f"{path}.channel", CHANNELS) if c.get("channel") is not None else "phone",
        contact=r.text(c.get("contact"), f"{path}.contact", limit=200),
        clerk=clerk,  # "" = the clerk who imports
        text=r.text(c["text"], f"{path}.text", required=True),
        corrects=corrects,
    )


def _follow_up(r: _Reader, raw, n: int, created: dt.datetime, tz: dt.tzinfo) -> FollowUpPlan:
    path = f"follow_ups[{n}]"
    f = r.obj(raw, path, FOLLOW_UP_KEYS, required=("text", "due"))
    clerk = r.text(f["clerk"], f"{path}.clerk", required=True, limit=64).strip() if f.get("clerk") is not None else ""
    if any(ch.isspace() for ch in clerk):
        r.fail(f"{path}.clerk", _("a clerk's name is one word (their login name)"))
    return FollowUpPlan(
        clerk=clerk,
        text=r.text(f["text"], f"{path}.text", required=True).strip(),
        when=r.text(f.get("when"), f"{path}.when").strip(),
        due=r.moment(f["due"], f"{path}.due", tz).replace(microsecond=0),
        state=r.choice(f["state"], f"{path}.state", FOLLOW_UP_STATES) if f.get("state") is not None else "open",
        created_at=r.moment(f["created_at"], f"{path}.created_at", tz) if f.get("created_at") is not None else created,
    )


def _attachment(r: _Reader, raw, n: int, limit) -> AttachmentPlan:
    """An entry of `attachments`: with "data" (base64) the content is decoded and checked like a file
    attached by hand (type read from it; size and sha256, when given, must agree with it)."""
    path = f"attachments[{n}]"
    a = r.obj(raw, path, ATTACHMENT_KEYS, required=("name",))
    where = r.at(path)
    if not isinstance(a["name"], str):
        r.fail(f"{path}.name", _("expected text, got {kind}").format(kind=_kind(a["name"])))
    name = attachment_files.clean_name(a["name"], f"{where}.name")
    replaced = textgate.clean_counted(a["name"])[1]
    if replaced:
        r.replacements.add(f"{where}.name", replaced)
    kind = a.get("kind") or ""
    if kind:
        kind = r.choice(kind, f"{path}.kind", NOTE_KINDS)
    sha256 = a.get("sha256")
    if sha256 is not None and (not isinstance(sha256, str) or not _SHA256.fullmatch(sha256)):
        r.fail(f"{path}.sha256", _("{value} is not a sha256 (64 hexadecimal digits)").format(value=brief(sha256)))
    size = a.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        r.fail(f"{path}.size", _("{value} is not a size in bytes").format(value=brief(size)))
    if a.get("type") is not None and not isinstance(a["type"], str):
        r.fail(f"{path}.type", _("expected text, got {kind}").format(kind=_kind(a["type"])))
    data = a.get("data")
    if data is None:
        if sha256 is None:
            r.fail(f"{path}.sha256", _("is missing (needed when there is no data)"))
        return AttachmentPlan(where, name, kind, sha256)
    if not isinstance(data, str):
        r.fail(f"{path}.data", _("expected base64 text, got {kind}").format(kind=_kind(data)))
    try:
        content = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        r.fail(f"{path}.data", _("is not base64"))
    facts = attachment_files.inspect_bytes(content, name, limit, f"{where}.data")
    if sha256 is not None and sha256 != facts.sha256:
        r.fail(f"{path}.sha256", _("does not match the data (the file is damaged or was edited)"))
    if size is not None and size != facts.size:
        r.fail(f"{path}.size", _("is {size} but the data has {actual} bytes").format(size=size, actual=facts.size))
    return AttachmentPlan(where, name, kind, facts.sha256, facts)
