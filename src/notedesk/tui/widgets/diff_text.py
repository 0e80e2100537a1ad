"""Line differences between two note texts, as literal Rich Text, and a three-way merge with conflict markers.

Used by the conflict modal (their text vs yours) and the history screen (one revision vs another).
Every input is passed through ``clean()`` first and the output is built from ``Text.append`` with a
style, never from a markup string, so note text like ``[/]`` shows literally (DESIGN §8).
"""

from __future__ import annotations

from difflib import SequenceMatcher

from rich.text import Text

from notedesk.text import clean

__all__ = ["ADDED", "REMOVED", "diff_text", "merge3", "side_text"]

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


def _changes(base: list[str], side: list[str]) -> list[tuple[int, int, int, int]]:
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, side, autojunk=False).get_opcodes()
            if tag != "equal"]


def _apply(base: list[str], side: list[str], changes, start: int, end: int) -> list[str]:
    out: list[str] = []
    pos = start
    for i1, i2, j1, j2 in changes:
        out += base[pos:i1] + side[j1:j2]
        pos = i2
    return out + base[pos:end]


def merge3(base: str, theirs: str, mine: str, *, their_label: str = "theirs",
           my_label: str = "mine") -> tuple[str, int]:
    """Merge two edits of `base` line by line; returns (text, number of conflicts).

    Changes that touch different lines are both kept; where both changed the same lines
    differently, both versions are kept between conflict markers for the clerk to edit."""
    b, t, m = _lines(base), _lines(theirs), _lines(mine)
    ct, cm = _changes(b, t), _changes(b, m)
    out: list[str] = []
    conflicts = 0
    pos = 0
    while ct or cm:
        # The next group: changes of either side that overlap or touch, by their range in base.
        first = min((c for c in (ct[:1] + cm[:1])), key=lambda c: c[0])
        start, end = first[0], first[1]
        group_t: list = []
        group_m: list = []
        grew = True
        while grew:
            grew = False
            for pending, group in ((ct, group_t), (cm, group_m)):
                while pending and pending[0][0] <= end:
                    change = pending.pop(0)
                    group.append(change)
                    end = max(end, change[1])
                    grew = True
        out += b[pos:start]
        version_t = _apply(b, t, group_t, start, end)
        version_m = _apply(b, m, group_m, start, end)
        if not group_t or version_t == version_m:
            out += version_m
        elif not group_m:
            out += version_t
        else:
            conflicts += 1
            out += [f"<<<<<<< {their_label}", *version_t, "=======", *version_m, f">>>>>>> {my_label}"]
        pos = end
    out += b[pos:]
    return "\n".join(out), conflicts
