"""The communication log (沟通记录): the entries as literal text, newest first, and the form that adds one.

Times are shown in the business time zone; every stored string goes through clean() into a
Rich Text (docs/ARCHITECTURE.md, "Text is data"). The form is shared by the log-entry modal and the
editor's Communication tab.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from notedesk import clock, labels
from notedesk.domain import CHANNELS
from notedesk.i18n import _
from notedesk.services import communications, follow_ups
from notedesk.services.communications import LOG_PAGE
from notedesk.services.types import CommunicationView, EventView, LogKey, LogPage, NewFollowUp
from notedesk.text import clean, one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service


def local_time(at: dt.datetime | None) -> str:
    """'2026-11-26 10:30' in the business time zone."""
    if at is None:
        return ""
    return clock.as_utc(at).astimezone(clock.business_tz()).strftime("%Y-%m-%d %H:%M")


def change_words(event: EventView) -> str:
    """'line 1 quantity 500 → 800' (one line, cleaned): a field change as the log and timeline show it."""
    old, new = (labels.event_value(event.field, v) for v in (event.old, event.new))
    return one_line(f"{labels.event_field(event.field)} {old or '—'} → {new or '—'}")


def changes_by_entry(events) -> dict[int, list[EventView]]:
    """The timeline events linked to a log entry, by the entry's id, in the timeline's order."""
    found: dict[int, list[EventView]] = {}
    for event in events:
        if event.communication is not None:
            found.setdefault(event.communication, []).append(event)
    return found


def channel_label(channel: str) -> str:
    return labels.channel_label(channel)


def entries_text(entries: tuple[CommunicationView, ...] | list[CommunicationView],
                 changes: dict[int, list[EventView]] | None = None) -> Text:
    """Each entry: a heading line (time, channel, contact, clerk) and the text indented under it. An
    entry that gave the reason of an amend (`changes`: the timeline events by entry id) carries its
    number, which the timeline refers to, and lists what it changed."""
    changes = changes or {}
    out = Text()
    if not entries:
        out.append(_("No communication logged yet."), style="dim")
        return out
    for n, entry in enumerate(entries):
        if n:
            out.append("\n")
        if entry.id in changes:
            out.append(f"#{entry.id} ", style="bold cyan")
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
        if entry.id in changes:
            out.append("  " + _("changed:") + " ", style="dim")
            out.append(_("; ").join(change_words(e) for e in changes[entry.id]), style="italic")
            out.append("\n")
    out.rstrip()
    return out


class CommunicationLog(Vertical):
    """The log of one order, newest first, a page at a time: the older entries are read
    (communications.log_page, keyset on (at, id)) when the clerk scrolls to the end of what is shown.

    Each page is a Static of its own, drawn once: appending a page below the view sends nothing to
    the terminal but the scrollbar. `show()` takes the newest page as a screen read it (with the
    order); when more than that is shown, what is shown is read again down to its oldest entry, so
    entries logged meanwhile (newer, or with an older time) take their places and none is lost."""

    DEFAULT_CSS = """
    CommunicationLog { height: auto; }
    CommunicationLog > Static { height: auto; }
    CommunicationLog > .comm-more { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.number: str | None = None
        self.entries: list[CommunicationView] = []
        self.keys: list[LogKey] = []
        self.older: LogKey | None = None  # the next older page starts after this key; None: all shown
        self.changes: dict[int, list[EventView]] = {}  # what an entry's amend changed, by entry id
        self._drawn: list[tuple] = []  # what each page's Static shows: its entries and their changes
        self._loading = False
        self._scroller: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(_("No communication logged yet.")), classes="comm-page")
        yield Static("", classes="comm-more")

    def on_mount(self) -> None:
        self._scroller = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if self._scroller is not None:
            # after the refresh the scroll causes: until then the regions on screen are those of the
            # previous offset (the end key's jump to the end did not read the next page; issue 21)
            self.watch(self._scroller, "scroll_y", lambda *_: self.call_after_refresh(self._look), init=False)

    def show(self, number: str, entries, keys=(), older: LogKey | None = None,
             changes: dict[int, list[EventView]] | None = None) -> None:
        """The newest entries as just read with the order (`keys` and `older` from OrderDetail;
        `changes`: the timeline events an entry gave the reason of, changes_by_entry)."""
        self.changes = changes or {}
        if number == self.number and len(self.entries) > len(entries) and self.keys:
            # more pages are shown than the order came with: read them all again, newest first
            run_service(self, communications.log_page, number, down_to=self.keys[-1],
                        done=lambda page: self._replace(page.entries, page.keys, self.older),
                        group="comm-log-reload", exclusive=True)
            return
        self.number = number
        self._replace(entries, keys, older)

    def _replace(self, entries, keys, older: LogKey | None) -> None:
        self.entries, self.keys, self.older = list(entries), list(keys), older
        self._draw()

    def _draw(self) -> None:
        pages = [tuple(self.entries[i:i + LOG_PAGE]) for i in range(0, len(self.entries), LOG_PAGE)] or [()]
        statics = list(self.query(".comm-page").results(Static))
        drawn = [(page, tuple(tuple(self.changes.get(e.id, ())) for e in page)) for page in pages]
        for n, page in enumerate(pages):
            if n < len(statics):
                if n >= len(self._drawn) or self._drawn[n] != drawn[n]:
                    statics[n].update(entries_text(page, self.changes))
            else:
                self.mount(Static(entries_text(page, self.changes), classes="comm-page"),
                           before=self.query_one(".comm-more"))
        for extra in statics[len(pages):]:
            extra.remove()
        self._drawn = drawn
        more = self.query_one(".comm-more", Static)
        more.display = self.older is not None
        if self.older is not None:
            more.update(Content(_("… older entries load as you scroll ({n} shown)").format(n=len(self.entries))))
        self.call_after_refresh(self._look)

    def on_resize(self) -> None:
        self._look()  # a page drawn has been laid out: the end may still be in view

    def _look(self, *_args) -> None:
        """Read the next older page when the end of what is shown is in view."""
        if self.older is None or self._loading or self.number is None or self._scroller is None:
            return
        more = self.query_one(".comm-more")
        try:
            last_page = self.query(".comm-page").last().region
            visible = self._scroller.region.overlaps(more.region)
        except Exception:  # not laid out (yet): the next scroll or draw looks again
            return
        # A page drawn but not laid out yet has no region, and the line below the pages is still where
        # it was before that page: a scroll meanwhile (a key, a scroll animation's frame) must not read
        # another page because of it. The layout's Resize of this log looks again.
        if visible and last_page and more.region.y >= last_page.bottom:
            self.load_older()

    def load_older(self) -> None:
        """Read the next older page (also what the end key or a test asks for)."""
        if self.older is None or self._loading or self.number is None:
            return
        self._loading = True
        run_service(self, communications.log_page, self.number, before=self.older, done=self._appended,
                    failed=self._not_appended, group="comm-log-older")

    def _appended(self, page: LogPage) -> None:
        self._loading = False
        seen = {entry.id for entry in self.entries}
        for entry, key in zip(page.entries, page.keys):
            if entry.id not in seen:
                self.entries.append(entry)
                self.keys.append(key)
        self.older = page.older
        self._draw()

    def _not_appended(self, error) -> None:
        self._loading = False  # the next scroll tries again
        notify_plain(self.app, str(error), severity="error")


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
        with Horizontal(classes="comm-follow-row"):
            yield Input(placeholder=_("Follow-up, like 周五下午回电确认颜色 (optional)"), id="comm-follow-up",
                        compact=True)
            yield Static("", id="comm-follow-preview", classes="field-note")

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#comm-text", TextArea)

    @property
    def has_entry(self) -> bool:
        """Whether a log entry is typed."""
        return bool(self.text_area.text.strip())

    @property
    def has_text(self) -> bool:
        """Whether anything is typed: a log entry or a follow-up."""
        return self.has_entry or bool(self.follow_up_input.value.strip())

    @property
    def follow_up_input(self) -> Input:
        return self.query_one("#comm-follow-up", Input)

    def follow_up(self) -> NewFollowUp | None:
        """The follow-up typed with the entry (saved in the same transaction), or None."""
        text = self.follow_up_input.value
        return NewFollowUp(text) if text.strip() else None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "comm-follow-up":
            words = event.value
            self.query_one("#comm-follow-preview", Static).update(
                Content(one_line(follow_ups.preview(words))) if words.strip() else "")

    def values(self) -> dict:
        return dict(text=self.text_area.text, channel=self.query_one("#comm-channel", Select).value,
                    contact=self.query_one("#comm-contact", Input).value.strip())

    def clear(self, follow_up: bool = True) -> None:
        """After logging: the text (and the follow-up) go, the channel and contact stay (the call usually goes on)."""
        self.text_area.load_text("")
        if follow_up:
            self.follow_up_input.value = ""
