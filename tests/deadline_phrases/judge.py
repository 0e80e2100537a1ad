"""Scoring a reading against an expected answer: right, wrong, or honestly not understood."""

from __future__ import annotations

import datetime as dt

from notedesk.deadlines import DeadlineError, parse_deadline


def answer(text: str, ref: dt.datetime) -> str | None:
    """The reading in the tables' notation (`YYYY-MM-DD[ HH:MM[-HH:MM]]`), or None when not understood."""
    try:
        parsed = parse_deadline(text, ref)
    except DeadlineError:
        return None
    if parsed.date is None:
        return None
    out = parsed.date.isoformat()
    if parsed.start and parsed.end:
        return f"{out} {parsed.start:%H:%M}-{parsed.end:%H:%M}"
    if parsed.end:
        return f"{out} {parsed.end:%H:%M}"
    return out


def verdict(text: str, ref: dt.datetime, expected: str | None) -> str:
    got = answer(text, ref)
    if got == expected:
        return "right"
    return "unread" if got is None else "wrong"


def score(cases) -> dict[str, list]:
    out: dict[str, list] = {"right": [], "wrong": [], "unread": []}
    for text, ref, expected in cases:
        out[verdict(text, ref, expected)].append((text, ref, expected, answer(text, ref)))
    return out


if __name__ == "__main__":
    import sys

    from deadline_phrases import outside, table

    for name, cases in (table.ALL if "--table" in sys.argv else outside.ALL).items():
        result = score(cases)
        n = len(cases)
        print(f"{name}: {n} phrases, right {len(result['right'])} ({len(result['right']) / n:.1%}), "
              f"wrong {len(result['wrong'])}, not understood {len(result['unread'])}")
        if "-v" in sys.argv:
            for kind in ("wrong", "unread"):
                for text, _ref, expected, got in result[kind]:
                    print(f"   {kind:6} {text!r:45} expected {expected}  got {got}")
