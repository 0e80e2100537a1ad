"""Customer names in the order a Chinese clerk expects: by pinyin (张 after 江), Latin letters among
them by their own spelling. The key is stored (`customer.sort_key`, migration 0008) so the order list
pages through it on an index, as it does through every other sort.

How the key stays right whatever writes the table (a service, an import, the demo's bulk load, the
sqlite3 shell): a new customer row has no key (NULL), and a trigger clears the key when the name
changes; at the end of every writing transaction `fill_missing()` computes the keys still missing
(an index lookup of the NULLs: nothing to do is one probe). pypinyin (a maintained library with
phrase data, so 重庆 reads chóng qìng) does the reading.

The key: each Chinese character as its syllable and tone number ("zhang1"), other characters
lower-cased, then a tab and the name itself, so names that read the same still sort one way and
equal names are equal keys.
"""

from __future__ import annotations

import functools

import peewee

BATCH = 500


@functools.lru_cache(maxsize=4096)
def sort_key(name: str) -> str:
    """'张玲' -> 'zhang1ling2\\t张玲'; 'Anna Smith' -> 'anna smith\\tAnna Smith'."""
    from pypinyin import Style, lazy_pinyin

    reading = "".join(lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True,
                                  errors=lambda rest: rest))
    return f"{reading.lower()}\t{name}"


def fill_missing(database: peewee.Database) -> int:
    """Compute the keys of customers that have none (new rows, renamed ones); how many. Plain SQL
    (migration 0008 calls it on the database it upgrades, whatever the models say later)."""
    p = database.param
    done = 0
    while True:
        rows = database.execute_sql(
            f"SELECT id, name FROM customer WHERE sort_key IS NULL ORDER BY id LIMIT {BATCH}").fetchall()
        if not rows:
            return done
        for customer_id, name in rows:
            database.execute_sql(f"UPDATE customer SET sort_key = {p} WHERE id = {p}", (sort_key(name), customer_id))
        done += len(rows)
