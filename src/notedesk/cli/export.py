"""`notedesk export [--format json|csv|md] [--order NUMBER] [-o FILE]`: stdout without -o."""

from __future__ import annotations

from notedesk import config, i18n, safe_output
from notedesk.cli.session import open_db
from notedesk.i18n import _
from notedesk.services import exchange


def register(sub, common) -> None:
    p = sub.add_parser("export", parents=[common],
                       help=_("export orders: json (notedesk/1), csv, md (the printable order sheet), or spreadsheet "
                              "(CSV for Excel: one row per order line, with amounts, due date and address)"))
    p.add_argument("--format", choices=exchange.FORMATS, default="json")
    p.add_argument("--order", action="append", dest="numbers", metavar="NUMBER",
                   help=_("only this order (repeat for several)"))
    p.add_argument("--with-files", action="store_true",
                   help=_("json: carry each attachment's content too (base64), so one file moves whole orders"))
    p.add_argument("-o", "--output", metavar="FILE",
                   help=_("write to FILE (replaced atomically, never readable by others; a pipe or device is "
                          "written as a stream) instead of stdout"))
    p.set_defaults(run=run)


def run(args) -> int:
    if args.format == "md":  # the sheet is read by people: labels in their language
        i18n.set_language(i18n.detect_language(getattr(args, "lang", None), config.settings().lang))
    open_db(args, create=False)
    dest = args.output or "-"
    with safe_output.output(dest) as out:
        count = exchange.export(out, args.format, args.numbers, with_files=args.with_files)
    if dest != "-":
        print(_("exported {count} orders to {name}").format(count=count, name=dest))
    return 0
