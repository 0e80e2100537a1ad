"""`notedesk copy --to URL`: the whole desk, history and all, into a new empty database (SQLite ⇄ PostgreSQL)."""

from __future__ import annotations

from notedesk import config
from notedesk.i18n import _
from notedesk.store.copy import copy_database


def register(sub, common) -> None:
    p = sub.add_parser(
        "copy", parents=[common],
        help=_("copy the whole database (--db) into a new, empty one: note history, timeline and drafts included"),
        description=_("Copy every order with its note history, timeline, log and drafts from the database "
                    "(--db, NOTEDESK_DB, the config file or the default) into an empty database, e.g. "
                    "a SQLite desk into PostgreSQL. Stop the desks first: later changes are not copied."))
    p.add_argument("--to", required=True, metavar="URL", dest="to",
                   help=_("the destination: postgresql://user@host/db, sqlite:///PATH or a path"))
    p.set_defaults(run=run)


def run(args) -> int:
    source = config.database_url(getattr(args, "db", None))
    report = copy_database(source, args.to)
    print(_("copied {orders} orders ({rows} rows) from {source} to {dest}").format(
        orders=report.orders, rows=sum(report.rows.values()), source=report.source, dest=report.dest))
    return 0
