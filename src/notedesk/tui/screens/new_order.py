"""NewOrderScreen: the new-order form (`n` on the list). Dismisses with the new order's number, or None.

Order lines are one text box, a line per product as `product | spec | quantity | unit price`
(spec may be left out: `product | quantity | price`): simpler to type and to paste from a chat
than a grid of inputs, and a mistake is reported by its line number. The deadline is the clerk's
own words, read by notedesk.deadlines with a live preview; the service validates the rest and its
message (which names the field) is shown literally under the form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from notedesk import clock, deadlines, labels
from notedesk.domain import PAYMENT_METHODS, PAYMENT_STATUSES, STATUSES
from notedesk.errors import NotedeskError
from notedesk.i18n import _, ngettext
from notedesk.services import customers, orders, validation
from notedesk.services.customers import CustomerMatch
from notedesk.services.errors import InvalidInput
from notedesk.services.types import ContactData, CustomerData, Deadline, LineData, OrderInput, Payment
from notedesk.text import one_line
from notedesk.tui.safe import content, line
from notedesk.tui.service_calls import run_service
from notedesk.tui.toasts import error_shown
from notedesk.tui.widgets.order_cells import home_currency, method_label, payment_status_label, status_label

CUSTOMER_FIELDS = ("name", "company", "phone", "email", "address", "preferences")
FORM_FIELDS = ("name", "company", "phone", "email", "address", "contact", "preferences")  # rows, in order
LOOKUP_FIELDS = ("name", "company", "phone")  # typing in these finds existing customers (services.customers)


class LookupInput(Input):
    """A customer field that finds existing customers: up/down go through those found (bindings of the
    field itself, so that the form's scrolling does not take them first), enter takes one."""

    BINDINGS = [
        Binding("down", "screen.match(1)", _("Next customer found"), show=False),
        Binding("up", "screen.match(-1)", _("Previous customer found"), show=False),
    ]


class AddressInput(Input):
    """The delivery address: up/down go through the addresses of the customer taken."""

    BINDINGS = [
        Binding("down", "screen.other_address(1)", _("Next address of the customer"), show=False),
        Binding("up", "screen.other_address(-1)", _("Previous address of the customer"), show=False),
    ]


class ContactInput(Input):
    """The order's contact person: up/down go through the contacts of the customer taken; a name not
    among them (with a phone after it, if given) becomes a new contact of the customer."""

    BINDINGS = [
        Binding("down", "screen.other_contact(1)", _("Next contact of the customer"), show=False),
        Binding("up", "screen.other_contact(-1)", _("Previous contact of the customer"), show=False),
    ]


def split_contact(text: str) -> ContactData | None:
    """What the contact field says: a name, and a phone when its last word is one ('李四 139 0000 1111'
    has the phone '139 0000 1111'); None when empty."""
    text = " ".join(text.split())
    if not text:
        return None
    words = text.split(" ")
    for start in range(1, len(words)):  # the longest tail of phone-like words
        tail = " ".join(words[start:])
        if PHONE.fullmatch(tail) and sum(ch.isdigit() for ch in tail) >= 5:
            return ContactData(" ".join(words[:start]), tail)
    return ContactData(text)


PHONE = re.compile(r"\+?[\d\s()-]+")


class MatchList(OptionList, can_focus=False):
    """The customers found for what is typed, under the field: up/down and enter work from the field,
    so Tab still goes from field to field."""


def match_label(match: CustomerMatch) -> str:
    c = match.customer
    parts = [c.name, c.company, c.phone, c.address]
    words = " · ".join(one_line(p, 30) for p in parts if p)
    return words + "  " + ngettext("({n} order)", "({n} orders)", match.orders).format(n=match.orders)


class FormError(ValueError):
    """A value the form cannot read; str() is the message shown to the clerk."""


def parse_lines(text: str) -> tuple[LineData, ...]:
    """`product | spec | quantity | unit price` per line (blank lines skipped). Raises FormError."""
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in unicodedata.normalize("NFKC", raw).split("|")]
        if len(parts) == 3:
            parts.insert(1, "")
        if len(parts) != 4:
            raise FormError(_("line {n}: write product | spec | quantity | unit price").format(n=number))
        product, spec, quantity, price = parts
        if not product:
            raise FormError(_("line {n}: the product is missing").format(n=number))
        try:  # 500, 500件, 500 pcs, 1,000: the unit word stays with the line, in its spec
            qty, unit = validation.quantity_with_unit(quantity, "")
        except InvalidInput:
            if quantity.strip().lstrip("-").isdigit():
                raise FormError(_("line {n}: quantity must be more than 0").format(n=number)) from None
            raise FormError(_("line {n}: quantity “{q}” is not a whole number").format(n=number, q=quantity)) from None
        if unit and unit not in spec.split(" / "):
            spec = f"{spec} / {unit}" if spec else unit
        try:  # 35, ¥35, 35元, 1,200.50
            amount = validation.money_text(price, "")
        except InvalidInput:
            raise FormError(_("line {n}: unit price “{p}” is not an amount").format(n=number, p=price)) from None
        if amount is None:
            raise FormError(_("line {n}: unit price “{p}” is not an amount").format(n=number, p=price))
        lines.append(LineData(product=product, spec=spec, quantity=qty, unit_price=amount))
    if not lines:
        raise FormError(_("an order needs at least one line"))
    return tuple(lines)


