"""The first schema: customers, orders, lines, instalments, notes and revisions, communications, events, drafts.

The models here are a frozen copy, deliberately independent of notedesk.store.models: later migrations
change the live models, never this file.
"""

from peewee import (
    SQL,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    TimeField,
    fn,
)

from notedesk.store.fields import MoneyField, UTCDateTimeField


def up(migrator, db):
    class Base(Model):
        created_at = UTCDateTimeField()
        updated_at = UTCDateTimeField()
        changed_by = CharField(max_length=64)

        class Meta:
            database = db
            legacy_table_names = False

    class Customer(Base):
        name = CharField(max_length=200, index=True)
        company = CharField(max_length=200, default="")
        phone = CharField(max_length=64, default="")
        email = CharField(max_length=200, default="")
        address = TextField(default="")
        preferences = TextField(default="")

    class Order(Base):
        number = CharField(max_length=64, unique=True)
        customer = ForeignKeyField(Customer, on_delete="RESTRICT", index=True)
        status = CharField(max_length=16, default="new", index=True)
        currency = CharField(max_length=3, default="CNY")
        version = IntegerField(default=1)
        total = MoneyField(default=0)
        deadline_text = TextField(default="")
        deadline_date = DateField(null=True, index=True)
        deadline_start = TimeField(null=True)
        deadline_end = TimeField(null=True)
        payment_method = CharField(max_length=16, default="other")
        payment_status = CharField(max_length=16, default="unpaid")
        amount_due = MoneyField(null=True)

        class Meta:
            table_name = "orders"
            indexes = ((("updated_at", "id"), False), (("created_at", "id"), False), (("total", "id"), False))

    Order.add_index(Order.index(fn.COALESCE(Order.deadline_date, SQL("'9999-12-31'")),
                                fn.COALESCE(Order.deadline_end, SQL("'23:59:59.999999'")), Order.id,
                                name="orders_due_sort"))

    class OrderLine(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE", index=True)
        position = IntegerField()
        product = CharField(max_length=200)
        spec = TextField(default="")
        quantity = IntegerField()
        unit_price = MoneyField()

    class Instalment(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE", index=True)
        position = IntegerField()
        due = DateField()
        amount = MoneyField()
        paid = BooleanField(default=False)

    class Note(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE")
        kind = CharField(max_length=16)
        body = TextField(default="")
        version = IntegerField(default=0)

        class Meta:
            indexes = ((("order", "kind"), True),)

    class NoteRevision(Base):
        note = ForeignKeyField(Note, on_delete="CASCADE")
        version = IntegerField()
        body = TextField()

        class Meta:
            indexes = ((("note", "version"), True),)

    class Communication(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE")
        at = UTCDateTimeField()
        channel = CharField(max_length=16, default="phone")
        contact = CharField(max_length=200, default="")
        clerk = CharField(max_length=64)
        text = TextField()
        corrects = ForeignKeyField("self", null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("order", "at"), False),)

    class Event(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE")
        field = CharField(max_length=32)
        old = TextField(default="")
        new = TextField(default="")
        reason = TextField(default="")

        class Meta:
            indexes = ((("order", "created_at"), False),)

    class Draft(Base):
        clerk = CharField(max_length=64)
        order = ForeignKeyField(Order, on_delete="CASCADE")
        kind = CharField(max_length=16)
        body = TextField()
        base_version = IntegerField(default=0)

        class Meta:
            indexes = ((("clerk", "order", "kind"), True),)

    class Presence(Model):
        clerk = CharField(max_length=64)
        order = ForeignKeyField(Order, on_delete="CASCADE")
        kind = CharField(max_length=16, default="")
        since = UTCDateTimeField()
        seen_at = UTCDateTimeField()

        class Meta:
            database = db
            legacy_table_names = False
            indexes = ((("clerk", "order"), True), (("order", "seen_at"), False))

    class ChangeCounter(Model):
        value = BigIntegerField(default=0)

        class Meta:
            database = db
            legacy_table_names = False

    db.create_tables([Customer, Order, OrderLine, Instalment, Note, NoteRevision, Communication, Event, Draft,
                      Presence, ChangeCounter])
    ChangeCounter.insert(id=1, value=0).on_conflict_ignore().execute()  # idempotent: two first opens may race

    # The search index (issue 7): derived data, made from the tables above and kept in step by triggers
    # (SQLite) or pg_trgm indexes (PostgreSQL). Its SQL lives in notedesk.store.search_index; a change
    # to what it indexes comes with a later migration that calls install() and rebuild() there.
    from notedesk.store import search_index

    search_index.create(db)
