"""A reminder (services.reminders.Reminder) as a clerk reads it, in the interface language: one line
for the reminders screen, a toast, `notedesk remind`'s message. Plain strings; every stored string
is folded onto one line and cleaned (text.one_line)."""

from __future__ import annotations

import datetime as dt

from notedesk import clock, labels
from notedesk.i18n import _, ngettext
from notedesk.text import one_line

NAME_WIDTH = 20
TEXT_WIDTH = 200


def _when(reminder) -> str:
    today = clock.local_now().date()
    if reminder.kind == "follow_up":
        local = reminder.due.astimezone(clock.business_tz())
        return f"{labels.format_date(local.date(), today=today)} {local:%H:%M}"
    return labels.format_deadline(reminder.deadline, today=today)


def kind_label(kind: str) -> str:
    return {"due_soon": _("due soon"), "overdue": _("overdue"), "instalment": _("instalment"),
            "follow_up": _("follow-up")}.get(kind, kind)


def line(reminder, now: dt.datetime | None = None) -> str:
    """'SO-2026-00042 (王芳) is due in 3 hours: Tue 1 Dec 09:00–11:00' and the like."""
    now = clock.as_utc(now) if now is not None else clock.now()
    number, who, when = one_line(reminder.number), one_line(reminder.customer, NAME_WIDTH), _when(reminder)
    if reminder.kind == "overdue":
        return _("{number} ({customer}) is overdue: due {when}").format(number=number, customer=who, when=when)
    if reminder.kind == "due_soon":
        return _("{number} ({customer}) is due in {span}: {when}").format(
            number=number, customer=who, span=labels.span(reminder.due - now), when=when)
    if reminder.kind == "instalment":
        return _("{number} ({customer}): instalment of {amount} due {when}").format(
            number=number, customer=who, amount=labels.money(reminder.amount, reminder.currency), when=when)
    return _("{number} ({customer}): follow-up for {clerk}, {when}: {text}").format(
        number=number, customer=who, clerk=one_line(reminder.clerk), when=when,
        text=one_line(reminder.text, TEXT_WIDTH))


def message(reminders: list, now: dt.datetime | None = None) -> str:
    """One message for a robot: the reminder's line, or a heading and a line each."""
    lines = [line(r, now) for r in reminders]
    if len(lines) == 1:
        return lines[0]
    heading = ngettext("notedesk: {n} reminder", "notedesk: {n} reminders", len(lines)).format(n=len(lines))
    return "\n".join([heading, *("- " + text for text in lines)])


def messages(reminders: list, now: dt.datetime | None = None, *, max_bytes: int = 2000,
             max_lines: int = 20) -> list[tuple[str, list]]:
    """The reminders packed into messages a robot takes (at most `max_lines` reminders and about
    `max_bytes` of UTF-8 each), each with the reminders it carries, in order."""
    out: list[tuple[str, list]] = []
    batch: list = []
    size = 0
    for reminder in reminders:
        cost = len(line(reminder, now).encode("utf-8")) + 3
        if batch and (len(batch) >= max_lines or size + cost > max_bytes - 60):
            out.append((message(batch, now), batch))
            batch, size = [], 0
        batch.append(reminder)
        size += cost
    if batch:
        out.append((message(batch, now), batch))
    return out
