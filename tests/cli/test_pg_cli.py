"""Issue 5's "done means", end to end in real processes: one exchange file imported into a fresh
PostgreSQL database and into a SQLite file, then the same `note`, `log`, `export` and `due` commands on
each, give identical exports and identical due lists. Also: moving a SQLite desk with `notedesk copy`,
and PostgreSQL failures as one line without the password.

The PostgreSQL server is the suite's throwaway one (tests/pgserver.py); without its binaries these
tests fail with the install command, they are not skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli_failure, cli_ok, run_cli
from notedesk.services import drafts, exchange, notes, orders
from notedesk.store import connection, targets
from notedesk.store import models as m

NOW = "2026-11-26T10:00"  # Thursday, Asia/Shanghai (the tests' business zone)


def order(number, created_at, *, customer, deadline, payment=None, status="confirmed", notes_=None,
          communications=(), lines=None, currency="CNY"):
    return {"number": number, "created_at": created_at, "status": status, "currency": currency,
            "customer": customer, "lines": lines or [{"product": "T恤", "spec": "红色 / XL", "quantity": 200,
                                                     "unit_price": "35.00"}],
            "deadline": deadline, "payment": payment or {"method": "other", "status": "unpaid"},
            "notes": notes_ or {}, "communications": list(communications)}


# The file clerks would hand over: deadlines as typed (parsed relative to created_at) or given
# parsed, every payment method, corrections, mixed Chinese and English, one of each closed status.
DOCUMENT = {"format": "notedesk/1", "orders": [
    order("SO-2026-00042", "2026-11-26T10:00:00+08:00",
          customer={"name": "王芳", "company": "芳华服饰有限公司", "phone": "13800138000",
                    "email": "wangfang@example.cn", "address": "上海市浦东新区世纪大道100号",
                    "preferences": "只接受顺丰快递"},
          deadline={"text": "请在2026年12月1日前交付,上午9点至11点送达", "date": "2026-12-01",
                    "start": "09:00", "end": "11:00"},
          payment={"method": "cod", "status": "unpaid", "amount_due": "7000.00"},
          notes_={"requirements": "红色T恤200件,XL码", "special": "胸前印LOGO"},
          communications=[
              {"at": "2026-11-26T10:30:00+08:00", "channel": "phone", "contact": "王芳", "clerk": "li",
               "text": "数量改为300件"},
              {"at": "2026-11-26T11:00:00+08:00", "channel": "wechat", "contact": "王芳", "clerk": "wang",
               "text": "更正:数量改为250件", "corrects": 0}]),
    order("SO-2026-00043", "2026-11-25T16:20:00+08:00",
          customer={"name": "Emma Brown", "company": "Brown & Sons", "phone": "+44 20 7946 0958"},
          deadline={"text": "明天下午3点送达"},  # parsed relative to created_at: 11-26 by 15:00
          payment={"method": "prepaid", "status": "unpaid"}, currency="USD",
          lines=[{"product": "Mug", "spec": "white, logo 2 colours", "quantity": 48, "unit_price": "4.50"}],
          notes_={"requirements": "Logo on both sides 😀", "delivery": "Back door, ask for Tom"}),
    order("SO-2026-00044", "2026-11-20T09:00:00+08:00",
          customer={"name": "李雷", "phone": "13900000000"},
          deadline={"text": "下周五上午"},  # Friday 2026-11-27, 09:00-12:00
          payment={"method": "instalments", "status": "partial", "amount_due": "10000.00",
                   "instalments": [{"due": "2026-12-15", "amount": "5000.00", "paid": True},
                                   {"due": "2027-01-15", "amount": "5000.00", "paid": False}]},
          status="in_production"),
    order("SO-2026-00045", "2026-11-26T08:00:00+08:00",
          customer={"name": "韩梅梅", "company": "梅梅贸易"},
          deadline={"text": "尽快"}, status="new"),  # no date: unscheduled
    order("SO-2026-00046", "2026-11-01T09:00:00+08:00",
          customer={"name": "Zhang Wei"}, deadline={"text": "2026-11-20"}, status="on_hold"),  # overdue
    order("SO-2026-00047", "2026-11-01T09:00:00+08:00",
          customer={"name": "Zhang Wei"}, deadline={"text": "2026-11-20"}, status="delivered"),
    order("SO-2026-00048", "2026-11-01T09:00:00+08:00",
          customer={"name": "Zhang Wei"}, deadline={"text": "2026-11-21 14:00前"}, status="cancelled"),
]}

# The same commands on both engines: (argv, expected start of stdout or None).
COMMANDS = [
    (["note", "SO-2026-00042", "special", "--append", "包装:每件独立包装"], "SO-2026-00042 special: version 2"),
    (["note", "SO-2026-00043", "payment", "--set", "Paid by card on 27 Nov"], "SO-2026-00043 payment: version 1"),
    (["log", "SO-2026-00042", "客户要求加急", "--channel", "wechat", "--contact", "王芳"], None),
    (["log", "SO-2026-00046", "Customer on holiday until Dec", "--channel", "email", "--contact", "Wei"], None),
]
EXPORTS = [["export"], ["export", "--format", "csv"]]
DUES = [["due"], ["due", "--format", "json", "--within", "24h"]]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """Every command here runs at NOW (the subprocesses inherit it)."""
    monkeypatch.setenv("NOTEDESK_NOW", NOW)


def session(url: str, exchange_file: Path) -> dict[str, str]:
    """Import the file, run the commands, and collect every export and due output."""
    out = {"import": cli_ok(run_cli("--db", url, "import", str(exchange_file)))}
    for argv, expected in COMMANDS:
        printed = cli_ok(run_cli(*argv, "--db", url))  # --db after the subcommand works too
        if expected:
            assert printed.startswith(expected), printed
        out[" ".join(argv)] = printed.replace("logged entry", "entry")  # ids may differ: not compared
    for argv in EXPORTS + DUES:
        out[" ".join(argv)] = cli_ok(run_cli(*argv, db=url))  # through NOTEDESK_DB
    return out


@pytest.fixture
def exchange_file(tmp_path) -> Path:
    path = tmp_path / "handover.json"
    path.write_text(json.dumps(DOCUMENT, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_the_same_file_and_commands_give_the_same_exports_and_due_lists(exchange_file, tmp_path, pg_url):
    on_sqlite = session(str(tmp_path / "desk.db"), exchange_file)
    on_pg = session(pg_url, exchange_file)
    for key in on_sqlite:
        if key.startswith("log "):  # "logged entry N": the entry ids are each database's own
            assert on_sqlite[key].split(" entry ")[0] == on_pg[key].split(" entry ")[0]
            continue
        assert on_pg[key] == on_sqlite[key], key

    # and the outputs say what the commands did (identical nothing would also be "the same")
    assert on_pg["import"].startswith(f"imported 7 orders from {exchange_file} (7 new, 0 updated, 0 unchanged) "
                                      "and 2 log entries")
    exported = {o["number"]: o for o in json.loads(on_pg["export"])["orders"]}
    assert exported["SO-2026-00042"]["notes"]["special"] == "胸前印LOGO\n包装:每件独立包装"
    entries = exported["SO-2026-00042"]["communications"]  # by time: logged at NOW, before the imported ones
    assert [(e["text"], e["clerk"], e.get("corrects")) for e in entries] == [
        ("客户要求加急", "li", None), ("数量改为300件", "li", None), ("更正:数量改为250件", "wang", 1)]
    assert exported["SO-2026-00043"]["deadline"] == {
        "text": "明天下午3点送达", "date": "2026-11-26", "start": None, "end": "15:00"}
    assert exported["SO-2026-00044"]["payment"]["instalments"][0] == {"due": "2026-12-15", "amount": "5000.00",
                                                                      "paid": True}
    assert [line.split()[:3] for line in on_pg["due"].splitlines()] == [  # 12-01 is Tuesday of next week
        ["overdue", "Fri", "2026-11-20"], ["today", "Thu", "2026-11-26"], ["tomorrow", "Fri", "2026-11-27"],
        ["later", "Tue", "2026-12-01"]]
    due = [(d["number"], d["group"]) for d in json.loads(on_pg["due --format json --within 24h"])]
    assert due == [("SO-2026-00046", "overdue"), ("SO-2026-00043", "today")]  # tomorrow 09-12 is 26 h away
    assert "SO-2026-00045" in on_pg["export --format csv"]  # unscheduled: exported, never due


def test_copy_moves_a_sqlite_desk_with_its_history(tmp_path, pg_url, monkeypatch):
    """The README's move: `notedesk --db desk.db copy --to postgresql://…` keeps what export cannot:
    every note revision, the timeline, who saved what when."""
    desk = str(tmp_path / "desk.db")
    monkeypatch.setenv("NOTEDESK_NOW", NOW)
    connection.open_database(desk)  # a desk with a past, made in this process
    exchange.import_document(DOCUMENT)
    notes.append_note("SO-2026-00042", "special", "包装:每件独立包装", clerk="wang")
    orders.set_status("SO-2026-00045", "confirmed")
    drafts.save_draft("SO-2026-00043", "special", "half-typed when the desk closed", 0, clerk="li")
    connection.close_database()

    printed = cli_ok(run_cli("--db", desk, "copy", "--to", pg_url))
    assert printed.startswith("copied 7 orders (") and printed.rstrip().endswith(f"to {targets.redact(pg_url)}")
    for argv in (["export"], ["due", "--format", "json"]):
        assert cli_ok(run_cli(*argv, db=pg_url)) == cli_ok(run_cli(*argv, db=desk)), argv

    histories = []
    for url in (desk, pg_url):
        connection.open_database(url)
        histories.append((
            [(r.version, r.body, r.author, r.at) for r in notes.history("SO-2026-00042", "special")],
            list(m.Event.select(m.Event.field, m.Event.old, m.Event.new, m.Event.changed_by, m.Event.created_at)
                 .order_by(m.Event.id).tuples()),
            drafts.get_draft("SO-2026-00043", "special", clerk="li"),
        ))
        connection.close_database()
    assert histories[0] == histories[1]
    assert [r[:3] for r in histories[0][0]] == [(2, "胸前印LOGO\n包装:每件独立包装", "wang"), (1, "胸前印LOGO", "li")]
    assert ("status", "new", "confirmed", "li") in [e[:4] for e in histories[0][1]]

    # the copy is a working desk: new rows get ids after the copied ones
    assert "version 3" in cli_ok(run_cli("note", "SO-2026-00042", "special", "--append", "加急", db=pg_url))
    # a second copy into the same database is refused: copying never merges
    assert "is not empty" in cli_failure(run_cli("--db", desk, "copy", "--to", pg_url))


def test_postgresql_failures_are_one_line_without_the_password(pg_server, pg_url):
    unreachable = "postgresql://clerk:Sup3r%2Fsecret@127.0.0.1:1/desk"
    for argv in (["note", "SO-1", "special", "--set", "x"], ["check"]):
        line = cli_failure(run_cli(*argv, db=unreachable))
        assert "cannot reach the PostgreSQL server" in line
        assert "Sup3r" not in line and "secret" not in line and "clerk:***@127.0.0.1:1/desk" in line
    missing = pg_url.replace("/notedesk_test_", "/no_such_")
    line = cli_failure(run_cli("due", db=missing.replace("notedesk@", "notedesk:hunter2@")))
    assert "PostgreSQL has no database no_such_" in line and "hunter2" not in line


def test_check_on_postgresql(pg_url):
    cli_ok(run_cli("due", db=pg_url))  # the first open creates the schema
    lines = cli_ok(run_cli("check", db=pg_url)).splitlines()
    assert lines[0] == targets.redact(pg_url)
    assert "connection ok" in lines and lines[-1] == "ok"


def test_read_only_staff_can_export_and_list_due_but_not_write(exchange_file, pg_server, pg_url):
    """The README's staff role: SELECT on the tables, nothing else."""
    import psycopg

    import pgserver

    cli_ok(run_cli("import", str(exchange_file), db=pg_url))
    dbname = pgserver._dbname(pg_url)
    with psycopg.connect(autocommit=True, **pg_server.connect_kwargs(dbname)) as admin:
        admin.execute("DROP ROLE IF EXISTS staff_ro_cli")
        admin.execute("CREATE ROLE staff_ro_cli LOGIN")
        admin.execute("GRANT USAGE ON SCHEMA public TO staff_ro_cli")
        admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO staff_ro_cli")
    staff = pg_url.replace("notedesk@", "staff_ro_cli@")
    try:
        due = ("due", "--format", "json")
        assert cli_ok(run_cli(*due, db=staff)) == cli_ok(run_cli(*due, db=pg_url))
        assert "# SO-2026-00042" in cli_ok(run_cli("export", "--format", "md", "--order", "SO-2026-00042", db=staff))
        assert cli_ok(run_cli("check", db=staff)).splitlines()[-1] == "ok"
        new_order = json.dumps({"format": "notedesk/1", "orders": [{**DOCUMENT["orders"][0], "number": "SO-NEW"}]})
        for argv, stdin in ((["log", "SO-2026-00042", "staff may not write"], None),
                            (["note", "SO-2026-00042", "special", "--append", "nor here"], None),
                            (["import", "-"], new_order)):
            line = cli_failure(run_cli(*argv, db=staff, stdin=stdin))
            assert line == "notedesk: the database is read-only for this login"
    finally:
        with psycopg.connect(autocommit=True, **pg_server.connect_kwargs(dbname)) as admin:
            admin.execute("DROP OWNED BY staff_ro_cli")
            admin.execute("DROP ROLE staff_ro_cli")
