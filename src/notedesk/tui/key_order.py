"""Keys from the terminal are handled one at a time, each once what the key before it set going is done.

Why: Textual hands each key to the widget that has focus *when the app takes the key off its
queue*, while what a key does (Tab's focus_next, escape closing a screen, enter moving on to the
next field, a screen opening and focusing its first field) happens later, once that key has gone
through the widgets' own queues and back to the app. Keys that arrive together (a fast typist, a
paste, an SSH link that delivers keystrokes in bursts) are therefore all handed to the field that
had focus when the first one came: tmux `send-keys "Wang Fang" Tab "Huaxing"` typed
"Wang FangHuaxing" into one field. A plain Textual app with two Inputs does the same (measured on
Textual 8.2.8 in tmux).

Keys typed while the screen on top is still loading what they would go into (the note editor
reads the notes first: it cannot take text before) wait for it too, instead of being lost. The
same for keys a widget binds: `End`, `ctrl+u` and then text sent together into an Input ran
`End` and `ctrl+u` after the text was in, and the field ended up empty.

How: the app holds every key (and paste) that comes from the terminal and releases them in order
from a task of its own. A key that only types into the focused text field (a printable key, no
priority binding on it; a paste) cannot move the focus, so the next key follows at once: a burst
of text costs nothing. Any other key (Tab, enter, escape, a binding, a letter on a list) waits
until the text before it is in its field (ctrl+s at the end of a burst saved the form without the
last word: issue 15), and the next one waits until every message queue of the app, its screens
and their widgets is empty, and every pump has finished what it was doing (a callback round, as
Textual's Pilot waits for a screen), i.e. until that key has been dealt with and whatever it set
off (a focus move, a screen mounted, a message handled) has happened. A released key takes
Textual's own path (priority bindings, then the focused widget). So each key lands where it would
have landed typed slowly. Threads (database calls) are not waited for: a key never waits for the
database.

The wait is bounded (SETTLE_LIMIT_S): a widget that kept a queue busy for ever would slow typing
down, never stop it.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterator

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.widgets import Input, TextArea

SETTLE_LIMIT_S = 3.0  # a safety valve, not a timing: on a loaded 2-core server one Tab took 0.6 s
CLEAN_ROUNDS = 2
LOADING_LIMIT_S = 10.0
LOADING_POLL_S = 0.02


class KeysInOrder:
    """The app's gate for terminal input: `hold(event)` from App.on_event."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._held: deque[events.Event] = deque()
        self._released: dict[int, events.Event] = {}  # on their way back to the app
        self._unsettled = False  # the last key released may move the focus: wait before the next
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def hold(self, event: events.Event) -> bool:
        """True when the app must not handle `event` now: it is queued and comes back in its turn."""
        if self._released.pop(id(event), None) is event:
            return False
        self._held.append(event)
        self._wake.set()
        if self._task is None:
            self._task = asyncio.create_task(self._release(), name="notedesk-keys-in-order")
        return True

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _release(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._held:
                event = self._held.popleft()
                try:
                    types = self._only_types(event)
                    if self._unsettled or not types:
                        # and before a key that does more than type (ctrl+s saving, Tab): the text
                        # typed just before it must be in its field first, not still in the field's queue
                        await self._settled()
                    await self._screen_ready()
                    self._unsettled = not types
                except Exception:  # no screen yet, or the app is closing: the key goes on regardless
                    self._unsettled = True
                self._released[id(event)] = event
                self.app.post_message(event)

    async def _screen_ready(self) -> None:
        """While the screen on top says it does not take keys yet (the note editor loading the notes
        it would put typed text into), keys wait, LOADING_LIMIT_S at most: a slow database must not
        take escape away for long."""
        for _ in range(int(LOADING_LIMIT_S / LOADING_POLL_S)):  # a plain attribute of any screen: looked at
            if getattr(self.app.screen, "takes_keys", True):
                return
            await asyncio.sleep(LOADING_POLL_S)

    def _only_types(self, event: events.Event) -> bool:
        """`event` types into the focused text field and does nothing else: it cannot move the focus."""
        focused = self.app.focused
        if not isinstance(focused, (Input, TextArea)) or getattr(focused, "read_only", False):
            return False
        if isinstance(event, events.Paste):
            return True
        if not isinstance(event, events.Key) or not event.is_printable:
            return False
        bound = self.app.active_bindings.get(event.key)
        return bound is None or not bound.binding.priority

    async def _settled(self) -> None:
        """Until every message queue is empty, twice in a row, after a round in which the pumps that
        handle a key (the app, the screen on top, the focused widget and its parents) each took a
        callback: a pump inside a handler takes it only when that handler is done, so work under way
        counts as well as work queued (measured: looking at the queues alone let a key through
        before the Tab in front of it had moved the focus, about one burst in five)."""
        give_up = time.monotonic() + SETTLE_LIMIT_S
        clean = 0
        while clean < CLEAN_ROUNDS and time.monotonic() < give_up:
            await self._round(give_up)
            clean = 0 if any(pump.message_queue_size for pump in self._pumps()) else clean + 1

    async def _round(self, give_up: float) -> None:
        pending = 0
        all_called = asyncio.Event()

        def called() -> None:
            nonlocal pending
            pending -= 1
            if pending == 0:
                all_called.set()

        for pump in self._handling():
            pending += pump.call_later(called)  # False (0) for a pump that is closing
        if pending:
            try:
                await asyncio.wait_for(all_called.wait(), max(0.0, give_up - time.monotonic()))
            except TimeoutError:
                pass

    def _handling(self) -> list[MessagePump]:
        """Where a key is handled: the app, the screen on top and the focused widget with its parents."""
        screen = self.app.screen
        focused = screen.focused
        chain = list(focused.ancestors_with_self) if focused is not None else [screen, self.app]
        return [*dict.fromkeys([*chain, screen, self.app])]

    def _pumps(self) -> Iterator[MessagePump]:
        yield self.app
        for screen in self.app.screen_stack:
            yield from screen.walk_children(with_self=True)
