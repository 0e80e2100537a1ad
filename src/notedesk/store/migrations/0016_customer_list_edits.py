"""Contacts and addresses edited on the customer screen (issue 15).

- `customer_contact.removed_at`, `customer_address.removed_at`: when a clerk removed one from the
  customer's lists. A removed one that orders picked stays for those orders (their detail, sheets and
  `due` still show it) but is no longer offered for new orders; one no order picked is deleted instead.
- `customer_event`: what was added, changed or removed in a customer's lists, old → new, by whom and
  when (the customer's own history; an order's timeline keeps the changes made through that order).

Nullable columns and a new table: existing data is untouched, on SQLite and PostgreSQL alike.
"""

from peewee import CharField, ForeignKeyField, Model, TextField

from notedesk.store.fields import UTCDateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("customer_contact", "removed_at", UTCDateTimeField(null=True)),
        migrator.add_column("customer_address", "removed_at", UTCDateTimeField(null=True)),
    )

    class Customer(Model):  # exists: only its table is referred to
        class Meta:
            database = db
            table_name = "customer"

    class CustomerEvent(Model):
        created_at = UTCDateTimeField()
        updated_at = UTCDateTimeField()
        changed_by = CharField(max_length=64)
        customer = ForeignKeyField(Customer, on_delete="CASCADE")
        field = CharField(max_length=32)
        old = TextField(default="")
        new = TextField(default="")

        class Meta:
            database = db
            legacy_table_names = False
            indexes = ((("customer", "created_at"), False),)

    db.create_tables([CustomerEvent])
