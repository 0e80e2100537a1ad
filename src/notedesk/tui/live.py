"""Live screens: reload what another clerk changed, heartbeat open editors, show who else is editing.

Wiring (NotedeskApp)::

    from notedesk.tui import hangup
    from notedesk.tui.live import LiveRefresh

    def on_mount(self):
        ...
        self.live = LiveRefresh(self, self.target)
        self.live.start()
        self._unhook = hangup.install(self)

    def on_unmount(self):
        self.live.stop()
        self._unhook()

What screens promise (duck typing, nothing to inherit):
- `reload()` (any screen): called on the main thread when someone committed a change while the
  screen was on top, or when it comes back on top after a change. It re-reads in its own worker and
  keeps the cursor, the scroll position and anything typed.
- an editor (NoteEditorScreen) has `number` and `unsaved_notes()`: while it is anywhere in the
  screen stack this clerk's presence on that order is renewed every HEARTBEAT_S (`kind` or
  `active_tab` names the tab, when present); it is removed when the editor is gone.
- `show_presence(editors: list[PresenceView])` plus `number` (OrderDetailScreen): called on the
  main thread when the screen comes on top and every PRESENCE_S while it stays there, with the
  other clerks that have this order's notes open (empty list: nobody). `presence_text(editors)`
  words it: "wang is editing since 10:02".

How: one daemon thread owns a ChangeWatcher (it is thread-affine) and polls it every POLL_S,
counting changes in `generation`; a main-thread timer every TICK_S compares each screen's last
seen generation and calls `reload()`. No call crosses threads but the int, so a busy or closing
app never blocks the watcher. Worst case from commit to reload: POLL_S + TICK_S = 1.5 s.
"""

from __future__ import annotations

import threading
import time
import weakref

from notedesk import clock
from notedesk.domain import NOTE_KINDS
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import presence
from notedesk.services.changes import ChangeWatcher
from notedesk.services.presence import PresenceView
from notedesk.tui.service_calls import ignore_failure, run_service


def open_screens(app) -> list:
    """Every open screen, bottom first (the desk uses no screen modes: one stack)."""
    return list(app.screen_stack)


def is_editor(screen) -> bool:
    return callable(getattr(screen, "unsaved_notes", None)) and bool(getattr(screen, "number", None))


def _editor_kind(screen) -> str:
    for name in ("kind", "active_tab"):
        value = getattr(screen, name, None)
        if callable(value):
            try:
                value = value()
            except Exception:
                value = None
        if value in NOTE_KINDS:
            return value
    return ""


def presence_text(editors: list[PresenceView]) -> str:
    """One line for the order detail: "wang is editing since 10:02", several joined by "; "."""
    zone = clock.business_tz()
    parts = [_("{clerk} is editing since {time}").format(
        clerk=p.clerk, time=p.since.astimezone(zone).strftime("%H:%M")) for p in editors]
    return "; ".join(parts)


class LiveRefresh:
    POLL_S = 1.0
    TICK_S = 0.5
    HEARTBEAT_S = 10.0
    PRESENCE_S = 5.0

    def __init__(self, app, target: str, *, poll_s: float | None = None, tick_s: float | None = None,
                 heartbeat_s: float | None = None, presence_s: float | None = None, since: int | None = None):
        """`since`: the change counter the first screen's data is as of (read before the desk
        started): a change after it reloads that screen. Without it, changes count from the first poll."""
        self.app, self.target = app, target
        self.since = since
        self.poll_s = poll_s or self.POLL_S
        self.tick_s = tick_s or self.TICK_S
        self.heartbeat_s = heartbeat_s or self.HEARTBEAT_S
        self.presence_s = presence_s or self.PRESENCE_S
        self.generation = 0  # written by the watcher thread only
        self.errors = 0  # polls that failed (the database was unreachable), for diagnostics
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._timer = None
        self._seen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # screen -> generation shown
        self._presence_due: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # screen -> monotonic
        self._previous = 0  # generation at the previous tick
        self._beating: dict[str, str] = {}  # order number -> tab, editors open now
        self._last_beat = 0.0
        self._top = None  # the screen presence was last fetched for

    # --- lifecycle (main thread) -----------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._watch, name="notedesk-live", daemon=True)
        self._thread.start()
        self._timer = self.app.set_interval(self.tick_s, self.tick, name="live-refresh")

    def stop(self) -> None:
        """Stop polling and say this clerk left the orders it was editing (best effort, quick)."""
        self._stop.set()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        gone, self._beating = list(self._beating), {}
        if gone:
            # At exit workers no longer run; a short thread so a slow database cannot hold the exit.
            thread = threading.Thread(target=self._leave_all, args=(gone,), daemon=True)
            thread.start()
            thread.join(2.0)

    # --- the watcher thread ----------------------------------------------------------------------

    def _watch(self) -> None:
        watcher = ChangeWatcher(self.target, since=self.since)
        try:
            # The first call (at once, as the first screens load) takes the baseline, or compares
            # with `since`.
            while True:
                try:
                    if watcher.changed():
                        self.generation += 1
                except NotedeskError:
                    self.errors += 1  # unreachable for now; the next poll reconnects
                if self._stop.wait(self.poll_s):
                    break
        finally:
            watcher.close()

    # --- the main-thread tick --------------------------------------------------------------------

    def tick(self) -> None:
        """Reload the active screen if it is behind; heartbeats; presence. Main thread only."""
        generation = self.generation
        try:
            screen = self.app.screen
        except Exception:  # no screen yet, or the app is closing
            return
        seen = self._seen.get(screen)
        if seen is None:
            # First time on top: its own load may have run before a change noticed since the
            # previous tick, so count from there (one reload too many at worst, never one too few).
            seen = self._seen[screen] = self._previous
        if seen < generation and getattr(screen, "is_mounted", True):
            self._seen[screen] = generation
            reload = getattr(screen, "reload", None)
            if callable(reload):
                reload()
        self._previous = generation
        self._heartbeats()
        self._presence(screen)
        if screen is not self._top and not callable(getattr(screen, "show_presence", None)):
            self._top = screen

    def _heartbeats(self) -> None:
        editors = {s.number: _editor_kind(s) for s in open_screens(self.app) if is_editor(s)}
        now = time.monotonic()
        due = now - self._last_beat >= self.heartbeat_s
        beat = dict(editors) if due else {n: k for n, k in editors.items() if self._beating.get(n) != k}
        gone = [n for n in self._beating if n not in editors]
        self._beating = editors
        if due:
            self._last_beat = now
        if beat or gone:  # a busy database: the next heartbeat tries again
            run_service(self.app, presence.update, beat, gone, failed=ignore_failure, group="live-heartbeat")

    @staticmethod
    def _leave_all(numbers) -> None:
        try:
            presence.update({}, list(numbers))
        except NotedeskError:
            pass  # the rows expire by themselves

    def _presence(self, screen) -> None:
        show = getattr(screen, "show_presence", None)
        number = getattr(screen, "number", None)
        if not callable(show) or not number:
            return
        now = time.monotonic()
        if screen is self._top and now < self._presence_due.get(screen, 0.0):
            return
        self._top = screen  # back on top (an editor closed over it): ask again at once
        self._presence_due[screen] = now + self.presence_s
        # a failure is left to the next tick; a screen closed meanwhile never gets the answer
        run_service(screen, presence.editing, number, done=show, failed=ignore_failure,
                    group="live-presence", exclusive=True)
