"""`notedesk import FILE [--dry-run] [--update]`: a .json (notedesk/1) or .csv file, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from notedesk import labels
from notedesk.cli.session import open_db
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import exchange, exchange_csv


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common],
                       help=_("import orders from a .json (notedesk/1) or .csv file; all or nothing"))
    p.add_argument("file", metavar="FILE", help=_("a .json or .csv file, or - to read JSON from stdin"))
    p.add_argument("--dry-run", action="store_true", help=_("check everything and report, change nothing"))
    p.add_argument("--update", action="store_true",
                   help=_("replace orders that exist already (new note revisions, new log entries appended)"))
    p.set_defaults(run=run)


def read_input(name: str) -> tuple[str, str]:
    """(text, 'json' or 'csv') from a file or stdin; every failure a one-line NotedeskError."""
    if name == "-":
        return exchange.decode(sys.stdin.buffer.read(), "stdin"), "json"
    path = Path(name)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("json", "csv"):
        raise NotedeskError(_("{name}: cannot tell the format; use a .json or .csv file").format(name=name))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotedeskError(_("{name}: no such file").format(name=name)) from None
    except IsADirectoryError:
        raise NotedeskError(_("{name}: is a folder, not a file").format(name=name)) from None
    except OSError as exc:
        raise NotedeskError(labels.labelled(name, labels.os_problem(exc))) from None
    return exchange.decode(raw, name), kind


def summary(report: exchange.ImportReport, name: str) -> str:
    counts = dict(orders=report.orders, new=len(report.created), updated=len(report.updated),
                  unchanged=len(report.unchanged), comms=report.communications, name=name)
    if report.dry_run:
        line = _("dry run: {name} would import {orders} orders ({new} new, {updated} updated, {unchanged} unchanged) "
                 "and {comms} log entries; nothing was changed")
    else:
        line = _("imported {orders} orders from {name} ({new} new, {updated} updated, {unchanged} unchanged) "
                 "and {comms} log entries")
    if report.attachments:
        line += _("; {count} attachments").format(count=report.attachments)
    if report.replaced:
        line += _("; {count} control characters replaced").format(count=report.replaced)
    return line.format(**counts)


def run(args) -> int:
    text, kind = read_input(args.file)
    name = "stdin" if args.file == "-" else args.file
    with exchange.gc_paused():  # the whole import, not each step: no full collection in between
        # Parse before the database is opened: a malformed file touches nothing.
        if kind == "json":
            document, labels = exchange.parse_json(text, name), None
        else:
            document, labels = exchange_csv.read_csv(text, name)
        open_db(args)
        report = exchange.import_document(document, update=args.update, dry_run=args.dry_run, labels=labels)
    print(summary(report, name))
    for where in report.missing_files:
        print("  " + _("{where}: not imported: its content is neither in the file nor in this database "
                       "(export with --with-files)").format(where=where))
    for item in report.replacements:
        print("  " + _("{where}: {count} characters replaced").format(where=item.where, count=item.count))
    return 0
