"""PayModal: record money received for an order (amount, how, a note) — `p` on the order detail.

The amount starts as the balance (typing replaces it); a negative amount is a refund. `ctrl+s`
records it through services.payments in a worker; the service's rules (what an amount is, a refund
of more than was received) give the one-line errors. Escape after typing asks first.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, Static

from notedesk import labels
from notedesk.domain import PAYMENT_VIA
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import payments
from notedesk.services.payments import Recorded
from notedesk.services.types import OrderDetail
from notedesk.text import one_line
from notedesk.tui.safe import notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.choice_modal import ChoiceModal


class PayModal(ModalScreen[Recorded | None]):
    """Dismisses with what was recorded, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "record", _("Record"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, order: OrderDetail) -> None:
        super().__init__()
        self.order = order
        self.number = order.number
        self._busy = False
        self._start = f"{order.balance:.2f}" if order.balance > 0 else ""

    def compose(self) -> ComposeResult:
        o = self.order
        with Vertical(classes="log-box pay-box"):
            yield Static(Content(_("Payment received for {number}").format(number=one_line(o.number))),
                         classes="log-title")
            yield Static(Content(_("amount due {due} · received {received} · {balance}").format(
                due=labels.money(o.due_amount, o.currency), received=labels.money(o.received),
                balance=labels.balance_label(o.balance))), id="pay-summary")
            with Horizontal(classes="pay-row"):
                yield Static(Content(_("Amount")), classes="field-label")
                yield Input(self._start, placeholder="0.00", id="pay-amount", compact=True)
            with Horizontal(classes="pay-row"):
                yield Static(Content(_("Via")), classes="field-label")
                yield Select([(Content(labels.via_label(v)), v) for v in PAYMENT_VIA], allow_blank=False,
                             value="transfer", id="pay-via", compact=True)
            with Horizontal(classes="pay-row"):
                yield Static(Content(_("Note")), classes="field-label")
                yield Input(placeholder=_("e.g. deposit, bank ref."), id="pay-note", compact=True)
            yield Static(Content(_("A negative amount is a refund.")), classes="field-note")
            with Horizontal(classes="log-buttons"):
                yield Button(Content(_("Record") + " (ctrl+s)"), id="pay-save", variant="primary", compact=True)
                yield Button(Content(_("Cancel") + " (esc)"), id="pay-cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pay-amount", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "pay-save":
            self.action_record()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_record()

    def action_record(self) -> None:
        if self._busy:
            return
        amount = self.query_one("#pay-amount", Input).value.strip()
        if not amount:
            notify_plain(self.app, _("Type the amount received first."), severity="warning")
            self.query_one("#pay-amount", Input).focus()
            return
        self._busy = True
        run_service(self, payments.record_payment, self.number, amount, via=self.query_one("#pay-via", Select).value,
                    note=self.query_one("#pay-note", Input).value, done=self.dismiss, failed=self._failed,
                    group="pay")

    def _failed(self, error: NotedeskError) -> None:
        self._busy = False
        notify_plain(self.app, str(error), severity="error", timeout=10)
        self.query_one("#pay-amount", Input).focus()

    def _typed(self) -> bool:
        return (self.query_one("#pay-amount", Input).value.strip() not in ("", self._start)
                or bool(self.query_one("#pay-note", Input).value.strip()))

    def unsaved_work(self) -> str:
        """What leaving now would lose, for the quit question ("" when nothing)."""
        return _("a payment on {number}").format(number=one_line(self.number)) if self._typed() else ""

    def action_cancel(self) -> None:
        if not self._typed():
            self.dismiss(None)
            return
        choices = [("save", _("Record"), "s"), ("discard", _("Discard"), "d"), ("cancel", _("Keep editing"), "c")]
        self.app.push_screen(ChoiceModal(_("This payment is not recorded yet."), choices), callback=self._answer)

    def _answer(self, answer: str | None) -> None:
        if answer == "save":
            self.action_record()
        elif answer == "discard":
            self.dismiss(None)
