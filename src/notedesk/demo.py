"""Demo data: fill a database with realistic Chinese and English orders, fast enough for 100,000 (issue 7).

Speed, measured on a 2-core machine: Faker only fills a small pool once and rows combine pool values
at random (demo_rows; Faker per row is far too slow); rows go to SQLite through the driver's
`executemany` (Peewee's bulk insert is 3-6x slower), one transaction per chunk of orders, written by
a second thread on its own connection while the next chunk is generated (sqlite3 and psycopg release
the GIL while the engine works, so both cores are busy); each chunk's rows are indexed for search in
one pass in the same transaction, the triggers dropped meanwhile (store/bulk.indexing_suspended), so a
demo killed half way leaves whole chunks and a working index. On PostgreSQL the rows go through Peewee's
`insert_many` in batches. Seeded: the same seed and clock give the same data.

Rows point at each other by id, so the ids of customers, orders, notes and communications are
allocated here after the highest id present: load a demo while nobody else writes to that database.
"""

from __future__ import annotations

import datetime as dt
import queue
import sys
import threading
import time
from typing import TextIO

import peewee

from notedesk import clock
from notedesk.demo_rows import FastRandom, Pool, RowBuilder, created_times
from notedesk.services import changes
from notedesk.store import bulk, sort_keys
from notedesk.store import models as m
from notedesk.store.bulk import FIELDS
from notedesk.store.errors import translated_errors

DEFAULT_ORDERS = 60
SEED = 20261126
CHUNK = 2000  # orders per transaction


class _Writer:
    """Writes one chunk of orders per transaction, the search index kept in the same transaction."""

    def __init__(self, database: peewee.Database):
        self.database = database

    def chunk(self, rows: dict) -> None:
        with self.database.atomic(), bulk.indexing_suspended(self.database):
            for model in FIELDS:  # parents before children
                bulk.insert(self.database, model, rows[model])
            sort_keys.fill_missing(self.database)  # the new customers' pinyin keys (store/sort_keys.py)


class _Background:
    """Writes chunks on its own thread and connection; at most two chunks wait, so memory stays flat."""

    def __init__(self, writer: _Writer, done):
        self.writer, self.done = writer, done
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="demo-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self.writer.database.connection_context():
                while (item := self.queue.get()) is not None:
                    self.writer.chunk(item[0])
                    self.done(item[1])
        except BaseException as exc:  # handed to the producer, which raises it
            self.error = exc
            while self.queue.get() is not None:  # keep taking, so the producer never blocks
                pass

    def put(self, rows: dict, count: int) -> None:
        if self.error is None:
            self.queue.put((rows, count))
        if self.error is not None:
            self.close()

    def close(self) -> None:
        """Wait for the writes; raise what went wrong in the writer thread."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


class _Progress:
    """A plain text bar on stderr when it is a terminal."""

    def __init__(self, total: int, stream: TextIO | None, label: str = "demo", unit: str = "orders"):
        self.total, self.stream, self.shown, self.label, self.unit = total, stream, 0.0, label, unit

    def update(self, done: int, total: int | None = None) -> None:
        self.total = total or self.total
        if self.stream is None or self.total <= 0 or (time.monotonic() - self.shown < 0.1 and done < self.total):
            return
        self.shown = time.monotonic()
        filled = 30 * done // self.total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {100 * done // self.total:3d}% "
                          f"{done:,}/{self.total:,} {self.unit}")
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _last_serial(year: int) -> int:
    last = m.Order.select(peewee.fn.MAX(m.Order.number)).where(m.Order.number.startswith(f"SO-{year}-")).scalar()
    tail = last.rsplit("-", 1)[1] if last else ""
    return int(tail) if tail.isdigit() else 0


def fill(n: int, *, seed: int | None = None, progress: bool | None = None, stream: TextIO | None = None) -> int:
    """Add `n` demo orders to the open database; returns n. `progress` defaults to `stream` (stderr)
    being a terminal. Raises StoreError."""
    if n < 1:
        raise ValueError("the number of demo orders must be at least 1")
    stream = stream or sys.stderr
    shown = stream if (stream.isatty() if progress is None else progress) else None
    bar = _Progress(n, shown)
    now, tz = clock.now(), clock.business_tz()
    with translated_errors():
        opened = m.db.connect(reuse_if_open=True)
        try:
            database = m.db.obj
            writer = _Writer(database)
            ids = {model: (model.select(peewee.fn.MAX(model.id)).scalar() or 0) + 1
                   for model in (m.Customer, m.CustomerContact, m.CustomerAddress, m.Order, m.Note,
                                 m.Communication)}
            rng = FastRandom((SEED if seed is None else seed) + ids[m.Order] - 1)
            created = created_times(rng, n, now, tz)
            serials = {year: _last_serial(year) for year in {t.year for t in created}}
            builder = RowBuilder(rng, Pool(rng.randrange(2 ** 31)), now, tz, ids, serials)
            customers = builder.customers(max(8, min(n // 4, 25000)), created[0] - dt.timedelta(days=1))
            # A caller's open transaction would lock a second connection out: write here then.
            background = None if database.in_transaction() else _Background(writer, bar.update)
            try:
                for start in range(0, n, CHUNK):
                    for when in created[start:start + CHUNK]:
                        builder.order(when, rng.choice(customers))
                    done = min(n, start + CHUNK)
                    if background is None:
                        writer.chunk(builder.take())
                        bar.update(done)
                    else:
                        background.put(builder.take(), done)
            finally:
                if background is not None:
                    background.close()
            with database.atomic():
                bulk.move_sequences_past(database)
                changes.bump()  # desks open on this database reload
        finally:
            if opened:
                m.db.close()
    return n


def ensure_demo_data(orders: int = DEFAULT_ORDERS) -> int:
    """Fill the open (demo) database on first use; returns how many orders were added (0 if it had some)."""
    with translated_errors():
        opened = m.db.connect(reuse_if_open=True)
        try:
            has_orders = m.Order.select().exists()
        finally:
            if opened:
                m.db.close()
    return 0 if has_orders else fill(orders)
