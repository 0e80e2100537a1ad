"""Frozen dataclasses the services hand to callers: no model object leaks out of the service layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple


@dataclass(frozen=True)
class ContactData:
    """A person to speak to at a customer."""

    name: str
    phone: str = ""
    role: str = ""


@dataclass(frozen=True)
class AddressData:
    """A delivery address of a customer, with an optional label ("warehouse")."""

    text: str
    label: str = ""


# The fields stored on the customer row itself (the rest are lists, or the order's picks).
CUSTOMER_ROW_FIELDS = ("name", "company", "phone", "email", "preferences")


@dataclass(frozen=True)
class CustomerData:
    """A customer as an order sees it. `address` and `contact` are what the order picked (the delivery
    address's text and the contact person's name; services.orders resolves them among the customer's
    lists, adding what is new); `contacts` and `addresses` are the customer's lists."""

    name: str
    company: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    preferences: str = ""
    contact: str | None = None  # None (a new order): the customer's first contact; "" none
    contacts: tuple[ContactData, ...] = ()
    addresses: tuple[AddressData, ...] = ()

    @property
    def contact_phone(self) -> str:
        """The phone of the order's contact person, else the customer's."""
        for person in self.contacts:
            if person.name == self.contact and person.phone:
                return person.phone
        return self.phone

    @property
    def contact_person(self) -> ContactData | None:
        return next((person for person in self.contacts if person.name == self.contact), None)


@dataclass(frozen=True)
class LineData:
    product: str
    quantity: int
    unit_price: Decimal
    spec: str = ""

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Deadline:
    """A local date, an optional window (start may be None: 'by 14:00'), and the clerk's own words."""

    text: str = ""
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None

    @property
    def scheduled(self) -> bool:
        return self.date is not None


@dataclass(frozen=True)
class InstalmentData:
    due: dt.date
    amount: Decimal
    paid: bool = False


@dataclass(frozen=True)
class Payment:
    """How an order is paid. `status` and the instalments' `paid` follow from the payments received
    (services.settlement): given on input they are ignored, except by an import of a file without
    `payments` (services.payments.from_old_fields)."""

    method: str = "other"
    status: str = "unpaid"
    amount_due: Decimal | None = None  # None: the order total
    instalments: tuple[InstalmentData, ...] = ()

    def terms(self) -> tuple:
        """What a clerk sets (method, amount due, schedule), without what payments decide: two
        clerks' payment fields conflict only over these."""
        return (self.method, self.amount_due, tuple((i.due, i.amount) for i in self.instalments))


ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PaymentRecord:
    """Money received for an order (a negative amount: a refund), as stored or as given to an import."""

    amount: Decimal
    via: str = "other"  # domain.PAYMENT_VIA
    at: dt.datetime | None = None  # when the money came (aware UTC); None on input: now
    note: str = ""
    clerk: str = ""  # who recorded it; "" on input: the current clerk
    id: int | None = None  # None on input
    recorded_at: dt.datetime | None = None  # when it was recorded


@dataclass(frozen=True)
class PaymentSummary:
    """An order's money: services.payments.summary, and the detail's payment section."""

    number: str
    currency: str
    method: str
    due_amount: Decimal  # the amount due (the total when no other amount was set)
    received: Decimal
    status: str  # unpaid | partial | paid
    payments: tuple[PaymentRecord, ...]  # by time received, oldest first
    instalments: tuple[InstalmentData, ...]  # paid as the payments cover them (due-date order)

    @property
    def balance(self) -> Decimal:
        """Still owed; negative: overpaid by that much."""
        return self.due_amount - self.received

    @property
    def overpaid(self) -> bool:
        return self.balance < 0


@dataclass(frozen=True)
class NoteView:
    kind: str
    body: str
    version: int
    author: str
    updated_at: dt.datetime | None
    on_slip: bool = False  # printed on the delivery slip (services.notes.set_on_slip)


@dataclass(frozen=True)
class RevisionView:
    version: int
    body: str
    author: str
    at: dt.datetime


@dataclass(frozen=True)
class CommunicationView:
    id: int
    at: dt.datetime
    channel: str
    contact: str
    clerk: str
    text: str
    corrects: int | None = None
    order_number: str = ""  # filled by communications.log_page (a customer's log spans orders)


