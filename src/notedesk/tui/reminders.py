"""Reminders: the header's "2 overdue · 3 due today" and the once-only deadline notifications.

Pure logic with no Textual in it, so it is unit-tested without an app; the app calls `poll()` from
a timer in a thread worker (it reads the database) and shows what it returns with notify_plain.

Decisions: the first check after the desk opens gives one summary ("2 orders overdue, 3 due within
24 h") instead of one message per order; after that an order is announced once when it enters the
alert window (config `alert_hours`, default 24 h) and once when it becomes overdue. An order whose
due time changes (postponed, edited) counts as new, so it is announced again when the new deadline
comes near; one that leaves the list (delivered, cancelled, postponed out of the window) is
forgotten. More than MAX_SINGLE new orders of one kind at once (every day-only deadline falls due
at midnight) become one message listing the first few numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from notedesk import clock, labels
from notedesk.config import settings
from notedesk.i18n import _, ngettext
from notedesk.services.types import DueItem
from notedesk.text import one_line

MAX_SINGLE = 3  # more new orders than this at once are summarised in one message
NAME_WIDTH = 20

OVERDUE, SOON = "overdue", "soon"


def span(delta: dt.timedelta) -> str:
    """'45 min', '3 h', '2 d': how far away a due time is, short enough for a toast."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 120:
        return _("{n} min").format(n=minutes)
    if minutes < 48 * 60:
        return _("{n} h").format(n=minutes // 60)  # down: "in 23 h" when 23½ h away, never later than true
    return _("{n} d").format(n=minutes // 1440)


def when(item: DueItem) -> str:
    """'Thu 26 Nov 10:00–11:00' / '11月26日 周四 10:00–11:00' (local business date and window)."""
    d = item.deadline
    if d.date is None:
        return ""
    return labels.format_deadline(d, today=clock.local_now().date())


def weekday(date: dt.date) -> str:
    """The short weekday in the interface language (not %a: that follows the C locale)."""
    return labels.weekday(date)


def window(start: dt.time | None, end: dt.time | None) -> str:
    """'09:00–11:00', 'by 15:00' (localised), or ''."""
    return labels.format_window(start, end)


class Reminders:
    """Remembers what was announced; `check()` returns the messages to show now."""

    def __init__(self, alert_hours: float | None = None) -> None:
        hours = settings().alert_hours if alert_hours is None else alert_hours
        self.alert = dt.timedelta(hours=max(0.0, float(hours)))
        self.overdue = 0
        self.today = 0
        self.started = False
        self._seen: dict[str, tuple[str, dt.datetime]] = {}  # number -> (stage announced, due then)

    # --- header ---------------------------------------------------------------------------------

    def set_counts(self, overdue: int, today: int) -> None:
        self.overdue, self.today = overdue, today

    def counts_text(self) -> str:
        """The header's reminder: '2 overdue · 3 due today' (or that nothing is due today)."""
        if not self.overdue and not self.today:
            return _("nothing due today")
        return _("{overdue} overdue · {today} due today").format(overdue=self.overdue, today=self.today)

    # --- notifications ------------------------------------------------------------------------------

    def stage(self, item: DueItem, now: dt.datetime) -> str | None:
        if item.due is None:
            return None
        if now >= item.due:
            return OVERDUE
        return SOON if item.due - now <= self.alert else None

    def check(self, items: Iterable[DueItem], now: dt.datetime | None = None) -> list[str]:
        """Messages for what is new since the last check (a summary on the first). `items` may be
        any open orders (e.g. services.deadlines.due_orders(now, within=self.alert))."""
        now = clock.as_utc(now) if now is not None else clock.now()
        current: dict[str, tuple[str, DueItem]] = {}
        for item in items:
            stage = self.stage(item, now)
            if stage is not None:
                current[item.number] = (stage, item)
        previous, self._seen = self._seen, {n: (s, i.due) for n, (s, i) in current.items()}
        if not self.started:
            self.started = True
            return self._summary([s for s, _i in current.values()])
        fresh: dict[str, list[DueItem]] = {OVERDUE: [], SOON: []}
        for number, (stage, item) in current.items():
            before = previous.get(number)
            if before is not None and before[1] == item.due and (before[0] == stage or before[0] == OVERDUE):
                continue  # already said
            fresh[stage].append(item)
        messages = []
        for stage in (OVERDUE, SOON):
            batch = sorted(fresh[stage], key=lambda i: (i.due, i.number))
            if len(batch) > MAX_SINGLE:
                messages.append(self._many(stage, batch))
            else:
                messages.extend(self._one(stage, item, now) for item in batch)
        return messages

    def _summary(self, stages: list[str]) -> list[str]:
        overdue, soon = stages.count(OVERDUE), stages.count(SOON)
        if not overdue and not soon:
            return []
        parts = []
        if overdue:
            parts.append(ngettext("{n} order overdue", "{n} orders overdue", overdue).format(n=overdue))
        if soon:
            parts.append(ngettext("{n} order due within {span}", "{n} orders due within {span}", soon)
                         .format(n=soon, span=span(self.alert)))
        return [_(", ").join(parts)]

    def _one(self, stage: str, item: DueItem, now: dt.datetime) -> str:
        who = one_line(item.customer, NAME_WIDTH)
        if stage == OVERDUE:
            return _("{number} ({customer}) is now overdue: due {when}").format(
                number=item.number, customer=who, when=when(item))
        return _("{number} ({customer}) is due in {span}: {when}").format(
            number=item.number, customer=who, span=span(item.due - now), when=when(item))

    def _many(self, stage: str, batch: list[DueItem]) -> str:
        numbers = ", ".join(i.number for i in batch[:MAX_SINGLE]) + ", …"
        if stage == OVERDUE:
            return _("{n} orders are now overdue: {numbers}").format(n=len(batch), numbers=numbers)
        return _("{n} orders are now due within {span}: {numbers}").format(
            n=len(batch), span=span(self.alert), numbers=numbers)

    # --- the app's timer ----------------------------------------------------------------------------

    def poll(self, now: dt.datetime | None = None) -> list[str]:
        """Read the counts and the orders in the alert window, and return the messages to show.
        Database work: call it from a thread worker (exclusive, so two polls never overlap)."""
        from notedesk.services import deadlines

        now = clock.as_utc(now) if now is not None else clock.now()
        self.set_counts(*deadlines.counts(now))
        return self.check(deadlines.due_orders(now, within=self.alert), now)
