"""Running one service operation: a connection if none is open, one transaction, clean errors."""

from __future__ import annotations

import functools

from notedesk.store.connection import translated_errors
from notedesk.store.models import db


def operation(fn):
    """Run `fn` in one transaction (a savepoint when nested), opening and closing a connection if needed."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translated_errors():
            opened = db.connect(reuse_if_open=True)
            try:
                with db.atomic():
                    return fn(*args, **kwargs)
            finally:
                if opened:
                    db.close()

    return wrapper
