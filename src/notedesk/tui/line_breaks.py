"""Chinese line breaking in every wrapped text on screen (issue 20: "Pantone" wrapped as "Panton" / "e").

Rich and Textual break lines only at spaces: "颜色按Pantone 186C调色" is one word to them, so when it
does not fit, it is folded by cells wherever the edge falls, inside a Latin word. Chinese text breaks
before and after every Han character instead (UAX #14), keeping Latin words and numbers whole and
punctuation on the right line: notedesk.text.wrap_offsets.

How: ``rich.text`` (Text.wrap: Rich tables and Text) and ``textual.content`` (Content: Static, toasts,
labels) both import Rich's private ``divide_line(text, width, fold)`` into their module globals;
:func:`install` rebinds those two names to :func:`divide_line` here, which hands ASCII-only lines to
Rich's own (English wraps exactly as before) and the rest to wrap_offsets. tests/tui/test_textual_private.py
fails when either module stops using the name.
"""

from __future__ import annotations

import rich._wrap
import rich.text
import textual.content

from notedesk.text import wrap_offsets

_rich_divide_line = rich._wrap.divide_line


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Rich's divide_line for ASCII text; Chinese break opportunities otherwise."""
    if text.isascii():
        return _rich_divide_line(text, width, fold)
    return wrap_offsets(text, width, fold)


def install() -> None:
    """Wrap every Rich Text and Textual Content the Chinese way from now on (idempotent)."""
    rich.text.divide_line = divide_line  # type: ignore[attr-defined]
    textual.content.divide_line = divide_line  # type: ignore[attr-defined]
