"""StatusModal (pick an order's new status, the current one highlighted) and the one way every
screen changes a status: `ask_status` / `save_status`, over services.order_status."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from notedesk import labels
from notedesk.domain import STATUSES
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import order_status
from notedesk.services.errors import Conflict
from notedesk.services.order_status import StatusChange
from notedesk.text import one_line
from notedesk.tui.safe import line, notify_plain
from notedesk.tui.service_calls import run_service
from notedesk.tui.widgets.order_cells import status_label


class StatusModal(ModalScreen[str | None]):
    """Dismisses with the chosen status (one of STATUSES), or None on escape."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, current: str, number: str = "") -> None:
        super().__init__()
        self.current = current
        self.number = number

    def compose(self) -> ComposeResult:
        title = _("New status for {number}").format(number=self.number) if self.number else _("New status")
        with Vertical(classes="status-box"):
            yield Static(line(title), classes="message-title")
            yield OptionList(
                *(Option(line(("● " if s == self.current else "  ") + status_label(s)), id=s) for s in STATUSES),
                id="status-options",
            )
            yield Static(line(_("enter chooses · escape cancels")), classes="status-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in STATUSES:
            options.highlighted = STATUSES.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- the one way a screen changes a status ------------------------------------------------------


def collect_of(order) -> tuple[Decimal, str] | None:
    """What a courier collects on delivery of `order` (an OrderDetail, OrderSummary or DueItem) and its
    currency: the balance of an unpaid cash-on-delivery order, else None."""
    payment = getattr(order, "payment", None)  # an OrderDetail; the others carry the fields themselves
    method = payment.method if payment is not None else order.payment_method
    status = payment.status if payment is not None else order.payment_status
    if method != "cod" or status == "paid" or order.balance <= 0:
        return None
    return order.balance, order.currency


def ask_status(screen: Screen, number: str, shown: str, then: Callable[[], None],
               collect: tuple[Decimal, str] | None = None) -> None:
    """`s` on any screen: pick a new status for order `number` (showing `shown`) and save it; marking
    a cash-on-delivery order (`collect`: its balance) delivered asks about the money first."""

    def chosen(status: str | None) -> None:
        if status == "delivered" and status != shown and collect is not None:
            ask_delivered(screen, number, shown, collect, then, asked=True)
        elif status and status != shown:
            save_status(screen, number, status, shown, then)

    screen.app.push_screen(StatusModal(shown, number), callback=chosen)


def ask_delivered(screen: Screen, number: str, shown: str, collect: tuple[Decimal, str] | None,
                  then: Callable[[], None], *, customer: str = "", asked: bool = False) -> None:
    """`x`: mark order `number` delivered. Cash on delivery (`collect`: amount and currency) asks whether
    the courier collected the amount, and records it with the status when yes; otherwise a plain
    yes/no (unless the clerk `asked` already, by choosing "delivered")."""
    from notedesk.tui.widgets.choice_modal import ChoiceModal

    who = f" ({one_line(customer, 30)})" if customer else ""
    if collect is None:
        if asked:
            save_status(screen, number, "delivered", shown, then)
            return
        question = _("Mark {number}{who} as delivered?").format(number=number, who=who)
        choices: list = [(True, _("Delivered"), "y"), (False, _("Cancel"), "n")]
        screen.app.push_screen(ChoiceModal(question, choices, title=_("Delivered")),
                               callback=lambda yes: yes and save_status(screen, number, "delivered", shown, then))
        return
    amount, currency = collect
    money = labels.money(amount, currency)
    question = _("{number}{who} is cash on delivery. Did the courier collect {amount}?").format(
        number=number, who=who, amount=money)
    choices = [("yes", _("Collected {amount}").format(amount=money), "y"),
               ("no", _("Delivered, not collected"), "d"), ("cancel", _("Cancel"), "n")]

    def answer(choice: str | None) -> None:
        if choice == "yes":
            save_status(screen, number, "delivered", shown, then, collected=amount)
        elif choice == "no":
            save_status(screen, number, "delivered", shown, then)

    screen.app.push_screen(ChoiceModal(question, choices, title=_("Delivered")), callback=answer)


def save_status(screen: Screen, number: str, status: str, shown: str, then: Callable[[], None],
                collected: Decimal | None = None) -> None:
    """Save `status` by the one rule (services.order_status), chosen while the order showed `shown`;
    with `collected`, the money the courier collected is recorded with it.

    Another clerk changed the status meanwhile: both are shown and the clerk keeps theirs or takes
    the other's. `then()` once the order is as the clerk decided (to show it again)."""

    def saved(result: StatusChange) -> None:
        message = (_("{number}: status is now “{status}”.") if result.changed
                   else _("{number} is “{status}” already.")).format(number=number, status=status_label(status))
        if result.payment is not None:
            message += " " + _("Collected {amount} recorded.").format(
                amount=labels.money(result.payment.amount, result.order.currency))
        elif collected is not None and not result.changed:
            message += " " + _("Nothing recorded: press p on the order to record the money.")
        notify_plain(screen.app, message)
        then()

    def failed(error: NotedeskError) -> None:
        if not isinstance(error, Conflict):
            notify_plain(screen.app, str(error), severity="error", timeout=10)
            return
        from notedesk.tui.screens.conflict import FieldConflictModal

        current = error.current
        who = _("{clerk} changed this order meanwhile.").format(clerk=one_line(current.changed_by))
        rows = [(_("Status"), status_label(current.status), status_label(status))]

        def answer(choice: str | None) -> None:
            if choice == "mine":
                save_status(screen, number, status, current.status, then, collected)
            else:
                then()

        screen.app.push_screen(FieldConflictModal(_("Status changed by another clerk"), who, rows), callback=answer)

    run_service(screen, order_status.change_status, number, status, loaded_status=shown, collected=collected,
                done=saved, failed=failed, group="status-change")
