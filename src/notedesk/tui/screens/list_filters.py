"""ListFiltersModal: the order list's filters (status, payment, deadline range, customer) in one dialog.

The deadline range is read as it is typed, like a deadline field (services/list_filters.py): the
dialog shows the dates it reads, or what it did not understand, before the clerk applies it.
Dismisses with the list's new query, or None on escape.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from notedesk import domain, labels
from notedesk.i18n import _
from notedesk.services import lenses
from notedesk.services.errors import InvalidInput
from notedesk.services.list_filters import PAYMENT_FILTERS, DueRange, describe_range, due_range
from notedesk.services.listing import OrderQuery
from notedesk.tui.safe import line
from notedesk.tui.toasts import error_shown


def status_choices() -> dict[str, tuple[str, ...]]:
    """The status filters a clerk picks from: groups the departments use, then each status."""
    return {"any": (), "open": domain.OPEN_STATUSES, "to_make": lenses.TO_MAKE, "to_deliver": lenses.TO_DELIVER,
            "not_cancelled": lenses.NOT_CANCELLED, **{s: (s,) for s in domain.STATUSES}}


def status_choice_label(key: str) -> str:
    return {"any": _("any status"), "open": _("open (not delivered or cancelled)"),
            "to_make": _("to make (confirmed, in production)"),
            "to_deliver": _("to deliver (confirmed, in production, shipped)"),
            "not_cancelled": _("not cancelled")}.get(key) or labels.status_label(key)


def payment_choice_label(key: str) -> str:
    return {"any": _("any payment"), "not_paid": _("not paid (unpaid or partly paid)")}.get(key) \
        or labels.payment_status_label(key)


def _key_of(choices: dict[str, tuple[str, ...]], value: tuple[str, ...]) -> str:
    for key, statuses in choices.items():
        if set(statuses) == set(value):
            return key
    return "any"


def describe_filters(query: OrderQuery) -> str:
    """The filters beyond the text box, for the list's footer ('' when none)."""
    parts = []
    if query.statuses:
        parts.append(status_choice_label(_key_of(status_choices(), query.statuses)))
    if query.payment_statuses:
        parts.append(payment_choice_label(_key_of({"any": (), **PAYMENT_FILTERS}, query.payment_statuses)))
    if query.due is not None:
        parts.append(describe_range(query.due))
    if query.customer.strip():
        parts.append(_("customer “{text}”").format(text=query.customer.strip()))
    return " · ".join(parts)


class ListFiltersModal(ModalScreen[OrderQuery | None]):
    """Status, payment, deadline range and customer of the list. Keys: ctrl+s or enter apply, escape cancel."""

    BINDINGS = [
        Binding("ctrl+s", "apply", _("Apply")),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, query: OrderQuery) -> None:
        super().__init__()
        self.query_before = query
        self.due: DueRange | None = query.due
        self.due_ok = True

    def compose(self) -> ComposeResult:
        q = self.query_before
        statuses, payments = status_choices(), {"any": (), **PAYMENT_FILTERS}
        with Vertical(classes="filters-box"):
            yield Static(line(_("Filter the list")), classes="filters-title")
            yield Static(Content(_("Status")), classes="field-label")
            yield Select([(status_choice_label(k), k) for k in statuses], value=_key_of(statuses, q.statuses),
                         allow_blank=False, compact=True, id="filter-status")
            yield Static(Content(_("Payment")), classes="field-label")
            yield Select([(payment_choice_label(k), k) for k in payments],
                         value=_key_of(payments, q.payment_statuses), allow_blank=False, compact=True,
                         id="filter-payment")
            yield Static(Content(_("Deadline")), classes="field-label")
            yield Input(value=q.due.words if q.due else "", compact=True, id="filter-due",
                        placeholder=_("today / this week / overdue / 12-01 to 12-05 / 下周"))
            yield Static("", id="filter-due-preview", classes="field-note")
            yield Static(Content(_("Customer (name, company or phone)")), classes="field-label")
            yield Input(value=q.customer, compact=True, id="filter-customer", placeholder=_("e.g. 王芳 / Acme / 138"))
            with Horizontal(classes="filters-buttons"):
                yield Button(Content(_("Apply")), id="filter-apply", variant="primary", compact=True)
                yield Button(Content(_("Clear all")), id="filter-clear", compact=True)
                yield Button(Content(_("Cancel")), id="filter-cancel", compact=True)

    def on_mount(self) -> None:
        self._preview()
        self.query_one("#filter-status", Select).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "filter-due":
            self._preview()

    def _preview(self) -> None:
        words = self.query_one("#filter-due", Input).value
        note = self.query_one("#filter-due-preview", Static)
        self.due, self.due_ok = None, True
        note.set_class(False, "-error")
        if not words.strip():
            note.update(Content(_("Any deadline.")))
            return
        try:
            self.due = due_range(words)
        except InvalidInput as exc:
            self.due_ok = False
            note.update(line("✗ " + (str(exc).removeprefix(f"{exc.where}: ") if exc.where else str(exc))))
            note.set_class(True, "-error")
            error_shown(self)
            return
        assert self.due is not None
        if self.due.overdue or self.due.first == self.due.last:
            note.update(line("→ " + describe_range(self.due)))
        else:
            note.update(line("→ " + _("due {first} → {last}").format(first=self.due.first, last=self.due.last)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "filter-apply":
            self.action_apply()
        elif event.button.id == "filter-clear":
            self.dismiss(replace(self.query_before, statuses=(), payment_statuses=(), due=None, customer="",
                                 open_only=False))
        else:
            self.action_cancel()

    def action_apply(self) -> None:
        self._preview()  # "today" is read again: the dialog may have stayed open past midnight
        if not self.due_ok:
            self.query_one("#filter-due", Input).focus()
            return
        status = self.query_one("#filter-status", Select).value
        payment = self.query_one("#filter-payment", Select).value
        self.dismiss(replace(
            self.query_before, statuses=status_choices().get(str(status), ()),
            payment_statuses=PAYMENT_FILTERS.get(str(payment), ()), due=self.due,
            customer=self.query_one("#filter-customer", Input).value.strip(),
            open_only=False if status != "any" else self.query_before.open_only))

    def action_cancel(self) -> None:
        self.dismiss(None)
