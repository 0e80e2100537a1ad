"""Orders: create, replace, open with everything on it, and change status, deadline and payment."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from peewee import fn

from notedesk import clock, domain
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import customers, settlement, views
from notedesk.services import validation as v
from notedesk.services.errors import Conflict, InvalidInput, NotFound
from notedesk.services.transaction import operation
from notedesk.services.types import AddressData, ContactData, Deadline, LogKey, OrderDetail, OrderInput, Payment
from notedesk.store import models as m


def find(number: str) -> m.Order:
    """The order row by number, without regard to case (`so-2026-00042` is `SO-2026-00042`), inside an
    operation. Raises NotFound."""
    row = m.Order.get_or_none(m.Order.number == number)
    if row is None and number.upper() != number:
        row = m.Order.get_or_none(m.Order.number == number.upper())  # the usual spelling: on the index
    if row is None:
        row = m.Order.select().where(fn.LOWER(m.Order.number) == number.lower()).order_by(m.Order.id).first()
    if row is None:
        raise NotFound(_("no order {number}").format(number=number))
    return row


def next_number(year: int | None = None) -> str:
    year = year or clock.local_now().year
    prefix = f"SO-{year}-"
    last = (m.Order.select(fn.MAX(m.Order.number)).where(m.Order.number.startswith(prefix)).scalar())
    serial = 1
    if last:
        try:
            serial = int(last[len(prefix):]) + 1
        except ValueError:
            serial = m.Order.select().where(m.Order.number.startswith(prefix)).count() + 1
    return f"{prefix}{serial:05d}"


def checked(data: OrderInput, where: str) -> OrderInput:
    """Validate and clean every field; errors name the order and field."""
    c = data.customer
    customer = replace(
        c,
        name=v.clean_text(c.name, f"{where} customer.name", required=True, limit=200).strip(),
        company=v.clean_text(c.company, f"{where} customer.company", limit=200),
        phone=v.clean_text(c.phone, f"{where} customer.phone", limit=64).strip(),
        email=v.clean_text(c.email, f"{where} customer.email", limit=200),
        address=v.clean_text(c.address, f"{where} customer.address").strip(),
        preferences=v.clean_text(c.preferences, f"{where} customer.preferences"),
        contact=None if c.contact is None else v.clean_text(c.contact, f"{where} customer.contact", limit=200).strip(),
        contacts=tuple(
            ContactData(v.clean_text(k.name, f"{where} customer.contacts[{i}].name", required=True, limit=200).strip(),
                        v.clean_text(k.phone, f"{where} customer.contacts[{i}].phone", limit=64).strip(),
                        v.clean_text(k.role, f"{where} customer.contacts[{i}].role", limit=100).strip())
            for i, k in enumerate(c.contacts)),
        addresses=tuple(
            AddressData(v.clean_text(a.text, f"{where} customer.addresses[{i}].text", required=True).strip(),
                        v.clean_text(a.label, f"{where} customer.addresses[{i}].label", limit=100).strip())
            for i, a in enumerate(c.addresses)),
    )
    lines = tuple(
        replace(
            line,
            product=v.clean_text(line.product, f"{where} lines[{i}].product", required=True, limit=200),
            spec=v.clean_text(line.spec, f"{where} lines[{i}].spec"),
            quantity=v.quantity(line.quantity, f"{where} lines[{i}].quantity"),
            unit_price=v.money(line.unit_price, f"{where} lines[{i}].unit_price"),
        )
        for i, line in enumerate(data.lines)
    )
    d = data.deadline
    deadline = Deadline(v.clean_text(d.text, f"{where} deadline.text"), d.date, d.start, d.end)
    if deadline.start and not deadline.end:
        raise InvalidInput(_("a window start needs an end"), f"{where} deadline.end")
    if deadline.start and deadline.end and deadline.start >= deadline.end:
        raise InvalidInput(_("the window must start before it ends"), f"{where} deadline.start")
    if (deadline.start or deadline.end) and not deadline.date:
        raise InvalidInput(_("a time window needs a date"), f"{where} deadline.date")
    p = data.payment
    payment = Payment(
        method=v.payment_method(p.method, f"{where} payment.method"),
        status=v.payment_status(p.status, f"{where} payment.status"),
        amount_due=v.money(p.amount_due, f"{where} payment.amount_due", allow_none=True),
        instalments=tuple(
            replace(i, amount=v.money(i.amount, f"{where} payment.instalments[{n}].amount"))
            for n, i in enumerate(p.instalments)
        ),
    )
    payments = data.payments
    if payments is not None:
        now = clock.now()  # once for all the order's payments (an import checks thousands)
        payments = tuple(v.payment_record(r, f"{where} payments[{n}]", now=now) for n, r in enumerate(payments))
    notes = {}
    for kind, body in data.notes.items():
        v.note_kind(kind, f"{where} notes")
        notes[kind] = v.clean_text(body, f"{where} notes.{kind}")
    number = data.number
    if number is not None:
        number = v.clean_text(number, f"{where} number", required=True, limit=64).strip()
    currency = v.clean_text(data.currency, f"{where} currency", required=True).strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput(_("{currency!r} is not a currency code like CNY").format(
            currency=currency), f"{where} currency")
    return replace(
        data, number=number, customer=customer, lines=lines, deadline=deadline, payment=payment,
        notes=notes, currency=currency, status=v.status(data.status, f"{where} status"), payments=payments,
    )


def _write_lines(order: m.Order, data: OrderInput, clerk: str, at: dt.datetime) -> Decimal:
    m.OrderLine.delete().where(m.OrderLine.order == order.id).execute()
    m.Instalment.delete().where(m.Instalment.order == order.id).execute()
    stamp = dict(created_at=at, updated_at=at, changed_by=clerk)
    if data.lines:
        m.OrderLine.insert_many([
            dict(order=order.id, position=i, product=line.product, spec=line.spec,
                 quantity=line.quantity, unit_price=line.unit_price, **stamp)
            for i, line in enumerate(data.lines)
        ]).execute()
    if data.payment.instalments:
        m.Instalment.insert_many([
            dict(order=order.id, position=i, due=inst.due, amount=inst.amount, paid=False, **stamp)
            for i, inst in enumerate(data.payment.instalments)
        ]).execute()
    return sum((line.amount for line in data.lines), Decimal("0.00"))


def _order_fields(data: OrderInput) -> dict:
    """The order's own columns from the input; not the payment status, which the payments decide
    (services.settlement)."""
    d, p = data.deadline, data.payment
    return dict(
        status=data.status, currency=data.currency,
        deadline_text=d.text, deadline_date=d.date, deadline_start=d.start, deadline_end=d.end,
        payment_method=p.method, amount_due=p.amount_due,
    )


def record_event(order_id: int, field: str, old: str, new: str, clerk: str, reason: str = "",
                 at: dt.datetime | None = None, communication: int | None = None) -> None:
    at = at or clock.now()
    m.Event.create(order=order_id, field=field, old=old, new=new, reason=reason, communication=communication,
                   created_at=at, updated_at=at, changed_by=clerk)


def describe_deadline(d: Deadline) -> str:
    if not d.date:
        return d.text
    window = "–".join(t.strftime("%H:%M") for t in (d.start, d.end) if t)
    return f"{d.date.isoformat()} {window}".strip()


def describe_payment(p: Payment) -> str:
    """The terms a clerk sets (method, amount due, schedule), as the timeline shows them; the status
    follows from the payments and has events of its own (services.payments)."""
    due = f" {p.amount_due}" if p.amount_due is not None else ""
    schedule = "".join(f" {i.due.isoformat()}:{i.amount}" for i in p.instalments)
    return f"{p.method}{due}{schedule}"


def insert(data: OrderInput, clerk: str) -> m.Order:
    """Create an order from checked input, inside an operation (shared with the importer)."""
    at = data.created_at or clock.now()
    number = data.number or next_number()
    if m.Order.select().where(m.Order.number == number).exists():
        raise InvalidInput(_("order {number} exists already").format(number=number), f"{number} number")
    customer, address, contact = customers.pick(data.customer, clerk, at, data.customer_id)
    order = m.Order.create(number=number, customer=customer, address=address, contact=contact, version=1,
                           created_at=at, updated_at=at, changed_by=clerk, **_order_fields(data))
    total = _write_lines(order, data, clerk, at)
    m.Order.update(total=total).where(m.Order.id == order.id).execute()
    payments = data.payments
    if payments is None:  # an old file or a form: its "paid" and ticked instalments are payments
        due = total if data.payment.amount_due is None else data.payment.amount_due
        payments = tuple(settlement.from_old_fields(data.payment, due, at, clerk))
    settlement.insert_all(order.id, payments, clerk)
    for kind in domain.NOTE_KINDS:
        body = data.notes.get(kind, "")
        note = m.Note.create(order=order, kind=kind, body=body, version=1 if body else 0,
                             created_at=at, updated_at=at, changed_by=clerk)
        if body:
            m.NoteRevision.create(note=note, version=1, body=body, created_at=at, updated_at=at, changed_by=clerk)
    record_event(order.id, "created", "", data.status, clerk, at=at)
    return order


def replace_fields(order: m.Order, data: OrderInput, clerk: str, base_version: int | None,
                   reason: str = "") -> None:
    """Replace an order's fields, lines and payment; the version check makes a lost update impossible."""
    now = clock.now()
    before = (order.status, describe_deadline(views.deadline(order)),
              describe_payment(views.payment(order, order.instalments)))
    customer, address, contact = customers.pick(data.customer, clerk, now, data.customer_id)
    query = m.Order.update(version=m.Order.version + 1, updated_at=now, changed_by=clerk, customer=customer,
                           address=address, contact=contact, **_order_fields(data))
    condition = m.Order.id == order.id
    if base_version is not None:
        condition &= m.Order.version == base_version
    if query.where(condition).execute() == 0:
        current = load(order)
        raise Conflict(_("order {number} was changed by {changed_by} meanwhile").format(
            number=order.number, changed_by=current.changed_by), current)
    total = _write_lines(order, data, clerk, now)
    m.Order.update(total=total).where(m.Order.id == order.id).execute()
    old_status = order.payment_status
    new_status = settlement.settle(order.id)  # the total or the amount due may have moved
    if new_status != old_status:
        record_event(order.id, "payment_status", old_status, new_status, clerk, reason=reason, at=now)
    after = (data.status, describe_deadline(data.deadline), describe_payment(data.payment))
    for field, old, new in zip(("status", "deadline", "payment"), before, after):
        if old != new:
            record_event(order.id, field, old, new, clerk, reason=reason, at=now)


