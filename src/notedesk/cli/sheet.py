"""`notedesk sheet [NUMBER ...] --for production|logistics|finance [--due RANGE] [--format md|html|txt] [-o FILE]`."""

from __future__ import annotations

from notedesk import config, i18n, safe_output
from notedesk.cli.session import open_db
from notedesk.i18n import _
from notedesk.services import sheets
from notedesk.services.list_filters import due_range


def register(sub, common) -> None:
    p = sub.add_parser(
        "sheet", parents=[common],
        help=_("a department's sheet of orders to print or send: production, the delivery slip, finance"))
    p.add_argument("numbers", nargs="*", metavar="NUMBER")
    p.add_argument("--for", dest="department", choices=sheets.DEPARTMENTS, required=True)
    p.add_argument(
        "--due", metavar="RANGE",
        help=_("also every order of that department due in RANGE: today, this week, overdue, 12-01 to 12-05"))
    p.add_argument("--format", choices=("md", "html", "txt"), default="md")
    p.add_argument("-o", "--output", metavar="FILE",
                   help=_("write to FILE (replaced atomically, never readable by others) instead of stdout"))
    p.set_defaults(run=run)


def run(args) -> int:
    from notedesk.cli import UsageError

    # the sheet is read by people: labels in their language
    i18n.set_language(i18n.detect_language(getattr(args, "lang", None), config.settings().lang))
    if not args.numbers and not args.due:
        raise UsageError(_("name the orders (NUMBER ...) or a deadline range (--due today)"))
    due = due_range(args.due) if args.due else None
    open_db(args, create=False)
    dest = args.output or "-"
    with safe_output.output(dest) as out:
        count = sheets.write_sheets(out, args.department, args.format, args.numbers, due)
    if dest != "-":
        print(_("wrote {count} sheets to {name}").format(count=count, name=dest))
    return 0
