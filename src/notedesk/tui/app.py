"""The desk application: global keys, the title bar, the stylesheet, the home screen, error messages."""

from __future__ import annotations

import weakref
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from notedesk.config import settings
from notedesk.i18n import _
from notedesk.services.database import describe_target
from notedesk.services.listing import FirstScreen
from notedesk.text import clean
from notedesk.tui import hangup, line_breaks, themes
from notedesk.tui.key_order import KeysInOrder
from notedesk.tui.leaving import quit_asking
from notedesk.tui.live import LiveRefresh
from notedesk.tui.reminders import Reminders
from notedesk.tui.safe import notify_plain
from notedesk.tui.screens.order_list import OrderListScreen
from notedesk.tui.sent_lines import LinesUpdate, SentLines
from notedesk.tui.service_calls import ServiceCallsHandled, ignore_failure, run_service
from notedesk.tui.textual_words import translate_bindings
from notedesk.tui.toasts import error_on_screen, hide_toasts


class NotedeskApp(ServiceCallsHandled, App):
    """The desk. Service calls' results come back through ServiceCallsHandled (tui/service_calls.py)."""

    CSS_PATH = "notedesk.tcss"
    TITLE = "notedesk"
    BINDINGS = [
        Binding("question_mark", "help", _("Help"), key_display="?"),
        # ? is text in a note or a field: F1 opens help from there too
        Binding("f1", "help", _("Help"), show=False),
        Binding("ctrl+p", "command_palette", _("Commands"), show=False),
        Binding("ctrl+l", "redraw", _("Redraw the screen"), show=False),
    ]

    def __init__(self, target: str, *, first: FirstScreen | None = None, lens: str = "all", **kwargs):
        """`first`: the order list's first rows, read before Textual loaded (cli/desk.py); `lens`: the
        department's lens the list starts in (services/lenses.py)."""
        translate_bindings()  # the footer's words, Textual's own included, before any widget copies them
        line_breaks.install()  # Chinese text wraps between characters, Latin words whole
        super().__init__(**kwargs)
        self.target = target  # what the desk is open on, for the title bar
        self._first = first
        self._lens = lens
        self.sub_title = describe_target(target)
        self.live: LiveRefresh | None = None  # started on mount (a test harness may mount without it)
        self.keys_in_order = KeysInOrder(self)
        self._unhook_hangup: Callable[[], None] | None = None
        self.sent_lines = SentLines()  # what the terminal shows: repaints send only what changed
        self._frames_held: weakref.WeakKeyDictionary[Screen, int] = weakref.WeakKeyDictionary()
        self._reminder_toasts: set[str] = set()  # the texts of the reminders' toasts shown
        self._held_reminders: list[str] = []  # reminders that came while a form showed an error

    REMINDER_S = 30.0  # how often the header counts and deadline reminders are refreshed
    FIRST_REMINDER_S = 1.0

    def get_default_screen(self) -> Screen:
        """The order list is the desk's base screen, not a screen pushed over Textual's blank one
        once the app is mounted: so it is composed with the app, and its first frame has the rows
        (pushed, it took three more frames, and 0.05-0.07 s, at 80x24; issue 7). The footer's keys
        follow a frame later, as in any Textual app: its Footer waits for the screen's bindings."""
        return OrderListScreen(self._first, lens=self._lens)

    def on_mount(self) -> None:
        self.theme = themes.install(self)  # high-contrast, NO_COLOR, 16 colours; animations off
        # other clerks' changes within two seconds, and any made since the first rows were read
        self.live = LiveRefresh(self, self.target, since=self._first.changes if self._first else None)
        self.live.start()
        self._unhook_hangup = hangup.install(self)  # a dropped SSH session keeps unsaved text as drafts
        self.app_resume_signal.subscribe(self, lambda _app: self.sent_lines.forget())
        self.reminders = Reminders()
        # After the first paint, not before: at 100k orders the first poll costs ~0.35 s of CPU
        # (benchmarks/results.md), which the clerk would wait for on every start.
        self.set_timer(self.FIRST_REMINDER_S, self.poll_reminders, name="first-reminders")
        self.set_interval(self.REMINDER_S, self.poll_reminders, name="reminders")

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes from the terminal one at a time, in order (tui/key_order.py)."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and self.keys_in_order.hold(event):
            return
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.keys_in_order.stop()
        if self.live is not None:
            self.live.stop()
        if self._unhook_hangup is not None:
            self._unhook_hangup()

    def _display(self, screen: Screen, renderable) -> None:
        """Textual's, sending only the lines the terminal does not show yet (tui/sent_lines.py)."""
        from textual._compositor import CompositorUpdate

        if (isinstance(renderable, CompositorUpdate) and self._driver is not None and not self.is_headless
                and not self.is_inline and self._running and not self._closed and not self._batch_count):
            if self._toasts_pending(screen):
                self.call_later(screen.refresh)  # the frame again once the toasts are laid out
                return
            cursor = self.screen.outer_size.clamp_offset(self.cursor_position)
            renderable = self.sent_lines.update(renderable, self.console, self.size, screen._compositor)
            if renderable is None and cursor != self._previous_cursor_position:
                renderable = LinesUpdate("")  # only the cursor moves (the terminal's, for input methods)
        super()._display(screen, renderable)

    def _toasts_pending(self, screen: Screen) -> bool:
        """Whether toasts are up but not laid out yet on `screen` (a screen that just came on top gets
        them a frame or two after its first: they vanished and came back when an order was opened).
        Holds at most a few frames per screen."""
        from textual.css.query import NoMatches
        from textual.widgets._toast import ToastRack

        if not any(not n.has_expired for n in self._notifications):
            return False
        held = self._frames_held.get(screen, 0)
        if held >= 3:
            return False
        try:
            rack = screen.get_child_by_type(ToastRack)
        except NoMatches:
            return False
        holders = list(rack.children)
        if holders and all(holder.region for holder in holders):
            return False
        self._frames_held[screen] = held + 1
        return True

    def action_redraw(self) -> None:
        """ctrl+l: paint every line again (a terminal that lost what it showed)."""
        self.sent_lines.forget()
        self.screen.refresh()

    def poll_reminders(self) -> None:
        """Header counts (overdue, due today) and a notification once per order entering the alert window.
        A busy or vanished database: the screens say so; reminders try again at the next poll."""
        run_service(self, self.reminders.poll, done=self._show_reminders, failed=ignore_failure,
                    group="reminders", exclusive=True)

    def _show_reminders(self, messages: list[str]) -> None:
        """Only the header's text changes on a poll (Textual repaints the header only when it differs);
        an open reminders screen reloads only when what waits changed."""
        self.sub_title = f"{describe_target(self.target)} · {self.reminders.counts_text()}"
        if error_on_screen(self.screen):  # errors win: the toasts wait for a poll without one (tui/toasts.py)
            self._held_reminders += messages
            return
        messages, self._held_reminders = [*self._held_reminders, *messages], []
        for message in messages:
            notify_plain(self, message, severity="warning", timeout=10)
            self._reminder_toasts.add(clean(message))
        if messages and settings().bell:
            self.bell()
        screen = self.screen
        if type(screen).__name__ == "RemindersScreen" and \
                getattr(screen, "waiting_keys", None) != tuple(r.key for r in self.reminders.waiting):
            screen.reload()  # type: ignore[attr-defined]

    def hide_reminder_toasts(self) -> None:
        """A form shows an error: the reminders' toasts, which could cover it, go (tui/toasts.py)."""
        hide_toasts(self, self._reminder_toasts)
        self._reminder_toasts.clear()

    def action_reminders(self) -> None:
        from notedesk.tui.screens.reminders import RemindersScreen

        if type(self.screen).__name__ != "RemindersScreen":
            self.push_screen(RemindersScreen())

    async def action_quit(self) -> None:
        """ctrl+q anywhere, q on the list: asks first when anything typed is not saved (tui/leaving.py)."""
        quit_asking(self)

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the interface language."""
        from notedesk.tui.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def get_system_commands(self, screen):
        """The palette (ctrl+p): every action of `screen` and the global ones, in the interface language."""
        from notedesk.tui.screens.help import palette_commands

        return palette_commands(self, screen)

    def action_help(self) -> None:
        from notedesk.tui.screens.help import HelpScreen

        if type(self.screen).__name__ != "HelpScreen":
            self.push_screen(HelpScreen(self.screen))

    def show_error(self, message: str, *, title: str | None = None,
                   on_close: Callable[[], None] | None = None) -> None:
        """Show `message` (literal text) in a MessageModal with an OK button; call `on_close` after."""
        from notedesk.tui.screens.message import MessageModal

        if isinstance(self.screen, MessageModal) and self.screen.message == message and on_close is None:
            return  # several workers failing for one reason (a busy database): one message, not a pile
        self.push_screen(MessageModal(message, title=title or _("Something went wrong")),
                         callback=(lambda _result: on_close()) if on_close else None)
