"""The Peewee models: customers, orders, lines, notes with revisions, communications, events, drafts, attachments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from peewee import (
    SQL,
    AutoField,
    BigIntegerField,
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    fn,
)

from notedesk.clock import now
from notedesk.store.fields import ISODateField, ISOTimeField, MoneyField, UTCDateTimeField

db = DatabaseProxy()



class BaseModel(Model):
    id = AutoField()  # what Peewee adds anyway; spelled out so that the type checker knows it
    created_at = UTCDateTimeField(default=now)
    updated_at = UTCDateTimeField(default=now)
    changed_by = CharField(max_length=64)

    class Meta:
        database = db
        legacy_table_names = False


class Customer(BaseModel):
    name = CharField(max_length=200, index=True)
    company = CharField(max_length=200, default="")
    phone = CharField(max_length=64, default="")
    email = CharField(max_length=200, default="")
    preferences = TextField(default="")
    # The name's pinyin reading, for sorting under Chinese (store/sort_keys.py, migration 0008): NULL
    # until the end of the writing transaction, cleared by a trigger when the name changes.
    sort_key = TextField(null=True)


class CustomerContact(BaseModel):
    """A person to speak to at a customer (migration 0012); the first is made from the customer's phone."""

    customer = ForeignKeyField(Customer, backref="contacts", on_delete="CASCADE")
    position = IntegerField()
    name = CharField(max_length=200)
    phone = CharField(max_length=64, default="", index=True)
    role = CharField(max_length=100, default="")
    removed_at = UTCDateTimeField(null=True)  # removed from the customer's list; kept for orders that picked it
    if TYPE_CHECKING:
        customer_id: int

    class Meta:
        indexes = ((("customer", "position"), False),)


class CustomerAddress(BaseModel):
    """A delivery address of a customer (migration 0012): an order picks one."""

    customer = ForeignKeyField(Customer, backref="addresses", on_delete="CASCADE")
    position = IntegerField()
    label = CharField(max_length=100, default="")
    text = TextField()
    removed_at = UTCDateTimeField(null=True)  # removed from the customer's list; kept for orders that picked it
    if TYPE_CHECKING:
        customer_id: int

    class Meta:
        indexes = ((("customer", "position"), False),)


class CustomerEvent(BaseModel):
    """A change to a customer's contacts or addresses made on the customer screen (migration 0016):
    `field` is 'contact' or 'address', old → new as the screen shows them ('' when added / removed)."""

    customer = ForeignKeyField(Customer, backref="events", on_delete="CASCADE")
    field = CharField(max_length=32)
    old = TextField(default="")
    new = TextField(default="")
    if TYPE_CHECKING:
        customer_id: int

    class Meta:
        indexes = ((("customer", "created_at"), False),)


class Order(BaseModel):
    number = CharField(max_length=64, unique=True)
    customer = ForeignKeyField(Customer, backref="orders", on_delete="RESTRICT", index=True)
    # The customer's name and company, set by triggers from the customer (migration 0003): what the
    # deadline queries show without a join. Never written by the services.
    customer_name = CharField(max_length=200, default="")
    customer_company = CharField(max_length=200, default="")
    status = CharField(max_length=16, default="new")  # indexed by orders_due (migration 0002)
    currency = CharField(max_length=3, default="CNY")
    version = IntegerField(default=1)
    total = MoneyField(default=0)
    deadline_text = TextField(default="")
    deadline_date = ISODateField(null=True, index=True)
    deadline_start = ISOTimeField(null=True, formats=["%H:%M:%S", "%H:%M"])
    deadline_end = ISOTimeField(null=True, formats=["%H:%M:%S", "%H:%M"])
    payment_method = CharField(max_length=16, default="other")
    payment_status = CharField(max_length=16, default="unpaid")  # indexed by orders_payment_due (0013)
    amount_due = MoneyField(null=True)
    # The sum of the order's Payment rows, kept by services.settlement in the transaction that writes
    # them (migration 0005): the list, `due` and the lenses read received and balance without a join.
    received = MoneyField(default=0)
    # The delivery address and the contact person this order picked among its customer's (migration 0012).
    address = ForeignKeyField(CustomerAddress, null=True, on_delete="SET NULL", index=True)
    contact = ForeignKeyField(CustomerContact, null=True, on_delete="SET NULL", index=True)
    if TYPE_CHECKING:  # the foreign keys' raw values and a backref, all made by Peewee
        customer_id: int
        address_id: int | None
        contact_id: int | None
        instalments: Iterable[Instalment]

    class Meta:
        table_name = "orders"
        indexes = ((("updated_at", "id"), False), (("created_at", "id"), False), (("total", "id"), False))


