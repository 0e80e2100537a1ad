"""The Textual side of the text gate: stored strings as literal Content/Text.

Textual parses a plain ``str`` given to Static, Label, Button, OptionList,
TabPane titles, ``notify()`` and DataTable cells as markup, so a note saying
``[@click=app.quit]`` becomes a live action and ``[/]`` crashes the app
(docs/ARCHITECTURE.md, "Text is data"). Widgets get the objects made here instead: the text is cleaned by
:func:`notedesk.text.clean` and wrapped as a literal, never parsed.

Which object where (measured on Textual 8.2.8, tests/tui/test_safe_widgets.py):

- ``content()`` / ``line()``: Static, Label, Button, Link, Checkbox,
  RadioButton, Collapsible(title=), OptionList Option, Select and SelectionList
  option labels, TabPane and Tab titles, ``border_title`` / ``border_subtitle``,
  ``Static.update()``. TabPane *rejects* a Rich Text (AttributeError).
- ``text()`` / ``cell()``: DataTable cells and column labels (a Content cell paints
  literally but DataTable measures it as 1 cell wide, so auto-width columns
  show one character) and Tree / TreeNode labels (a Content label crashes Tree).
- ``notify_plain()`` instead of ``notify()``. Toast titles are always literal.
- ``Select(prompt=)`` takes only a str, which it parses as markup in the closed
  box (and a Content crashes it): never put stored text in a prompt.
- Input, TextArea, Log and RichLog never parse markup, but they do pass
  control characters through: give them ``clean(s)`` too.
"""

from __future__ import annotations

from typing import Any, Protocol

from rich.text import Text
from textual.content import Content

from notedesk.text import clean, one_line

__all__ = ["cell", "content", "line", "notify_plain", "text"]


def content(s: str) -> Content:
    """``s`` cleaned, as literal Content (for Static, Label, Button, TabPane...)."""
    return Content(clean(s))


def line(s: str, width: int | None = None) -> Content:
    """``s`` cleaned and folded onto one line (optionally cut to ``width``
    cells with '…'), as literal Content: for titles, list rows, table cells."""
    return Content(one_line(s, width))


def text(s: str, style: str = "") -> Text:
    """``s`` cleaned, as a literal Rich Text (for DataTable cells, Rich APIs)."""
    return Text(clean(s), style=style)


def cell(s: str, width: int | None = None, style: str = "") -> Text:
    """``s`` cleaned and folded onto one line (optionally cut to ``width``
    cells with '…'), as literal Rich Text: for DataTable cells."""
    return Text(one_line(s, width), style=style)


class _Notifier(Protocol):
    def notify(self, message: str, **kwargs: Any) -> None: ...


def notify_plain(app_or_widget: _Notifier, message: str, **kw: Any) -> None:
    """``app_or_widget.notify()`` with ``message`` (and ``title``) cleaned and
    shown literally: markup is never parsed."""
    if "title" in kw and kw["title"]:
        kw["title"] = one_line(kw["title"])
    kw.pop("markup", None)
    app_or_widget.notify(clean(message), markup=False, **kw)
