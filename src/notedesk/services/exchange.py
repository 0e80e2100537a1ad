"""Import and export of orders: the `notedesk/1` JSON document, CSV, and the printable Markdown order sheet.

Export reads in one snapshot (a read-only transaction: clerks keep writing meanwhile), a chunk of
orders per round of queries. Import checks the whole file first (exchange_check / exchange_csv, no
database), then writes it in one short transaction (exchange_import): any invalid order means nothing
is imported. A dry run reads what exists and reports, without the write lock.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from notedesk import clock
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import (
    attachments,
    exchange_check,
    exchange_csv,
    exchange_import,
    exchange_json,
    order_sheet,
)
from notedesk.services.errors import InvalidInput
from notedesk.services.exchange_check import Replacements
from notedesk.services.exchange_read import iter_details
from notedesk.services.transaction import transaction

FORMATS = ("json", "csv", "md", "spreadsheet")  # spreadsheet: CSV, one row per order line (export only)


# --- export ----------------------------------------------------------------------------------------


def export_orders(numbers: Iterable[str] | None = None, *, with_files: bool = False) -> dict:
    """The whole `notedesk/1` document as a dict (`with_files`: attachments' content as base64 in it).
    Raises NotFound for an unknown number."""
    tz = exchange_json.LocalClock(clock.business_tz())
    with transaction(read_only=True):
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
        raise InvalidInput(_("unknown export format {fmt!r} (use json, csv or md)").format(fmt=fmt), "format")
    if with_files and fmt != "json":
        raise InvalidInput(_("only the json format carries the attachments' files"), "format")
    tz = clock.business_tz()
    with transaction(read_only=True):
        details = iter_details(numbers)
        if fmt == "json":
            local = exchange_json.LocalClock(tz)
            return exchange_json.write_document(
                (exchange_json.order_document(d, local, files=with_files) for d in details), out,
                content=_base64 if with_files else None)
        if fmt == "csv":
            return exchange_csv.write_csv(details, out)
        if fmt == "spreadsheet":
            return exchange_csv.write_spreadsheet(details, out)
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


@contextlib.contextmanager
def gc_paused():
    """Python's cycle collector off while an import decodes, checks and makes its rows: they are trees
    (dicts, lists, tuples, dataclasses) that reference counting frees, and every collection of the
    oldest generation walks all of them again as they grow (measured: ~0.3 s of the ~6.5 s of CPU a
    10,000-order import takes; a third of making its rows). On again afterwards (if it was on)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def import_document(data, *, update: bool = False, dry_run: bool = False, clerk: str | None = None,
                    labels: list[str] | None = None) -> ImportReport:
    """Import a decoded `notedesk/1` document, all or nothing. Raises InvalidInput naming order and field
    (a number that exists already is one, unless `update`). `dry_run` checks everything and changes
    nothing (it takes no write lock). `labels` name the orders that have no number yet in errors (CSV:
    'line 3'; default 'orders[2]'). The file is checked before the database is touched, and the write
    lock is held only while the rows are written (exchange_import)."""
    replacements = Replacements()
    with gc_paused():
        plans = exchange_check.parse_document(data, tz=clock.business_tz(), now=clock.now(),
                                             replacements=replacements, labels=labels)
        found = tuple(Replacement(where, count) for where, count in replacements.counts.items())
        clerk = clerk or current_clerk()
        step = exchange_import.plan if dry_run else exchange_import.write
        outcome = step(plans, update=update, clerk=clerk)
    return ImportReport(outcome.created, outcome.updated, outcome.unchanged, outcome.communications,
                        outcome.attachments, outcome.missing_files, replacements=found, dry_run=dry_run)


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
                raise InvalidInput(_("malformed JSON: key {key} appears twice in one object").format(
                    key=exchange_check.brief(key)),
                                   name)
            result[key] = value
        return result

    try:
        with gc_paused():
            return json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise InvalidInput(_("malformed JSON at line {lineno} column {colno}: {msg}").format(
            lineno=exc.lineno, colno=exc.colno, msg=exc.msg), name) from None
    except RecursionError:
        raise InvalidInput(_("malformed JSON: nested too deeply"), name) from None
    except ValueError as exc:  # a number of thousands of digits (Python's int limit)
        raise InvalidInput(_("malformed JSON: {problem}").format(problem=str(exc).split(';')[0]), name) from None


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text, with or without a BOM; anything else is a one-line error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("not UTF-8 text (byte 0x{byte:02x} at offset {start})").format(
            byte=raw[exc.start], start=exc.start), name) from None
