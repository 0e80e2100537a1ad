"""CSV exchange: one order per row with the README's columns, read into a `notedesk/1` document and written back.

CSV carries less than JSON (no lines, windows only through the deadline text, no log), so reading it
gives a document whose empty cells are "not given": defaults for a new order, left as stored on
--update. The deadline cell is deadline text, parsed relative to the time of the import.

Spreadsheets run formulas: a written cell that starts with = + - @ (or a tab / carriage return) gets a
leading apostrophe, the usual guard, and reading takes exactly that apostrophe off again, so a
notedesk CSV round-trips and a note like "=HYPERLINK(...)" stays text in Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TextIO

from notedesk.domain import NOTE_KINDS
from notedesk.i18n import _
from notedesk.services.errors import InvalidInput
from notedesk.services.exchange_json import FORMAT
from notedesk.services.types import Deadline, OrderDetail
from notedesk.text import clean

COLUMNS = ("number", "customer", "phone", "status", "deadline", "payment_method", *NOTE_KINDS)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_FIELD_LIMIT = 16 * 1024 * 1024  # csv's default 128 KiB is smaller than a long note


def _guard(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA) else value


def _unguard(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA) else value


def deadline_text(d: Deadline) -> str:
    """The deadline cell: the clerk's text, or a form the parser reads back when there is only a date."""
    if d.text.strip() or d.date is None:
        return d.text
    if d.start and d.end:
        return f"{d.date.isoformat()} {d.start:%H:%M}-{d.end:%H:%M}"
    return f"{d.date.isoformat()} {d.end:%H:%M}" if d.end else d.date.isoformat()


def write_csv(details: Iterable[OrderDetail], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for d in details:
        notes = [d.notes[k].body if k in d.notes else "" for k in NOTE_KINDS]
        # clean(): what the desk stores is clean already; text another tool wrote into the database
        # must not reach a terminal as escape sequences when the CSV goes to stdout
        # (docs/ARCHITECTURE.md, "Text is data")
        writer.writerow([_guard(clean(cell)) for cell in (d.number, d.customer.name, d.customer.phone, d.status,
                                                          deadline_text(d.deadline), d.payment.method, *notes)])
        count += 1
    return count


def read_csv(text: str, name: str) -> tuple[dict, list[str]]:
    """A `notedesk/1` document and a label per order ('line 3'). Raises InvalidInput naming the file."""
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    orders, labels = [], []
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidInput(_("the file is empty: expected a header row ({COLUMNS})").format(
                COLUMNS=', '.join(COLUMNS)), name)
        names = [cell.strip().lower() for cell in header]
        for column in names:
            if column not in COLUMNS:
                raise InvalidInput(_("unknown column {column!r} in the header (expected {COLUMNS})").format(
                    column=column, COLUMNS=', '.join(COLUMNS)), name)
            if names.count(column) > 1:
                raise InvalidInput(_("column {column!r} appears twice in the header").format(column=column), name)
        for column in COLUMNS:
            if column not in names:
                raise InvalidInput(_("missing column {column!r} in the header").format(column=column), name)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            label = f"line {reader.line_num}"
            if len(row) != len(names):
                raise InvalidInput(_("{label} has {n_row} fields, the header has {n_names}").format(
                    label=label, n_row=len(row), n_names=len(names)), name)
            orders.append(_order({k: _unguard(cell) for k, cell in zip(names, row)}))
            labels.append(label)
    except csv.Error as exc:
        raise InvalidInput(_("malformed CSV at line {line_num}: {exc}").format(
            line_num=reader.line_num, exc=exc), name) from None
    return {"format": FORMAT, "orders": orders}, labels


def _order(cells: dict[str, str]) -> dict:
    order: dict = {"number": cells["number"].strip() or None, "customer": {"name": cells["customer"].strip()}}
    if cells["phone"].strip():
        order["customer"]["phone"] = cells["phone"].strip()
    if cells["status"].strip():
        order["status"] = cells["status"].strip()
    if cells["deadline"].strip():
        order["deadline"] = {"text": cells["deadline"].strip()}
    if cells["payment_method"].strip():
        order["payment"] = {"method": cells["payment_method"].strip()}
    notes = {kind: cells[kind] for kind in NOTE_KINDS if cells[kind].strip()}
    if notes:
        order["notes"] = notes
    return order


# --- the spreadsheet export (issue 16): one row per order line, for Excel/WPS/LibreOffice ---------------
# Export only: `import` reads the exchange columns above. Amounts are plain numbers (28000.00, no
# separators) so a spreadsheet sums them; dates ISO; the deadline parsed (date, window) beside the words.
SPREADSHEET_COLUMNS = ("number", "customer", "company", "phone", "address", "status", "due_date", "window_start",
                       "window_end", "deadline_text", "payment_method", "currency", "amount_due", "received",
                       "balance", "line", "product", "spec", "quantity", "unit_price", "line_amount")


def write_spreadsheet(details: Iterable[OrderDetail], out: TextIO) -> int:
    """UTF-8 with a byte-order mark (Excel then reads Chinese right); text cells guarded against formulas,
    the numbers notedesk writes itself left as numbers (a negative balance stays -50.00)."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SPREADSHEET_COLUMNS)
    count = 0
    for d in details:
        c, dl = d.customer, d.deadline
        order = [_guard(clean(v)) for v in (d.number, c.name, c.company, c.contact_phone, c.address or "", d.status)]
        order += [dl.date.isoformat() if dl.date else "", f"{dl.start:%H:%M}" if dl.start else "",
                  f"{dl.end:%H:%M}" if dl.end else "", _guard(clean(dl.text)), _guard(clean(d.payment.method)),
                  _guard(clean(d.currency)), f"{d.due_amount:.2f}", f"{d.received:.2f}", f"{d.balance:.2f}"]
        lines = [[str(n), _guard(clean(x.product)), _guard(clean(x.spec)), str(x.quantity), f"{x.unit_price:.2f}",
                  f"{x.amount:.2f}"] for n, x in enumerate(d.lines, 1)]
        for line in lines or [[""] * 6]:
            writer.writerow(order + line)
        count += 1
    return count
