"""clean(): the one gate every stored string passes before it is displayed.

Note text is data, never markup or terminal control (docs/ARCHITECTURE.md, "Text is data"). Textual passes
ESC/OSC/C1 sequences in widget text straight to the clerk's terminal, so every
stored string goes through :func:`clean` before any widget sees it, and imports
and pastes go through it (and :func:`check_no_nul`) before they are saved.

Pure stdlib: the store, services and command line use this without Textual.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "REPLACEMENT",
    "NulError",
    "cell_width",
    "check_no_nul",
    "clean",
    "clean_counted",
    "is_clean",
    "json_escaped",
    "one_line",
]

REPLACEMENT = "\ufffd"
ELLIPSIS = "\u2026"

# What clean() replaces, as one character class:
#   C0 controls except \t (0x09) and \n (0x0a) -- ESC, BEL, \r, backspace...
#   DEL (0x7f) and the C1 controls (0x80-0x9f; 0x9b is a one-byte CSI, 0x9d OSC)
#   bidi controls: ALM U+061C, LRM/RLM U+200E/F, embeddings and overrides
#     U+202A-E, isolates U+2066-9 ("Trojan Source" reordering of what is shown)
#   lone surrogates U+D800-DFFF: json.loads("\"\\ud800\"") produces one, and
#     it cannot be encoded to UTF-8, so SQLite refuses it and the terminal
#     writer would raise. Not in the usual list, added for the same reason.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)

# What JSON output writes as \u escapes although JSON allows it raw: DEL, C1 and bidi controls (a
# terminal acts on them when the JSON is shown; lone surrogates are escaped by json already).
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_escaped(text: str) -> str:
    """JSON text (json.dumps(..., ensure_ascii=False)) with DEL, C1 and bidi controls as \\uXXXX
    escapes: the same data to a JSON reader, inert on a terminal. Only a string can hold them, so the
    whole text may be passed."""
    return _JSON_RAW.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


# Runs of spaces, tabs and newlines that one_line() turns into one space.
# Only ASCII whitespace: an ideographic space (U+3000) in Chinese text is kept.
_LINE_BREAKS = re.compile("[ \t\n]+")


def clean(s: str) -> str:
    """Return ``s`` safe to show: forbidden controls become U+FFFD.

    ``\\r\\n`` becomes ``\\n`` first; any other ``\\r`` is replaced. The result
    has the same length as ``s`` unless ``s`` contained ``\\r\\n``.
    Idempotent: ``clean(clean(s)) == clean(s)``.
    """
    # Runs on every table cell: the common case (nothing to do) is one C-level
    # regex search, measured ~0.3 us for a short field and faster than
    # str.translate on mixed Chinese text.
    if "\r" in s:
        s = s.replace("\r\n", "\n")
    if _FORBIDDEN.search(s) is None:
        return s
    return _FORBIDDEN.sub(REPLACEMENT, s)


def clean_counted(s: str) -> tuple[str, int]:
    """Return ``(clean(s), number of characters replaced)``, for import reports.

    Turning ``\\r\\n`` into ``\\n`` is normalisation and is not counted.
    """
    if "\r" in s:
        s = s.replace("\r\n", "\n")
    return _FORBIDDEN.subn(REPLACEMENT, s)


def is_clean(s: str) -> bool:
    """True if :func:`clean` would return ``s`` unchanged."""
    return "\r" not in s and _FORBIDDEN.search(s) is None


class NulError(ValueError):
    """A NUL character in imported or pasted text; imports refuse it."""


def check_no_nul(s: str, where: str) -> None:
    """Raise :class:`NulError` ("NUL character in <where>") if ``s`` has a NUL."""
    if "\x00" in s:
        raise NulError(f"NUL character in {where}")


@functools.lru_cache(maxsize=8192)  # text repeats a few thousand characters; the lookups below don't
def _char_width(ch: str) -> int:
    """Terminal cells one code point takes: 0, 1 or 2."""
    if ch < "\u0300":  # ASCII and Latin-1: no combining or wide characters here
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
        return 0
    if ch == "\u200b" or ch == "\u200d" or "\ufe00" <= ch <= "\ufe0f":
        return 0  # zero-width space, zero-width joiner, variation selectors
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


_SKIN_TONES = re.compile("[\U0001f3fb-\U0001f3ff]")


def _widths(s: str):
    """Yield the cell width of each code point of ``s``, in order.

    An emoji joined by a zero-width joiner, or a skin-tone modifier, adds no
    cells: that is how Rich (and so Textual's layout) measures such sequences.
    """
    joined = False
    for ch in s:
        if joined or "\U0001f3fb" <= ch <= "\U0001f3ff":
            yield 0
        else:
            yield _char_width(ch)
        joined = ch == "\u200d"


def cell_width(s: str) -> int:
    """Terminal cells ``s`` takes on one line: East-Asian wide/full-width
    characters count 2, combining marks 0, everything else 1."""
    if s.isascii():
        return len(s)
    if "\u200d" not in s and _SKIN_TONES.search(s) is None:
        return sum(map(_char_width, s))  # the common case, without _widths' per-character bookkeeping
    return sum(_widths(s))


def one_line(s: str, width: int | None = None) -> str:
    """Clean ``s`` and fold it onto one line for lists and titles.

    Runs of newlines, tabs and spaces become one space and the ends are
    stripped. With ``width``, the result is cut to at most ``width`` terminal
    cells, ending in '…' when something was cut (a wide character that would
    straddle the edge is dropped rather than split).
    """
    if s.isprintable() and "  " not in s:  # nothing to clean or fold (isprintable is False for
        s = s.strip(" ")  # every control, bidi mark, tab, newline and surrogate clean() replaces)
    else:
        s = _LINE_BREAKS.sub(" ", clean(s)).strip(" ")
    if width is None or cell_width(s) <= width:
        return s
    if width <= 0:
        return ""
    budget = width - 1  # one cell for the ellipsis
    used = 0
    for end, w in enumerate(_widths(s)):  # noqa: B007 - `end` is read after the loop
        if used + w > budget:
            break
        used += w
    else:  # pragma: no cover - unreachable: cell_width(s) > width
        return s
    return s[:end].rstrip(" ") + ELLIPSIS


def one_lines(strings: list[str]) -> list[str]:
    """``one_line()`` of each string (no width), for a column of thousands: when none of them needs
    cleaning, folding or stripping (order numbers never do), that is found in one pass over them all."""
    joined = "\n".join(strings)  # "\n" is not printable: no string containing one passes the check
    if (all(map(str.isprintable, strings)) and "  " not in joined and " \n" not in joined
            and "\n " not in joined and joined[:1] != " " and joined[-1:] != " "):
        return list(strings)
    return [one_line(s) for s in strings]


# Line breaking for text that mixes Chinese and Latin words (a simple UAX #14): a break may fall at a
# space, or before or after a wide (CJK) character, never inside a run of Latin letters or digits;
# closing punctuation stays at the end of its line and opening punctuation at the start of the next.
_NO_LINE_START = set("，。、；：！？）」』】》〉”’%…,.;:!?)]}")
_NO_LINE_END = set("（「『【《〈“‘([{")


def wrap_offsets(s: str, width: int, fold: bool = True) -> list[int]:
    """Where to break the one-line string ``s`` so that no line is wider than ``width`` cells: the
    offsets of the lines after the first (Rich's ``divide_line``, with Chinese break rules). A run of
    Latin letters and digits ("Pantone", "186C") is split only when it is longer than a whole line,
    and then only with ``fold``; trailing spaces of a line are the caller's to strip."""
    width = max(1, width)
    widths = list(_widths(s))
    # break opportunities: after a space, before or after a wide character; `soft` ones also where
    # punctuation asks not to (taken before folding a word)
    allowed = [False] * (len(s) + 1)
    soft = [False] * (len(s) + 1)
    for i in range(1, len(s)):
        before, here = s[i - 1], s[i]
        if here == " ":
            continue
        if before == " " or widths[i] == 2 or widths[i - 1] == 2:
            soft[i] = True
            allowed[i] = here not in _NO_LINE_START and before not in _NO_LINE_END
    offsets: list[int] = []
    start, used, last_break, last_soft = 0, 0, 0, 0
    i = 0
    while i < len(s):
        if i > start:
            if allowed[i]:
                last_break = i
            if soft[i]:
                last_soft = i
        w = widths[i]
        if s[i] != " " and used + w > width:
            if last_break > start:
                cut = last_break
            elif last_soft > start:
                cut = last_soft
            elif not fold:  # one word longer than the line: it overflows, the line ends after it
                used += w
                i += 1
                continue
            else:  # one word longer than the line: fold it here
                cut = i if i > start else i + 1
            offsets.append(cut)
            start = cut
            used = sum(widths[start:i]) if cut <= i else 0
            if cut > i:
                i = cut
            continue  # the character at i is measured again on its new line (it may not fit there either)
        used += w
        i += 1
    return offsets


def wrap(s: str, width: int) -> list[str]:
    """``s`` in lines of at most ``width`` cells (see wrap_offsets), each line's own newlines kept as
    breaks, trailing spaces dropped."""
    out: list[str] = []
    for paragraph in s.split("\n"):
        bounds = [0, *wrap_offsets(paragraph, width), len(paragraph)]
        out += [paragraph[a:b].rstrip(" ") for a, b in zip(bounds, bounds[1:])]
    return out
