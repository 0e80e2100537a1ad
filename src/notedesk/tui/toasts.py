"""Errors win over reminders (issue 20: "8 orders overdue" covered a validation error for 25 s).

Toasts sit in the bottom right corner, where the forms write their errors (the new-order form's and
amend's last line, a field's note under it). Every place that shows an error in a form marks it with
the class ``-error`` and calls :func:`error_shown`: the reminders' toasts on screen go at once (what
they said waits in the header's count and on the reminders screen, m), and while an error is on
screen the next reminders wait for a poll without one (NotedeskApp._show_reminders).

Reminder toasts are told apart by their text; Textual keeps a toast's Notification in the private
``App._notifications`` and removes one with ``App._unnotify`` (tests/tui/test_textual_private.py).
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.screen import Screen


def error_on_screen(screen: Screen) -> bool:
    """A form on `screen` shows an error now: a displayed widget with the class -error that says something."""
    return any(widget.display and widget.visible and str(getattr(widget, "content", "")).strip()
               for widget in screen.query(".-error"))


def hide_toasts(app, messages: set[str]) -> None:
    """Take the toasts saying one of `messages` off the screen now."""
    shown = [n for n in list(app._notifications) if n.message in messages]
    for notification in shown:
        app._unnotify(notification, refresh=False)
    if shown:
        app._refresh_notifications()


def error_shown(node: DOMNode) -> None:
    """Call when a form shows an error: the reminders' toasts that could cover it go."""
    hide = getattr(node.app, "hide_reminder_toasts", None)
    if hide is not None:
        hide()
