"""NoteEditorScreen: the tabbed editor of an order's four notes, its deadline and payment fields, and its log.

Tabs: Requirements · Special · Delivery (+ deadline fields) · Payment (+ payment fields) ·
Communication · Files (the order's attachments; `ctrl+t` attaches one, filed under the note shown).
`F8` marks the note shown "print on the delivery slip", or not (at once: one service call,
services.notes.set_on_slip; the line above the tabs says which it is).
Every note keeps the version it was loaded at; `ctrl+s` sends every changed tab to one service
call (services.edits.save_edits, one transaction: all saved or nothing). When another clerk saved
first, nothing is overwritten: the conflict modals show theirs and mine and the clerk chooses
(docs/ARCHITECTURE.md, "Versions and conflicts"). Tab keys are ones real terminals deliver
(`ctrl+pagedown`/`ctrl+pageup`, `f2`…`f6`: "Terminal realities"); they are priority bindings
because TextArea binds `f6` itself.
"""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static, TabbedContent, TabPane, TextArea

from notedesk import labels
from notedesk.deadlines import DeadlineError
from notedesk.domain import NOTE_KINDS
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import follow_ups, orders
from notedesk.services.communications import LOG_PAGE
from notedesk.services.edits import EditsSaved, LogEntry, NoteEdit, OrderEdits, save_edits
from notedesk.services.notes import set_on_slip
from notedesk.services.types import CommunicationView, NoteView, OrderDetail
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.screens.conflict import EditorConflicts, replaced_field, replaced_note
from notedesk.tui.service_calls import ignore_failure, run_service
from notedesk.tui.widgets.attachment_table import AttachmentTable
from notedesk.tui.widgets.choice_modal import ChoiceModal
from notedesk.tui.widgets.communication_log import CommunicationForm, CommunicationLog
from notedesk.tui.widgets.deadline_fields import DeadlineFields
from notedesk.tui.widgets.draft_keeper import DraftKeeper
from notedesk.tui.widgets.note_area import NoteArea
from notedesk.tui.widgets.order_sections import note_title
from notedesk.tui.widgets.payment_fields import PaymentError, PaymentFields

TABS = (*NOTE_KINDS, "communication", "attachments")


def tab_title(tab: str) -> str:
    if tab == "attachments":
        return _("Files")
    return _("Communication") if tab == "communication" else note_title(tab)


