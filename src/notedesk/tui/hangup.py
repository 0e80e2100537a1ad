"""Hang-up: on SIGHUP or SIGTERM save every open editor's unsaved text as drafts, then exit.

A dropped SSH connection sends SIGHUP, whose default action kills the process at once and loses
what the clerk typed. `install(app)` (from App.on_mount, main thread) replaces that: the handler
asks every open editor for `unsaved_notes() -> {kind: (body, base_version)}`, writes them with
`drafts.save_drafts` synchronously, removes this clerk's presence on those orders, and exits:
- SIGHUP: the terminal is gone, nothing to restore: `os._exit(129)` right after the write;
- SIGTERM: the terminal may still be there: `app.exit()` restores it, and `os._exit(143)` after
  FORCE_EXIT_AFTER_S if the shutdown hangs.

A terminal can also go away without a SIGHUP reaching the desk (it is not the terminal's foreground
process: started by a script in its own session, or under a tool that keeps the signal from it): its
reads then return end-of-file and the desk would run on, unseen, using CPU on a shared server for
ever. `install` also looks every TERMINAL_CHECK_S whether the terminal is still one, and takes the
same way out as SIGHUP when it is not.

The write is safe in a signal handler: Python runs the handler on the main thread between two
bytecodes, and the main thread does no database work (screens use workers), so it normally has
no transaction open and the write runs right there. If it was somehow inside an operation, the
write runs in a fresh thread (its own connection) and is waited for FLUSH_TIMEOUT_S at most.
A busy database is retried by services.transaction like any other write.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading

from notedesk.errors import NotedeskError
from notedesk.services import drafts, presence, transaction
from notedesk.text import clean
from notedesk.tui.live import is_editor, open_screens

FLUSH_TIMEOUT_S = 40.0  # longer than the busy retry budget: a hung-up desk has time, a lost draft is lost
FORCE_EXIT_AFTER_S = 3.0
TERMINAL_CHECK_S = 1.0  # an isatty() a second: nothing to measure, nothing drawn
SIGNALS = (signal.SIGHUP, signal.SIGTERM)


def unsaved(app) -> list[tuple[str, dict[str, tuple[str, int]]]]:
    """[(number, {kind: (body, base_version)})] of every open editor with unsaved text."""
    found = []
    for screen in open_screens(app):
        if not is_editor(screen):
            continue
        try:
            notes = dict(screen.unsaved_notes() or {})
        except Exception:  # one broken editor must not cost the others their drafts
            continue
        found.append((screen.number, notes))
    return found


def write(items: list[tuple[str, dict[str, tuple[str, int]]]]) -> int:
    """Keep the drafts (one transaction) and leave presence; returns how many notes were kept. Any thread."""
    saved = 0
    try:
        saved = drafts.save_open_work(items)
    except NotedeskError as exc:
        _say(f"notedesk: could not keep the drafts of {', '.join(number for number, _ in items)}: {exc}")
    try:
        presence.update({}, [number for number, _ in items])
    except NotedeskError:
        pass  # the rows expire by themselves
    return saved


def flush_drafts(app) -> int:
    """Write every open editor's unsaved text as drafts now (main thread). Returns how many notes."""
    items = unsaved(app)
    if not items:
        return 0
    if not transaction.in_progress():
        return write(items)
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(write(items)), name="notedesk-hangup", daemon=True)
    worker.start()
    worker.join(FLUSH_TIMEOUT_S)
    return result[0] if result else 0


def _say(message: str) -> None:
    try:  # cleaned: the message can quote an order number written by another tool ("Text is data")
        print(clean(message), file=sys.stderr, flush=True)
    except Exception:
        pass  # stderr is the terminal that hung up


class _Handler:
    def __init__(self, app):
        self.app = app
        self.fired = False

    def __call__(self, signum, frame) -> None:
        if self.fired:  # a second signal (SIGTERM after SIGHUP) while saving: keep saving
            return
        self.fired = True
        code = 128 + signum
        try:
            flush_drafts(self.app)
        except BaseException as exc:  # never let the handler die before the exit below
            _say(f"notedesk: drafts not saved: {exc}")
        if signum == signal.SIGHUP:
            os._exit(code)
        forced = threading.Timer(FORCE_EXIT_AFTER_S, os._exit, (code,))
        forced.daemon = True
        forced.start()
        try:
            asyncio.get_running_loop().call_soon_threadsafe(lambda: self.app.exit(return_code=code))
        except RuntimeError:  # the app's loop is not running: nothing to restore
            os._exit(code)


def _terminal_fd() -> int | None:
    """The descriptor Textual reads keys from (sys.__stdin__), when it is a terminal."""
    try:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
    except (OSError, ValueError):
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


def install(app, signals=SIGNALS):
    """Catch `signals` for `app` (call from on_mount, on the main thread). Returns an uninstall function."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    handler = _Handler(app)
    previous = {sig: signal.signal(sig, handler) for sig in signals}
    watch = None
    terminal = _terminal_fd()
    if terminal is not None and not app.is_headless:
        def check_terminal() -> None:
            if not os.isatty(terminal):  # hung up: reads give end-of-file, tcgetattr EIO
                handler(signal.SIGHUP, None)

        watch = app.set_interval(TERMINAL_CHECK_S, check_terminal, name="terminal-gone")

    def uninstall() -> None:
        if watch is not None:
            watch.stop()
        for sig, old in previous.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, old if old is not None else signal.SIG_DFL)

    return uninstall
