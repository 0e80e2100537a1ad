"""The conflict modals: another clerk saved first; show theirs and yours with the differences, let the clerk choose.

Nothing has been overwritten when these open (DESIGN §7): the store holds the other clerk's
version. ConflictModal is for a note (keep mine on top of theirs / take theirs / edit a merge);
FieldConflictModal is for order fields (deadline, payment): keep mine / take theirs.
Both dismiss with "mine", "theirs", "merge" or None (decide later: the text stays unsaved).
Below them, what the note editor does with a save's conflicts: `save_fields` (order fields with
one automatic retry when only other fields changed) and the `EditorConflicts` mixin that queues
the conflicts of one ctrl+s and applies the clerk's choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import communications, orders
from notedesk.services import notes as note_service
from notedesk.services.errors import Conflict
from notedesk.services.types import CommunicationView, NoteView, OrderDetail
from notedesk.text import clean, one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.widgets.communication_log import local_time
from notedesk.tui.widgets.deadline_fields import DeadlineFields, preview
from notedesk.tui.widgets.diff_text import ADDED, REMOVED, merge3, side_text
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
            yield Static(Content(who + ". " + _("Nothing was overwritten.")), classes="conflict-who")
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


# --- what the editor does with conflicts -------------------------------------------------------


def payment_words(payment) -> str:
    due = "" if payment.amount_due is None else f", {payment.amount_due}"
    plan = format_instalments(payment.instalments).replace("\n", "; ")
    return f"{method_label(payment.method)}, {status_label(payment.status)}{due}" + (f"; {plan}" if plan else "")


@dataclass
class SaveResult:
    saved: dict[str, NoteView] = field(default_factory=dict)
    conflicts: list[tuple[str, NoteView, str, str]] = field(default_factory=list)  # kind, theirs, mine, base
    order: OrderDetail | None = None
    field_conflict: tuple[OrderDetail, dict] | None = None  # stored order, the fields still unsaved
    logged: CommunicationView | None = None
    errors: list[str] = field(default_factory=list)


def save_fields(number: str, pending: dict, base_version: int, loaded: dict, result: SaveResult) -> None:
    """Save the changed order fields ("deadline", "payment") against the order version loaded.

    Another clerk may have changed other fields of the order (its status, say): then the fields
    edited here are still as loaded, so they are saved on top once. Otherwise the stored order
    and the unsaved fields go to result.field_conflict."""
    setters = {"deadline": orders.set_deadline, "payment": orders.set_payment}
    retried = False
    while pending:
        name = next(iter(pending))
        try:
            result.order = setters[name](number, pending[name], base_version=base_version)
        except Conflict as exc:
            current: OrderDetail = exc.current
            if not retried and all(getattr(current, f) == loaded[f] for f in pending):
                retried, base_version = True, current.version
                continue
            result.field_conflict = (current, dict(pending))
            return
        base_version = result.order.version
        del pending[name]


def save_editor(number: str, changed: dict, pending: dict, order_version: int, loaded: dict,
                entry: dict | None) -> SaveResult:
    """What one ctrl+s saves (in a worker): each changed note, the order fields, a log entry."""
    result = SaveResult()
    for kind, (body, base_version, base_body) in changed.items():
        try:
            result.saved[kind] = note_service.save_note(number, kind, body, base_version=base_version)
        except Conflict as exc:
            if exc.current.body == clean(body):  # both wrote the same: nothing to resolve
                result.saved[kind] = exc.current
            else:
                result.conflicts.append((kind, exc.current, body, base_body))
        except NotedeskError as exc:
            result.errors.append(f"{note_title(kind)}: {exc}")
    if pending:
        try:
            save_fields(number, dict(pending), order_version, loaded, result)
        except NotedeskError as exc:
            result.errors.append(str(exc))
    if entry:
        try:
            result.logged = communications.log_communication(number, **entry)
        except NotedeskError as exc:
            result.errors.append(_("Communication") + f": {exc}")
    return result


class EditorConflicts:
    """Mixin for NoteEditorScreen: show the conflicts of a save one after another and apply each choice.

    Uses the editor's `area(kind)`, `action_tab`, `_save(...)`, `_refresh_marks()`, `order_version`
    and the DeadlineFields / PaymentFields it holds."""

    _conflicts: list[tuple[str, NoteView, str, str]]
    _field_conflict: tuple[OrderDetail, dict] | None

    def _next_conflict(self) -> None:
        if self._conflicts:
            kind, theirs, _sent, base_body = self._conflicts.pop(0)
            self.action_tab(kind)
            title = _("{note}: another clerk saved this note first").format(note=note_title(kind))
            # The editor's text now, which includes anything typed while the save was on its way.
            self.app.push_screen(ConflictModal(title, theirs, self.area(kind).text),
                                 callback=partial(self._resolve_note, kind, theirs, base_body))
        elif self._field_conflict:
            current, pending = self._field_conflict
            self._field_conflict = None
            rows = []
            if "deadline" in pending:
                rows.append((_("Deadline"), preview(current.deadline) + "\n" + current.deadline.text,
                             preview(pending["deadline"]) + "\n" + pending["deadline"].text))
            if "payment" in pending:
                rows.append((_("Payment"), payment_words(current.payment), payment_words(pending["payment"])))
            who = _("{clerk} changed this order meanwhile.").format(clerk=one_line(current.changed_by))
            self.app.push_screen(FieldConflictModal(_("Order fields changed by another clerk"), who, rows),
                                 callback=partial(self._resolve_fields, current, pending))

    def _resolve_note(self, kind: str, theirs: NoteView, base_body: str, choice: str | None) -> None:
        area = self.area(kind)
        mine = area.text
        if choice == "mine":  # my text as a new revision on top of theirs
            area.set_base(theirs.body, theirs.version)
            self._save({kind: (area.text, theirs.version, theirs.body)}, {}, self.order_version, {}, None)
            return
        if choice == "theirs":
            area.load(theirs)
        elif choice == "merge":
            merged, conflicts = merge3(base_body, theirs.body, mine,
                                       their_label=f"{one_line(theirs.author)} v{theirs.version}", my_label=_("mine"))
            area.set_base(theirs.body, theirs.version)
            area.replace_text(merged)
            message = (_("Merged: {n} conflicting part(s) marked <<<<<<< ======= >>>>>>>; edit, then ctrl+s.")
                       .format(n=conflicts) if conflicts else _("Merged without overlaps; check it, then ctrl+s."))
            notify_plain(self.app, message, timeout=8)
        self.set_focus(area)
        self._refresh_marks()
        self._next_conflict()

    def _resolve_fields(self, current: OrderDetail, pending: dict, choice: str | None) -> None:
        deadline_fields, payment_fields = self.query_one(DeadlineFields), self.query_one(PaymentFields)
        if choice == "mine":
            self.order_version = current.version
            loaded = {"deadline": current.deadline, "payment": current.payment}
            self._save({}, dict(pending), current.version, loaded, None)
            return
        if choice == "theirs":
            self.order_version = current.version
            if "deadline" in pending:
                deadline_fields.load(current.deadline)
            if "payment" in pending:
                payment_fields.load(current.payment)
        self._refresh_marks()
        self._next_conflict()

