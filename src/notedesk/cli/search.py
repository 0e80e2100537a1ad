"""`notedesk search QUERY [--format text|json] [--limit N]`: find orders by number, customer, notes and log.

Text is one line per hit, newest first: number, customer, where it matched, and the matching snippet,
every stored string cleaned and folded onto one line. JSON is a list of objects (controls a terminal
would act on written as escapes). No hits print nothing (or `[]`) on stdout and say so on stderr,
with exit status 0. `--rebuild` indexes the whole database again.
"""

from __future__ import annotations

import argparse
import json
import sys

from notedesk import labels
from notedesk.cli.session import open_db
from notedesk.i18n import _, language
from notedesk.services import search
from notedesk.services.types import SearchHit
from notedesk.text import cell_width, json_escaped, one_line

CUSTOMER_WIDTH = 16


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a whole number").format(value=value)) from None
    if not 1 <= number <= 10_000:
        raise argparse.ArgumentTypeError(_("give between 1 and 10,000"))
    return number


def register(sub, common) -> None:
    p = sub.add_parser("search", parents=[common],
                       help=_("find orders by number, customer, note or communication text (newest first)"))
    p.add_argument("query", nargs="?", default=None, metavar="QUERY",
                   help=_("literal text, any length, Chinese or English"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--limit", type=_limit, default=50, metavar="N", help=_("at most N hits (default 50)"))
    p.add_argument("--rebuild", action="store_true", help=_("build the search index again from every order"))
    p.set_defaults(run=run, parser=p)


def as_json(hit: SearchHit) -> dict:
    return {
        "number": hit.number,
        "customer": hit.customer,
        "status": hit.status,
        "source": hit.source,
        "snippet": hit.snippet,
        "match": [hit.start, hit.end] if hit.end > hit.start else None,
        "at": hit.at.isoformat(),
    }


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - cell_width(s))


def source(code: str) -> str:
    """Where the hit is: English text keeps the code it always printed (`requirements`), other
    languages read the label ('需求')."""
    return code if language() == "en" else labels.source_label(code)


def text_lines(hits: list[SearchHit]) -> list[str]:
    """One aligned line per hit; every stored string cleaned and folded onto one line."""
    rows = [(one_line(h.number), one_line(h.customer, CUSTOMER_WIDTH), source(h.source),
             one_line(h.snippet))
            for h in hits]
    widths = [max((cell_width(r[i]) for r in rows), default=0) for i in range(3)]
    return ["  ".join([*(_pad(r[i], widths[i]) for i in range(3)), r[3]]).rstrip() for r in rows]


def run(args) -> int:
    if args.query is None and not args.rebuild:
        args.parser.error(_("give a QUERY (or --rebuild)"))
    open_db(args, create=False)
    if args.rebuild:
        count = search.rebuild_index()
        print(_("indexed {count} texts").format(count=f"{count:,}"), file=sys.stderr)
        if args.query is None:
            return 0
    hits = search.search(args.query, limit=args.limit)
    if not hits:  # said on stderr: stdout stays empty (or []) for scripts, and the exit status is 0
        print(_("no orders found for {query}").format(query=one_line(args.query, 60)), file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(json_escaped(json.dumps([as_json(h) for h in hits], ensure_ascii=False, indent=2)) + "\n")
        return 0
    for line in text_lines(hits):
        print(line)
    return 0
