"""NoteEditorScreen: the tabbed editor of an order's four notes, its deadline and payment fields, and its log.

Tabs: Requirements · Special · Delivery (+ deadline fields) · Payment (+ payment fields) ·
Communication · Files (the order's attachments; `ctrl+t` attaches one, filed under the note shown).
Every note keeps the version it was loaded at; `ctrl+s` saves every changed tab against those
versions in a worker, and a Conflict (another clerk saved first) opens the conflict modal instead of
overwriting anything (DESIGN §7). Tab keys are ones real terminals deliver
(`ctrl+pagedown`/`ctrl+pageup`, `f2`…`f6`, DESIGN §3); they are priority bindings because
TextArea binds `f6` itself.
"""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static, TabbedContent, TabPane, TextArea

from notedesk.deadlines import DeadlineError
from notedesk.domain import NOTE_KINDS
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import orders
from notedesk.services.types import CommunicationView, NoteView, OrderDetail
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.screens.conflict import EditorConflicts, SaveResult, save_editor
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
    ]

    def __init__(self, number: str, tab: str = "requirements") -> None:
        super().__init__()
        self.number = number
        self.initial_tab = tab if tab in TABS else "requirements"
        self.detail: OrderDetail | None = None
        self.order_version = 0
        self.communications: list[CommunicationView] = []
        self.saved_anything = False
        self._close_after_save = False
        self._conflicts: list[tuple[str, NoteView, str, str]] = []
        self._field_conflict: tuple[OrderDetail, dict] | None = None
        self._marked: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(Content(one_line(self.number)), id="editor-title")
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
        run_service(self, orders.get_order, self.number, done=self._loaded, failed=self._failed,
                    group="note-editor-load", exclusive=True)

    def _failed(self, error: NotedeskError) -> None:
        notify_plain(self.app, str(error), severity="error")
        self.dismiss(self.saved_anything)

    def _loaded(self, detail: OrderDetail) -> None:
        self.detail = detail
        self.order_version = detail.version
        title = f"{one_line(detail.number)} · {one_line(detail.customer.name)} — " + _("notes")
        self.query_one("#editor-title", Static).update(Content(title))
        for kind in NOTE_KINDS:
            self.area(kind).load(detail.notes.get(kind) or NoteView(kind, "", 0, "", None))
        self.query_one(DeadlineFields).load(detail.deadline)
        self.query_one(PaymentFields).load(detail.payment)
        self.communications = list(detail.communications)
        self.query_one(CommunicationLog).show(self.communications)
        self.query_one(AttachmentTable).show(detail.attachments)
        tabbed = self.query_one(TabbedContent)
        tabbed.disabled = tabbed.loading = False
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
            run_service(self, orders.get_order, self.number, done=self._refreshed, failed=ignore_failure,
                        group="note-editor-reload", exclusive=True)

    def _refreshed(self, detail: OrderDetail) -> None:
        for kind in NOTE_KINDS:
            area, view = self.area(kind), detail.notes.get(kind)
            if view is not None and not area.dirty and view.version != area.base_version:
                where = area.cursor_location
                area.load(view)
                area.move_cursor(where)  # clamped to the new text
        deadline_fields, payment_fields = self.query_one(DeadlineFields), self.query_one(PaymentFields)
        if not (deadline_fields.dirty or payment_fields.dirty):
            self.order_version = detail.version
            if detail.deadline != deadline_fields.loaded:
                deadline_fields.load(detail.deadline)
            if detail.payment != payment_fields.loaded:
                payment_fields.load(detail.payment)
        if list(detail.communications) != self.communications:
            self.communications = list(detail.communications)
            self.query_one(CommunicationLog).show(self.communications)
        self.query_one(AttachmentTable).show(detail.attachments)
        self.detail = detail
        self._refresh_marks()

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

    def unsaved_notes(self) -> dict[str, tuple[str, int]]:
        """{kind: (text, base_version)} of every note with unsaved text (kept as drafts on hang-up)."""
        if self.detail is None:
            return {}
        return {kind: (a.text, a.base_version) for kind in NOTE_KINDS if (a := self.area(kind)).dirty}

    def _refresh_marks(self) -> None:
        """A '•' after the title of every tab with unsaved text."""
        dirty = self.dirty_tabs()
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
        """Check the fields and save what changed in a worker; False when nothing could start."""
        if self.detail is None:
            return False
        pending: dict = {}
        problems: list[str] = []
        deadline_fields, payment_fields = self.query_one(DeadlineFields), self.query_one(PaymentFields)
        if notes and deadline_fields.dirty:
            try:
                pending["deadline"] = deadline_fields.value
            except DeadlineError as exc:
                problems.append(_("Deadline") + ": " + str(exc))
        if notes and payment_fields.dirty:
            try:
                pending["payment"] = payment_fields.value
            except PaymentError as exc:
                problems.append(_("Payment") + ": " + str(exc))
        if problems:
            self._close_after_save = False
            notify_plain(self.app, "\n".join(problems) + "\n" + _("Nothing was saved."), severity="error")
            return False
        changed = {k: (a.text, a.base_version, a.loaded_body) for k in NOTE_KINDS
                   if notes and (a := self.area(k)).dirty}
        form = self.query_one(CommunicationForm)
        entry = form.values() if log_entry and form.has_text else None
        if not (changed or pending or entry):
            if self._close_after_save:
                self.dismiss(self.saved_anything)
            else:
                notify_plain(self.app, _("Nothing to save."))
            return False
        loaded = {"deadline": deadline_fields.loaded, "payment": payment_fields.loaded}
        self._save(changed, pending, self.order_version, loaded, entry)
        return True

    def _save(self, changed: dict, pending: dict, order_version: int, loaded: dict, entry: dict | None) -> None:
        run_service(self, save_editor, self.number, changed, pending, order_version, loaded, entry,
                    done=partial(self._saved, fields_sent=list(pending), entry=entry), group="note-editor-save")

    def _saved(self, result: SaveResult, *, fields_sent: list[str], entry: dict | None) -> None:
        done = []
        for kind, view in result.saved.items():
            self.area(kind).set_base(view.body, view.version)
            done.append(note_title(kind))
        if result.order is not None:
            self.order_version = result.order.version
            self._fields_saved(result.order)
            unsaved = result.field_conflict[1] if result.field_conflict else {}
            done += [_("deadline") if f == "deadline" else _("payment fields") for f in fields_sent if f not in unsaved]
        if result.logged is not None:
            self.communications.insert(0, result.logged)
            self.query_one(CommunicationLog).show(self.communications)
            if self.query_one(CommunicationForm).values()["text"] == entry["text"]:
                self.query_one(CommunicationForm).clear()
            done.append(_("log entry"))
        self.saved_anything |= bool(result.saved or result.order or result.logged)
        if done:
            notify_plain(self.app, _("Saved: {what}").format(what=", ".join(done)))
        for message in result.errors:
            notify_plain(self.app, message, severity="error", timeout=10)
        self._conflicts += result.conflicts
        if result.field_conflict is not None:
            self._field_conflict = result.field_conflict
        self._refresh_marks()
        if self._conflicts or self._field_conflict or result.errors:
            self._close_after_save = False
            self._next_conflict()
        elif self._close_after_save and not self.dirty_tabs():
            self.dismiss(self.saved_anything)

    def _fields_saved(self, order: OrderDetail) -> None:
        """Show the stored deadline/payment as the new loaded state, unless the clerk typed on meanwhile."""
        deadline_fields, payment_fields = self.query_one(DeadlineFields), self.query_one(PaymentFields)
        try:
            if deadline_fields.value == order.deadline:
                deadline_fields.load(order.deadline)
        except DeadlineError:
            pass
        try:
            if payment_fields.value == order.payment:
                payment_fields.load(order.payment)
        except PaymentError:
            pass

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
        if reverted:
            self._reload_clean_notes()

    def _reload_clean_notes(self) -> None:
        """After a revert: notes without unsaved text show the stored body (a dirty one will conflict on save)."""
        run_service(self, orders.get_order, self.number, done=lambda detail: self._apply_clean_notes(detail.notes),
                    group="note-editor-load")

    def _apply_clean_notes(self, views: dict[str, NoteView]) -> None:
        for kind, view in views.items():
            if not self.area(kind).dirty:
                self.area(kind).load(view)
        self._refresh_marks()
