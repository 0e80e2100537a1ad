"""Payments received (issue 15): a `payment` table, each order's `received`, and the payment status and
instalment flags made to follow from them.

Before, a clerk set the payment status (unpaid/partial/paid) and ticked instalments paid by hand, and
no money was recorded. Now the status follows from the payments received (services.settlement), so
what the old fields said is turned into payments, never dropped:

- an order marked paid gets one payment of its amount due (the total when none is set);
- an order not marked paid whose instalments were ticked paid gets one payment of those instalments;
- each such payment is dated when the order was last changed, by the clerk who changed it, via
  "other", with a note saying it was made from the old status;
- an order whose status had to change all the same (marked partly paid with no amount known, or
  paid with nothing due) keeps what it said on its timeline: a `payment_status` event old -> new
  with the reason.

Then every order's `received` and status, and every instalment's flag (covered in due-date order by
what was received), are set by the same rules as the services. On SQLite the `orders_due` index
carries `received` too, so the deadline queries still never visit the table.
"""

from decimal import Decimal

from peewee import PostgresqlDatabase

from notedesk.store.fields import MoneyField

DUE_KEYS = ("status", "deadline_date", "deadline_end", "number")
DUE_CARRIED = ("customer_name", "customer_company", "deadline_start", "deadline_text", "payment_method",
               "payment_status", "amount_due", "total", "currency", "version", "received")

MARKED_PAID = "recorded from the status 'paid' set before payments were kept (migration 0005)"
TICKED = "recorded from instalments ticked paid before payments were kept (migration 0005): {dues}"
STATUS_REASON = "status set by hand before payments were kept; now it follows the payments (migration 0005)"
ZERO = Decimal("0.00")


def _money(value) -> Decimal:
    return MoneyField().python_value(value) if value is not None else ZERO


def _status(received: Decimal, due: Decimal) -> str:
    """services.settlement.payment_status, frozen here."""
    if received <= 0:
        return "unpaid"
    return "paid" if received >= due else "partial"


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    db.execute_sql("ALTER TABLE orders ADD COLUMN received DECIMAL(14, 2) NOT NULL DEFAULT 0")
    db.execute_sql(
        "CREATE TABLE payment (id {id}, created_at {ts} NOT NULL, updated_at {ts} NOT NULL, "
        "changed_by VARCHAR(64) NOT NULL, order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE, "
        "amount DECIMAL(14, 2) NOT NULL, via VARCHAR(16) NOT NULL DEFAULT 'other', at {ts} NOT NULL, "
        "note TEXT NOT NULL DEFAULT '', clerk VARCHAR(64) NOT NULL)".format(
            id="SERIAL NOT NULL PRIMARY KEY" if postgres else "INTEGER NOT NULL PRIMARY KEY",
            ts="TIMESTAMP" if postgres else "DATETIME"))
    db.execute_sql("CREATE INDEX payment_order_id_at ON payment (order_id, at)")
    _payments_from_old_fields(db)
    if not postgres:  # PostgreSQL's orders_due stays narrow (migration 0002)
        migrator.migrate(
            migrator.drop_index("orders", "orders_due"),
            migrator.add_index("orders", DUE_KEYS + DUE_CARRIED, name="orders_due"),
        )


def _payments_from_old_fields(db) -> None:
    orders = db.execute_sql(
        "SELECT id, payment_status, amount_due, total, updated_at, changed_by FROM orders "
        "WHERE payment_status <> 'unpaid' OR id IN (SELECT order_id FROM instalment WHERE paid)"
        if isinstance(db, PostgresqlDatabase) else
        "SELECT id, payment_status, amount_due, total, updated_at, changed_by FROM orders "
        "WHERE payment_status <> 'unpaid' OR id IN (SELECT order_id FROM instalment WHERE paid <> 0)").fetchall()
    if not orders:
        return
    schedules: dict[int, list[tuple]] = {}
    for order_id, due, amount, paid, position in db.execute_sql(
            "SELECT order_id, due, amount, paid, position FROM instalment ORDER BY order_id, due, position"):
        schedules.setdefault(order_id, []).append((str(due), _money(amount), bool(paid), position))
    for order_id, status, amount_due, total, at, clerk in orders:
        due = _money(amount_due) if amount_due is not None else _money(total)
        schedule = schedules.get(order_id, [])
        ticked = [(day, amount) for day, amount, paid, _ in schedule if paid]
        amount, note = ZERO, ""
        if status == "paid":
            amount, note = due, MARKED_PAID
        elif ticked:
            amount = sum((a for _, a in ticked), ZERO)
            note = TICKED.format(dues=", ".join(day for day, _ in ticked))
        if amount > 0:
            _run(db, "INSERT INTO payment (created_at, updated_at, changed_by, order_id, amount, via, at, note, clerk) "
                     "VALUES (?, ?, ?, ?, ?, 'other', ?, ?, ?)",
                 (at, at, clerk, order_id, str(amount), at, note, clerk))
        received = amount if amount > 0 else ZERO
        new_status = _status(received, due)
        _run(db, "UPDATE orders SET received = ?, payment_status = ? WHERE id = ?",
             (str(received), new_status, order_id))
        if new_status != status:
            _run(db, "INSERT INTO event (created_at, updated_at, changed_by, order_id, field, old, new, reason) "
                     "VALUES (?, ?, ?, ?, 'payment_status', ?, ?, ?)",
                 (at, at, clerk, order_id, status, new_status, STATUS_REASON))
        running = ZERO
        for _day, instalment_amount, paid, position in schedule:  # covered in due-date order
            running += instalment_amount
            covered = received > 0 and running <= received
            if covered != paid:
                _run(db, "UPDATE instalment SET paid = ? WHERE order_id = ? AND position = ?",
                     (covered, order_id, position))


def _run(db, sql: str, params: tuple) -> None:
    if isinstance(db, PostgresqlDatabase):
        sql = sql.replace("?", "%s")
    db.execute_sql(sql, params)
