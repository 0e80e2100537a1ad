"""One customer across orders (issue 15): contacts and delivery addresses per customer, an order picks one.

- `customer_contact` (name, phone, role) and `customer_address` (label, text), in `position` order;
  `orders.address_id` / `orders.contact_id` say which the order picked (SET NULL when one goes).
- Customers that are the same (name and phone equal once trimmed) become one: the oldest row keeps its
  id, the others' orders point at it and they go. Company and e-mail: the keeper's, else the first
  non-empty one; standing preferences: each different one kept, joined by a line.
- Each old customer's single `address` becomes an address of the merged customer (the same text once),
  and its orders pick it; then the column goes. The phone becomes the first contact (named after the
  customer) and the orders' contact.
- Lookups as the clerk types (services.customers): indexes on lower(name), lower(company) and phone,
  and on the contacts' phones. On PostgreSQL the lower() ones use text_pattern_ops, which is what lets
  `LIKE 'wang%'` use them whatever the database's collation.
- On SQLite the deadline queries' covering index (`orders_due`, migrations 0002/0003) also carries the
  two new ids, so `notedesk due` still never visits the orders table for what it shows.

Moving orders to the kept customer changes `orders.customer_id`: the triggers of migration 0003 copy
the kept customer's name and company onto them, and the search index's triggers re-index them, as for
any other write. The customer table's own triggers (0003, the search index) name only `name` and
`company`, so dropping `address` (ALTER TABLE ... DROP COLUMN, SQLite >= 3.35) leaves them in place.
"""

from peewee import CharField, ForeignKeyField, IntegerField, Model, PostgresqlDatabase, TextField

from notedesk.store.fields import UTCDateTimeField

PICKS = ("address_id", "contact_id")  # carried by orders_due on SQLite besides what it carries already

SQLITE_INDEXES = (
    "CREATE INDEX customer_name_lower ON customer (lower(name))",
    "CREATE INDEX customer_company_lower ON customer (lower(company))",
    "CREATE INDEX customer_phone ON customer (phone)",
)
POSTGRES_INDEXES = (
    "CREATE INDEX customer_name_lower ON customer (lower(name) text_pattern_ops)",
    "CREATE INDEX customer_company_lower ON customer (lower(company) text_pattern_ops)",
    "CREATE INDEX customer_phone ON customer (phone text_pattern_ops)",
    "CREATE INDEX customer_contact_phone_pattern ON customer_contact (phone text_pattern_ops)",
)


def up(migrator, db):
    class Base(Model):
        created_at = UTCDateTimeField()
        updated_at = UTCDateTimeField()
        changed_by = CharField(max_length=64)

        class Meta:
            database = db
            legacy_table_names = False

    class Customer(Model):  # exists: only its table is referred to
        class Meta:
            database = db
            table_name = "customer"

    class CustomerContact(Base):
        customer = ForeignKeyField(Customer, on_delete="CASCADE")
        position = IntegerField()
        name = CharField(max_length=200)
        phone = CharField(max_length=64, default="", index=True)
        role = CharField(max_length=100, default="")

        class Meta:
            indexes = ((("customer", "position"), False),)

    class CustomerAddress(Base):
        customer = ForeignKeyField(Customer, on_delete="CASCADE")
        position = IntegerField()
        label = CharField(max_length=100, default="")
        text = TextField()

        class Meta:
            indexes = ((("customer", "position"), False),)

    db.create_tables([CustomerContact, CustomerAddress])
    postgres = isinstance(db, PostgresqlDatabase)
    migrator.migrate(
        migrator.add_column("orders", "address_id",
                            ForeignKeyField(CustomerAddress, CustomerAddress.id, null=True, on_delete="SET NULL")),
        migrator.add_column("orders", "contact_id",
                            ForeignKeyField(CustomerContact, CustomerContact.id, null=True, on_delete="SET NULL")),
    )
    _merge_and_move(db)
    migrator.migrate(migrator.drop_column("customer", "address"))
    for sql in POSTGRES_INDEXES if postgres else SQLITE_INDEXES:
        db.execute_sql(sql)
    if not postgres:  # the columns it has (0002, 0003, 0005...), then the picks
        columns = tuple(row[2] for row in sorted(db.execute_sql("PRAGMA index_info('orders_due')").fetchall()))
        migrator.migrate(
            migrator.drop_index("orders", "orders_due"),
            migrator.add_index("orders", columns + tuple(c for c in PICKS if c not in columns), name="orders_due"),
        )


def _merge_and_move(db) -> None:
    """Duplicates merged, addresses and phones moved; in Python (the same on both engines): a few
    statements per customer, none per order."""
    p = _param(db)
    rows = db.execute_sql(
        "SELECT id, name, company, phone, email, address, preferences, created_at, changed_by "
        "FROM customer ORDER BY id").fetchall()
    groups: dict[tuple[str, str], list[tuple]] = {}
    for row in rows:
        groups.setdefault(((row[1] or "").strip(), (row[3] or "").strip()), []).append(row)
    for (name, phone), members in groups.items():
        keeper = members[0]
        keeper_id, stamp, clerk = keeper[0], keeper[7], keeper[8]
        made: dict[str, int] = {}
        for member in members:  # each old row's orders pick the address it had (before they move)
            text = (member[5] or "").strip()
            if not text:
                continue
            if text not in made:
                made[text] = _insert(db, "customer_address", {
                    "created_at": stamp, "updated_at": stamp, "changed_by": clerk, "customer_id": keeper_id,
                    "position": len(made), "label": "", "text": text})
            db.execute_sql(f"UPDATE orders SET address_id = {p} WHERE customer_id = {p}", (made[text], member[0]))
        if len(members) > 1:
            others = [m[0] for m in members[1:]]
            marks = ", ".join([p] * len(others))
            db.execute_sql(f"UPDATE orders SET customer_id = {p} WHERE customer_id IN ({marks})", (keeper_id, *others))
            db.execute_sql(f"DELETE FROM customer WHERE id IN ({marks})", tuple(others))
        company = next((m[2] for m in members if m[2]), "")
        email = next((m[4] for m in members if m[4]), "")
        preferences = "\n".join(dict.fromkeys(m[6].strip() for m in members if m[6] and m[6].strip()))
        if (keeper[1], keeper[2], keeper[3], keeper[4], keeper[6]) != (name, company, phone, email, preferences):
            db.execute_sql(f"UPDATE customer SET name = {p}, company = {p}, phone = {p}, email = {p}, "
                           f"preferences = {p} WHERE id = {p}",
                           (name, company, phone, email, preferences, keeper_id))
        if phone:
            contact_id = _insert(db, "customer_contact", {
                "created_at": stamp, "updated_at": stamp, "changed_by": clerk, "customer_id": keeper_id,
                "position": 0, "name": name, "phone": phone, "role": ""})
            db.execute_sql(f"UPDATE orders SET contact_id = {p} WHERE customer_id = {p}", (contact_id, keeper_id))


def _param(db) -> str:
    return "%s" if isinstance(db, PostgresqlDatabase) else "?"


def _insert(db, table: str, values: dict) -> int:
    p = _param(db)
    columns = ", ".join(values)
    marks = ", ".join([p] * len(values))
    if isinstance(db, PostgresqlDatabase):
        return db.execute_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id",
                              tuple(values.values())).fetchone()[0]
    return db.execute_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values())).lastrowid
