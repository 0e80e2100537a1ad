"""notedesk: a keyboard-driven terminal desk for customer order notes.

Peewee imports every database driver it knows when it is first imported, and so do playhouse's
PostgreSQL modules; psycopg alone costs about 0.3 s of every command's start, which SQLite desks
never use. So Peewee is imported here, first, with the PostgreSQL drivers hidden, and so are the
playhouse modules loaded later (store.connection's migration runner, store.postgres);
store.postgres hands psycopg to Peewee when a PostgreSQL URL is opened.
"""

import contextlib
import sys


@contextlib.contextmanager
def postgres_drivers_hidden():
    """Imports inside see no psycopg (nor psycopg2) unless it was imported before."""
    hidden = [name for name in ("psycopg", "psycopg2") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # makes `import psycopg` fail fast
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


with postgres_drivers_hidden():
    import peewee  # noqa: F401

__version__ = "0.1.0"
