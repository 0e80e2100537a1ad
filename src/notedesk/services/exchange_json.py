"""The `notedesk/1` exchange document (README, "Exchange format"), written: orders to JSON exactly as the design shows.

Pure: no database. `order_document()` turns an OrderDetail into the key order the README shows (money
as text with two decimals, times in the business zone, communications oldest first); `write_document()`
streams orders as the bytes `json.dumps(doc, ensure_ascii=False, indent=2)` gives, so an export of
100,000 orders never sits in memory. Reading a document back is exchange_check's.

A communication that corrects another carries `"corrects": N`, the 0-based position of the corrected
entry in the same order's `communications` list (ids differ between databases, positions do not);
the key is written only when set, so most documents look exactly like the README's.

`follow_ups` (issue 18), only when the order has some: each with its clerk, text, the clerk's words
for when (`when`), the moment it falls due (`due`), its state and when it was made; pending first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from json.encoder import encode_basestring as _string  # the C function json.dumps uses
from typing import TextIO

from notedesk.domain import NOTE_KINDS
from notedesk.services.types import OrderDetail
from notedesk.text import json_escaped

FORMAT = "notedesk/1"
DOCUMENT_KEYS = ("format", "orders")
ORDER_KEYS = ("number", "created_at", "status", "currency", "customer", "lines", "deadline", "payment",
              "notes", "communications")
ORDER_OPTIONAL_KEYS = ("payments", "attachments", "follow_ups")  # written only when the order has some
CUSTOMER_TEXT_KEYS = ("name", "company", "phone", "email", "address", "preferences")
# `address` and `contact` are the order's picks (the delivery address's text, the contact's name) among
# the customer's `addresses` and `contacts` (issue 15; left out of older files)
CUSTOMER_KEYS = (*CUSTOMER_TEXT_KEYS, "contact", "contacts", "addresses")
CONTACT_KEYS = ("name", "phone", "role")
ADDRESS_KEYS = ("label", "text")
LINE_KEYS = ("product", "spec", "quantity", "unit_price")
DEADLINE_KEYS = ("text", "date", "start", "end")
PAYMENT_KEYS = ("method", "status", "amount_due", "instalments")
INSTALMENT_KEYS = ("due", "amount", "paid")
# A payment received (a negative amount: a refund). Without "payments" an order's payment status and
# instalments' "paid" are read as they were before payments were kept (services.settlement.from_old_fields);
# with it they follow from the payments, and the status and flags in the file are not read.
PAYMENT_RECORD_KEYS = ("at", "amount", "via", "note", "clerk")
COMMUNICATION_KEYS = ("at", "channel", "contact", "clerk", "text", "corrects")
ATTACHMENT_KEYS = ("name", "kind", "type", "size", "sha256", "data")
FOLLOW_UP_KEYS = ("clerk", "text", "when", "due", "state", "created_at")
# Where a --with-files export streams an attachment's base64: the string "\0<sha256>\0" as JSON
# writes it. Stored text can hold no NUL (every text is refused with one), so no text looks like it.
_DATA = re.compile(r'"\\u0000([0-9a-f]{64})\\u0000"')


# --- export -------------------------------------------------------------------------------------------


class LocalClock:
    """Aware times as ISO 8601 in the business zone: '2026-11-26T10:00:00+08:00'.

    dateutil zones compute every conversion in Python (~30 us); the offset is looked up once per
    15 minutes of UTC instead and kept when it is the same at both ends of those 15 minutes (zone
    transitions fall on quarter hours), which gives the same text ~10x faster for a big export.
    """

    _QUARTER = 900

    def __init__(self, tz: dt.tzinfo):
        self.tz = tz
        self._zones: dict[int, dt.tzinfo | None] = {}

    def iso(self, moment: dt.datetime) -> str:
        key = int(moment.timestamp()) // self._QUARTER
        try:
            zone = self._zones[key]
        except KeyError:
            start = dt.datetime.fromtimestamp(key * self._QUARTER, dt.UTC)
            first = start.astimezone(self.tz).utcoffset()
            last = (start + dt.timedelta(seconds=self._QUARTER, microseconds=-1)).astimezone(self.tz).utcoffset()
            zone = self._zones[key] = dt.timezone(first) if first is not None and first == last else None
        return moment.astimezone(zone or self.tz).isoformat()


def iso_time(moment: dt.datetime, tz: dt.tzinfo | LocalClock) -> str:
    """An aware time as ISO 8601 in the business zone: '2026-11-26T10:00:00+08:00'."""
    return tz.iso(moment) if isinstance(tz, LocalClock) else moment.astimezone(tz).isoformat()


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def hhmm(value: dt.time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def data_placeholder(sha256: str) -> str:
    """What an attachment's "data" holds until write_document streams the content in its place."""
    return f"\x00{sha256}\x00"


