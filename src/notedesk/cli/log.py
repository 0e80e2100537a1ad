"""`notedesk log NUMBER TEXT [--channel CHANNEL] [--contact NAME]`."""

from __future__ import annotations

from notedesk.cli.session import open_db
from notedesk.domain import CHANNELS
from notedesk.i18n import _
from notedesk.services import communications


def register(sub, common) -> None:
    p = sub.add_parser("log", parents=[common], help=_("add an entry to an order's communication log"))
    p.add_argument("number")
    p.add_argument("text")
    p.add_argument("--channel", choices=CHANNELS, default="phone")
    p.add_argument("--contact", default="", metavar="NAME")
    p.set_defaults(run=run)


def run(args) -> int:
    open_db(args)
    entry = communications.log_communication(args.number, args.text, channel=args.channel, contact=args.contact)
    print(_("{number}: logged entry {id}").format(number=args.number, id=entry.id))
    return 0
