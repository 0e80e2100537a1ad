"""Reminders in the desk: the header's "4 reminders (m) · 2 overdue · 3 due today" and toasts naming the order.

Pure logic with no Textual in it, so it is unit-tested without an app; the app calls `poll()` from
a timer in a thread worker (it reads the database) and shows what it returns with notify_plain.

What waits for this clerk is services.reminders.waiting(): orders coming due within `alert_hours`,
overdue orders, instalments falling due and the clerk's own follow-ups, until acknowledged in the
reminders screen (stored per clerk, so they are still there tomorrow). A toast names the order: the
first check after the desk opens gives the waiting ones (one message each, or one message naming the
first few when there are many); after that each reminder that starts waiting is announced once — an
order coming due, then again when it is overdue; a postponed order or a snoozed follow-up is a new
reminder at its new time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from notedesk import clock, labels, reminder_words
from notedesk.config import current_clerk, settings
from notedesk.i18n import _, ngettext
from notedesk.services.reminders import Key, Reminder

MAX_SINGLE = 3  # more new reminders than this at once are summarised in one message


def span(delta: dt.timedelta) -> str:
    """'45 min', '3 h', '2 d': how far away a due time is, short enough for a toast."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 120:
        return _("{n} min").format(n=minutes)
    if minutes < 48 * 60:
        return _("{n} h").format(n=minutes // 60)  # down: "in 23 h" when 23½ h away, never later than true
    return _("{n} d").format(n=minutes // 1440)


def weekday(date: dt.date) -> str:
    """The short weekday in the interface language (not %a: that follows the C locale)."""
    return labels.weekday(date)


def window(start: dt.time | None, end: dt.time | None) -> str:
    """'09:00–11:00', 'by 15:00' (localised), or ''."""
    return labels.format_window(start, end)


class Reminders:
    """Remembers what was announced; `check()` returns the messages to show now."""

    def __init__(self, alert_hours: float | None = None, clerk: str | None = None) -> None:
        hours = settings().alert_hours if alert_hours is None else alert_hours
        self.alert = dt.timedelta(hours=max(0.0, float(hours)))
        self.clerk = clerk or current_clerk()
        self.overdue = 0
        self.today = 0
        self.waiting: tuple[Reminder, ...] = ()
        self.started = False
        self._seen: set[Key] = set()

    # --- header ---------------------------------------------------------------------------------

    def set_counts(self, overdue: int, today: int) -> None:
        self.overdue, self.today = overdue, today

    def counts_text(self) -> str:
        """The header's reminder: '4 reminders (m) · 2 overdue · 3 due today'."""
        if not self.overdue and not self.today:
            text = _("nothing due today")
        else:
            text = _("{overdue} overdue · {today} due today").format(overdue=self.overdue, today=self.today)
        if self.waiting:  # first: the header is cut at the right on a narrow terminal
            text = ngettext("{n} reminder (m)", "{n} reminders (m)", len(self.waiting)).format(
                n=len(self.waiting)) + " · " + text
        return text

    # --- notifications ------------------------------------------------------------------------------

    def check(self, waiting: Sequence[Reminder], now: dt.datetime | None = None) -> list[str]:
        """Messages for the reminders that started waiting since the last check (on the first, all of them)."""
        now = clock.as_utc(now) if now is not None else clock.now()
        self.waiting = tuple(waiting)
        fresh = [r for r in self.waiting if r.key not in self._seen]
        self._seen = {r.key for r in self.waiting}
        first, self.started = not self.started, True
        if not fresh:
            return []
        if len(fresh) > MAX_SINGLE:
            numbers = ", ".join(dict.fromkeys(r.number for r in fresh))
            heading = (ngettext("{n} reminder waiting", "{n} reminders waiting", len(fresh)) if first
                       else ngettext("{n} new reminder", "{n} new reminders", len(fresh))).format(n=len(fresh))
            return [_("{heading}: {numbers} (m shows them)").format(heading=heading, numbers=_cut(numbers))]
        return [reminder_words.line(r, now) for r in fresh]

    # --- the app's timer ----------------------------------------------------------------------------

    def poll(self, now: dt.datetime | None = None) -> list[str]:
        """Read the counts and what waits for this clerk, and return the messages to show.
        Database work: call it from a thread worker (exclusive, so two polls never overlap)."""
        from notedesk.services import deadlines, reminders

        now = clock.as_utc(now) if now is not None else clock.now()
        self.set_counts(*deadlines.counts(now))
        return self.check(reminders.waiting(self.clerk, now, alert=self.alert).reminders, now)


def _cut(numbers: str, limit: int = 60) -> str:
    return numbers if len(numbers) <= limit else numbers[:limit].rsplit(", ", 1)[0] + ", …"
