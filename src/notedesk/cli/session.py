"""Opening the database a command asked for (--db, NOTEDESK_DB, config, default)."""

from __future__ import annotations

from notedesk import config
from notedesk.services.database import open_database


def open_db(args, *, create: bool = True):
    """The command's database, bound to the models. Read-only commands pass `create=False`: a path
    that holds no database is then an error, never a new empty one (a cron job with a typo in its
    path must not report "nothing due" for ever)."""
    return open_database(config.database_url(getattr(args, "db", None)), create=create)
