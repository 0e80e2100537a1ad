"""The customer screen's contacts and delivery addresses as tables a clerk edits from the keyboard, and
the small form that adds or changes one (services.customer_lists does the rest).

In a table: `n` adds, `enter` changes the one under the cursor, `delete` removes it (after a question).
The form: `enter` or `ctrl+s` saves, `escape` cancels; a refused value keeps the form open and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services.types import AddressData, ContactData
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service


class ListTable(DataTable):
    """A customer's contacts or addresses: n adds, enter changes, delete removes (the screen does them)."""

    BINDINGS = [
        Binding("enter", "select_cursor", _("Change"), key_display="⏎"),
        Binding("n", "screen.add_entry", _("Add")),
        Binding("delete", "screen.remove_entry", _("Remove"), key_display="del"),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def fit(self, rows: int) -> None:
        self.styles.height = max(rows, 1) + 1


def orders_cell(n: int) -> Text:
    return Text(str(n) if n else "", justify="right")


def fill_contacts(table: ListTable, contacts: tuple[ContactData, ...], uses: tuple[int, ...]) -> None:
    row = table.cursor_row
    table.clear()
    for person, n in zip(contacts, uses, strict=False):
        table.add_row(Text(one_line(person.name, 24), style="bold"), Text(one_line(person.phone, 20)),
                      Text(one_line(person.role, 16)), orders_cell(n))
    table.fit(len(contacts))
    if contacts:
        table.move_cursor(row=min(max(row, 0), len(contacts) - 1))


def fill_addresses(table: ListTable, addresses: tuple[AddressData, ...], uses: tuple[int, ...]) -> None:
    row = table.cursor_row
    table.clear()
    for place, n in zip(addresses, uses, strict=False):
        table.add_row(Text(one_line(place.label, 12), style="bold"), Text(one_line(place.text, 52)), orders_cell(n))
    table.fit(len(addresses))
    if addresses:
        table.move_cursor(row=min(max(row, 0), len(addresses) - 1))


class EntryModal(ModalScreen[Any]):
    """Add or change one contact or address: `fields` are (key, label, value); `save(values)` is the
    service call (run in a worker) whose result the modal dismisses with; None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, title: str, fields: list[tuple[str, str, str]],
                 save: Callable[[dict[str, str]], tuple[Callable[..., Any], tuple]]) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.save = save
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="log-box entry-box"):
            yield Static(Content(self.title_text), classes="log-title")
            for key, label, value in self.fields:
                with Horizontal(classes="pay-row"):
                    yield Static(Content(label), classes="field-label")
                    yield Input(value, id=f"entry-{key}", compact=True)
            yield Static(Content(_("enter or ctrl+s saves · esc cancels")), classes="form-hint")
            yield Static(id="entry-error", classes="field-note -error")

    def on_mount(self) -> None:
        self.query_one(f"#entry-{self.fields[0][0]}", Input).focus()

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#entry-{key}", Input).value for key, _label, _value in self.fields}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self._busy:
            return
        self._busy = True
        call, args = self.save(self.values())
        run_service(self, call, *args, done=self.dismiss, failed=self._failed, group="customer-entry")

    def _failed(self, error: NotedeskError) -> None:
        self._busy = False
        self.query_one("#entry-error", Static).update(Content(str(error)))

    def _changed(self) -> bool:
        return any(self.values()[key] != value for key, _label, value in self.fields)

    def unsaved_work(self) -> str:
        """What leaving now would lose, for the quit question ("" when nothing)."""
        return _("a contact or address of the customer") if self._changed() else ""

    def action_cancel(self) -> None:
        if not self._changed():
            self.dismiss(None)
            return
        from notedesk.tui.widgets.choice_modal import ChoiceModal

        choices = [("save", _("Save"), "s"), ("discard", _("Discard"), "d"), ("cancel", _("Keep editing"), "c")]
        self.app.push_screen(ChoiceModal(_("This change is not saved yet."), choices), callback=self._answer)

    def _answer(self, answer: str | None) -> None:
        if answer == "save":
            self.action_save()
        elif answer == "discard":
            self.dismiss(None)


def show_failure(screen, error: NotedeskError) -> None:
    notify_plain(screen.app, str(error), severity="error", timeout=10)
