"""Import and export of orders: the `notedesk/1` JSON document, CSV, and the printable Markdown order sheet.

Export reads in one snapshot (exchange_read: on SQLite a deferred read transaction, so clerks keep
writing), a chunk of orders per round of queries. Import checks the whole file first
(exchange_json / exchange_csv, no database), then writes it in one transaction through the same
services a clerk uses (orders.insert / replace_fields, notes.write, communications.append): any
invalid order means nothing is imported. A dry run does the same work and rolls it back.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TextIO

from notedesk import clock
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import (
    attachment_files,
    attachments,
    communications,
    exchange_check,
    exchange_csv,
    exchange_json,
    notes,
    order_sheet,
    orders,
    views,
)
from notedesk.services.errors import InvalidInput
from notedesk.services.exchange_check import OrderPlan, Replacements
from notedesk.services.exchange_read import iter_details, snapshot
from notedesk.services.transaction import operation
from notedesk.services.types import CustomerData, OrderInput, Payment
from notedesk.store import models as m

FORMATS = ("json", "csv", "md")


# --- export ----------------------------------------------------------------------------------------


def export_orders(numbers: Iterable[str] | None = None, *, with_files: bool = False) -> dict:
    """The whole `notedesk/1` document as a dict (`with_files`: attachments' content as base64 in it).
    Raises NotFound for an unknown number."""
    tz = exchange_json.LocalClock(clock.business_tz())
    with snapshot():
        orders_ = [exchange_json.order_document(d, tz) for d in iter_details(numbers)]
        for attachment in (a for order in orders_ if with_files for a in order.get("attachments", ())):
            data = io.StringIO()
            _base64(attachment["sha256"], data)
            attachment["data"] = data.getvalue()
    return {"format": exchange_json.FORMAT, "orders": orders_}


def _base64(sha256: str, out: TextIO) -> None:
    """An attachment's content as base64, streamed chunk by chunk (inside the export's snapshot)."""
    carry = b""

    def piece(data: bytes) -> None:
        nonlocal carry
        data = carry + data
        whole = len(data) - len(data) % 3  # base64 of whole 3-byte groups joins up seamlessly
        out.write(base64.b64encode(data[:whole]).decode("ascii"))
        carry = data[whole:]

    attachments.write_content(sha256, piece)
    out.write(base64.b64encode(carry).decode("ascii"))


def export(out: TextIO, fmt: str = "json", numbers: Iterable[str] | None = None, *,
           with_files: bool = False) -> int:
    """Write orders to `out` as json, csv or md (streamed); returns how many. `with_files`: json carries
    each attachment's content (base64), streamed. Raises NotFound, InvalidInput."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r} (use json, csv or md)", "format")
    if with_files and fmt != "json":
        raise InvalidInput(_("only the json format carries the attachments' files"), "format")
    tz = clock.business_tz()
    with snapshot():
        details = iter_details(numbers)
        if fmt == "json":
            local = exchange_json.LocalClock(tz)
            return exchange_json.write_document(
                (exchange_json.order_document(d, local, files=with_files) for d in details), out,
                content=_base64 if with_files else None)
        if fmt == "csv":
            return exchange_csv.write_csv(details, out)
        return order_sheet.write_sheets(details, out, tz=tz)


# --- import ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    where: str  # 'SO-2026-00042 notes.special'
    count: int  # characters clean() replaced there


