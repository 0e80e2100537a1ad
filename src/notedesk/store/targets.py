"""Where a database is: a SQLite path or a `sqlite:///` / `postgresql://` URL, named without its password."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit


def redact(url: str) -> str:
    """The URL with any password removed (user:pass@ and ?password=), fit for a message."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # a malformed URL: say nothing of it but the scheme
        return url.split(":", 1)[0] + "://…"
    if password is not None:
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}:***@{netloc}" if user else netloc)
    if "password" in parts.query.lower():
        query = [(k, "***" if "password" in k.lower() else v)
                 for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        parts = parts._replace(query="&".join(f"{k}={v}" for k, v in query))
    return urlunsplit(parts)


def secrets(target: str | None) -> list[str]:
    """The password of a URL as typed and unquoted, to be blanked out of any driver message."""
    if not target or not is_postgres(target):
        return []
    try:
        parts = urlsplit(target)
        found = [parts.password or ""]
    except ValueError:
        return []
    found += [v for k, v in parse_qsl(parts.query, keep_blank_values=True) if "password" in k.lower()]
    return sorted({x for f in found if f for x in (f, unquote(f))}, key=len, reverse=True)


def sqlite_path(target: str) -> Path | None:
    """The file behind a SQLite target (plain path or sqlite:/// URL), None for other engines."""
    if target.startswith("sqlite:///"):
        return Path(target[len("sqlite:///"):] or ".")
    if re.match(r"^[a-z][a-z0-9+]*://", target):
        return None
    return Path(target).expanduser()


def is_postgres(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://"))


def describe_target(target: str) -> str:
    path = sqlite_path(target)
    return str(path) if path is not None else redact(target)
