"""Each order carries its customer's name and company, kept in step by triggers (issue 7).

`notedesk due` at 100,000 orders lists thousands of open orders, each with its customer: joining the
customer table cost a third of its query, one scattered row lookup per order. The deadline queries
now read `orders.customer_name`/`customer_company` (on SQLite from the `orders_due` index, which
carries them instead of `customer_id`).

The services never write the copies. Triggers in plain SQL set them from the customer on every
insert and every change of an order's customer (or of the copies themselves), and copy a customer's
new name or company to all of its orders, so any program writing the tables (a service, an import,
`notedesk copy`, the sqlite3 shell) keeps them right; a bulk load that gives the right names (the
demo) costs the SQLite triggers only their check. A rename does not change the orders' versions:
clerks editing them see no conflict.
"""

from peewee import PostgresqlDatabase

KEYS = ("status", "deadline_date", "deadline_end", "number")
CARRIED = ("customer_name", "customer_company", "deadline_start", "deadline_text", "payment_method",
           "payment_status", "amount_due", "total", "currency", "version")

COLUMNS = (
    "ALTER TABLE orders ADD COLUMN customer_name VARCHAR(200) NOT NULL DEFAULT ''",
    "ALTER TABLE orders ADD COLUMN customer_company VARCHAR(200) NOT NULL DEFAULT ''",
)
FILL = ("UPDATE orders SET (customer_name, customer_company) = "
        "(SELECT name, company FROM customer WHERE customer.id = orders.customer_id)")

_STALE = ("NEW.customer_name IS NOT (SELECT name FROM customer WHERE id = NEW.customer_id) "
          "OR NEW.customer_company IS NOT (SELECT company FROM customer WHERE id = NEW.customer_id)")
_FROM_CUSTOMER = ("UPDATE orders SET (customer_name, customer_company) = "
                  "(SELECT name, company FROM customer WHERE id = NEW.customer_id) WHERE id = NEW.id;")
_TO_ORDERS = "UPDATE orders SET customer_name = NEW.name, customer_company = NEW.company WHERE customer_id = NEW.id;"

SQLITE_TRIGGERS = (
    f"CREATE TRIGGER orders_customer_names_ai AFTER INSERT ON orders WHEN {_STALE} BEGIN {_FROM_CUSTOMER} END",
    "CREATE TRIGGER orders_customer_names_au AFTER UPDATE OF customer_id, customer_name, customer_company "
    f"ON orders WHEN {_STALE} BEGIN {_FROM_CUSTOMER} END",
    "CREATE TRIGGER customer_names_to_orders AFTER UPDATE OF name, company ON customer "
    f"WHEN OLD.name IS NOT NEW.name OR OLD.company IS NOT NEW.company BEGIN {_TO_ORDERS} END",
)

POSTGRES_TRIGGERS = (
    """CREATE FUNCTION notedesk_order_customer_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT name, company INTO NEW.customer_name, NEW.customer_company FROM customer WHERE id = NEW.customer_id;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER orders_customer_names BEFORE INSERT OR UPDATE OF customer_id, customer_name, customer_company "
    "ON orders FOR EACH ROW EXECUTE FUNCTION notedesk_order_customer_names()",
    f"""CREATE FUNCTION notedesk_customer_names_to_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_TO_ORDERS}
  RETURN NULL;
END $$""",
    "CREATE TRIGGER customer_names_to_orders AFTER UPDATE OF name, company ON customer FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.company IS DISTINCT FROM NEW.company) "
    "EXECUTE FUNCTION notedesk_customer_names_to_orders()",
)


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    for sql in (*COLUMNS, FILL, *(POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS)):
        db.execute_sql(sql)
    if not postgres:  # PostgreSQL's orders_due stays narrow (migration 0002)
        migrator.migrate(
            migrator.drop_index("orders", "orders_due"),
            migrator.add_index("orders", KEYS + CARRIED, name="orders_due"),
        )
