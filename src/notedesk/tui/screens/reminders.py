"""RemindersScreen: what is coming due and what was missed, kept until the clerk acknowledges it.

Two lists in one: the reminders waiting for this clerk (orders due within `alert_hours`, overdue
orders, instalments falling due, their follow-ups whose time has come; services.reminders.waiting),
and below them all their follow-ups not done yet, soonest first. `a` acknowledges the reminder under
the cursor (stored per clerk: it does not come back tomorrow), `A` all of them; on a follow-up `x`
marks it done and `z` snoozes it; `enter` opens the order. The app's reminder poll calls `reload()`
only when what waits changed, so an open screen follows without repainting on every poll.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from notedesk import reminder_words
from notedesk.config import current_clerk
from notedesk.errors import NotedeskError
from notedesk.i18n import _, ngettext
from notedesk.services import follow_ups, reminders
from notedesk.services.reminders import Desk, Reminder
from notedesk.services.types import FollowUpView
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service

KIND_STYLES = {"overdue": "red", "due_soon": "yellow", "instalment": "magenta", "follow_up": "cyan"}


def reminder_row(reminder: Reminder, now) -> Text:
    """The reminder's line (it says what kind it is), coloured by kind."""
    return Text(reminder_words.line(reminder, now), style=KIND_STYLES.get(reminder.kind, ""))


def follow_up_row(f: FollowUpView) -> Text:
    out = Text()
    out.append(follow_ups.when_label(f.due_at), style="bold")
    if f.state == "snoozed":
        out.append(" (" + _("snoozed") + ")", style="dim")
    out.append("  ")
    out.append(one_line(f.number))
    out.append(f" ({one_line(f.customer, 16)})", style="dim")
    out.append("  ")
    out.append(one_line(f.text, 80))
    return out


class RemindersScreen(Screen):
    """Keys: enter open, a acknowledge, A acknowledge all, x done, z snooze, escape back."""

    BINDINGS = [
        Binding("enter", "open", _("Open")),
        Binding("a", "acknowledge", _("Seen")),
        Binding("A", "acknowledge_all", _("All seen"), key_display="A"),
        Binding("x", "done", _("Done")),
        Binding("z", "snooze", _("Snooze")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.clerk = current_clerk()
        self.desk: Desk | None = None
        self._shown: tuple = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(_("Reminders for {clerk}").format(clerk=one_line(self.clerk))), id="reminders-title")
        yield OptionList(id="reminders-list")
        yield Static("", id="reminders-hint", classes="editor-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    def reload(self) -> None:
        run_service(self, reminders.desk, self.clerk, done=self._show, group="reminders-screen", exclusive=True)

    @property
    def waiting_keys(self) -> tuple:
        return tuple(r.key for r in self.desk.waiting.reminders) if self.desk else ()

    def _show(self, desk: Desk) -> None:
        self.desk = desk
        shown = (self.waiting_keys, tuple((f.id, f.version) for f in desk.follow_ups))
        if shown == self._shown:
            return  # nothing changed: nothing repainted
        self._shown = shown
        options = self.query_one(OptionList)
        keep = options.highlighted_option.id if options.highlighted_option is not None else None
        at = options.highlighted or 0
        rows: list[Option | None] = []
        waiting = desk.waiting.reminders
        rows.append(Option(Content(ngettext("{n} reminder waiting", "{n} reminders waiting", len(waiting))
                                   .format(n=len(waiting)) if waiting else _("Nothing waiting.")),
                           id="head-waiting", disabled=True))
        rows += [Option(reminder_row(r, desk.waiting.now), id=f"r{n}") for n, r in enumerate(waiting)]
        rows.append(None)
        heading = _("My follow-ups") if desk.follow_ups else _("No follow-ups: u on an order adds one.")
        rows.append(Option(Content(heading), id="head-follow-ups", disabled=True))
        rows += [Option(follow_up_row(f), id=f"f{f.id}") for f in desk.follow_ups]
        options.clear_options()
        options.add_options(rows)
        ids = [o.id for o in options.options]
        if keep in ids:
            options.highlighted = ids.index(keep)
        else:  # what it was on went (seen, done): the row now in its place, or the nearest before it
            usable = [i for i, o in enumerate(options.options) if not o.disabled]
            options.highlighted = next((i for i in usable if i >= at), usable[-1] if usable else None)
        self.query_one("#reminders-hint", Static).update(
            Content(_("a: seen (it leaves this list) · A: all seen · x: follow-up done · z: snooze")))

    # --- what the cursor is on ----------------------------------------------------------------------

    def _current(self) -> tuple[Reminder | None, FollowUpView | None]:
        option = self.query_one(OptionList).highlighted_option
        if self.desk is None or option is None or option.id is None:
            return None, None
        if option.id.startswith("r"):
            reminder = self.desk.waiting.reminders[int(option.id[1:])]
            if reminder.kind == "follow_up":
                return reminder, next((f for f in self.desk.follow_ups if f.id == reminder.subject_id), None)
            return reminder, None
        if option.id.startswith("f"):
            wanted = int(option.id[1:])
            return None, next((f for f in self.desk.follow_ups if f.id == wanted), None)
        return None, None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    # --- actions --------------------------------------------------------------------------------

    def action_open(self) -> None:
        from notedesk.tui.screens.order_detail import OrderDetailScreen

        reminder, follow_up = self._current()
        number = reminder.number if reminder else follow_up.number if follow_up else None
        if number:
            self.app.push_screen(OrderDetailScreen(number), callback=lambda _r: self.reload())

    def action_acknowledge(self) -> None:
        reminder, _follow_up = self._current()
        if reminder is not None:
            self._acknowledge([reminder.key])

    def action_acknowledge_all(self) -> None:
        if self.waiting_keys:
            self._acknowledge(list(self.waiting_keys))

    def _acknowledge(self, keys: list) -> None:
        run_service(self, reminders.acknowledge, self.clerk, keys, done=self._changed, group="reminders-ack")

    def action_done(self) -> None:
        _reminder, follow_up = self._current()
        if follow_up is None:
            notify_plain(self.app, _("Not a follow-up: a acknowledges a reminder."))
            return
        run_service(self, follow_ups.done, follow_up.id, done=self._changed, group="follow-up-done")

    def action_snooze(self) -> None:
        from notedesk.tui.screens.follow_up import SnoozeModal

        _reminder, follow_up = self._current()
        if follow_up is None:
            notify_plain(self.app, _("Not a follow-up: a acknowledges a reminder."))
            return
        self.app.push_screen(SnoozeModal(follow_up), callback=lambda view: view and self._changed(view))

    def _changed(self, _result=None) -> None:
        self.reload()
        poll = getattr(self.app, "poll_reminders", None)
        if poll is not None:
            poll()  # the header's count follows at once

    def _failed(self, error: NotedeskError) -> None:
        notify_plain(self.app, str(error), severity="error")

    def action_back(self) -> None:
        self.dismiss()