@dataclass(frozen=True)
class ImportReport:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    communications: int = 0  # entries appended
    attachments: int = 0  # attached (or filed anew)
    # attachments given without their content ("data") that this database does not hold: not imported
    missing_files: tuple[str, ...] = ()
    replacements: tuple[Replacement, ...] = ()
    dry_run: bool = False

    @property
    def orders(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    @property
    def replaced(self) -> int:
        return sum(r.count for r in self.replacements)


class _RolledBack(Exception):
    """Carries a dry run's report out of the transaction it rolled back."""

    def __init__(self, report: ImportReport):
        self.report = report


def import_document(data, *, update: bool = False, dry_run: bool = False, clerk: str | None = None,
                    labels: list[str] | None = None) -> ImportReport:
    """Import a decoded `notedesk/1` document, all or nothing. Raises InvalidInput naming order and field
    (a number that exists already is one, unless `update`). `dry_run` checks everything and changes nothing.
    `labels` name the orders that have no number yet in errors (CSV: 'line 3'; default 'orders[2]')."""
    replacements = Replacements()
    plans = exchange_check.parse_document(data, tz=clock.business_tz(), now=clock.now(),
                                         replacements=replacements, labels=labels)
    found = tuple(Replacement(where, count) for where, count in replacements.counts.items())
    try:
        report = _apply(plans, update=update, dry_run=dry_run, clerk=clerk or current_clerk())
    except _RolledBack as done:
        report = done.report
    return replace(report, replacements=found)


def import_json_text(text: str, *, name: str = "-", **options) -> ImportReport:
    """Import JSON text; malformed JSON names the line and column."""
    return import_document(parse_json(text, name), **options)


def import_csv_text(text: str, *, name: str = "-", **options) -> ImportReport:
    """Import CSV text (one order per row, the README's columns)."""
    document, labels = exchange_csv.read_csv(text, name)
    return import_document(document, labels=labels, **options)


def parse_json(text: str, name: str = "-"):
    """Decoded JSON; malformed JSON (or a key twice in one object) is InvalidInput naming `name`."""

    def unique_keys(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise InvalidInput(f"malformed JSON: key {exchange_check.brief(key)} appears twice in one object",
                                   name)
            result[key] = value
        return result

    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", name) from None
    except RecursionError:
        raise InvalidInput("malformed JSON: nested too deeply", name) from None


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text, with or without a BOM; anything else is a one-line error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", name) from None


@operation
def _apply(plans: list[OrderPlan], *, update: bool, dry_run: bool, clerk: str) -> ImportReport:
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    added = 0
    files = 0
    missing: list[str] = []
    existing = _existing([plan.number for plan in plans])
    for plan in plans:
        row = existing.get(plan.number)
        if row is None:
            row = orders.insert(_with_customer(plan.data, plan.given), clerk)
            outcome = created
        elif not update:
            raise InvalidInput("the order exists already (import with --update to replace it)",
                               f"{plan.number} number")
        else:
            outcome = updated if _update(row, plan, clerk) else unchanged
        count = _append_communications(row, plan, clerk, new=outcome is created)
        added += count
        attached = _attach(row, plan, clerk, missing)
        files += attached
        if (count or attached) and outcome is unchanged:
            outcome = updated
        outcome.append(plan.number)
    report = ImportReport(tuple(created), tuple(updated), tuple(unchanged), added, files, tuple(missing),
                          dry_run=dry_run)
    if dry_run:
        raise _RolledBack(report)  # @operation rolls the transaction back
    return report


def _existing(numbers: list[str]) -> dict[str, m.Order]:
    """The orders of the file that exist already, a few queries for the whole file."""
    found: dict[str, m.Order] = {}
    for start in range(0, len(numbers), 500):
        found.update((o.number, o) for o in m.Order.select().where(m.Order.number.in_(numbers[start:start + 500])))
    return found


def _with_customer(data: OrderInput, given: frozenset[str], base: CustomerData | None = None) -> OrderInput:
    """Customer fields the file leaves out keep what is stored for that customer (name and phone)."""
    missing = [k for k in vars(data.customer) if f"customer.{k}" not in given]
    if not missing:
        return data
    if base is None:
        c = m.Customer
        row = c.get_or_none((c.name == data.customer.name) & (c.phone == data.customer.phone))
        base = views.customer(row) if row is not None else None
    if base is None:
        return data
    return replace(data, customer=replace(data.customer, **{k: getattr(base, k) for k in missing}))


def _merged(current: OrderInput, plan: OrderPlan) -> OrderInput:
    """What the order becomes: the fields the file gives replace the stored ones, the rest stay."""
    data, given = plan.data, plan.given
    merged = _with_customer(data, given, base=current.customer)
    p = current.payment
    payment = Payment(
        method=data.payment.method if "payment.method" in given else p.method,
        status=data.payment.status if "payment.status" in given else p.status,
        amount_due=data.payment.amount_due if "payment.amount_due" in given else p.amount_due,
        instalments=data.payment.instalments if "payment.instalments" in given else p.instalments,
    )
    return replace(
        current, customer=merged.customer, payment=payment,
        status=data.status if "status" in given else current.status,
        currency=data.currency if "currency" in given else current.currency,
        lines=data.lines if "lines" in given else current.lines,
        deadline=data.deadline if "deadline" in given else current.deadline,
    )


def _update(row: m.Order, plan: OrderPlan, clerk: str) -> bool:
    """Replace what the file gives; notes get a new revision only where they changed. True if anything did."""
    current = orders.as_input(orders.load(row))
    merged = orders.checked(_merged(current, plan), plan.number)
    changed = merged != current
    if changed:
        orders.replace_fields(row, merged, clerk, None)
    for kind, body in plan.data.notes.items():
        note = m.Note.get_or_none((m.Note.order == row.id) & (m.Note.kind == kind))
        if note is None:
            at = clock.now()
            note = m.Note.create(order=row.id, kind=kind, body="", version=0, created_at=at, updated_at=at,
                                 changed_by=clerk)
        if note.body != body:
            notes.write(note, body, note.version, clerk)
            changed = True
    return changed


def _attach(row: m.Order, plan: OrderPlan, clerk: str, missing: list[str]) -> int:
    """The file's attachments on the order (same name, other content: replaced); an entry without its
    content is linked to the same content (sha256) when this database has it, else left out and named
    in `missing`. Returns how many changed."""
    changed = 0
    for item in plan.attachments:
        facts = item.facts
        if facts is None:
            stored = (m.AttachmentContent.select(m.AttachmentContent.size, m.AttachmentContent.type)
                      .where(m.AttachmentContent.sha256 == item.sha256).tuples().first())
            if stored is None:
                missing.append(f"{item.where} {item.name}")
                continue
            facts = attachment_files.FileFacts(item.name, stored[0], item.sha256, stored[1], open=None)
        changed += attachments.add(row, facts, item.kind, clerk, replace=True)[1]
    return changed


def _append_communications(row: m.Order, plan: OrderPlan, clerk: str, new: bool) -> int:
    """Append the entries not already on the order (same time, text and clerk); returns how many."""
    if not plan.communications:
        return 0
    stored = {} if new else {(c.at, c.text, c.clerk): c.id
                             for c in m.Communication.select().where(m.Communication.order == row.id)}
    ids: list[int | None] = []
    later: list[tuple[int, int]] = []  # (entry id, position it corrects) for back-dated corrections
    added = 0
    for n, c in enumerate(plan.communications):
        key = (c.at, c.text, c.clerk or clerk)
        if key in stored:
            ids.append(stored[key])
            continue
        corrects = ids[c.corrects] if c.corrects is not None and c.corrects < n else None
        entry = communications.append(row, text=c.text, channel=c.channel, contact=c.contact, clerk=c.clerk or clerk,
                                      at=c.at, corrects=corrects, recorded_by=clerk)
        stored[key] = entry.id
        ids.append(entry.id)
        if c.corrects is not None and c.corrects > n:
            later.append((entry.id, c.corrects))
        added += 1
    for entry_id, position in later:
        m.Communication.update(corrects=ids[position]).where(m.Communication.id == entry_id).execute()
    return added
