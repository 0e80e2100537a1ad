"""Settings: the config file (TOML), NOTEDESK_* environment, the clerk's name."""

from __future__ import annotations

import functools
import getpass
import os
from dataclasses import dataclass

from notedesk import paths
from notedesk.errors import NotedeskError


class ConfigError(NotedeskError, ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    db: str | None = None
    timezone: str | None = None
    lang: str | None = None
    alert_hours: float = 24.0
    theme: str | None = None
    attachment_max_mb: float = 25.0  # the largest file one attachment may be
    attachments_per_order: int = 100
    image_preview: str = "auto"  # how the desk draws pictures: auto, halfcell, sixel or kitty


@functools.cache
def settings() -> Settings:
    """The config file's settings (cached; `reload()` after changing the environment)."""
    path = paths.config_file()
    if not path.exists():
        return Settings()
    import tomllib  # only with a file to read: most desks have none (~5 ms of every start)

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    known = set(Settings.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r} in {path}")
    try:
        return Settings(**raw)
    except TypeError as exc:
        raise ConfigError(f"bad config file {path}: {exc}") from None


def reload() -> None:
    settings.cache_clear()


def database_url(cli_value: str | None = None) -> str:
    """--db, then NOTEDESK_DB, then the config file, then the user's data folder."""
    return (
        cli_value
        or os.environ.get("NOTEDESK_DB")
        or settings().db
        or str(paths.default_database())
    )


def current_clerk() -> str:
    """The clerk is the operating-system login name (NOTEDESK_CLERK overrides, for tests and demos)."""
    name = os.environ.get("NOTEDESK_CLERK")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name in a bare container
        return f"uid{os.getuid()}"
