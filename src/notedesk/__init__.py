"""notedesk: a keyboard-driven terminal desk for customer order notes.

Peewee imports every database driver it knows when it is first imported; psycopg alone costs about
0.3 s of every command's start, which SQLite desks never use. So Peewee (with playhouse.migrate,
which loads the drivers too) is imported here, first, with the PostgreSQL drivers hidden;
store.postgres hands psycopg to Peewee when a PostgreSQL URL is opened.
"""


import sys

if "peewee" not in sys.modules:
    _hidden = [name for name in ("psycopg", "psycopg2") if name not in sys.modules]
    for _name in _hidden:
        sys.modules[_name] = None  # type: ignore[assignment]  # makes `import psycopg` fail fast
    try:
        import peewee  # noqa: F401
        import playhouse.migrate  # noqa: F401  (imports postgres_ext, which imports psycopg too)
    finally:
        for _name in _hidden:
            if sys.modules.get(_name) is None:
                del sys.modules[_name]

__version__ = "0.1.0"
