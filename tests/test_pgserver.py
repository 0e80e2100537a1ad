"""The throwaway PostgreSQL server used by the suite (tests/pgserver.py).

No skip on purpose: without the server binaries these tests fail with the install hint.
"""

import os
import time

import peewee
import pytest
from playhouse.db_url import connect

import pgserver
from pgserver import PostgresServer


@pytest.fixture(scope="module")
def pg():
    t0 = time.perf_counter()
    server = pgserver.shared_server()
    print(f"\nPostgreSQL started in {time.perf_counter() - t0:.2f}s "
          f"(url {server.url})")
    yield server


def _model(db):
    class Item(peewee.Model):
        name = peewee.TextField()

        class Meta:
            database = db
            table_name = "item"

    return Item


def test_peewee_connects_creates_inserts_selects(pg):
    url = pg.create_database("pgserver_basic")
    assert url.startswith("postgresql://notedesk@/pgserver_basic?host=/")
    db = connect(url, prefer_psycopg3=True)
    assert isinstance(db, peewee.PostgresqlDatabase)
    Item = _model(db)
    with db:
        db.create_tables([Item])
        Item.create(name="héllo wörld")
        Item.create(name="second")
        assert [i.name for i in Item.select().order_by(Item.id)] == ["héllo wörld", "second"]
        # C.UTF-8 ctype: lower()/ILIKE know non-ASCII letters (pg_trgm relies on it too)
        assert db.execute_sql("SELECT lower('ÉTÉ')").fetchone()[0] == "été"
        assert db.server_version >= 100000
    # plain connect(url) (peewee picks psycopg 3 when psycopg2 is absent) works too
    db2 = connect(url)
    with db2:
        assert db2.execute_sql("SELECT count(*) FROM item").fetchone()[0] == 2


def test_reset_empties_database(pg):
    url = pg.create_database("pgserver_reset")
    db = connect(url, prefer_psycopg3=True)
    Item = _model(db)
    with db:
        db.create_tables([Item])
        Item.create(name="x")
        db.execute_sql("CREATE SCHEMA extra")
        db.execute_sql("CREATE TABLE extra.t (x int)")
    pg.reset(url)
    with db:
        assert db.get_tables() == []
        assert "extra" not in [r[0] for r in db.execute_sql(
            "SELECT nspname FROM pg_namespace").fetchall()]
        db.create_tables([Item])  # public is usable again
        assert Item.select().count() == 0
    db.close()
    pg.drop_database("pgserver_reset")
    pg.drop_database("pgserver_basic")


def test_own_server_lifecycle_and_tcp_url(tmp_path):
    with PostgresServer(tcp=True) as server:
        root, datadir = server.root, server.datadir
        print(f"\nown server (tcp) started in {server.startup_seconds:.2f}s")
        assert server.url == f"postgresql://notedesk@127.0.0.1:{server.port}/postgres"
        db = connect(server.url, prefer_psycopg3=True)
        with db:
            assert db.execute_sql("SELECT 1").fetchone()[0] == 1
        pid = pgserver._postmaster_pid(datadir)
        assert pid and server.running
    assert not os.path.exists(root)
    assert not pgserver._pid_alive(pid)


def test_missing_binaries_message(monkeypatch):
    monkeypatch.setattr(pgserver, "_candidate_dirs", lambda: ["/nonexistent"])
    with pytest.raises(RuntimeError, match=r"apt-get install -y postgresql"):
        PostgresServer().start()
