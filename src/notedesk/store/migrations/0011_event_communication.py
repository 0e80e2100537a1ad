"""A timeline event may point at the communication entry that gave its reason (issue 15, amend).

When a clerk amends an order with a reason, the reason is a communication entry and every field
changed for it is an event linked to that entry: the timeline says "see log entry …" and the log
entry lists what it changed. Existing events keep no link (NULL). Communications are append-only; if
one ever goes (its order deleted), the events go with the order anyway, so SET NULL is only a
safety.
"""


def up(migrator, db):
    db.execute_sql("ALTER TABLE event ADD COLUMN communication_id INTEGER "
                   "REFERENCES communication (id) ON DELETE SET NULL")
    db.execute_sql("CREATE INDEX event_communication_id ON event (communication_id)")
