"""A note can be marked "print on the delivery slip" (issue 16): the logistics slip carries only such notes.

Off for every existing note: nothing a clerk wrote for colleagues reaches a customer's hands unless a
clerk says so. A column with a default: existing data is untouched, on SQLite and PostgreSQL alike.
"""


def up(migrator, db):
    db.execute_sql("ALTER TABLE note ADD COLUMN on_slip BOOLEAN NOT NULL DEFAULT FALSE")
