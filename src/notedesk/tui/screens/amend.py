"""AmendScreen: change an order after it was saved (`a` on the detail); dismisses with the Amended result.

The form holds every field a clerk entered, filled from the order as the detail showed it: the
reason first (what the customer asked: it goes into the log, linked to every change), the lines
(a row of product, spec, quantity, unit price each; ctrl+n adds a line, ctrl+r removes the one the
cursor is in), the order's status, currency, payment and deadline (read live), the customer and the
delivery address. Only what the clerk changed is sent, as exchange paths, in one call of
services.amend.amend_order with the order as loaded: another clerk's change to other fields stays,
one to the same fields comes back as a conflict that shows theirs beside mine (keep mine: saved on
top; take theirs: the form shows the order as stored).
"""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static

from notedesk import clock, labels
from notedesk.domain import CHANNELS, PAYMENT_METHODS, STATUSES
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import amend
from notedesk.services.amend import AmendConflict, Amended, Amendment
from notedesk.services.errors import InvalidInput
from notedesk.services.types import OrderDetail
from notedesk.text import one_line
from notedesk.tui.safe import content, line
from notedesk.tui.service_calls import run_service
from notedesk.tui.toasts import error_shown

CUSTOMER_FIELDS = tuple(amend.CUSTOMER_FIELDS)  # services.amend_customer: name … address, contact, preferences
LINE_FIELDS = amend.LINE_FIELDS


class PickInput(Input):
    """The delivery address or the contact: up/down go through the customer's (what the order may pick)."""

    BINDINGS = [
        Binding("down", "screen.other_pick(1)", _("Next of the customer's"), show=False),
        Binding("up", "screen.other_pick(-1)", _("Previous of the customer's"), show=False),
    ]


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def _deadline_words(detail: OrderDetail) -> str:
    d = detail.deadline
    if d.text.strip() or d.date is None:
        return d.text
    window = "-".join(t.strftime("%H:%M") for t in (d.start, d.end) if t)  # a date without words (an import)
    return f"{d.date.isoformat()} {window}".strip()


def _line_values(detail: OrderDetail, n: int) -> dict[str, str]:
    x = detail.lines[n - 1]
    return {"product": x.product, "spec": x.spec, "quantity": str(x.quantity), "unit_price": _money(x.unit_price)}


class LineRow(Horizontal):
    """One line of the order: its number as loaded (None for a line added here) and four fields."""

    def __init__(self, key: int, number: int | None, values: dict[str, str]) -> None:
        super().__init__(classes="amend-line", id=f"amend-line-{key}")
        self.key, self.number, self.values = key, number, values

    def compose(self) -> ComposeResult:
        yield Label(line(str(self.number) if self.number else "+"), classes="line-number")
        for name in LINE_FIELDS:
            yield Input(self.values.get(name, ""), id=f"line-{self.key}-{name}", compact=True,
                        classes=f"line-{name}")

    def value(self, name: str) -> str:
        return self.query_one(f"#line-{self.key}-{name}", Input).value


