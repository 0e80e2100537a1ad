"""Merging two clerks' edits of one note, line by line, and the conflict markers such a merge leaves.

Pure text: no database. Where both clerks changed the same lines differently, the merge keeps
both versions between git-style markers for the clerk to edit; a note with those markers must
never be saved (production would read them), so the merge says which marker lines it wrote and
`markers_left` finds any that are still there (services.edits refuses the save and says where).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from notedesk.text import clean

__all__ = ["Merged", "markers_left", "merge3"]

SEPARATOR = "======="


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int  # places where both changed the same lines differently
    markers: tuple[str, ...] = ()  # the marker lines written (none when there is no conflict)


def _lines(s: str) -> list[str]:
    return clean(s).split("\n")


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


def merge3(base: str, theirs: str, mine: str, *, their_label: str = "theirs", my_label: str = "mine") -> Merged:
    """Merge two edits of `base`: changes that touch different lines are both kept; where both
    changed the same lines differently, both versions go between conflict markers."""
    b, t, m = _lines(base), _lines(theirs), _lines(mine)
    ct, cm = _changes(b, t), _changes(b, m)
    out: list[str] = []
    conflicts = 0
    pos = 0
    start_marker, end_marker = f"<<<<<<< {their_label}", f">>>>>>> {my_label}"
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
            out += [start_marker, *version_t, SEPARATOR, *version_m, end_marker]
        pos = end
    out += b[pos:]
    markers: tuple[str, ...] = ()
    if conflicts:
        # a "=======" line either clerk wrote themselves is text, not a marker
        markers = (start_marker, end_marker) if SEPARATOR in t or SEPARATOR in m else \
            (start_marker, SEPARATOR, end_marker)
    return Merged("\n".join(out), conflicts, markers)


def markers_left(text: str, markers: Iterable[str]) -> list[int]:
    """The numbers (from 1) of the lines of `text` that are one of the merge's `markers`."""
    wanted = set(markers)
    if not wanted:
        return []
    return [n for n, line in enumerate(text.split("\n"), 1) if line in wanted]
