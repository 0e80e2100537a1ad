"""HistoryScreen: every saved revision of one note, the difference between two of them, and revert.

The diff shown is between the highlighted revision and the one before it, or, once a revision is
marked with space, between the marked one and the highlighted one. The revisions are read a page at a
time, newest first (notes.history_page): a note saved a thousand times opens as fast as a new one,
and older revisions are read as the highlight nears the end of the list. Revert saves the old text as a
new revision on top (history is never rewritten), checked against the newest version
listed, so a revision saved meanwhile by another clerk is never silently replaced.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from notedesk.domain import NOTE_KINDS
from notedesk.errors import NotedeskError
from notedesk.i18n import _, ngettext
from notedesk.services import notes as note_service
from notedesk.services.errors import Conflict
from notedesk.services.types import NoteView, RevisionPage, RevisionView
from notedesk.text import cell_width, one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.choice_modal import ChoiceModal
from notedesk.tui.widgets.communication_log import local_time
from notedesk.tui.widgets.diff_text import diff_text
from notedesk.tui.widgets.order_sections import note_title

READ_AHEAD = 10  # the next page of revisions is read when the highlight is this close to the end


class HistoryScreen(Screen[bool]):
    """Revisions of note `kind` of order `number`. Dismisses with True when a revert was saved."""

    BINDINGS = [
        Binding("escape", "back", _("Back")),
        Binding("space", "mark", _("Mark / compare")),
        Binding("r", "revert", _("Revert to this")),
        # One footer entry stands for the four keys, as in the editor.
        *(Binding(key, f"kind('{kind}')", _("Note") if key == "f2" else note_title(kind), show=key == "f2",
                  key_display="F2…F5" if key == "f2" else None,
                  tooltip=_("History of the note {note}").format(note=note_title(kind)))
          for key, kind in zip(("f2", "f3", "f4", "f5"), NOTE_KINDS)),
    ]

    def __init__(self, number: str, kind: str = "requirements") -> None:
        super().__init__()
        self.number = number
        self.kind = kind if kind in NOTE_KINDS else "requirements"
        self.revisions: list[RevisionView] = []  # newest first, as far as read
        self.previous: RevisionView | None = None  # the one before the oldest read (None: that is the first)
        self._reading = False
        self.marked: int | None = None  # a version
        self.reverted = False

    def compose(self) -> ComposeResult:
        yield Static(id="history-title")
        yield OptionList(id="history-list")
        yield Static(id="history-caption")
        with VerticalScroll(id="history-diff"):
            yield Static(id="history-diff-text")
        yield Footer()

    def on_mount(self) -> None:
        self._show_title()
        self.query_one(OptionList).focus()
        self._load()

    def _show_title(self) -> None:
        title = f"{self.number} · {note_title(self.kind)} — " + _("history")
        self.query_one("#history-title", Static).update(Content(one_line(title)))

    def _load(self) -> None:
        run_service(self, note_service.history_page, self.number, self.kind, done=self._loaded,
                    group="history-load", exclusive=True)

    def _loaded(self, page: RevisionPage) -> None:
        revisions = list(page.revisions)
        self.revisions, self.previous, self._reading = revisions, page.previous, False
        if self.marked not in {r.version for r in revisions}:
            self.marked = None
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(self._row(r), id=str(r.version)) for r in revisions])
        if revisions:
            options.highlighted = min(highlighted or 0, len(revisions) - 1)
        self._show_diff()

    def _read_older(self) -> None:
        """The next page of older revisions, once the highlight is near the end of those read."""
        if self.previous is None or self._reading or not self.revisions:
            return
        self._reading = True
        run_service(self, note_service.history_page, self.number, self.kind, before=self.revisions[-1].version,
                    done=self._appended, group="history-older", exclusive=True)

    def _appended(self, page: RevisionPage) -> None:
        self._reading = False
        if not self.revisions or not page.revisions or page.revisions[0].version >= self.revisions[-1].version:
            return  # the list was read again meanwhile (another note, a revert)
        self.revisions.extend(page.revisions)
        self.previous = page.previous
        self.query_one(OptionList).add_options([Option(self._row(r), id=str(r.version)) for r in page.revisions])
        self._show_diff()

    def _row(self, revision: RevisionView) -> Content:
        mark = "● " if revision.version == self.marked else "  "
        lines = revision.body.count("\n") + 1 if revision.body else 0
        author = one_line(revision.author, 16)
        author += " " * (16 - cell_width(author))  # pad by cells: a Chinese name is double width
        return Content(f"{mark}v{revision.version:<4} {local_time(revision.at)}  {author} "
                       + ngettext("{n} line", "{n} lines", lines).format(n=lines))

    @property
    def current(self) -> RevisionView | None:
        index = self.query_one(OptionList).highlighted
        return self.revisions[index] if index is not None and index < len(self.revisions) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_diff()
        if event.option_index >= len(self.revisions) - READ_AHEAD:
            self._read_older()

    def _show_diff(self) -> None:
        caption = self.query_one("#history-caption", Static)
        body = self.query_one("#history-diff-text", Static)
        current = self.current
        if current is None:
            caption.update(Content(_("This note has never been saved.")))
            body.update("")
            return
        by_version = {r.version: r for r in self.revisions}
        if self.marked is not None and self.marked != current.version:
            old, new = sorted((by_version[self.marked], current), key=lambda r: r.version)
            text = _("Changes from v{old} to v{new}").format(old=old.version, new=new.version)
            old_body = old.body
        else:
            new = current
            older = [r for r in self.revisions if r.version < current.version]
            if not older and self.previous is not None:  # the oldest read: what it changed is the one before
                older = [self.previous]
            old_body = older[0].body if older else ""
            text = (_("Changes from v{old} to v{new}").format(old=older[0].version, new=new.version) if older
                    else _("v{new}: the first saved text").format(new=new.version))
        hint = (_("● v{v} marked: space again unmarks").format(v=self.marked) if self.marked is not None
                else _("space marks one to compare"))
        caption.update(Content(f"{text} · {hint}"))
        diff = diff_text(old_body, new.body)
        body.update(diff if diff.plain else Text(_("(no differences)"), style="dim"))

    def action_mark(self) -> None:
        current = self.current
        if current is None:
            return
        self.marked = None if self.marked == current.version else current.version
        options = self.query_one(OptionList)
        for index, revision in enumerate(self.revisions):
            options.replace_option_prompt_at_index(index, self._row(revision))
        self._show_diff()

    def action_kind(self, kind: str) -> None:
        if kind != self.kind:
            self.kind, self.marked, self.revisions, self.previous = kind, None, [], None
            self.query_one(OptionList).clear_options()
            self._show_title()
            self._load()

    def action_revert(self) -> None:
        current = self.current
        if current is None:
            return
        if current.version == self.revisions[0].version:
            notify_plain(self.app, _("v{version} is the current text already.").format(version=current.version))
            return
        question = _("Save the text of v{old} as a new revision v{new} of {note}?").format(
            old=current.version, new=self.revisions[0].version + 1, note=note_title(self.kind))
        choices = [(True, _("Revert"), "y"), (False, _("Cancel"), "n")]
        self.app.push_screen(ChoiceModal(question, choices),
                             callback=lambda yes: yes and self._revert(current.version, self.revisions[0].version))

    def _revert(self, version: int, base_version: int) -> None:
        def reverted(view: NoteView) -> None:
            self.reverted = True
            notify_plain(self.app, _("Reverted: v{new} has the text of v{old}.").format(new=view.version, old=version))
            self._show_newest()

        def failed(error: NotedeskError) -> None:
            if isinstance(error, Conflict):  # a revision saved meanwhile: the list shows it now
                notify_plain(self.app, _("Not reverted: {error}. The list now shows it.").format(error=error),
                             severity="warning")
                self._show_newest()
            else:
                notify_plain(self.app, str(error), severity="error")

        run_service(self, note_service.revert, self.number, self.kind, version, base_version=base_version,
                    done=reverted, failed=failed, group="history-revert")

    def _show_newest(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self._load()

    def action_back(self) -> None:
        self.dismiss(self.reverted)
