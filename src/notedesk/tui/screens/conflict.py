"""Another clerk's changes on screen: the conflict modals, how the editor settles a save's conflicts,
and the words that tell a clerk what another clerk replaced.

Nothing has been overwritten when the modals open (docs/ARCHITECTURE.md, "Versions and
conflicts"): the store holds the other clerk's version and the save saved nothing.
ConflictModal is for a note (keep mine on top of theirs / take theirs / edit a merge);
FieldConflictModal for order fields (deadline, payment, status): keep mine / take theirs. Both
dismiss with "mine", "theirs", "merge" or None (decide later: the text stays unsaved). The rules
of what is a conflict are services.edits and services.order_status; the `EditorConflicts` mixin
only shows a save's conflicts one after another and applies the clerk's choices.
"""

from __future__ import annotations

from functools import partial

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from notedesk import labels
from notedesk.i18n import _
from notedesk.services.edits import EditsSaved, OrderEdits
from notedesk.services.merge import merge3
from notedesk.services.types import Deadline, NoteView, OrderDetail
from notedesk.text import clean, one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.widgets.communication_log import local_time
from notedesk.tui.widgets.deadline_fields import DeadlineFields, preview
from notedesk.tui.widgets.diff_text import ADDED, REMOVED, changed_lines, side_text
from notedesk.tui.widgets.order_sections import note_title
from notedesk.tui.widgets.payment_fields import PaymentFields, format_instalments, method_label, status_label


class _ChoiceButtons(Horizontal):
    pass


class ConflictModal(ModalScreen[str | None]):
    """Their stored note above (lines only theirs marked −), yours below (lines only yours marked +)."""

    # Wide terminals get the two texts side by side.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("k", "choose('mine')", _("Keep mine")),
        Binding("t", "choose('theirs')", _("Take theirs")),
        Binding("m", "choose('merge')", _("Edit a merge")),
        Binding("escape", "choose(None)", _("Decide later")),
    ]

    def __init__(self, title: str, theirs: NoteView, mine: str) -> None:
        super().__init__()
        self.title_text = title
        self.theirs = theirs
        self.mine = mine

    def compose(self) -> ComposeResult:
        theirs = self.theirs
        who = _("{clerk} saved this note at {time} (version {version})").format(
            clerk=one_line(theirs.author), time=local_time(theirs.updated_at), version=theirs.version)
        with Vertical(classes="conflict-box"):
            yield Static(Content(one_line(self.title_text)), classes="conflict-title")
            yield Static(Content(labels.sentences(who, _("Nothing was overwritten."))), classes="conflict-who")
            with Horizontal(id="conflict-panes"):
                with Vertical(classes="conflict-side"):
                    yield Static(Content(_("Theirs (stored) — lines only in theirs marked −")),
                                 classes="conflict-label -theirs")
                    with VerticalScroll(id="conflict-theirs", classes="conflict-text"):
                        yield Static(side_text(theirs.body, self.mine, REMOVED, "−"))
                with Vertical(classes="conflict-side"):
                    yield Static(Content(_("Yours (not saved) — lines only in yours marked +")),
                                 classes="conflict-label -mine")
                    with VerticalScroll(id="conflict-mine", classes="conflict-text"):
                        yield Static(side_text(self.mine, theirs.body, ADDED, "+"))
            with _ChoiceButtons(classes="conflict-buttons"):
                yield Button(Content("k " + _("Keep mine")), id="mine", compact=True, variant="primary")
                yield Button(Content("t " + _("Take theirs")), id="theirs", compact=True)
                yield Button(Content("m " + _("Edit a merge")), id="merge", compact=True)
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)


class FieldConflictModal(ModalScreen[str | None]):
    """Order fields another clerk changed: each row shows the stored value and yours."""

    BINDINGS = [
        Binding("k", "choose('mine')", _("Keep mine")),
        Binding("t", "choose('theirs')", _("Take theirs")),
        Binding("escape", "choose(None)", _("Decide later")),
    ]

    def __init__(self, title: str, who: str, rows: list[tuple[str, str, str]]) -> None:
        """`rows`: (field label, stored value, your value), all plain text."""
        super().__init__()
        self.title_text = title
        self.who = who
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(expand=True, show_edge=False)
        table.add_column(Text(_("Field")), no_wrap=True)
        table.add_column(Text(_("Stored (theirs)")), ratio=1)
        table.add_column(Text(_("Yours")), ratio=1)
        for label, stored, mine in self.rows:
            differs = stored != mine
            table.add_row(Text(one_line(label)), Text(clean(stored), style=REMOVED if differs else ""),
                          Text(clean(mine), style=ADDED if differs else ""))
        with Vertical(classes="conflict-box -fields"):
            yield Static(Content(one_line(self.title_text)), classes="conflict-title")
            yield Static(Content(self.who + " " + _("Nothing was overwritten.")), classes="conflict-who")
            with VerticalScroll(classes="conflict-text"):
                yield Static(table)
            with _ChoiceButtons(classes="conflict-buttons"):
                yield Button(Content("k " + _("Keep mine")), id="mine", compact=True, variant="primary")
                yield Button(Content("t " + _("Take theirs")), id="theirs", compact=True)
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)


# --- what the editor does with a save's conflicts -----------------------------------------------


def payment_words(payment) -> str:
    due = "" if payment.amount_due is None else f", {payment.amount_due}"
    plan = format_instalments(payment.instalments).replace("\n", "; ")
    return f"{method_label(payment.method)}, {status_label(payment.status)}{due}" + (f"; {plan}" if plan else "")


