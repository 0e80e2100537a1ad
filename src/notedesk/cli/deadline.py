"""`notedesk deadline TEXT [--from ISO-TIME] [--format text|json]`: what the desk reads in a deadline.

For clerks checking a phrase and for scripts: the date, the window, the due time in the business
time zone, what was not understood, and what to double-check (a date more than six months ahead,
working days counted for a year China's holiday calendar does not know yet). Exit 0 when the text
was read, 1 when it was not (the reason on stderr; with --format json also in the document) or
names an impossible date (`2026-02-30`, `25:00`), 2 when --from is not a time.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from notedesk import clock, deadlines, labels
from notedesk.i18n import _
from notedesk.text import cell_width, one_line


def register(sub, common) -> None:
    p = sub.add_parser("deadline", parents=[common], help=_("show what the desk reads in a deadline"))
    p.add_argument("text", metavar="TEXT", help=_("the deadline as the customer said it, e.g. 明天下午3点"))
    p.add_argument("--from", dest="reference", metavar="ISO-TIME", default=None,
                   help=_("read it as written at this time (default: now); without an offset, business time"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def reference(value: str | None, tz: dt.tzinfo) -> dt.datetime:
    """When the text was written, as wall-clock time in the business zone."""
    if value is None:
        return clock.now().astimezone(tz)
    from notedesk.cli import UsageError

    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(_("--from is not an ISO time: {value}").format(value=value)) from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def as_json(text: str, ref: dt.datetime, parsed: deadlines.ParsedDeadline | None, error: str | None,
            tz: dt.tzinfo) -> dict:
    hm = "minutes"
    due = deadlines.due_at(parsed.date, parsed.end, tz) if parsed and parsed.date else None
    return {
        "text": text,
        "from": ref.isoformat(timespec="minutes"),
        "understood": bool(parsed and parsed.scheduled),
        "date": parsed.date.isoformat() if parsed and parsed.date else None,
        "start": parsed.start.isoformat(hm) if parsed and parsed.start else None,
        "end": parsed.end.isoformat(hm) if parsed and parsed.end else None,
        "earliest": parsed.earliest.isoformat() if parsed and parsed.earliest else None,
        "due": due.isoformat(timespec="minutes") if due else None,
        "not_understood": list(parsed.unread) if parsed else [],
        "flags": list(parsed.flags) if parsed else [],
        "remarks": labels.deadline_remarks(parsed) if parsed else [],
        "error": error,
    }


def lines(parsed: deadlines.ParsedDeadline, tz: dt.tzinfo) -> list[str]:
    """The reading as aligned label: value lines (localised), then what to double-check."""
    assert parsed.date is not None
    rows = [(_("date"), f"{parsed.date.isoformat()} {labels.weekday(parsed.date)}")]
    if parsed.earliest:
        rows.append((_("earliest"), f"{parsed.earliest.isoformat()} {labels.weekday(parsed.earliest)}"))
    if window := labels.format_window(parsed.start, parsed.end):
        rows.append((_("window") if parsed.start else _("time"), window))
    due = deadlines.due_at(parsed.date, parsed.end, tz)
    at = f"{parsed.end:%H:%M}" if parsed.end else "24:00"  # the end of the day, not the next one's 00:00
    rows.append((_("due"), f"{parsed.date.isoformat()} {at} (UTC{due:%z})"))
    width = max(cell_width(label) for label, _value in rows)
    return ([f"{label}{' ' * (width - cell_width(label))}  {value}" for label, value in rows]
            + [one_line(remark) for remark in labels.deadline_remarks(parsed)])  # remarks quote the clerk's words


def run(args) -> int:
    tz = clock.business_tz()
    ref = reference(args.reference, tz)
    text = args.text
    try:
        parsed: deadlines.ParsedDeadline | None = deadlines.parse_deadline(text, ref)
        error = None
    except deadlines.DeadlineError as exc:
        parsed, error = None, str(exc)
    if parsed is not None and not parsed.scheduled:
        error = labels.unread_words(parsed) or _("no date in this text")
    if args.format == "json":
        print(json.dumps(as_json(text, ref, parsed, error, tz), ensure_ascii=False))
    elif parsed is not None and parsed.scheduled:
        print("\n".join(lines(parsed, tz)))
    if error:
        print(f"notedesk: {one_line(error)}", file=sys.stderr)
        return 1
    return 0