def parse_amount(text: str) -> Decimal | None:
    text = unicodedata.normalize("NFKC", text).strip().replace(",", "").lstrip("¥$€")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FormError(_("amount due “{a}” is not an amount").format(a=text)) from None
    if not value.is_finite() or value < 0:
        raise FormError(_("amount due “{a}” is not an amount").format(a=text))
    return value


def parse_deadline(text: str) -> Deadline:
    """The clerk's words, read relative to now in the business time zone. Raises FormError."""
    try:
        parsed = deadlines.parse_deadline(text, clock.local_now())
    except deadlines.DeadlineError as exc:
        raise FormError(_("deadline: {problem}").format(problem=exc)) from None
    return Deadline(text=parsed.text, date=parsed.date, start=parsed.start, end=parsed.end)


class NewOrderScreen(Screen[str | None]):
    """ctrl+s saves, escape cancels (asking first when something was typed)."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._saving = False
        self.takes_keys = True  # False while a lookup the clerk is moving through is still on its way
        self.picked: CustomerMatch | None = None  # the existing customer the clerk took
        self.matches: list[CustomerMatch] = []
        self._looking = False
        self._waiting: list[str] = []  # up/down/enter pressed before the lookup came back
        self._filled: dict[str, str] = {}  # what taking a customer put in each field (its Changed is no typing)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(line(_("New order")), id="new-title")
        labels = {"name": _("Customer *"), "company": _("Company"), "phone": _("Phone"),
                  "email": _("Email"), "address": _("Address"), "contact": _("Contact"),
                  "preferences": _("Preferences")}
        kinds: dict[str, type[Input]] = {"address": AddressInput, "contact": ContactInput,
                                         **dict.fromkeys(LOOKUP_FIELDS, LookupInput)}
        with VerticalScroll(id="new-form"):
            for field in FORM_FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(line(labels[field]), classes="form-label")
                    yield kinds.get(field, Input)(id=f"customer-{field}", compact=True)
                if field == "phone":
                    yield MatchList(id="customer-matches")
                    yield Static(id="customer-picked", classes="form-hint")
                if field == "contact":
                    yield Static(id="contact-hint", classes="form-hint")
            with Horizontal(classes="form-row -tall"):
                yield Label(line(_("Lines *")), classes="form-label")
                yield TextArea(id="new-lines", compact=True, soft_wrap=False)
            yield Static(line(_("one per line: product | spec | quantity | unit price")), classes="form-hint")
            with Horizontal(classes="form-row"):
                yield Label(line(_("Status")), classes="form-label")
                yield Select([(status_label(s), s) for s in STATUSES], value="new", allow_blank=False,
                             id="new-status", compact=True)
                yield Label(line(_("Currency")), classes="form-label -second")
                yield Input(home_currency(), id="new-currency", compact=True, max_length=3)
            with Horizontal(classes="form-row"):
                yield Label(line(_("Payment")), classes="form-label")
                yield Select([(method_label(m), m) for m in PAYMENT_METHODS], value="other", allow_blank=False,
                             id="new-method", compact=True)
                # "paid" records a payment of the amount due (services.settlement.from_old_fields); a part
                # paid is recorded on the order with p, with its amount
                yield Select([(payment_status_label(s), s) for s in PAYMENT_STATUSES if s != "partial"],
                             value="unpaid", allow_blank=False, id="new-paid", compact=True)
            with Horizontal(classes="form-row"):
                yield Label(line(_("Amount due")), classes="form-label")
                yield Input(id="new-due", compact=True,
                            placeholder=_("cash on delivery: to collect (empty: the total)"))
            with Horizontal(classes="form-row"):
                yield Label(line(_("Deadline")), classes="form-label")
                yield Input(id="new-deadline", compact=True, placeholder=_("e.g. 12月1日上午9点到11点 / Dec 1 9-11am"))
            yield Static(line(_("no deadline")), id="deadline-preview")
            with Horizontal(classes="form-row -tall"):
                yield Label(line(_("Requirements")), classes="form-label")
                yield TextArea(id="new-requirements", compact=True)
            yield Static(id="new-error")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#customer-name", Input).focus()
        self.query_one("#customer-matches").display = False
        self.query_one("#customer-contact", Input).placeholder = _("name and phone (empty: the customer's first)")
        self._show_picked()
        self._show_contact()

    # --- finding an existing customer -----------------------------------------------------------

    def _lookup_field(self) -> str | None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id and focused.id.startswith("customer-"):
            field = focused.id.removeprefix("customer-")
            return field if field in LOOKUP_FIELDS else None
        return None

    def _typed_customer(self, field: str, value: str) -> None:
        if self._filled.pop(field, None) == value:
            return  # what taking a customer wrote
        if self.picked is not None and field in ("name", "phone"):
            self.picked = None  # another name or phone: another customer, unless the clerk takes one again
            self._show_picked()
        if not value.strip():
            self._show_matches([])
            return
        self._looking = True
        run_service(self, customers.find_customers, value, done=self._found, failed=self._lookup_failed,
                    group="customer-lookup", exclusive=True)

    def _found(self, matches: list[CustomerMatch]) -> None:
        self._looking = False
        self._show_matches(matches)
        waiting, self._waiting = self._waiting, []
        for key in waiting:
            self._take_key(key)
        self.takes_keys = True

    def _lookup_failed(self, error: NotedeskError) -> None:
        self._looking, self._waiting, self.takes_keys = False, [], True

    def _show_matches(self, matches: list[CustomerMatch]) -> None:
        self.matches = [m for m in matches if self.picked is None or m.id != self.picked.id]
        box = self.query_one("#customer-matches", MatchList)
        box.clear_options()
        box.add_options([Option(content(match_label(m))) for m in self.matches])
        box.display = bool(self.matches)

    def _show_picked(self) -> None:
        hint = self.query_one("#customer-picked", Static)
        if self.picked is None:
            hint.update(line(_("↓ enter: take a customer found")))
        else:
            words = ngettext("✓ existing customer, {n} order", "✓ existing customer, {n} orders",
                             self.picked.orders).format(n=self.picked.orders)
            count = len(self.picked.customer.addresses)
            if count > 1:
                words += " · " + _("{n} addresses: ↓ in the address").format(n=count)
            hint.update(line(words))

    def _known_contacts(self) -> tuple[ContactData, ...]:
        return self.picked.customer.contacts if self.picked is not None else ()

    def _show_contact(self) -> None:
        """Under the contact field: the chosen contact's phone and role, and how to choose another."""
        hint = self.query_one("#contact-hint", Static)
        known = self._known_contacts()
        value = self._value("#customer-contact").strip()
        person = next((k for k in known if k.name == value), None)
        words = []
        if person is not None:
            words += [one_line(w, 30) for w in (person.phone, person.role) if w]
        elif value:
            words.append(_("a new contact of the customer"))
        if len(known) > 1:
            words.append(_("{n} contacts: ↑↓").format(n=len(known)))
        hint.update(line(" · ".join(words)))
        hint.display = bool(words)

    def action_other_contact(self, step: int) -> None:
        """The next (or previous) of the taken customer's contacts in the contact field."""
        names = [k.name for k in self._known_contacts()]
        if not names:
            return
        box = self.query_one("#customer-contact", Input)
        at = names.index(box.value) if box.value in names else -1
        box.value = names[(at + step) % len(names)]
        box.cursor_position = len(box.value)

    def action_other_address(self, step: int) -> None:
        """The next (or previous) of the taken customer's addresses in the address field."""
        if self.picked is None or not self.picked.customer.addresses:
            return
        texts = [a.text for a in self.picked.customer.addresses]
        box = self.query_one("#customer-address", Input)
        at = texts.index(box.value) if box.value in texts else -1
        box.value = texts[(at + step) % len(texts)]
        box.cursor_position = len(box.value)

    def action_match(self, step: int) -> None:
        if self._lookup_field() is not None:
            self._key_for_matches("down" if step > 0 else "up")

    def _key_for_matches(self, key: str) -> None:
        if self._looking:  # the list on its way: this key (and the keys after it) wait for it
            self._waiting.append(key)
            self.takes_keys = False
            return
        self._take_key(key)

    def _take_key(self, key: str) -> None:
        box = self.query_one("#customer-matches", MatchList)
        if not self.matches:
            return
        if key == "enter":
            if box.highlighted is not None:
                self.take(self.matches[box.highlighted])
            return
        if box.highlighted is None:
            box.highlighted = 0 if key == "down" else len(self.matches) - 1
        else:
            box.highlighted = (box.highlighted + (1 if key == "down" else -1)) % len(self.matches)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._lookup_field() is not None:
            event.stop()
            self._key_for_matches("enter")

    def take(self, match: CustomerMatch) -> None:
        """Fill the form from an existing customer; the order will be theirs."""
        self.picked = match
        c = match.customer
        for field in CUSTOMER_FIELDS:
            value = getattr(c, field) or ""
            box = self.query_one(f"#customer-{field}", Input)
            if box.value != value:
                self._filled[field] = value
                box.value = value
            box.cursor_position = len(value)
        first = c.contacts[0].name if c.contacts else ""
        contact = self.query_one("#customer-contact", Input)
        contact.value = first
        contact.cursor_position = len(first)
        self._show_matches([])
        self._show_picked()
        self._show_contact()

    # --- live deadline preview ----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "new-deadline":
            self._preview(event.value)
        elif event.input.id == "customer-contact":
            self._show_contact()
        elif event.input.id and event.input.id.removeprefix("customer-") in LOOKUP_FIELDS:
            self._typed_customer(event.input.id.removeprefix("customer-"), event.value)

    def _preview(self, text: str) -> None:
        preview = self.query_one("#deadline-preview", Static)
        if not text.strip():
            preview.update(line(_("no deadline")))
            preview.remove_class("-error")
            return
        try:
            parsed = deadlines.parse_deadline(text, clock.local_now())
        except deadlines.DeadlineError as exc:
            preview.update(line(str(exc)))
            preview.add_class("-error")
            return
        preview.remove_class("-error")
        remarks = labels.deadline_remarks(parsed)  # not understood: 国庆节; check the year
        preview.update(line(" · ".join([labels.describe(parsed, clock.now(), clock.business_tz()), *remarks])))

    # --- save and cancel ----------------------------------------------------------------------

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def collect(self) -> OrderInput:
        """The form as an OrderInput. Raises FormError naming what is wrong."""
        customer = CustomerData(**{f: self._value(f"#customer-{f}").strip() for f in CUSTOMER_FIELDS})
        typed = self._value("#customer-contact")
        person = next((k for k in self._known_contacts() if k.name == typed.strip()), None) or split_contact(typed)
        if person is not None:  # empty: the customer's first contact (services.customers.pick)
            customer = replace(customer, contact=person.name, contacts=(person,))
        if not customer.name:
            raise FormError(_("the customer's name is required"))
        lines = parse_lines(self.query_one("#new-lines", TextArea).text)
        requirements = self.query_one("#new-requirements", TextArea).text
        picked = self.picked
        same = picked is not None and (customer.name, customer.phone) == (picked.customer.name, picked.customer.phone)
        return OrderInput(
            customer=customer, customer_id=picked.id if same and picked is not None else None,
            status=str(self.query_one("#new-status", Select).value),
            currency=self._value("#new-currency").strip().upper() or home_currency(),
            lines=lines,
            deadline=parse_deadline(self._value("#new-deadline")),
            payment=Payment(method=str(self.query_one("#new-method", Select).value),
                            status=str(self.query_one("#new-paid", Select).value),
                            amount_due=parse_amount(self._value("#new-due"))),
            notes={"requirements": requirements} if requirements.strip() else {},
        )

    def _show_error(self, message: str) -> None:
        box = self.query_one("#new-error", Static)
        box.update(content(message))
        box.set_class(bool(message), "-error")
        if message:
            error_shown(self)
            self.query_one("#new-form", VerticalScroll).scroll_end(animate=False)

    def action_save(self) -> None:
        if self._saving:
            return
        try:
            data = self.collect()
        except FormError as exc:
            self._show_error(str(exc))
            return
        self._show_error("")
        if data.customer_id is None:
            same = next((m for m in self.matches if (m.customer.name, m.customer.phone)
                         == (data.customer.name, data.customer.phone)), None)
            if same is not None:  # exactly a customer found: that one
                data = replace(data, customer_id=same.id)
            else:
                from notedesk.tui.screens.message import ConfirmModal

                question = _("“{name}” is not a customer yet. Make a new customer?").format(
                    name=one_line(data.customer.name, 40))
                self.app.push_screen(ConfirmModal(question, yes=_("New customer"), no=_("Back")),
                                     callback=lambda yes: yes and self._save(data))
                return
        self._save(data)

    def _save(self, data: OrderInput) -> None:
        if self._saving:
            return
        self._saving = True
        run_service(self, orders.create_order, data, done=lambda detail: self.dismiss(detail.number),
                    failed=self._failed, group="new-order-save")

    def _failed(self, error: NotedeskError) -> None:
        self._saving = False
        self._show_error(str(error))

    def _typed(self) -> bool:
        if any(self._value(f"#customer-{f}").strip() for f in FORM_FIELDS):
            return True
        if self._value("#new-due").strip() or self._value("#new-deadline").strip():
            return True
        return any(self.query_one(s, TextArea).text.strip() for s in ("#new-lines", "#new-requirements"))

    def unsaved_work(self) -> str:
        """What leaving now would lose, for the quit question ("" when nothing)."""
        return _("the new order") if self._typed() else ""

    def action_cancel(self) -> None:
        if not self._typed():
            self.dismiss(None)
            return
        from notedesk.tui.screens.message import ConfirmModal

        self.app.push_screen(ConfirmModal(_("Discard this new order?"), yes=_("Discard"), no=_("Keep editing")),
                             callback=lambda discard: discard and self.dismiss(None))
