"""Screens call the services through `run_service`: in a thread worker, the result back as a message.

Peewee is synchronous and its connections belong to a thread, so a screen never calls a service
on the main thread (typing would stop while the database works). Instead::

    run_service(self, orders.get_order, self.number, done=self._show, group="detail-load")

runs `orders.get_order(self.number)` in a thread worker. When it returns, a `ServiceCallDone`
message is posted to `self` (the screen or widget that asked) and bubbles to the app, whose one
handler (ServiceCallsHandled, mixed into the app) calls `done(result)` on the main thread. A
`NotedeskError` (a busy or vanished database, a conflict, a bad value: always one line for the
clerk) goes to `failed(error)` instead; without `failed` the clerk gets it as an error
notification. Anything else is a bug: the worker fails and Textual stops the app with its
traceback, as for any other exception.

What the pattern promises, so screens need not check:
- a result for a screen or widget that has gone (closed while the database worked) is dropped:
  the message dies with its node; so is any result reaching an app whose screens are gone (quitting);
- a result of a call superseded by a newer one in the same group (`exclusive=True`) is dropped;
- callbacks run on the main thread, in order of arrival, never while another callback runs.

See docs/ARCHITECTURE.md, "Screens and workers".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker

from notedesk.errors import NotedeskError
from notedesk.tui.safe import notify_plain

__all__ = ["ServiceCallDone", "ServiceCallsHandled", "ignore_failure", "run_service"]


class ServiceCallDone(Message):
    """A service call finished: `result`, or the NotedeskError `error`. Handled by the app."""

    def __init__(self, result: Any, error: NotedeskError | None,
                 done: Callable[[Any], Any] | None, failed: Callable[[NotedeskError], Any] | None) -> None:
        super().__init__()
        self.result = result
        self.error = error
        self.done = done
        self.failed = failed

    node: MessagePump | None = None  # who asked (run_service sets it)

    def deliver(self, app) -> None:
        """Call back on the main thread (the app's handler calls this); not for a screen that was
        closed meanwhile (on a busy machine the answer can reach the app while the screen is taken down)."""
        if self.node is not None and _closed(app, self.node):
            return
        if self.error is None:
            if self.done is not None:
                self.done(self.result)
        elif self.failed is not None:
            self.failed(self.error)
        else:
            notify_plain(app, str(self.error), severity="error", timeout=10)


class ServiceCallsHandled:
    """Mixin for the App: the one handler that calls back when a service call is done."""

    def on_service_call_done(self, message: ServiceCallDone) -> None:
        message.deliver(self)


def _closed(app, node: MessagePump) -> bool:
    """`node` is a screen no longer in the app's stack, or a widget of one (or one removed), or the
    app itself while it shuts down (its screens already gone: a poll's answer arriving then)."""
    from textual.screen import Screen
    from textual.widget import Widget

    if not app.screen_stack:
        return True
    if isinstance(node, Screen):
        return node not in app.screen_stack
    if isinstance(node, Widget):
        try:
            screen = node.screen
        except Exception:  # not on a screen any more
            return True
        return screen not in app.screen_stack or not node.is_attached
    return False


def ignore_failure(_error: NotedeskError) -> None:
    """`failed=ignore_failure`: for calls whose failure the next attempt covers (a live reload, a draft)."""


def run_service(node: MessagePump, call: Callable[..., Any], *args: Any,
                done: Callable[[Any], Any] | None = None,
                failed: Callable[[NotedeskError], Any] | None = None,
                group: str | None = None, exclusive: bool = False, **kwargs: Any) -> Worker:
    """Run `call(*args, **kwargs)` in a thread worker of `node`; `done(result)` or `failed(error)` after.

    `group` (default: the call's name) with `exclusive=True` cancels this node's earlier call of
    the group: its result is not delivered. `done`, `failed`, `group` and `exclusive` are this
    function's own: a service taking arguments of those names gets them through a lambda."""

    def work() -> None:
        try:
            result, error = call(*args, **kwargs), None
        except NotedeskError as exc:
            result, error = None, exc
        if not get_current_worker().is_cancelled:
            message = ServiceCallDone(result, error, done, failed)
            message.node = node
            node.post_message(message)

    name = getattr(call, "__qualname__", "service call")
    return node.run_worker(work, name=name, group=group or name, exclusive=exclusive, thread=True)