def load(order: m.Order, *, log_limit: int | None = None) -> OrderDetail:
    """Everything on an order, in a fixed number of queries; with `log_limit`, only the newest entries
    of its communication log (OrderDetail.older_log says where the older ones start)."""
    order = m.Order.get_by_id(order.id)
    customer = m.Customer.get_by_id(order.customer_id)
    lines = m.OrderLine.select().where(m.OrderLine.order == order.id).order_by(m.OrderLine.position)
    instalments = m.Instalment.select().where(m.Instalment.order == order.id).order_by(m.Instalment.position)
    notes = m.Note.select().where(m.Note.order == order.id)
    if log_limit is None:
        comms = tuple(views.communication(c, order.number) for c in m.Communication.select()
                      .where(m.Communication.order == order.id)
                      .order_by(m.Communication.at.desc(), m.Communication.id.desc()))
        older_log: LogKey | None = None
        log_keys: tuple[LogKey, ...] = ()
    else:
        from notedesk.services.communications import newest_page  # it imports this module

        page = newest_page(m.Communication.order == order.id, limit=log_limit)
        comms, older_log, log_keys = page.entries, page.older, page.keys
    events = m.Event.select().where(m.Event.order == order.id).order_by(m.Event.created_at.desc(), m.Event.id.desc())
    note_views = {n.kind: views.note(n) for n in notes}
    return OrderDetail(
        id=order.id, number=order.number, status=order.status, currency=order.currency,
        version=order.version, created_at=order.created_at, updated_at=order.updated_at,
        changed_by=order.changed_by, customer=customers.for_order(order, customer), customer_id=customer.id,
        lines=tuple(views.line(x) for x in lines), total=order.total, deadline=views.deadline(order),
        payment=views.payment(order, instalments),
        notes={k: note_views[k] for k in domain.NOTE_KINDS if k in note_views},
        communications=comms, older_log=older_log, log_keys=log_keys,
        events=tuple(views.event(e) for e in events),
        attachments=tuple(views.attachments([order.id]).get(order.id, ())),
        follow_ups=views.follow_ups(order),
        payments=tuple(settlement.of_orders([order.id]).get(order.id, ())), received=order.received,
    )


