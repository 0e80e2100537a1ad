"""Settings: the config file (TOML) and NOTEDESK_* environment, checked with types; the clerk's name.

Settings are one typed class (msgspec: a maintained validation library that costs a few milliseconds
to load, where pydantic-settings costs a third of a second of every command's start). A wrong type or
value — `lang = 3`, `timezone = "/etc/passwd"`, `alert_hours = "soon"` — is one ConfigError line that
names the setting and where it came from, never a traceback three calls later.

Adding a setting is one field of `Settings`: its name is the TOML key, NOTEDESK_<NAME> is its
environment variable (which wins over the file), its type and `Meta` bounds are checked, and the
comment beside it says what it is. The README's config section lists them for clerks.
"""

from __future__ import annotations

import functools
import getpass
import os
import re
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from notedesk import paths
from notedesk.errors import NotedeskError
from notedesk.i18n import _

MB = 1_000_000


class ConfigError(NotedeskError, ValueError):
    pass


class Settings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a site can set (config.toml keys; NOTEDESK_<NAME> in the environment)."""

    # The database: a path, sqlite:///PATH or postgresql://user@host/db (--db and NOTEDESK_DB win).
    db: Annotated[str, Meta(min_length=1)] | None = None
    # The business time zone deadlines live in, an IANA name like "Asia/Shanghai"; default the system's.
    timezone: str | None = None
    # The language of the desk and the commands: "en" or "zh"; default from LC_ALL / LC_MESSAGES / LANG.
    lang: Literal["en", "zh"] | None = None
    # Remind when an open order comes this close to its deadline (hours, at most a year).
    alert_hours: Annotated[float, Meta(gt=0, le=8784)] = 24.0
    # A Textual theme name, or "high-contrast".
    theme: Annotated[str, Meta(min_length=1)] | None = None
    # The longest note or log entry a clerk may save, in bytes of UTF-8 (default 1 MB).
    text_limit: Annotated[int, Meta(ge=1000, le=100 * MB)] = MB
    # The largest file one attachment may be, in MB (1 MB = 1024 x 1024 bytes).
    attachment_max_mb: Annotated[float, Meta(gt=0, le=4096)] = 25.0
    # The most attachments one order may have.
    attachments_per_order: Annotated[int, Meta(ge=1, le=100_000)] = 100
    # How the desk draws pictures: auto, halfcell, sixel or kitty.
    image_preview: Literal["auto", "halfcell", "sixel", "kitty"] = "auto"
    # Where `notedesk remind` posts reminders: a group robot's webhook URL (it holds the robot's
    # secret: notedesk never prints more of it than the host). None: remind prints them.
    webhook_url: Annotated[str, Meta(min_length=1)] | None = None
    # Which robot the webhook is: wecom, dingtalk, feishu, or auto (from the URL's host).
    webhook_kind: Literal["auto", "wecom", "dingtalk", "feishu"] = "auto"
    # How long `notedesk remind` waits for the webhook's answer, in seconds.
    webhook_timeout: Annotated[float, Meta(gt=0, le=300)] = 10.0
    # Ring the terminal bell when the desk shows a new reminder.
    bell: bool = False
    # The lens the order list opens in, for a department's machine: all, production, logistics or finance.
    lens: Literal["all", "production", "logistics", "finance"] | None = None
    # The business's own currency (ISO code): new orders take it, and the order list shows amounts
    # in it without the code (its column title says it once); other currencies keep their code.
    currency: Annotated[str, Meta(pattern="^[A-Z]{3}$")] = "CNY"

    def __post_init__(self) -> None:
        if self.timezone is not None and not _is_zone(self.timezone):
            raise ValueError(f"unknown time zone {self.timezone!r} (use a name like Asia/Shanghai) - at `$.timezone`")
        if self.webhook_url is not None:
            from notedesk.webhooks import check_url

            problem = check_url(self.webhook_url)
            if problem:  # never the URL itself: it holds the robot's secret
                raise ValueError(f"{problem} - at `$.webhook_url`")


def _is_zone(name: str) -> bool:
    """An IANA zone name the system knows (a path such as /etc/passwd is not one)."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*", name):
        return False
    from dateutil import tz as dtz

    return dtz.gettz(name) is not None


def _problem(error: msgspec.ValidationError, source: str) -> ConfigError:
    """One line naming the setting: 'config file X: lang: expected …, got …'."""
    text = str(error)
    found = re.search(r" - at `\$\.(\w+)`$", text)
    detail = text[: found.start()] if found else text
    unknown = re.search(r"unknown field `(.+)`", text)
    if unknown:
        return ConfigError(_("{source}: unknown setting {name!r}").format(source=source, name=unknown.group(1)))
    name = found.group(1) if found else "?"
    return ConfigError(_("{source}: bad setting {name}: {why}").format(source=source, name=name, why=detail))


def _environment() -> dict[str, str]:
    """NOTEDESK_<NAME> for each setting (NOTEDESK_DB is read by database_url, where --db wins over it)."""
    fields = [name for name in Settings.__struct_fields__ if name != "db"]
    return {name: os.environ[f"NOTEDESK_{name.upper()}"] for name in fields if f"NOTEDESK_{name.upper()}" in os.environ}


@functools.cache
def settings() -> Settings:
    """The settings (cached; `reload()` after changing the file or the environment). Raises ConfigError."""
    path = paths.config_file()
    values: Settings = Settings()
    if path.exists():
        import tomllib  # only with a file to read: most desks have none (~5 ms of every start)

        source = _("config file {path}").format(path=path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(_("cannot read config file {path}: {why}").format(path=path, why=exc)) from None
        try:
            values = msgspec.convert(raw, Settings)
        except msgspec.ValidationError as exc:
            raise _problem(exc, source) from None
    env = _environment()
    if env:
        for name, value in env.items():  # one at a time, so the message names the variable
            try:
                msgspec.convert({name: value}, Settings, strict=False)
            except msgspec.ValidationError as exc:
                raise _problem(exc, f"NOTEDESK_{name.upper()}") from None
        values = msgspec.convert({**msgspec.structs.asdict(values), **env}, Settings, strict=False)
    return values


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
