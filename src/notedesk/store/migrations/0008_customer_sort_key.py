"""Customers carry the pinyin reading of their name (issue 20): the order list sorted by customer
under Chinese pages through it on an index (store/sort_keys.py says how the key is kept right).

Adds `customer.sort_key` (NULL until filled), its index with the id (the keyset the list pages by),
the trigger that clears the key when a name changes, and the keys of every existing customer.
"""

from peewee import PostgresqlDatabase

from notedesk.store.sort_keys import fill_missing

SQLITE_TRIGGER = ("CREATE TRIGGER customer_sort_key_stale AFTER UPDATE OF name ON customer "
                  "WHEN OLD.name IS NOT NEW.name BEGIN UPDATE customer SET sort_key = NULL WHERE id = NEW.id; END")
POSTGRES_TRIGGER = (
    """CREATE FUNCTION notedesk_customer_sort_key_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.sort_key := NULL;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER customer_sort_key_stale BEFORE UPDATE OF name ON customer FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION notedesk_customer_sort_key_stale()",
)


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    db.execute_sql("ALTER TABLE customer ADD COLUMN sort_key TEXT")
    db.execute_sql("CREATE INDEX customer_sort_key ON customer (sort_key, id)")
    for sql in POSTGRES_TRIGGER if postgres else (SQLITE_TRIGGER,):
        db.execute_sql(sql)
    fill_missing(db)
