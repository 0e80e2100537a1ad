"""Opening the database a command asked for (--db, NOTEDESK_DB, config, default)."""

from __future__ import annotations

from notedesk import config
from notedesk.store.connection import open_database


def open_db(args):
    return open_database(config.database_url(getattr(args, "db", None)))
