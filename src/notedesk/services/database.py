"""The database the screens and commands work on: opening it by path or URL, naming it, closing it.

The faces reach the store through the services only (the import-linter contracts in pyproject.toml);
this is their way to the connection itself, whatever module of the store owns it.
"""

from __future__ import annotations

from notedesk.store.connection import close_database, open_database
from notedesk.store.targets import describe_target

__all__ = ["close_database", "describe_target", "open_database"]
