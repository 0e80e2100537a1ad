"""The communication log (沟通记录): the entries as literal text, newest first, and the form that adds one.

Times are shown in the business time zone; every stored string goes through clean() into a
Rich Text (docs/ARCHITECTURE.md, "Text is data"). The form is shared by the log-entry modal and the
editor's Communication tab.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Select, Static, TextArea

from notedesk import clock, labels
from notedesk.domain import CHANNELS
from notedesk.i18n import _
from notedesk.services.types import CommunicationView
from notedesk.text import clean, one_line


def local_time(at: dt.datetime | None) -> str:
    """'2026-11-26 10:30' in the business time zone."""
    if at is None:
        return ""
    return clock.as_utc(at).astimezone(clock.business_tz()).strftime("%Y-%m-%d %H:%M")


def channel_label(channel: str) -> str:
    return labels.channel_label(channel)


def entries_text(entries: tuple[CommunicationView, ...] | list[CommunicationView]) -> Text:
    """Each entry: a heading line (time, channel, contact, clerk) and the text indented under it."""
    out = Text()
    if not entries:
        out.append(_("No communication logged yet."), style="dim")
        return out
    for n, entry in enumerate(entries):
        if n:
            out.append("\n")
        out.append(local_time(entry.at), style="bold")
        out.append("  ")
        out.append(channel_label(entry.channel), style="cyan")
        if entry.contact:
            out.append("  ")
            out.append(one_line(entry.contact))
        out.append("  · ", style="dim")
        out.append(one_line(entry.clerk), style="dim")
        if entry.corrects is not None:
            out.append("  " + _("(corrects entry {id})").format(id=entry.corrects), style="italic dim")
        out.append("\n")
        for line in clean(entry.text).split("\n"):
            out.append("  " + line + "\n")
    out.rstrip()
    return out


class CommunicationLog(Static):
    """The log of one order, newest first."""

    def show(self, entries) -> None:
        self.update(entries_text(entries))


class CommunicationForm(Vertical):
    """Channel, contact person and text of a new entry. `values()` gives what log_communication takes."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="comm-row"):
            yield Select([(Content(channel_label(c)), c) for c in CHANNELS], value="phone", allow_blank=False,
                         id="comm-channel", compact=True)
            yield Input(placeholder=_("Contact person"), id="comm-contact", compact=True)
        yield TextArea("", id="comm-text", soft_wrap=True, tab_behavior="focus",
                       placeholder=_("What was said (ctrl+s logs it)"))

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#comm-text", TextArea)

    @property
    def has_text(self) -> bool:
        return bool(self.text_area.text.strip())

    def values(self) -> dict:
        return dict(text=self.text_area.text, channel=self.query_one("#comm-channel", Select).value,
                    contact=self.query_one("#comm-contact", Input).value.strip())

    def clear(self) -> None:
        """After logging: the text goes, the channel and contact stay (the call usually goes on)."""
        self.text_area.load_text("")
