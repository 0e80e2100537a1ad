"""Follow-ups and reminders (issue 18): dated to-dos on orders, what `notedesk remind` sent, what a clerk acknowledged.

- `follow_up`: a to-do on an order for a clerk, with the clerk's words for when (`due_text`) and the
  moment it falls due (`due_at`, UTC), its state (open, snoozed, done);
- `reminder_sent`: one row per reminder `notedesk remind` claimed or sent; the unique key (subject,
  subject id, kind, due time) is what makes a reminder go out once, however many runs race;
- `reminder_ack`: one row per reminder a clerk acknowledged in the desk's reminders screen.

New tables only: existing data is untouched.
"""

from peewee import BigIntegerField, CharField, ForeignKeyField, IntegerField, Model, TextField

from notedesk.store.fields import UTCDateTimeField


def up(migrator, db):
    class Base(Model):
        created_at = UTCDateTimeField()
        updated_at = UTCDateTimeField()
        changed_by = CharField(max_length=64)

        class Meta:
            database = db
            legacy_table_names = False

    class Order(Model):  # exists: only its table is referred to
        class Meta:
            database = db
            table_name = "orders"

    class FollowUp(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE", index=True)
        clerk = CharField(max_length=64)
        text = TextField()
        due_text = TextField(default="")
        due_at = UTCDateTimeField()
        state = CharField(max_length=16, default="open")
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("clerk", "state", "due_at"), False), (("state", "due_at"), False))

    class ReminderSent(Model):
        subject = CharField(max_length=16)
        subject_id = BigIntegerField()
        kind = CharField(max_length=16)
        due = UTCDateTimeField()
        claim = CharField(max_length=64, null=True)
        claimed_at = UTCDateTimeField()
        sent_at = UTCDateTimeField(null=True)

        class Meta:
            database = db
            legacy_table_names = False
            indexes = ((("subject", "subject_id", "kind", "due"), True),)

    class ReminderAck(Model):
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

    db.create_tables([FollowUp, ReminderSent, ReminderAck])