class NoteEditorScreen(EditorConflicts, Screen[bool]):
    """Edit the notes of order `number`, starting on `tab`. Dismisses with True when anything was saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), priority=True),
        Binding("escape", "close", _("Close")),
        Binding("ctrl+pagedown", "next_tab", _("Tabs"), priority=True, key_display="^PgDn/^PgUp",
                tooltip=_("Next tab")),
        Binding("ctrl+pageup", "previous_tab", _("Previous tab"), priority=True, show=False),
        # One footer entry stands for the five jump keys; each still has its own description for help.
        *(Binding(key, f"tab('{tab}')", _("Jump") if key == "f2" else tab_title(tab), priority=True,
                  show=key == "f2", key_display="F2…F6" if key == "f2" else None,
                  tooltip=_("Go to the tab {tab}").format(tab=tab_title(tab)))
          for key, tab in zip(("f2", "f3", "f4", "f5", "f6"), TABS)),
        Binding("f7", "tab('attachments')", _("Files"), priority=True, show=False,
                tooltip=_("Go to the tab {tab}").format(tab=_("Files"))),
        Binding("ctrl+o", "history", _("History"), priority=True),
        Binding("ctrl+t", "attach", _("Attach file"), priority=True, show=False),
        # the line above the tabs names F8 and says whether the note shown is on the slip
        Binding("f8", "toggle_slip", _("Slip"), priority=True, show=False,
                tooltip=_("Print the note shown on the delivery slip, or not (saved at once)")),
    ]

    def __init__(self, number: str, tab: str = "requirements") -> None:
        super().__init__()
        self.number = number
        self.initial_tab = tab if tab in TABS else "requirements"
        self.detail: OrderDetail | None = None
        self.communications: list[CommunicationView] = []
        self.saved_anything = False
        self._close_after_save = False
        self._saving = False
        self._save_next: tuple[bool, bool] | None = None  # a ctrl+s while a save was on its way
        self._save_flags = (True, False)  # what the last save was asked to save: (notes, log entry)
        self._marked: list[str] = []
        self.on_slip: dict[str, bool] = {}  # per note kind: printed on the delivery slip (as stored)
        self._slip_busy = False
        self.takes_keys = False  # until the notes are in: keys typed meanwhile wait (tui/key_order.py)

    def compose(self) -> ComposeResult:
        with Horizontal(id="editor-top"):
            yield Static(Content(one_line(self.number)), id="editor-title")
            yield Static("", id="editor-slip")
        with TabbedContent(initial=self.initial_tab, id="editor-tabs"):
            for kind in ("requirements", "special"):
                with TabPane(Content(tab_title(kind)), id=kind):
                    yield NoteArea(kind, id=f"note-{kind}")
            with TabPane(Content(tab_title("delivery")), id="delivery"), Horizontal(classes="editor-split"):
                yield NoteArea("delivery", id="note-delivery")
                yield DeadlineFields(id="deadline-fields", classes="editor-side")
            with TabPane(Content(tab_title("payment")), id="payment"), Horizontal(classes="editor-split"):
                yield NoteArea("payment", id="note-payment")
                with VerticalScroll(classes="editor-side"):
                    yield PaymentFields(id="payment-fields")
            with TabPane(Content(tab_title("communication")), id="communication"):
                with VerticalScroll(id="comm-log-scroll"):
                    yield CommunicationLog(id="comm-log")
                yield CommunicationForm(id="comm-form")
                yield Button(Content(_("Log entry")), id="comm-log-button", compact=True)
            with TabPane(Content(tab_title("attachments")), id="attachments"):
                yield Static(Content(_("enter shows a file; ctrl+t attaches one")), classes="editor-hint")
                yield AttachmentTable(id="editor-attachments")
        yield Footer()
        yield DraftKeeper(self.number, self.unsaved_notes)

    # --- loading ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        tabbed = self.query_one(TabbedContent)
        # Nothing takes typing until the notes are in: load_text() would replace what was typed.
        tabbed.disabled = tabbed.loading = True
        self._load()

    def _load(self) -> None:
        run_service(self, orders.get_order, self.number, log_limit=LOG_PAGE, done=self._loaded,
                    failed=self._failed, group="note-editor-load", exclusive=True)

    def _failed(self, error: NotedeskError) -> None:
        self.takes_keys = True
        notify_plain(self.app, str(error), severity="error")
        self.dismiss(self.saved_anything)

    def _loaded(self, detail: OrderDetail) -> None:
        self.detail = detail
        title = f"{one_line(detail.number)} · {one_line(detail.customer.name)} — " + _("notes")
        self.query_one("#editor-title", Static).update(Content(title))
        for kind in NOTE_KINDS:
            self.area(kind).load(detail.notes.get(kind) or NoteView(kind, "", 0, "", None))
        self.query_one(DeadlineFields).load(detail.deadline)
        self.query_one(PaymentFields).load(detail.payment)
        self.communications = list(detail.communications)
        self.query_one(CommunicationLog).show(detail.number, detail.communications, detail.log_keys,
                                              detail.older_log)
        self.query_one(AttachmentTable).show(detail.attachments)
        self._show_slips(detail)
        tabbed = self.query_one(TabbedContent)
        tabbed.disabled = tabbed.loading = False
        self.takes_keys = True
        self.action_tab(self.active_tab)  # tab keys pressed while loading have moved on already
        self._refresh_marks()
        self.query_one(DraftKeeper).look()

    def on_draft_keeper_restore(self, event: DraftKeeper.Restore) -> None:
        """Kept text comes back unsaved, based on the version it started from: a save checks that
        version, so another clerk's save since then shows as a conflict, merged against that base."""
        for kind, draft in event.drafts.items():
            area = self.area(kind)
            area.set_base(draft.base_body, draft.base_version)
            area.replace_text(draft.body)
        self.action_tab(next(iter(event.drafts)))
        self._refresh_marks()

    def reload(self) -> None:
        """Show what other clerks saved meanwhile (called by the live refresh): every note and field
        without unsaved text, and the log. Unsaved text is never touched; its save is checked
        against the version it was loaded at, as always."""
        if self.detail is not None:
            # a failure is left to the next refresh; a save reports its own errors
            run_service(self, orders.get_order, self.number, log_limit=LOG_PAGE, done=self._refreshed,
                        failed=ignore_failure, group="note-editor-reload", exclusive=True)

    def _refreshed(self, detail: OrderDetail) -> None:
        """Another clerk's save replaces what is shown where nothing is unsaved, and the clerk is told
        what changed and who changed it (a line of theirs can vanish: "keep mine" by the other)."""
        if self.detail is not None and detail.updated_at < self.detail.updated_at:
            return  # read before this editor's own save came back: older than what is shown
        told = []
        for kind in NOTE_KINDS:
            area, view = self.area(kind), detail.notes.get(kind)
            if view is not None and not area.dirty and view.version > area.base_version:
                if view.body != area.text:
                    told.append(replaced_note(note_title(kind), area.text, view))
                where = area.cursor_location
                area.load(view)
                area.move_cursor(where)  # clamped to the new text
        for fields, name in ((self.query_one(DeadlineFields), "deadline"), (self.query_one(PaymentFields), "payment")):
            stored = getattr(detail, name)
            if not fields.dirty and stored != fields.loaded:
                told.append(replaced_field(name, fields.loaded, stored, detail))
                fields.load(stored)
        self._show_order(detail)
        self._refresh_marks()
        if told:
            notify_plain(self.app, "\n".join(told), title=_("Changed meanwhile"), severity="warning",
                         timeout=20)

    # --- tabs and focus -----------------------------------------------------------------------

    def area(self, kind: str) -> NoteArea:
        return self.query_one(f"#note-{kind}", NoteArea)

    def editor_for(self, tab: str):
        if tab == "attachments":
            return self.query_one(AttachmentTable)
        return self.query_one(CommunicationForm).text_area if tab == "communication" else self.area(tab)

    @property
    def active_tab(self) -> str:
        """The tab shown; the first one until the tabs are mounted (the live heartbeat asks early)."""
        tabs = self.query(TabbedContent)
        return (tabs.first().active if tabs else "") or "requirements"

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab  # shows the pane at once (ContentSwitcher)
        self._show_slip()
        # Focus now, not with Widget.focus() (deferred): keys already queued, typed right after the
        # tab key on a busy server, must land in this tab's editor.
        self.set_focus(self.editor_for(tab))

    def action_next_tab(self) -> None:
        self.action_tab(TABS[(TABS.index(self.active_tab) + 1) % len(TABS)])

    def action_previous_tab(self) -> None:
        self.action_tab(TABS[(TABS.index(self.active_tab) - 1) % len(TABS)])

    def dirty_tabs(self) -> list[str]:
        if self.detail is None:
            return []
        out = [kind for kind in NOTE_KINDS if self.area(kind).dirty]
        if self.query_one(DeadlineFields).dirty and "delivery" not in out:
            out.append("delivery")
        if self.query_one(PaymentFields).dirty and "payment" not in out:
            out.append("payment")
        if self.query_one(CommunicationForm).has_text:
            out.append("communication")
        return out

    def unsaved_work(self) -> str:
        """What leaving now would lose, for the quit question ("" when nothing)."""
        dirty = self.dirty_tabs()
        return labels.labelled(one_line(self.number), _(", ").join(tab_title(t) for t in dirty)) if dirty else ""

    def unsaved_notes(self) -> dict[str, tuple[str, int]]:
        """{kind: (text, base_version)} of every note with unsaved text (kept as drafts on hang-up)."""
        if self.detail is None:
            return {}
        return {kind: (a.text, a.base_version) for kind in NOTE_KINDS if (a := self.area(kind)).dirty}

    def _refresh_marks(self) -> None:
        """A '•' after the title of every tab with unsaved text."""
        try:
            dirty = self.dirty_tabs()
        except NoMatches:  # a field's Changed (the save clearing it) arrived as the editor was closing
            return
        if dirty == self._marked:
            return  # runs on every keystroke: relabel only when a mark changes
        self._marked = dirty
        tabbed = self.query_one(TabbedContent)
        for tab in TABS:
            tabbed.get_tab(tab).label = Content(tab_title(tab) + (" •" if tab in dirty else ""))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._refresh_marks()
        if isinstance(event.text_area, NoteArea) and self.detail is not None:
            self.query_one(DraftKeeper).typed()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refresh_marks()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._refresh_marks()

    # --- saving -------------------------------------------------------------------------------

    def action_save(self) -> None:
        form = self.query_one(CommunicationForm)
        in_form = self.focused is not None and form in self.focused.ancestors_with_self
        self.start_save(log_entry=in_form)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "comm-log-button":
            event.stop()
            self.start_save(notes=False, log_entry=True)

    def start_save(self, *, notes: bool = True, log_entry: bool = False) -> bool:
        """Save what changed (the notes and fields, and/or the log entry) with one service call in a
        worker; False when nothing could start."""
        if self.detail is None:
            return False
        if self._saving:  # one save at a time: this one follows when the first is back
            self._save_next = (notes, log_entry)
            return True
        try:
            edits = self.edits(notes=notes, log_entry=log_entry)
        except ValueError as exc:
            self._close_after_save = False
            notify_plain(self.app, f"{exc}\n" + _("Nothing was saved."), severity="error")
            return False
        if not edits:
            if self._close_after_save:
                self.dismiss(self.saved_anything)
            else:
                notify_plain(self.app, _("Nothing to save."))
            return False
        self._saving, self._save_flags = True, (notes, log_entry)
        run_service(self, save_edits, self.number, edits, done=partial(self._saved, edits),
                    failed=self._save_failed, group="note-editor-save")
        return True

    def edits(self, *, notes: bool = True, log_entry: bool = False) -> OrderEdits:
        """What a save would send. Raises ValueError naming what cannot be read (a deadline, an amount)."""
        deadline_fields, payment_fields = self.query_one(DeadlineFields), self.query_one(PaymentFields)
        problems, deadline, payment = [], None, None
        if notes and deadline_fields.dirty:
            try:
                deadline = deadline_fields.value
            except DeadlineError as exc:
                problems.append(labels.labelled(_("Deadline"), str(exc)))
        if notes and payment_fields.dirty:
            try:
                payment = payment_fields.value
            except PaymentError as exc:
                problems.append(labels.labelled(_("Payment"), str(exc)))
        if problems:
            raise ValueError("\n".join(problems))
        form = self.query_one(CommunicationForm)
        entry = LogEntry(**form.values()) if log_entry and form.has_entry else None
        follow_up = form.follow_up() if log_entry else None  # a call's promise, in the same transaction
        changed = {kind: NoteEdit(area.text, area.base_version, area.markers)
                   for kind in NOTE_KINDS if notes and (area := self.area(kind)).dirty}
        return OrderEdits(notes=changed, deadline=deadline, loaded_deadline=deadline_fields.loaded,
                          payment=payment, loaded_payment=payment_fields.loaded, log_entry=entry,
                          follow_up=follow_up)

    def _save_failed(self, error: NotedeskError) -> None:
        self._saving = self._close_after_save = False
        notify_plain(self.app, f"{error}\n" + _("Nothing was saved."), severity="error", timeout=10)
        self._save_queued()

    def _saved(self, edits: OrderEdits, result: EditsSaved) -> None:
        self._saving = False
        if not result.saved:
            self._close_after_save = False
            self.resolve_conflicts(result, edits)  # then saves again, or says what is left to do
            return
        order = result.order
        done = []
        for kind in edits.notes:
            self.area(kind).saved(order.notes[kind])
            done.append(note_title(kind))
        if edits.deadline is not None:
            self.query_one(DeadlineFields).saved(order.deadline)
            done.append(_("deadline"))
        if edits.payment is not None:
            self.query_one(PaymentFields).saved(order.payment)
            done.append(_("payment fields"))
        form = self.query_one(CommunicationForm)
        if result.logged is not None and edits.log_entry is not None:
            if form.values()["text"] == edits.log_entry.text:
                form.clear(follow_up=False)
            done.append(_("log entry"))
        if result.follow_up is not None and edits.follow_up is not None:
            if form.follow_up_input.value == edits.follow_up.text:
                form.follow_up_input.value = ""
            done.append(_("follow-up for {clerk}, {when}").format(
                clerk=one_line(result.follow_up.clerk), when=follow_ups.when_label(result.follow_up.due_at)))
        self._show_order(order)
        self.saved_anything = True
        notify_plain(self.app, _("Saved: {what}").format(what=", ".join(done)))
        self._refresh_marks()
        if self._close_after_save and not self.dirty_tabs():
            self.dismiss(self.saved_anything)
        else:
            self._save_queued()

    def _save_queued(self) -> None:
        if self._save_next is not None:
            notes, log_entry = self._save_next
            self._save_next = None
            self.start_save(notes=notes, log_entry=log_entry)

    def _show_order(self, order: OrderDetail) -> None:
        """The order as stored now (what the next live reload is compared with), its log and files."""
        self.detail = order
        self._show_slips(order)
        if list(order.communications) != self.communications:
            self.communications = list(order.communications)
            self.query_one(CommunicationLog).show(order.number, order.communications, order.log_keys,
                                                  order.older_log)
        self.query_one(AttachmentTable).show(order.attachments)

    # --- the delivery slip ------------------------------------------------------------------------

    def _show_slips(self, detail: OrderDetail) -> None:
        self.on_slip = {kind: bool((note := detail.notes.get(kind)) and note.on_slip) for kind in NOTE_KINDS}
        self._show_slip()

    def _show_slip(self) -> None:
        """The line above the tabs: whether the note shown is printed on the delivery slip, and the key."""
        tab, slip = self.active_tab, self.query_one("#editor-slip", Static)
        if tab not in NOTE_KINDS or self.detail is None:
            slip.update("")
            return
        on = self.on_slip.get(tab, False)
        slip.set_class(on, "-on")
        slip.update(Content(("✓ " + _("on the delivery slip") if on else _("not on the delivery slip")) + " (F8)"))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._show_slip()  # a tab chosen with the mouse too

    def action_toggle_slip(self) -> None:
        tab = self.active_tab
        if self.detail is None or self._slip_busy:
            return
        if tab not in NOTE_KINDS:
            notify_plain(self.app, _("F8 marks a note for the delivery slip: go to a note's tab first."))
            return
        self._slip_busy = True
        run_service(self, set_on_slip, self.number, tab, not self.on_slip.get(tab, False),
                    done=self._slip_set, failed=self._slip_failed, group="note-editor-slip")

    def _slip_set(self, view: NoteView) -> None:
        self._slip_busy = False
        self.on_slip[view.kind] = view.on_slip
        self._show_slip()
        what = _("{note}: printed on the delivery slip") if view.on_slip else _("{note}: not on the delivery slip")
        notify_plain(self.app, what.format(note=note_title(view.kind)))

    def _slip_failed(self, error: NotedeskError) -> None:
        self._slip_busy = False
        notify_plain(self.app, str(error), severity="error", timeout=10)

    # --- attachments ----------------------------------------------------------------------------

    def action_attach(self) -> None:
        from notedesk.tui.screens.attach_file import AttachFileModal

        kind = self.active_tab if self.active_tab in NOTE_KINDS else ""
        self.app.push_screen(AttachFileModal(self.number, kind), callback=lambda view: view and self.reload())

    def on_attachment_table_chosen(self, event: AttachmentTable.Chosen) -> None:
        from notedesk.tui.screens.attachment import AttachmentScreen

        self.app.push_screen(AttachmentScreen(self.number, event.view), callback=lambda _removed: self.reload())

    # --- closing and history ------------------------------------------------------------------

    def action_close(self) -> None:
        if not self.dirty_tabs():
            self.dismiss(self.saved_anything)
            return
        names = ", ".join(tab_title(t) for t in self.dirty_tabs())
        question = _("Unsaved changes in: {tabs}. Save them before closing?").format(tabs=names)
        choices = [("save", _("Save"), "s"), ("discard", _("Discard"), "d"), ("cancel", _("Cancel"), "c")]
        self.app.push_screen(ChoiceModal(question, choices), callback=self._close_answer)

    def _close_answer(self, answer: str | None) -> None:
        if answer == "save":
            self._close_after_save = True
            self.start_save(log_entry=True)
        elif answer == "discard":
            self.query_one(DraftKeeper).discard()
            self.dismiss(self.saved_anything)

    def action_history(self) -> None:
        from notedesk.tui.screens.history import HistoryScreen

        kind = self.active_tab if self.active_tab in NOTE_KINDS else "requirements"
        self.app.push_screen(HistoryScreen(self.number, kind), callback=self._after_history)

    def _after_history(self, reverted: bool | None) -> None:
        if reverted:  # notes without unsaved text show the reverted text (a dirty one conflicts on save)
            self.reload()
