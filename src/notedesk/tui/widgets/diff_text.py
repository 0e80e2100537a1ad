"""Line differences between two note texts, as literal Rich Text (the merge is services.merge).

Used by the conflict modal (their text vs yours), the history screen (one revision vs another) and
the editor's word on what another clerk replaced.
Every input is passed through ``clean()`` first and the output is built from ``Text.append`` with a
style, never from a markup string, so note text like ``[/]`` shows literally (docs/ARCHITECTURE.md, "Text is data").
"""

from __future__ import annotations

from difflib import SequenceMatcher

from rich.text import Text

from notedesk.text import clean

__all__ = ["ADDED", "REMOVED", "changed_lines", "diff_text", "side_text"]

# Plain named colours: they exist in 16-colour terminals; bold keeps them apart on monochrome ones.
REMOVED = "bold red"
ADDED = "bold green"
CHANGED_CHARS = "reverse"  # the characters that differ inside a changed line


def _lines(s: str) -> list[str]:
    return clean(s).split("\n")


def _append_line(out: Text, prefix: str, line: str, style: str, other: str | None = None) -> None:
    """One line with its marker; with `other`, the characters not in `other` are reversed as well."""
    out.append(prefix, style=style)
    if other is None or not style:
        out.append(line, style=style)
    else:
        matcher = SequenceMatcher(None, other, line, autojunk=False)
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
            if j1 == j2:
                continue
            piece = line[j1:j2]
            out.append(piece, style=style if tag == "equal" else f"{style} {CHANGED_CHARS}")
    out.append("\n")


def diff_text(old: str, new: str, *, context: int | None = None) -> Text:
    """`new` against `old`, line by line: '  ' same, '- ' only in old (red), '+ ' only in new (green).

    A changed line pair also reverses the characters that differ, since a Chinese note is often one
    long line. With `context`, runs of unchanged lines longer than that are folded to '…'."""
    a, b = _lines(old), _lines(new)
    out = Text()
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            same = a[i1:i2]
            if context is not None and len(same) > 2 * context + 1:
                head = same[:context] if n > 0 else []
                tail = same[-context:] if n < len(opcodes) - 1 and context else []
                for line in head:
                    _append_line(out, "  ", line, "")
                out.append(f"  … {len(same) - len(head) - len(tail)} …\n", style="dim")
                same = tail
            for line in same:
                _append_line(out, "  ", line, "")
            continue
        old_part, new_part = a[i1:i2], b[j1:j2]
        paired = tag == "replace" and len(old_part) == len(new_part)
        for k, line in enumerate(old_part):
            _append_line(out, "- ", line, REMOVED, new_part[k] if paired else None)
        for k, line in enumerate(new_part):
            _append_line(out, "+ ", line, ADDED, old_part[k] if paired else None)
    out.rstrip()
    return out


def side_text(text: str, other: str, style: str, marker: str) -> Text:
    """`text` whole, with the lines that are not in `other` marked and styled (one side of a conflict)."""
    a, b = _lines(other), _lines(text)
    out = Text()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        paired = tag == "replace" and (i2 - i1) == (j2 - j1)
        for k, line in enumerate(b[j1:j2]):
            if tag == "equal":
                _append_line(out, "  ", line, "")
            else:
                _append_line(out, f"{marker} ", line, style, a[i1 + k] if paired else None)
    out.rstrip()
    return out


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(lines only in `old`, lines only in `new`), in order: what a change removed and added."""
    a, b = _lines(old), _lines(new)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += [line for line in a[i1:i2] if line.strip()]
            added += [line for line in b[j1:j2] if line.strip()]
    return removed, added