def order_document(d: OrderDetail, tz: dt.tzinfo | LocalClock, files: bool = False) -> dict:
    """One order of the exchange document, keys in the README's order; communications oldest first.
    `attachments` only when the order has some (so most documents look exactly like the README's), by
    name; with `files` each carries "data": a placeholder write_document fills with the base64."""
    tz = tz if isinstance(tz, LocalClock) else LocalClock(tz)
    oldest_first = sorted(d.communications, key=lambda c: (c.at, c.id))
    position = {c.id: i for i, c in enumerate(oldest_first)}
    communications = []
    for e in oldest_first:
        entry: dict[str, object] = {"at": iso_time(e.at, tz), "channel": e.channel, "contact": e.contact,
                                    "clerk": e.clerk, "text": e.text}
        if e.corrects is not None and e.corrects in position:
            entry["corrects"] = position[e.corrects]
        communications.append(entry)
    c, dl, p = d.customer, d.deadline, d.payment
    document = {
        "number": d.number,
        "created_at": iso_time(d.created_at, tz),
        "status": d.status,
        "currency": d.currency,
        "customer": {"name": c.name, "company": c.company, "phone": c.phone, "email": c.email,
                     "address": c.address, "preferences": c.preferences, "contact": c.contact or "",
                     "contacts": [{"name": k.name, "phone": k.phone, "role": k.role} for k in c.contacts],
                     "addresses": [{"label": a.label, "text": a.text} for a in c.addresses]},
        "lines": [{"product": x.product, "spec": x.spec, "quantity": x.quantity, "unit_price": money(x.unit_price)}
                  for x in d.lines],
        "deadline": {"text": dl.text, "date": dl.date.isoformat() if dl.date else None,
                     "start": hhmm(dl.start), "end": hhmm(dl.end)},
        "payment": {"method": p.method, "status": p.status, "amount_due": money(p.amount_due),
                    "instalments": [{"due": i.due.isoformat(), "amount": money(i.amount), "paid": i.paid}
                                    for i in p.instalments]},
        "notes": {kind: (d.notes[kind].body if kind in d.notes else "") for kind in NOTE_KINDS},
        "communications": communications,
    }
    if d.payments:
        document["payments"] = [{"at": iso_time(x.at, tz), "amount": money(x.amount), "via": x.via, "note": x.note,
                                 "clerk": x.clerk} for x in d.payments if x.at is not None]
    if d.attachments:
        document["attachments"] = [
            {"name": a.name, "kind": a.kind, "type": a.type, "size": a.size, "sha256": a.sha256,
             **({"data": data_placeholder(a.sha256)} if files else {})}
            for a in d.attachments]
    if d.follow_ups:
        document["follow_ups"] = [
            {"clerk": f.clerk, "text": f.text, "when": f.due_text, "due": iso_time(f.due_at, tz), "state": f.state,
             "created_at": iso_time(f.created_at, tz)}
            for f in d.follow_ups]
    return document


def dumps(document: dict) -> str:
    return json_escaped(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def encode(value, indent: str = "") -> str:
    """What json.dumps(value, ensure_ascii=False, indent=2) gives, for the types a document holds.

    json.dumps only uses its C encoder without `indent`, and its pure-Python path is a fifth of the
    time of a big export; this writes the same bytes ~25% faster (strings still go through the C
    encode_basestring). A hypothesis test compares the two.
    """
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        return ("{\n" + ",\n".join(f"{inner}{_string(k)}: {encode(v, inner)}" for k, v in value.items())
                + "\n" + indent + "}")
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + encode(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)  # anything else (floats are never exported)


def write_document(orders: Iterable[dict], out: TextIO, content: Callable[[str, TextIO], None] | None = None) -> int:
    """Stream {"format", "orders"} to `out`, byte for byte what dumps() gives (with DEL, C1 and bidi
    controls escaped, text.json_escaped); returns the order count.
    `content(sha256, out)` writes an attachment's base64 where order_document(files=True) put its
    placeholder, so no file's content is ever held whole."""
    out.write('{\n  "format": ' + _string(FORMAT) + ',\n  "orders": [')
    count = 0
    for order in orders:
        text = ("\n    " if count == 0 else ",\n    ") + json_escaped(encode(order, "    "))
        if content is None or "attachments" not in order:
            out.write(text)
        else:
            _write_with_content(text, out, content)
        count += 1
    out.write("]\n}\n" if count == 0 else "\n  ]\n}\n")
    return count


def _write_with_content(text: str, out: TextIO, content: Callable[[str, TextIO], None]) -> None:
    start = 0
    for found in _DATA.finditer(text):
        out.write(text[start:found.start()] + '"')
        content(found.group(1), out)
        out.write('"')
        start = found.end()
    out.write(text[start:])
