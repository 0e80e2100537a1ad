"""PaymentFields: method, status, amount due and the instalment schedule of an order, checked as typed.

The schedule is edited as plain lines, `YYYY-MM-DD amount [paid]`, one instalment a line: quick
to type on the phone and easy to read back. Amounts follow the service's money rules (Decimal,
two places), so what the field accepts is what save accepts.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Select, Static, TextArea

from notedesk import labels
from notedesk.domain import PAYMENT_METHODS, PAYMENT_STATUSES
from notedesk.i18n import _
from notedesk.services import validation
from notedesk.services.errors import InvalidInput
from notedesk.services.types import InstalmentData, Payment
from notedesk.tui.toasts import error_shown

PAID_WORDS = ("paid", "yes", "y", "x", "✓", "已付", "已付款")


class PaymentError(ValueError):
    """A payment field that cannot be saved; str() names the field."""


def method_label(method: str) -> str:
    return labels.method_label(method)


def status_label(status: str) -> str:
    return labels.payment_status_label(status)


def format_instalments(instalments) -> str:
    return "\n".join(f"{i.due.isoformat()} {i.amount}{' paid' if i.paid else ''}" for i in instalments)


def parse_instalments(text: str) -> tuple[InstalmentData, ...]:
    """Lines `YYYY-MM-DD amount [paid]`; blank lines are skipped. Raises PaymentError naming the line."""
    out = []
    for n, raw in enumerate(text.split("\n"), start=1):
        words = raw.split()
        if not words:
            continue
        where = _("instalment line {n}").format(n=n)
        if len(words) not in (2, 3):
            raise PaymentError(f"{where}: " + _("write YYYY-MM-DD amount [paid]"))
        try:
            due = dt.date.fromisoformat(words[0])
        except ValueError:
            raise PaymentError(f"{where}: " + _("{date!r} is not a date YYYY-MM-DD").format(date=words[0])) from None
        try:
            amount = validation.money(words[1], where)
        except InvalidInput as exc:
            raise PaymentError(str(exc)) from None
        paid = len(words) == 3
        if paid and words[2].lower() not in PAID_WORDS:
            raise PaymentError(f"{where}: " + _("the third word may only be 'paid'"))
        out.append(InstalmentData(due, amount, paid))
    return tuple(out)


class PaymentFields(Vertical):
    """`value` is the Payment to save (raises PaymentError); `dirty` when it differs from the loaded one."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.loaded = Payment()

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Method")), classes="field-label")
        yield Select([(Content(method_label(m)), m) for m in PAYMENT_METHODS], allow_blank=False,
                     value="other", id="payment-method", compact=True)
        yield Static(Content(_("Status (follows the payments received: p on the order records one)")),
                     classes="field-label")
        yield Select([(Content(status_label(s)), s) for s in PAYMENT_STATUSES], allow_blank=False,
                     value="unpaid", id="payment-status", compact=True, disabled=True)
        yield Static(Content(_("Amount due")), classes="field-label")
        yield Input(placeholder="0.00", id="payment-amount", compact=True)
        yield Static(Content(_("Instalments, one a line")), classes="field-label")
        yield TextArea("", id="payment-instalments", soft_wrap=False, tab_behavior="focus",
                       placeholder=_("e.g. 2026-12-15 3500.00"))
        yield Static("", id="payment-error", classes="field-note -error")

    def load(self, payment: Payment) -> None:
        self.loaded = payment
        with self.prevent(Select.Changed, Input.Changed, TextArea.Changed):
            self.query_one("#payment-method", Select).value = payment.method
            self.query_one("#payment-status", Select).value = payment.status
            amount = "" if payment.amount_due is None else str(payment.amount_due)
            self.query_one("#payment-amount", Input).value = amount
            self.query_one("#payment-instalments", TextArea).load_text(format_instalments(payment.instalments))
        self._show_error("")

    def set_base(self, payment: Payment) -> None:
        """What is stored now (another clerk's, seen by the clerk), without touching what is typed."""
        self.loaded = payment

    def saved(self, payment: Payment) -> None:
        """The save came back with `payment` stored: shown as stored unless typed on meanwhile."""
        try:
            typed_on = self.value.terms() != payment.terms()
        except PaymentError:
            typed_on = True
        if typed_on:
            self.set_base(payment)
        else:
            self.load(payment)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.check()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.check()

    def check(self) -> str:
        """Validate now; shows and returns the problem ('' when none)."""
        try:
            self.value  # noqa: B018 - reading the property validates the fields
        except PaymentError as exc:
            self._show_error(str(exc))
            return str(exc)
        self._show_error("")
        return ""

    def _show_error(self, message: str) -> None:
        note = self.query_one("#payment-error", Static)
        note.update(Content("✗ " + message if message else ""))
        note.display = bool(message)
        if message:
            error_shown(self)

    @property
    def value(self) -> Payment:
        amount = self.query_one("#payment-amount", Input).value
        try:
            amount_due = validation.money(amount, _("amount due"), allow_none=True)
        except InvalidInput as exc:
            raise PaymentError(str(exc)) from None
        return Payment(
            method=self.query_one("#payment-method", Select).value,
            status=self.query_one("#payment-status", Select).value,
            amount_due=amount_due,
            instalments=parse_instalments(self.query_one("#payment-instalments", TextArea).text),
        )

    @property
    def dirty(self) -> bool:
        """What a clerk sets differs (the status and the instalments' "paid" follow from payments)."""
        try:
            return self.value.terms() != self.loaded.terms()
        except PaymentError:
            return True
