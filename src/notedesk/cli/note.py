"""`notedesk note NUMBER KIND (--set TEXT | --append TEXT | --slip on|off)`."""

from __future__ import annotations

from notedesk.cli.session import open_db
from notedesk.domain import NOTE_KINDS
from notedesk.i18n import _
from notedesk.services import notes


def register(sub, common) -> None:
    p = sub.add_parser("note", parents=[common], help=_("set or append to an order's note"))
    p.add_argument("number")
    p.add_argument("kind", choices=NOTE_KINDS)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--set", dest="set_text", metavar="TEXT")
    group.add_argument("--append", dest="append_text", metavar="TEXT")
    group.add_argument("--slip", choices=("on", "off"),
                       help=_("print this note on the delivery slip (on), or not (off: every note's default)"))
    p.set_defaults(run=run)


def run(args) -> int:
    open_db(args)
    if args.slip is not None:
        view = notes.set_on_slip(args.number, args.kind, args.slip == "on")
        print(_("{number} {kind}: on the delivery slip").format(number=args.number, kind=args.kind) if view.on_slip
              else _("{number} {kind}: not on the delivery slip").format(number=args.number, kind=args.kind))
        return 0
    if args.set_text is not None:
        current = notes.get_note(args.number, args.kind)
        saved = notes.save_note(args.number, args.kind, args.set_text, base_version=current.version)
    else:
        saved = notes.append_note(args.number, args.kind, args.append_text)
    print(_("{number} {kind}: version {version}").format(number=args.number, kind=args.kind, version=saved.version))
    return 0