# An entry's place in a log, newest first: (at, id) as the database holds them. Opaque: hand it back to
# communications.log_page(before=…, down_to=…).
LogKey = tuple[object, int]


@dataclass(frozen=True)
class LogPage:
    """Entries of a communication log, newest first, and the key of the next older page (None: these
    reach the oldest entry)."""

    entries: tuple[CommunicationView, ...]
    older: LogKey | None
    keys: tuple[LogKey, ...] = ()  # each entry's key, for down_to= (a reload of what is shown)


@dataclass(frozen=True)
class RevisionPage:
    """Revisions of a note, newest first, and the one before the oldest of them (its text is what the
    oldest one changed; None: the oldest here is the note's first)."""

    revisions: tuple[RevisionView, ...]
    previous: RevisionView | None


@dataclass(frozen=True)
class EventView:
    at: dt.datetime
    clerk: str
    field: str
    old: str
    new: str
    reason: str = ""
    communication: int | None = None  # the log entry that gave the reason (an amend with a reason)


@dataclass(frozen=True)
class AttachmentView:
    """A file on an order, without its content (services.attachments reads that when asked)."""

    id: int
    name: str  # cleaned, unique on the order
    kind: str  # "" = the order, else a note kind
    type: str  # MIME type read from the content
    size: int  # bytes
    sha256: str
    clerk: str
    at: dt.datetime


@dataclass(frozen=True)
class OrderSummary:
    """One row of the order list."""

    id: int
    number: str
    customer: str
    company: str
    status: str
    deadline: Deadline
    payment_method: str
    payment_status: str
    total: Decimal
    amount_due: Decimal | None
    currency: str
    updated_at: dt.datetime
    received: Decimal = ZERO  # orders.received: the sum of the payments
    phone: str = ""
    address: str = ""
    # Read for the lenses that show them (services/list_extras.py), else left at their defaults:
    first_line: LineData | None = None  # production: the first line, and how many there are
    line_count: int = 0
    special: bool = False  # production: the special-processing note has text
    drawings: bool = False  # production: files are attached
    next_instalment: InstalmentData | None = None  # finance: the first unpaid instalment

    @property
    def due_amount(self) -> Decimal:
        """The amount due: the one set, else the total."""
        return self.total if self.amount_due is None else self.amount_due

    @property
    def balance(self) -> Decimal:
        """Still owed; negative: overpaid."""
        return self.due_amount - self.received


@dataclass(frozen=True)
class OrderInput:
    """What a clerk or an import gives to create or replace an order."""

    customer: CustomerData
    number: str | None = None
    status: str = "new"
    currency: str = "CNY"
    lines: tuple[LineData, ...] = ()
    deadline: Deadline = field(default_factory=Deadline)
    payment: Payment = field(default_factory=Payment)
    notes: dict[str, str] = field(default_factory=dict)
    created_at: dt.datetime | None = None
    # None: not given (an old file, a form without payments): payment.status "paid" and instalments
    # ticked paid then become payments (services.payments.from_old_fields); () is "none received".
    payments: tuple[PaymentRecord, ...] | None = None
    customer_id: int | None = None  # the customer the clerk picked: the order goes to it whatever the name says


@dataclass(frozen=True)
class OrderDetail:
    id: int
    number: str
    status: str
    currency: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    changed_by: str
    customer: CustomerData
    customer_id: int
    lines: tuple[LineData, ...]
    total: Decimal
    deadline: Deadline
    payment: Payment
    notes: dict[str, NoteView]
    communications: tuple[CommunicationView, ...]  # newest first (only a page of them: see older_log)
    events: tuple[EventView, ...]  # newest first
    attachments: tuple[AttachmentView, ...] = ()  # by name; content not loaded
    follow_ups: tuple[FollowUpView, ...] = ()  # pending first, each part soonest first
    payments: tuple[PaymentRecord, ...] = ()  # received, oldest first
    received: Decimal = ZERO
    # get_order(log_limit=N) reads only the newest N log entries: then the key of the next older ones
    # (communications.log_page(number, before=older_log)), None when `communications` holds them all.
    older_log: LogKey | None = field(default=None, compare=False)
    log_keys: tuple[LogKey, ...] = field(default=(), compare=False)  # with log_limit: each entry's key

    @property
    def due_amount(self) -> Decimal:
        """The amount due: the one set, else the total."""
        return self.total if self.payment.amount_due is None else self.payment.amount_due

    @property
    def balance(self) -> Decimal:
        """Still owed; negative: overpaid."""
        return self.due_amount - self.received


