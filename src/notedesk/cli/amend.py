"""`notedesk amend NUMBER FIELD=VALUE... [--remove-line N] [--reason TEXT] [--version N]`: change an order.

Paths and rules are services.amend's. Every bad input (a word without `=`, an unknown path, a bad
value, a conflict) is one line on stderr and exit status 1; nothing is saved then.
"""

from __future__ import annotations

from notedesk import labels
from notedesk.cli.session import open_db
from notedesk.domain import CHANNELS
from notedesk.i18n import _
from notedesk.services import amend
from notedesk.services.errors import InvalidInput
from notedesk.text import one_line


def register(sub, common) -> None:
    p = sub.add_parser(
        "amend", parents=[common], help=_("change an order's fields (customer, lines, deadline, status…)"),
        description=_("Change an order. Fields: {paths}. lines.N is line N as the order shows it; a number after "
                      "the last line (or lines.+) adds a line.").format(paths=", ".join(amend.known_paths())))
    p.add_argument("number")
    p.add_argument("changes", nargs="*", metavar="FIELD=VALUE")
    p.add_argument("--remove-line", action="append", default=[], metavar="N", help=_("remove line N"))
    p.add_argument("--reason", default="", metavar="TEXT",
                   help=_("why (a log entry linked to every change on the timeline)"))
    p.add_argument("--channel", choices=CHANNELS, default="phone", help=_("how the customer asked"))
    p.add_argument("--contact", default="", metavar="NAME", help=_("who asked"))
    p.add_argument("--version", default=None, metavar="N",
                   help=_("the version you read: refuse if the order changed since"))
    p.set_defaults(run=run)


def _pairs(words: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for word in words:
        path, equals, value = word.partition("=")
        if not equals or not path.strip():
            raise InvalidInput(_("“{word}” is not FIELD=VALUE (e.g. lines.1.quantity=800)").format(word=word))
        pairs.append((path.strip(), value))
    return tuple(pairs)


def _whole(word: str, what: str) -> int:
    if not word.strip().isdigit():
        raise InvalidInput(_("{what} “{word}” is not a whole number").format(what=what, word=word))
    return int(word)


def run(args) -> int:
    changes = _pairs(args.changes)
    removed = tuple(_whole(n, "--remove-line") for n in args.remove_line)
    version = _whole(args.version, "--version") if args.version is not None else None
    if not changes and not removed:
        raise InvalidInput(_("nothing to change: give FIELD=VALUE (e.g. lines.1.quantity=800) or --remove-line N"))
    open_db(args, create=False)
    result = amend.amend_order(args.number, amend.Amendment(changes, removed, args.reason, args.channel,
                                                            args.contact), base_version=version)
    number = result.order.number
    if not result.changes:
        print(_("{number}: nothing to change, every field is so already").format(number=number))
        return 0
    print(_("{number} amended (version {version}):").format(number=number, version=result.order.version))
    for change in result.changes:
        old, new = change.old, change.new
        if labels.money_field(change.field):  # amounts print one way everywhere
            old, new = labels.money_value(old), labels.money_value(new)
        print(f"  {change.field}: {one_line(old) or '—'} → {one_line(new) or '—'}")
    if result.logged is not None:
        print(_("  reason logged as entry {id}: {text}").format(id=result.logged.id, text=one_line(result.logged.text)))
    return 0
