"""An index for the finance lens at 100,000 orders (issue 16): orders by payment status, in the list's
deadline order.

The finance lens lists `payment_status IN (unpaid, partial) AND status IN (every status but cancelled)`
by `models.DUE_SORT_KEY` (undated last), and counts and sums them for the totals line. No index had
payment_status in front: the count read every order through orders_due (50 ms at 100,000 orders under
load) and a page read all 29,544 matching rows and sorted them (80 ms). `orders_payment_due` starts
with the two filtered columns and goes on with the sort key and id, so SQLite reads each combination of
the IN values in order and stops each after a page (its ORDER BY … LIMIT early-out: 0.1 ms), and the
count reads only the matching entries. On SQLite it also carries what the totals line sums (currency,
amount due, total, received): count and totals never visit the table. On PostgreSQL it stays narrow,
as orders_due does (migration 0002). The list filters' "not paid" uses it too.

The other lenses were served already: production and logistics start with status, which orders_due
(status, deadline…) serves (numbers in benchmarks/results.md).

Literal SQL, the expressions exactly as the list's ORDER BY writes them (models.DUE_SORT_KEY), or the
index would not match them. Only an index: existing data is untouched.
"""

from peewee import PostgresqlDatabase

SORT_KEY = "COALESCE(\"deadline_date\", '9999-12-31'), COALESCE(\"deadline_end\", '23:59:59.999999'), \"id\""
CARRIED = '"currency", "amount_due", "total", "received"'


def up(migrator, db):
    carried = "" if isinstance(db, PostgresqlDatabase) else ", " + CARRIED
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "orders_payment_due" ON "orders" '
                   f'("payment_status", "status", {SORT_KEY}{carried})')