class DueItem(NamedTuple):
    """One open order in the deadline view / `notedesk due`: its due time and group (deadlines.GROUPS).

    A named tuple, not a dataclass like the rest: `notedesk due` builds thousands at 100,000 orders,
    and a tuple is made in a fifth of the time of an object with a __dict__."""

    number: str
    customer: str
    status: str
    deadline: Deadline
    due: dt.datetime | None  # aware, business tz; None for the "none" group
    group: str
    payment_method: str
    payment_status: str
    amount_due: Decimal | None
    total: Decimal
    currency: str
    version: int  # base_version for mark_delivered / postpone
    company: str = ""
    received: Decimal = ZERO
    address: str = ""  # the delivery address the order picked
    contact_phone: str = ""  # its contact person's phone

    @property
    def due_amount(self) -> Decimal:
        return self.total if self.amount_due is None else self.amount_due

    @property
    def balance(self) -> Decimal:
        """Still owed; negative: overpaid."""
        return self.due_amount - self.received

    @property
    def collect(self) -> Decimal | None:
        """Cash on delivery: what the courier must collect (the balance: amount due less received)."""
        if not collects_on_delivery(self.payment_method, self.payment_status):
            return None
        return self.balance

    @property
    def unpaid_prepaid(self) -> bool:
        return unpaid_prepaid(self.payment_method, self.payment_status)


def collects_on_delivery(method: str, status: str) -> bool:
    """Cash on delivery not paid yet: the courier collects the amount due (else the total)."""
    return method == "cod" and status != "paid"


def unpaid_prepaid(method: str, status: str) -> bool:
    return method == "prepaid" and status != "paid"


@dataclass(frozen=True)
class DueTable:
    """What `notedesk due` prints: the orders of services.deadlines.due_orders, a tuple per column.

    At 100,000 orders the report has thousands of lines whose deadlines, statuses and payments repeat:
    columns of shared values are built without an object per order (issue 7). `collect` is DueItem.collect.
    """

    number: tuple[str, ...] = ()
    customer: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    date: tuple[dt.date, ...] = ()
    start: tuple[dt.time | None, ...] = ()
    end: tuple[dt.time | None, ...] = ()
    payment_method: tuple[str, ...] = ()
    payment_status: tuple[str, ...] = ()
    collect: tuple[Decimal | None, ...] = ()
    currency: tuple[str, ...] = ()
    due_amount: tuple[Decimal, ...] = ()  # the amount due (the total when none is set)
    received: tuple[Decimal, ...] = ()
    address: tuple[str, ...] = ()
    contact_phone: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One place a search found its text (services.search): which order, where, and the line around it."""

    number: str
    customer: str
    status: str
    source: str  # "number", "customer", a note kind ("requirements"...) or "communication"
    snippet: str  # one line, cleaned: the match with some context, "…" where cut
    at: dt.datetime  # when that text was written (aware, UTC)
    start: int = 0  # the match is snippet[start:end]; start == end when it could not be located
    end: int = 0


@dataclass(frozen=True)
class FollowUpView:
    """A dated to-do on an order for a clerk (services.follow_ups)."""

    id: int
    number: str
    customer: str
    clerk: str  # whose to-do it is
    text: str
    due_text: str  # the clerk's words for when
    due_at: dt.datetime  # aware UTC
    state: str  # domain.FOLLOW_UP_STATES
    version: int
    created_at: dt.datetime
    changed_by: str  # who changed it last
    updated_at: dt.datetime


@dataclass(frozen=True)
class NewFollowUp:
    """A follow-up to add with a log entry (services.edits): what, when (default: read from `text`),
    for whom (default: the clerk saving), and when it was typed (default: now)."""

    text: str
    due: str | None = None
    clerk: str | None = None
    at: dt.datetime | None = None