def deadline_words(deadline: Deadline) -> str:
    return preview(deadline) + ("\n" + deadline.text if deadline.text else "")


class EditorConflicts:
    """Mixin for NoteEditorScreen: a save that met another clerk's changes saved nothing
    (services.edits); show each conflict, apply the clerk's choice, and save again when every
    choice was "keep mine" or "take theirs" (a merge or "decide later" leaves it to the clerk).

    Uses the editor's `area(kind)`, `action_tab`, `start_save`, `_refresh_marks()`, `_save_flags`
    and the DeadlineFields / PaymentFields it holds."""

    _queue: list[str]
    _stored: OrderDetail | None = None
    _sent: OrderEdits | None = None
    _save_again = True

    def resolve_conflicts(self, result: EditsSaved, sent: OrderEdits) -> None:
        self._queue = [*result.note_conflicts, *(["fields"] if result.field_conflicts else [])]
        self._fields = result.field_conflicts
        self._stored, self._sent, self._save_again = result.order, sent, True
        self._next_conflict()

    def _next_conflict(self) -> None:
        stored = self._stored
        if not self._queue:
            self._conflicts_decided()
            return
        what = self._queue.pop(0)
        if what != "fields":
            theirs = stored.notes[what]
            self.action_tab(what)
            title = _("{note}: another clerk saved this note first").format(note=note_title(what))
            # The editor's text now, which includes anything typed while the save was on its way.
            self.app.push_screen(ConflictModal(title, theirs, self.area(what).text),
                                 callback=partial(self._resolve_note, what, theirs))
            return
        rows = []
        if "deadline" in self._fields:
            rows.append((_("Deadline"), deadline_words(stored.deadline), deadline_words(self._sent.deadline)))
        if "payment" in self._fields:
            rows.append((_("Payment"), payment_words(stored.payment), payment_words(self._sent.payment)))
        who = _("{clerk} changed this order meanwhile.").format(clerk=one_line(stored.changed_by))
        self.app.push_screen(FieldConflictModal(_("Order fields changed by another clerk"), who, rows),
                             callback=self._resolve_fields)

    def _resolve_note(self, kind: str, theirs: NoteView, choice: str | None) -> None:
        area = self.area(kind)
        if choice == "mine":  # my text, saved as a new revision on top of theirs
            area.set_base(theirs.body, theirs.version)
        elif choice == "theirs":
            area.load(theirs)
        elif choice == "merge":
            merged = merge3(area.loaded_body, theirs.body, area.text,
                            their_label=f"{one_line(theirs.author)} v{theirs.version}", my_label=_("mine"))
            area.set_base(theirs.body, theirs.version)
            area.replace_text(merged.text, markers=merged.markers)
            message = (_("Merged: {n} conflicting part(s) marked <<<<<<< ======= >>>>>>>; keep the lines you want, "
                         "delete the markers, then ctrl+s.").format(n=merged.conflicts) if merged.conflicts
                       else _("Merged without overlaps; check it, then ctrl+s."))
            notify_plain(self.app, message, timeout=8)
        if choice not in ("mine", "theirs"):
            self._save_again = False
        self.set_focus(area)
        self._refresh_marks()
        self._next_conflict()

    def _resolve_fields(self, choice: str | None) -> None:
        stored = self._stored
        for name, fields in (("deadline", self.query_one(DeadlineFields)), ("payment", self.query_one(PaymentFields))):
            if name not in self._fields:
                continue
            if choice == "mine":  # theirs seen: mine is saved on top of it
                fields.set_base(getattr(stored, name))
            elif choice == "theirs":
                fields.load(getattr(stored, name))
        if choice not in ("mine", "theirs"):
            self._save_again = False
        self._refresh_marks()
        self._next_conflict()

    def _conflicts_decided(self) -> None:
        if self._save_again and self.dirty_tabs():
            notes, log_entry = self._save_flags
            self.start_save(notes=notes, log_entry=log_entry)
        elif self.dirty_tabs():
            notify_plain(self.app, _("Nothing was saved yet: when the text is as you want it, press ctrl+s."),
                         timeout=8)


# --- telling the clerk what another clerk replaced on screen --------------------------------------


def replaced_note(title: str, shown: str, now: NoteView) -> str:
    """'wang saved Requirements (v3): removed “…”; added “…”.'"""
    removed, added = changed_lines(shown, now.body)
    parts = [_("removed “{line}”").format(line=one_line(removed[0], 30)) + _more(removed)] if removed else []
    parts += [_("added “{line}”").format(line=one_line(added[0], 30)) + _more(added)] if added else []
    return _("{clerk} saved {note} (v{version}): {what}.").format(
        clerk=one_line(now.author), note=title, version=now.version, what="; ".join(parts) or _("the same text"))


def replaced_field(name: str, shown, now, order: OrderDetail) -> str:
    """'wang changed the deadline: Thu 3 Dec → Sat 5 Dec.'"""
    clerk = next((e.clerk for e in order.events if e.field == name), order.changed_by)
    words = (lambda d: one_line(preview(d))) if name == "deadline" else payment_words
    message = (_("{clerk} changed the deadline: {old} → {new}.") if name == "deadline"
               else _("{clerk} changed the payment: {old} → {new}."))
    return message.format(clerk=one_line(clerk), old=words(shown), new=words(now))


def _more(lines: list[str]) -> str:
    return " " + _("(and {n} more)").format(n=len(lines) - 1) if len(lines) > 1 else ""
