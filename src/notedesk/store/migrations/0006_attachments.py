"""Attachments (issue 17): files on an order, their content stored once, in chunks, in the database.

`attachment_content` is one row per distinct content (sha256, size, type); its bytes are in
`attachment_chunk` rows, so nothing that lists attachments reads a byte of them; `attachment` names a
content on an order (optionally under a note kind). Attachment names are searchable: on SQLite the
search index's triggers for the new table (no rebuild: the table is empty), on PostgreSQL a pg_trgm
index when the extension is there.
"""

from peewee import BigIntegerField, BlobField, CharField, ForeignKeyField, IntegerField, Model, SqliteDatabase

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

    class AttachmentContent(Base):
        sha256 = CharField(max_length=64, unique=True)
        size = BigIntegerField()
        type = CharField(max_length=100)

    class AttachmentChunk(Model):
        content = ForeignKeyField(AttachmentContent, on_delete="CASCADE")
        seq = IntegerField()
        data = BlobField()

        class Meta:
            database = db
            legacy_table_names = False
            indexes = ((("content", "seq"), True),)

    class Attachment(Base):
        order = ForeignKeyField(Order, on_delete="CASCADE")
        content = ForeignKeyField(AttachmentContent, on_delete="RESTRICT", index=True)
        name = CharField(max_length=255)
        kind = CharField(max_length=16, default="")

        class Meta:
            indexes = ((("order", "name"), True),)

    db.create_tables([AttachmentContent, AttachmentChunk, Attachment])

    from notedesk.store import search_index

    if isinstance(db, SqliteDatabase):
        search_index.install(db.connection())
    elif db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone():
        db.execute_sql(search_index.PG_ATTACHMENT_INDEX)