# The order list's deadline sort (services.listing): undated orders after every date, "by end of day"
# after every window end. Literal SQL, not parameters, so the query matches the index expression.
DUE_SORT_KEY = (fn.COALESCE(Order.deadline_date, SQL("'9999-12-31'")),
                fn.COALESCE(Order.deadline_end, SQL("'23:59:59.999999'")))
Order.add_index(Order.index(*DUE_SORT_KEY, Order.id, name="orders_due_sort"))
# What the order still owes (negative: overpaid), as SQL over the row: the amount due (the total when
# none is set) less what was received. For lenses and filters (services.settlement has the rules).
DUE = fn.COALESCE(Order.amount_due, Order.total)
BALANCE = DUE - Order.received


class OrderLine(BaseModel):
    order = ForeignKeyField(Order, backref="lines", on_delete="CASCADE", index=True)
    position = IntegerField()
    product = CharField(max_length=200)
    spec = TextField(default="")
    quantity = IntegerField()
    unit_price = MoneyField()


class Instalment(BaseModel):
    order = ForeignKeyField(Order, backref="instalments", on_delete="CASCADE", index=True)
    position = IntegerField()
    due = ISODateField()
    amount = MoneyField()
    paid = BooleanField(default=False)


class Payment(BaseModel):
    """Money received for an order (services.payments): when, how much, how (domain.PAYMENT_VIA), who
    recorded it and a note. A negative amount is a refund. Never changed once written: a mistake is
    put right by another payment (a refund of it)."""

    order = ForeignKeyField(Order, backref="payments", on_delete="CASCADE")
    amount = MoneyField()
    via = CharField(max_length=16, default="other")
    at = UTCDateTimeField()
    note = TextField(default="")
    clerk = CharField(max_length=64)
    if TYPE_CHECKING:
        order_id: int

    class Meta:
        indexes = ((("order", "at"), False),)


class Note(BaseModel):
    order = ForeignKeyField(Order, backref="notes", on_delete="CASCADE")
    if TYPE_CHECKING:  # Peewee's accessor for the foreign key's raw value
        order_id: int
    kind = CharField(max_length=16)
    body = TextField(default="")
    version = IntegerField(default=0)
    on_slip = BooleanField(default=False)  # print on the delivery slip (migration 0009; off unless a clerk says)

    class Meta:
        indexes = ((("order", "kind"), True),)


class NoteRevision(BaseModel):
    note = ForeignKeyField(Note, backref="revisions", on_delete="CASCADE")
    version = IntegerField()
    body = TextField()

    class Meta:
        indexes = ((("note", "version"), True),)


class Communication(BaseModel):
    order = ForeignKeyField(Order, backref="communications", on_delete="CASCADE")
    at = UTCDateTimeField()
    channel = CharField(max_length=16, default="phone")
    contact = CharField(max_length=200, default="")
    clerk = CharField(max_length=64)
    text = TextField()
    corrects = ForeignKeyField("self", null=True, backref="corrections", on_delete="SET NULL")
    if TYPE_CHECKING:
        corrects_id: int | None

    class Meta:
        indexes = ((("order", "at"), False),)


class Event(BaseModel):
    order = ForeignKeyField(Order, backref="events", on_delete="CASCADE")
    field = CharField(max_length=32)
    old = TextField(default="")
    new = TextField(default="")
    reason = TextField(default="")
    # the log entry that gave the reason (an amend with a reason, migration 0011)
    communication = ForeignKeyField(Communication, null=True, backref="events", on_delete="SET NULL")
    if TYPE_CHECKING:
        communication_id: int | None

    class Meta:
        indexes = ((("order", "created_at"), False),)


class Draft(BaseModel):
    clerk = CharField(max_length=64)
    order = ForeignKeyField(Order, backref="drafts", on_delete="CASCADE")
    kind = CharField(max_length=16)
    body = TextField()
    base_version = IntegerField(default=0)

    class Meta:
        indexes = ((("clerk", "order", "kind"), True),)


class AttachmentContent(BaseModel):
    """A file's content, stored once however many attachments have it (services.attachments): its
    sha256, size and the type read from its bytes. The bytes are in AttachmentChunk rows, never read
    with this row, so listing attachments costs nothing however large they are."""

    sha256 = CharField(max_length=64, unique=True)
    size = BigIntegerField()
    type = CharField(max_length=100)


