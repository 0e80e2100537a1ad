"""Many clerks, one database: racing saves (one wins, one Conflict), busy retries, the change counter.

Each thread has its own connection (Peewee keeps one per thread), so two threads are two clerks.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from functools import partial

import pytest

from conftest import race, sample_order
from notedesk.services import changes, communications, drafts, listing, notes, orders, transaction
from notedesk.services.errors import Conflict
from notedesk.store.errors import StoreError
from notedesk.store.models import db

N = "SO-2026-00042"


@pytest.fixture
def order(database):
    return orders.create_order(sample_order(N))


def test_racing_note_saves_one_wins_nothing_overwritten(order):
    for round_ in range(8):
        base = notes.get_note(N, "special").version
        texts = (f"li round {round_}", f"wang round {round_}")
        results = race(
            partial(notes.save_note, N, "special", texts[0], base_version=base, clerk="li"),
            partial(notes.save_note, N, "special", texts[1], base_version=base, clerk="wang"),
        )
        won = [r for r in results if not isinstance(r, Exception)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], Conflict)
        assert lost[0].current.body == won[0].body  # the loser is shown the winner's text
        stored = notes.get_note(N, "special")
        assert (stored.body, stored.version) == (won[0].body, base + 1)
    history = notes.history(N, "special")
    assert [r.version for r in history] == list(range(9, 0, -1))  # every winner kept, none lost


def test_racing_order_changes_one_wins(order):
    for status in ("in_production", "shipped", "delivered"):
        base = orders.get_order(N).version
        results = race(
            partial(orders.set_status, N, status, base_version=base, clerk="li"),
            partial(orders.set_status, N, "on_hold", base_version=base, clerk="wang"),
        )
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(lost) == 1 and isinstance(lost[0], Conflict), results
        winner = next(r for r in results if not isinstance(r, Exception))
        current = orders.get_order(N)
        assert (current.status, current.version) == (winner.status, base + 1)
        assert lost[0].current.version == base + 1


def test_stale_save_shows_the_other_text_and_keeps_it(order):
    loaded = notes.get_note(N, "special")
    done = threading.Event()

    def other_clerk():  # another connection saves between our load and our save
        notes.save_note(N, "special", "wang's text", base_version=loaded.version, clerk="wang")
        done.set()

    threading.Thread(target=other_clerk).start()
    assert done.wait(30)
    with pytest.raises(Conflict) as err:
        notes.save_note(N, "special", "li's text", base_version=loaded.version)
    assert err.value.current.body == "wang's text"
    assert notes.get_note(N, "special").body == "wang's text"
    # keep mine = save again on top of theirs: both are in the history
    notes.save_note(N, "special", "li's text", base_version=err.value.current.version)
    assert [r.body for r in notes.history(N, "special")][:2] == ["li's text", "wang's text"]


def test_appends_from_many_threads_are_all_kept(order):
    per, threads = 10, 8
    results = race(*[
        (lambda t=t: [communications.log_communication(N, f"t{t} #{i}", clerk=f"c{t}") for i in range(per)])
        for t in range(threads)
    ])
    assert not [r for r in results if isinstance(r, Exception)], results
    texts = {c.text for c in orders.get_order(N).communications}
    assert texts == {f"t{t} #{i}" for t in range(threads) for i in range(per)}


# --- the change counter and the watcher ---------------------------------------------------------


def test_watcher_sees_changes_not_drafts(order, db_url):
    watcher = changes.ChangeWatcher(db_url)
    try:
        assert watcher.changed() is False  # the first call only looks
        assert watcher.changed() is False
        communications.log_communication(N, "called back")
        assert watcher.changed() is True
        assert watcher.changed() is False
        drafts.save_draft(N, "special", "typing…", 1)  # commits, but nobody else sees drafts
        orders.get_order(N)  # reads never count
        assert watcher.changed() is False
        notes.save_note(N, "special", "saved", base_version=1)
        assert watcher.changed() is True
        outcome = []  # thread-affine: another thread is refused
        t = threading.Thread(target=lambda: outcome.append(_call(watcher)))
        t.start()
        t.join()
        assert isinstance(outcome[0], RuntimeError)
    finally:
        watcher.close()


def _call(watcher):
    try:
        watcher.changed()
    except RuntimeError as exc:
        return exc
    return AssertionError("a second thread was allowed")


def test_a_watcher_since_a_read_reports_what_was_committed_after_it(order, db_url):
    """The desk reads its list before it starts its watcher (listing.first_screen): a change in
    between must reload the list, not wait for the next one."""
    first = listing.first_screen()
    assert first.changes == changes.counter()
    quiet = changes.ChangeWatcher(db_url, since=first.changes)
    try:
        assert quiet.changed() is False  # nothing since the read
    finally:
        quiet.close()
    communications.log_communication(N, "called back")
    watcher = changes.ChangeWatcher(db_url, since=first.changes)
    try:
        assert watcher.changed() is True  # the first poll already
        assert watcher.changed() is False
    finally:
        watcher.close()


def test_nested_operations_count_once_and_reads_never(order):
    before = changes.counter()
    orders.get_order(N)
    notes.history(N, "special")
    assert changes.counter() == before

    @transaction.operation(live=False)
    def quiet_outer():
        drafts.save_draft(N, "special", "x", 1)
        communications.log_communication(N, "inside")  # live, nested: the outer one counts it

    quiet_outer()
    assert changes.counter() == before + 1


def test_poll_cost(order, db_url, engine):
    """Measure changed() when nothing changed (the common case, once a second per desk).

    Timing on a shared machine is noise, so the bound is loose; what must hold is that a poll
    reuses its one connection (a reconnect per poll would cost milliseconds on PostgreSQL)."""
    watcher = changes.ChangeWatcher(db_url)
    try:
        watcher.changed()
        conn = watcher._conn
        rounds = 2000 if engine == "sqlite" else 300
        start = time.perf_counter()
        for _ in range(rounds):
            assert watcher.changed() is False
        per_call_us = (time.perf_counter() - start) / rounds * 1e6
        assert watcher._conn is conn
    finally:
        watcher.close()
    print(f"\npoll cost {engine}: {per_call_us:.1f} µs per changed()")
    assert per_call_us < 50_000  # 1/20 of the poll interval even on a machine under load


def test_watcher_survives_a_lost_connection(order, db_url):
    watcher = changes.ChangeWatcher(db_url)
    try:
        watcher.changed()
        watcher._conn.close()  # the server went away / the file was unreachable
        with pytest.raises(StoreError):
            watcher.changed()
        communications.log_communication(N, "while it was down")
        assert watcher.changed() is True  # reconnects; the counter moved meanwhile
    finally:
        watcher.close()


# --- busy: retried, never a traceback ----------------------------------------------------------


def _hold_write_lock(db_url):
    blocker = sqlite3.connect(db_url, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    return blocker


@pytest.mark.sqlite_only
def test_append_waits_for_a_long_writer(order, db_url):
    db.connect(reuse_if_open=True)
    db.execute_sql("PRAGMA busy_timeout = 50")  # so the retry loop, not SQLite's wait, does the waiting
    blocker = _hold_write_lock(db_url)
    threading.Timer(1.5, lambda: (blocker.execute("COMMIT"), blocker.close())).start()
    start = time.monotonic()
    try:
        entry = communications.log_communication(N, "kept although the database was busy")
    finally:
        db.close()
    assert time.monotonic() - start >= 1.2
    assert orders.get_order(N).communications[0].id == entry.id


@pytest.mark.sqlite_only
def test_busy_beyond_the_budget_is_one_line(order, db_url, monkeypatch):
    monkeypatch.setattr(transaction, "RETRY_BUDGET_S", 0.4)
    db.connect(reuse_if_open=True)
    db.execute_sql("PRAGMA busy_timeout = 50")
    blocker = _hold_write_lock(db_url)
    try:
        with pytest.raises(StoreError) as err:
            communications.log_communication(N, "x")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        db.close()
    assert "busy" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.sqlite_only
def test_no_replay_inside_a_callers_transaction(order, db_url):
    db.connect(reuse_if_open=True)
    db.execute_sql("PRAGMA busy_timeout = 50")
    attempts = []

    @transaction.operation
    def op():
        attempts.append(1)
        raise sqlite3.OperationalError("database is locked")

    try:
        with db.atomic(), pytest.raises(StoreError):
            op()
    finally:
        db.close()
    assert attempts == [1]


def test_opening_a_new_database_waits_for_another_writer(tmp_path):
    """Two clerks opening a new database file at once: the second one's switch of the file to WAL met
    the first one's write lock and failed at once with "busy" (seen when a probe raced `notedesk
    import` into a new file), instead of waiting as every other write does."""
    from notedesk.store.connection import close_database, open_database
    from notedesk.store.sqlite_files import prepare_sqlite_file

    path = tmp_path / "new.db"
    prepare_sqlite_file(path)  # the file as the first clerk's desk has just made it, not yet WAL
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, other.execute, ("COMMIT",))
    release.start()
    try:
        open_database(str(path))
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        release.join()
        other.close()
        close_database()
