"""PathInput: an Input for a path on this server that completes folder and file names as the clerk types.

The completion shows dimmed after the cursor (Textual's suggester); `→` at the end of the text
takes it. Where several names go on alike it completes as far as they agree, so typing on
chooses between them. `~` stays as typed. Names are shown as the folder has them: a path is what
the clerk types back, so it is not cleaned (Input never parses markup; control characters in a name
are left out of the suggestions).
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester
from textual.widgets import Input

MAX_ENTRIES = 5000  # a huge folder is not read to the end for one suggestion


def complete(value: str) -> str | None:
    """`value` completed as far as the names in its folder agree ('/tmp/lo' → '/tmp/logo.png'); a
    folder gets its '/'. None when nothing (more) matches."""
    if not value or "\x00" in value:
        return None
    folder_text, _, prefix = value.rpartition("/")
    folder = Path(os.path.expanduser(folder_text + "/" if folder_text or value.startswith("/") else "."))
    try:
        with os.scandir(folder) as entries:
            names = []
            for n, entry in enumerate(entries):
                if n >= MAX_ENTRIES:
                    break
                if entry.name.startswith(prefix) and entry.name.isprintable() and (
                        prefix.startswith(".") or not entry.name.startswith(".")):
                    names.append((entry.name, entry.is_dir()))
    except OSError:
        return None
    if not names:
        return None
    if len(names) == 1:
        name, is_dir = names[0]
        done = value + name[len(prefix):] + ("/" if is_dir else "")
    else:
        done = value + os.path.commonprefix([n for n, _ in names])[len(prefix):]
    return done if done != value else None


class PathSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # the folder may change as the clerk looks

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value)


class PathInput(Input):
    """An Input whose suggestions complete paths."""

    def __init__(self, value: str = "", **kwargs) -> None:
        super().__init__(value, suggester=PathSuggester(), **kwargs)