@operation
def create_order(data: OrderInput, *, clerk: str | None = None) -> OrderDetail:
    """Create an order. Raises InvalidInput (bad field, number taken)."""
    return load(insert(checked(data, data.number or "new order"), clerk or current_clerk()))


@operation
def update_order(number: str, data: OrderInput, *, base_version: int, clerk: str | None = None) -> OrderDetail:
    """Replace an order's fields as loaded at `base_version`. Raises NotFound, InvalidInput, Conflict."""
    order = find(number)
    replace_fields(order, checked(replace(data, number=number), number), clerk or current_clerk(), base_version)
    return load(order)


@operation(read_only=True)
def get_order(number: str, *, log_limit: int | None = None) -> OrderDetail:
    """Everything on one order (with `log_limit`, only the newest entries of its log: the screens read
    the rest a page at a time, communications.log_page). Raises NotFound."""
    return load(find(number), log_limit=log_limit)


def _change(number: str, base_version: int | None, clerk: str | None, change, reason: str = "") -> OrderDetail:
    order = find(number)
    detail = load(order)
    data = change(detail)
    replace_fields(order, checked(data, number), clerk or current_clerk(),
                   detail.version if base_version is None else base_version, reason)
    return load(order)


def as_input(detail: OrderDetail) -> OrderInput:
    return OrderInput(customer=detail.customer, number=detail.number, status=detail.status,
                      currency=detail.currency, lines=detail.lines, deadline=detail.deadline,
                      payment=detail.payment)


@operation
def set_status(number: str, status: str, *, base_version: int | None = None, clerk: str | None = None) -> OrderDetail:
    """Change the status (logged in the timeline). Raises NotFound, InvalidInput, Conflict."""
    return _change(number, base_version, clerk, lambda d: replace(as_input(d), status=v.status(status)))


@operation
def set_deadline(number: str, deadline: Deadline, *, base_version: int | None = None,
                 clerk: str | None = None, reason: str = "") -> OrderDetail:
    """Change the deadline (logged in the timeline, with `reason`). Raises NotFound, InvalidInput, Conflict."""
    return _change(number, base_version, clerk, lambda d: replace(as_input(d), deadline=deadline), reason)


@operation
def set_payment(number: str, payment: Payment, *, base_version: int | None = None,
                clerk: str | None = None) -> OrderDetail:
    """Change the payment method, status, amount or schedule. Raises NotFound, InvalidInput, Conflict."""
    return _change(number, base_version, clerk, lambda d: replace(as_input(d), payment=payment))