class AttachmentChunk(Model):
    """A piece of a content's bytes, in order (`seq` from 0); BLOB on SQLite, bytea on PostgreSQL."""

    content = ForeignKeyField(AttachmentContent, backref="chunks", on_delete="CASCADE")
    seq = IntegerField()
    data = BlobField()

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("content", "seq"), True),)


class Attachment(BaseModel):
    """A file attached to an order (optionally to one of its note kinds), under a name unique on the order."""

    order = ForeignKeyField(Order, backref="attachments", on_delete="CASCADE")
    content = ForeignKeyField(AttachmentContent, backref="attachments", on_delete="RESTRICT", index=True)
    name = CharField(max_length=255)
    kind = CharField(max_length=16, default="")  # "" = the order itself, else a note kind
    if TYPE_CHECKING:  # the foreign keys' raw values, made by Peewee
        order_id: int
        content_id: int

    class Meta:
        indexes = ((("order", "name"), True),)


class Presence(Model):
    """A clerk has an order's notes open: a heartbeat row that goes stale by itself (services.presence)."""

    id = AutoField()
    clerk = CharField(max_length=64)
    order = ForeignKeyField(Order, backref="presence", on_delete="CASCADE")
    kind = CharField(max_length=16, default="")
    since = UTCDateTimeField()
    seen_at = UTCDateTimeField()

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("clerk", "order"), True), (("order", "seen_at"), False))


class FollowUp(BaseModel):
    """A dated to-do on an order for a clerk ("周五下午回电确认颜色"; services.follow_ups, migration 0007)."""

    order = ForeignKeyField(Order, backref="follow_ups", on_delete="CASCADE", index=True)
    clerk = CharField(max_length=64)  # whose to-do it is
    text = TextField()
    due_text = TextField(default="")  # the clerk's words for when, as typed
    due_at = UTCDateTimeField()  # when it falls due (a snooze moves it)
    state = CharField(max_length=16, default="open")  # domain.FOLLOW_UP_STATES
    version = IntegerField(default=1)
    if TYPE_CHECKING:
        order_id: int

    class Meta:
        indexes = ((("clerk", "state", "due_at"), False), (("state", "due_at"), False))


class ReminderSent(Model):
    """A reminder `notedesk remind` claimed (claim set, sent_at empty) or sent (services.reminders).

    The key (subject, subject_id, kind, due) is unique: whichever run inserts it first sends it."""

    id = AutoField()
    subject = CharField(max_length=16)  # "order", "follow_up", "instalment"
    subject_id = BigIntegerField()  # the order's id (order, instalment) or the follow-up's
    kind = CharField(max_length=16)  # services.reminders.KINDS
    due = UTCDateTimeField()  # the due time the reminder was about: a new deadline is a new reminder
    claim = CharField(max_length=64, null=True)
    claimed_at = UTCDateTimeField()
    sent_at = UTCDateTimeField(null=True)

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("subject", "subject_id", "kind", "due"), True),)


class ReminderAck(Model):
    """A reminder a clerk acknowledged in the desk's reminders screen (services.reminders)."""

    id = AutoField()
    clerk = CharField(max_length=64)
    subject = CharField(max_length=16)
    subject_id = BigIntegerField()
    kind = CharField(max_length=16)
    due = UTCDateTimeField()
    at = UTCDateTimeField()

    class Meta:
        database = db
        legacy_table_names = False
        indexes = ((("clerk", "subject", "subject_id", "kind", "due"), True),)


class ChangeCounter(Model):
    """One row (id 1) bumped in every transaction that changed business data (services.changes)."""

    id = AutoField()
    value = BigIntegerField(default=0)

    class Meta:
        database = db
        legacy_table_names = False


MODELS = (Customer, CustomerContact, CustomerAddress, CustomerEvent, Order, OrderLine, Instalment, Payment, Note,
          NoteRevision,
          Communication, Event, Draft, AttachmentContent, AttachmentChunk, Attachment, Presence, FollowUp,
          ReminderSent, ReminderAck,
          ChangeCounter)
# Not models: the search index (SQLite FTS5 tables search_doc/_trigram/_gram/_queue and their triggers;
# pg_trgm indexes on PostgreSQL) is derived data, created by migration 0001 from store/search_index.py.