class AmendScreen(Screen[Amended | None]):
    """ctrl+s saves, ctrl+n adds a line, ctrl+r removes the line the cursor is in, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), priority=True),
        Binding("ctrl+n", "add_line", _("Add line"), priority=True),
        Binding("ctrl+r", "remove_line", _("Remove line"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, detail: OrderDetail) -> None:
        super().__init__()
        self.number = detail.number
        self.loaded = detail
        self._filled: dict[str, str] = {}  # field id -> the value it was filled with
        self._keys = 0
        self._saving = False

    # --- the form ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        d = self.loaded
        yield Static(id="amend-title")
        words = {"name": _("Customer *"), "company": _("Company"), "phone": _("Phone"), "email": _("Email"),
                 "address": _("Delivery to"), "contact": _("Contact"), "preferences": _("Preferences")}
        with VerticalScroll(id="amend-form"):
            with Horizontal(classes="form-row"):
                yield Label(line(_("Reason")), classes="form-label")
                yield Input(id="amend-reason", compact=True,
                            placeholder=_("what the customer asked (logged, linked to the changes)"))
            with Horizontal(classes="form-row amend-head"):
                yield Label(line(_("Lines")), classes="form-label")
                for title, name in ((_("Product"), "product"), (_("Spec"), "spec"), (_("Qty"), "quantity"),
                                    (_("Unit price"), "unit_price")):
                    yield Label(line(title), classes=f"line-{name}")
            with Vertical(id="amend-lines"):
                for n in range(1, len(d.lines) + 1):
                    yield self._row(n, _line_values(d, n))
            yield Static(line(_("ctrl+n adds a line · ctrl+r removes the line the cursor is in")), classes="form-hint")
            with Horizontal(classes="form-row"):
                yield Label(line(_("Status")), classes="form-label")
                yield Select([(labels.status_label(s), s) for s in STATUSES], value=d.status, allow_blank=False,
                             id="amend-status", compact=True)
                yield Label(line(_("Currency")), classes="form-label -second")
                yield Input(d.currency, id="amend-currency", compact=True, max_length=3)
            with Horizontal(classes="form-row"):
                yield Label(line(_("Payment")), classes="form-label")
                yield Select([(labels.method_label(m), m) for m in PAYMENT_METHODS], value=d.payment.method,
                             allow_blank=False, id="amend-method", compact=True)
                yield Label(line(_("Amount due")), classes="form-label -second")
                yield Input(_money(d.payment.amount_due), id="amend-due", compact=True,
                            placeholder=_("empty: the total"))
            with Horizontal(classes="form-row"):
                yield Label(line(_("Deadline")), classes="form-label")
                yield Input(_deadline_words(d), id="amend-deadline", compact=True,
                            placeholder=_("e.g. 12月1日上午9点到11点 / Dec 1 9-11am"))
            yield Static(id="amend-preview")
            for name in CUSTOMER_FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(line(words.get(name, name)), classes="form-label")
                    kind = PickInput if name in ("address", "contact") else Input
                    yield kind(getattr(d.customer, name) or "", id=f"amend-customer-{name}", compact=True)
            with Horizontal(classes="form-row"):
                yield Label(line(_("Asked by")), classes="form-label")
                yield Select([(labels.channel_label(c), c) for c in CHANNELS], value="phone", allow_blank=False,
                             id="amend-channel", compact=True)
                yield Input(id="amend-contact", compact=True, placeholder=_("who asked"))
            yield Static(id="amend-error")
        yield Footer(compact=True, show_command_palette=False)

    def action_other_pick(self, step: int) -> None:
        """The next (or previous) of the customer's addresses or contacts in the focused field."""
        box = self.focused
        if not isinstance(box, PickInput):
            return
        c = self.loaded.customer
        choices = [a.text for a in c.addresses] if box.id == "amend-customer-address" else [k.name for k in c.contacts]
        if not choices:
            return
        at = choices.index(box.value) if box.value in choices else -1
        box.value = choices[(at + step) % len(choices)]
        box.cursor_position = len(box.value)

    def _row(self, number: int | None, values: dict[str, str]) -> LineRow:
        self._keys += 1
        if number is not None:
            self._filled.update({f"line-{self._keys}-{k}": v for k, v in values.items()})
        return LineRow(self._keys, number, values)

    def on_mount(self) -> None:
        self._remember_filled()
        self._show_title()
        self._preview()
        self.query_one("#amend-reason", Input).focus()

    def _remember_filled(self) -> None:
        for field in self.query("#amend-form Input").results(Input):
            if field.id and not field.id.startswith("line-"):
                self._filled[field.id] = field.value
        for select in self.query("#amend-form Select").results(Select):
            self._filled[select.id or ""] = str(select.value)

    def _show_title(self) -> None:
        d = self.loaded
        self.query_one("#amend-title", Static).update(line(_("Amend {number} · {customer} · version {version}").format(
            number=d.number, customer=one_line(d.customer.name, 24), version=d.version)))

    def _rows(self) -> list[LineRow]:
        return list(self.query(LineRow).results(LineRow))

    # --- live deadline preview ----------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "amend-deadline":
            self._preview()
        self._error("")

    def _preview(self) -> None:
        preview = self.query_one("#amend-preview", Static)
        words = self.query_one("#amend-deadline", Input).value
        if not words.strip():
            preview.update(line(_("no deadline")))
            preview.set_class(False, "-error")
            return
        try:
            deadline = amend.read_deadline(words)
        except InvalidInput as exc:
            preview.update(line("✗ " + str(exc).removeprefix("deadline: ")))
            preview.set_class(True, "-error")
            return
        preview.set_class(False, "-error")
        if deadline.date is None:
            preview.update(line(_("unscheduled: kept as words")))
        else:
            preview.update(line(labels.describe(deadline, clock.now(), clock.business_tz())))

    # --- lines ----------------------------------------------------------------------------------------

    def action_add_line(self) -> None:
        row = self._row(None, {})
        self.query_one("#amend-lines", Vertical).mount(row)
        self.call_after_refresh(lambda: self.query_one(f"#line-{row.key}-product", Input).focus())

    def _row_with_cursor(self) -> LineRow | None:
        focused = self.focused
        return next((r for r in self._rows() if focused is not None and focused in r.query(Input)), None)

    def action_remove_line(self) -> None:
        row = self._row_with_cursor()
        if row is None:
            self._error(_("Put the cursor in the line to remove."))
            return
        rows = self._rows()
        if len(rows) == 1:
            self._error(_("An order keeps at least one line (cancel the order instead)."))
            return
        after = rows[rows.index(row) + 1] if rows.index(row) + 1 < len(rows) else rows[rows.index(row) - 1]
        row.remove()
        after.query_one(Input).focus()

    # --- what changed -------------------------------------------------------------------------------

    def _changed(self, field_id: str) -> str | None:
        """The field's value when it differs from what it was filled with, else None."""
        widget = self.query_one(f"#{field_id}")
        value = str(widget.value) if isinstance(widget, (Input, Select)) else ""
        return value if value.strip() != self._filled.get(field_id, "").strip() else None

    def amendment(self) -> Amendment:
        """What the clerk changed, as exchange paths (services.amend)."""
        pairs: list[tuple[str, str]] = []
        rows = self._rows()
        count = len(self.loaded.lines)
        new_number = count
        for row in rows:
            if row.number is not None:
                for name in LINE_FIELDS:
                    value = self._changed(f"line-{row.key}-{name}")
                    if value is not None:
                        pairs.append((f"lines.{row.number}.{name}", value))
            elif any(row.value(name).strip() for name in LINE_FIELDS):  # an empty new line is no line
                new_number += 1
                pairs += [(f"lines.{new_number}.{name}", row.value(name)) for name in LINE_FIELDS]
        kept = {row.number for row in rows}
        removed = tuple(n for n in range(1, count + 1) if n not in kept)
        for field_id, path in (("amend-status", "status"), ("amend-currency", "currency"),
                               ("amend-method", "payment.method"), ("amend-due", "payment.amount_due"),
                               ("amend-deadline", "deadline"),
                               *((f"amend-customer-{f}", f"customer.{f}") for f in CUSTOMER_FIELDS)):
            value = self._changed(field_id)
            if value is not None:
                pairs.append((path, value))
        return Amendment(tuple(pairs), removed, reason=self.query_one("#amend-reason", Input).value,
                         channel=str(self.query_one("#amend-channel", Select).value),
                         contact=self.query_one("#amend-contact", Input).value)

    # --- saving ---------------------------------------------------------------------------------------

    def _error(self, message: str) -> None:
        box = self.query_one("#amend-error", Static)
        box.update(content(message))
        box.set_class(bool(message), "-error")
        if message:
            error_shown(self)
            self.query_one("#amend-form", VerticalScroll).scroll_end(animate=False)

    def action_save(self) -> None:
        if self._saving:
            return
        amendment = self.amendment()
        if not amendment:
            self._error(_("Nothing is changed yet."))
            return
        self._saving = True
        run_service(self, amend.amend_order, self.number, amendment, loaded=self.loaded,
                    done=self._saved, failed=self._failed, group="amend-save", exclusive=True)

    def _saved(self, result: Amended) -> None:
        self._saving = False
        self.dismiss(result)

    def _failed(self, error: NotedeskError) -> None:
        self._saving = False
        if isinstance(error, AmendConflict):
            self._conflict(error)
        else:
            self._error(str(error))

    def _conflict(self, error: AmendConflict) -> None:
        from notedesk.tui.widgets.choice_modal import ChoiceModal

        current = error.current
        clerk = one_line(current.changed_by)
        rows = [_("{clerk} changed this order meanwhile (now version {version}):").format(
            clerk=clerk, version=current.version)]
        for clash in error.clashes:
            rows.append(_("{field}: {loaded} → theirs {theirs}, yours {mine}").format(
                field=labels.event_field(clash.field), loaded=one_line(clash.loaded) or "—",
                theirs=one_line(clash.theirs) or "—", mine=one_line(clash.mine) or "—"))
        choices = [("theirs", _("Take theirs (the form shows the order as stored)"), "t")]
        if not any(c.field == "lines" for c in error.clashes):  # line numbers moved: mine cannot go on top
            choices.insert(0, ("mine", _("Keep mine (saved on top of theirs)"), "k"))
        self.app.push_screen(ChoiceModal("\n".join(rows), choices, title=_("Changed meanwhile")),
                             callback=lambda choice: self._resolved(choice, current))

    def _resolved(self, choice: str | None, current: OrderDetail) -> None:
        if choice == "mine":
            self.loaded = current
            self.action_save()
        elif choice == "theirs":
            self._refill(current)

    def _refill(self, detail: OrderDetail) -> None:
        """The form as the order is stored now; the reason stays."""
        self.loaded = detail
        self._filled = {}
        self.query_one("#amend-lines", Vertical).remove_children()
        self.query_one("#amend-lines", Vertical).mount_all(
            [self._row(n, _line_values(detail, n)) for n in range(1, len(detail.lines) + 1)])
        values = {"amend-currency": detail.currency, "amend-due": _money(detail.payment.amount_due),
                  "amend-deadline": _deadline_words(detail),
                  **{f"amend-customer-{f}": getattr(detail.customer, f) or "" for f in CUSTOMER_FIELDS}}
        for field_id, value in values.items():
            self.query_one(f"#{field_id}", Input).value = value
        self.query_one("#amend-status", Select).value = detail.status
        self.query_one("#amend-method", Select).value = detail.payment.method
        self._remember_filled()
        self._show_title()
        self._error(_("The form shows the order as {clerk} saved it.").format(clerk=one_line(detail.changed_by)))

    # --- leaving ------------------------------------------------------------------------------------

    def unsaved_work(self) -> str:
        """What leaving now would lose, for the quit question ("" when nothing)."""
        typed = bool(self.amendment()) or bool(self.query_one("#amend-reason", Input).value.strip())
        return _("amending {number}").format(number=one_line(self.number)) if typed else ""

    def action_cancel(self) -> None:
        if not self.unsaved_work():
            self.dismiss(None)
            return
        from notedesk.tui.screens.message import ConfirmModal

        self.app.push_screen(ConfirmModal(_("Discard the changes to this order?"), yes=_("Discard"),
                                          no=_("Keep editing")),
                             callback=lambda discard: discard and self.dismiss(None))
