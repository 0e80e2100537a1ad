"""The command line end to end, in a subprocess as a clerk or a script runs it: import, export, note, log, demo."""

from __future__ import annotations

import datetime as dt
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import cli_failure, cli_ok, run_cli, sample_order
from notedesk.services import communications, orders
from notedesk.services.types import Deadline
from notedesk.store.connection import close_database, open_database

NUMBER = "SO-2026-00042"


@pytest.fixture
def desk(tmp_path, migrated_file) -> Path:
    """A database with orders worth exporting (Chinese, a window, no deadline, a log), closed again."""
    path = migrated_file(tmp_path / "desk.db")
    open_database(str(path))
    orders.create_order(sample_order(NUMBER))
    orders.create_order(sample_order("SO-2026-00043", deadline=Deadline("尽快"), notes={"payment": "月结30天"}))
    orders.create_order(sample_order("SO-2026-00044", deadline=Deadline("", dt.date(2026, 12, 3), None, dt.time(15))))
    communications.log_communication(NUMBER, "数量改为300件", contact="王芳")
    close_database()
    return path


def test_export_import_export_gives_the_same_bytes(desk, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert "exported 3 orders" in cli_ok(run_cli("export", "-o", str(first), db=desk))
    assert stat.S_IMODE(first.stat().st_mode) in (0o600, 0o660)
    assert cli_ok(run_cli("export", db=desk)).encode() == first.read_bytes()  # stdout gives the same bytes
    empty = tmp_path / "empty.db"
    out = cli_ok(run_cli("import", str(first), db=empty))
    assert out.startswith(f"imported 3 orders from {first} (3 new, 0 updated, 0 unchanged) and 1 log entries")
    cli_ok(run_cli("export", "--db", str(empty), "-o", str(second)))
    assert second.read_bytes() == first.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temporary file


def test_export_one_order_as_csv_and_md(desk):
    csv_text = cli_ok(run_cli("export", "--format", "csv", "--order", NUMBER, db=desk))
    assert csv_text.splitlines()[0] == ("number,customer,phone,status,deadline,payment_method,"
                                        "requirements,special,delivery,payment")
    assert len(csv_text.splitlines()) == 2 and NUMBER in csv_text
    md = cli_ok(run_cli("export", "--format", "md", "--order", NUMBER, db=desk))
    assert md.startswith(f"# {NUMBER} · 王芳") and "## ⚠ Special processing" in md and "胸前印LOGO" in md


def test_import_from_stdin_dry_run_and_update(desk, tmp_path):
    doc = json.loads(cli_ok(run_cli("export", "--order", NUMBER, db=desk)))
    doc["orders"][0]["notes"]["delivery"] = "顺丰\x1b[31m到付"
    text = json.dumps(doc, ensure_ascii=False)
    cli_failure(run_cli("import", "-", db=desk, stdin=text), f"{NUMBER} number", "--update")
    out = cli_ok(run_cli("import", "-", "--update", "--dry-run", db=desk, stdin=text))
    assert out.splitlines() == [
        "dry run: stdin would import 1 orders (0 new, 1 updated, 0 unchanged) and 0 log entries; nothing was "
        "changed; 1 control characters replaced",
        f"  {NUMBER} notes.delivery: 1 characters replaced"]
    assert "到付" not in cli_ok(run_cli("export", "--order", NUMBER, db=desk))
    cli_ok(run_cli("import", "-", "--update", db=desk, stdin=text))
    after = json.loads(cli_ok(run_cli("export", "--order", NUMBER, db=desk)))
    assert after["orders"][0]["notes"]["delivery"] == "顺丰\ufffd[31m到付"


def test_import_csv_with_bom(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes("\ufeffnumber,customer,phone,status,deadline,payment_method,requirements,special,delivery,"
                     "payment\r\nSO-9,李雷,139,new,2026-12-24 下午,prepaid,蓝色帆布袋100个,,,\r\n".encode())
    db = tmp_path / "csv.db"
    assert "1 new" in cli_ok(run_cli("import", str(path), db=db))
    order = json.loads(cli_ok(run_cli("export", db=db)))["orders"][0]
    assert order["deadline"] == {"text": "2026-12-24 下午", "date": "2026-12-24", "start": "13:00", "end": "18:00"}
    assert order["notes"]["requirements"] == "蓝色帆布袋100个"


def test_note_set_and_append_then_export(desk):
    set_payment_note = run_cli("note", NUMBER, "payment", "--set", "预付30%定金", db=desk)
    assert cli_ok(set_payment_note).strip() == f"{NUMBER} payment: version 1"
    assert "version 2" in cli_ok(run_cli("note", "--db", str(desk), NUMBER, "payment", "--append", "余款发货前付清"))
    notes = json.loads(cli_ok(run_cli("export", "--order", NUMBER, db=desk)))["orders"][0]["notes"]
    assert notes["payment"] == "预付30%定金\n余款发货前付清"
    assert notes["requirements"] == "红色T恤200件,XL码"  # and nowhere else
    cli_failure(run_cli("note", "SO-404", "payment", "--set", "x", db=desk), "SO-404")


def test_log_then_export(desk):
    logged = run_cli("log", NUMBER, "客户要求加急", "--channel", "wechat", "--contact", "王芳", db=desk)
    assert "logged entry" in cli_ok(logged)
    entries = json.loads(cli_ok(run_cli("export", "--order", NUMBER, db=desk)))["orders"][0]["communications"]
    assert entries[-1]["text"] == "客户要求加急" and entries[-1]["channel"] == "wechat" and entries[-1]["clerk"] == "li"


@pytest.mark.parametrize("name, content, words", [
    ("missing.json", None, ["missing.json", "no such file"]),
    ("bad.json", '{"format": "notedesk/1",\n "orders": [\n  {"number": }\n]}', ["bad.json", "line 3 column 14"]),
    ("invalid.json", json.dumps({"format": "notedesk/1", "orders": [
        {"number": "SO-1", "customer": {"name": "x"},
         "lines": [{"product": "p", "quantity": "a", "unit_price": "1"}]}]}),
     ["SO-1 lines[0].quantity"]),
    ("header.csv", "number,customer\r\nSO-1,x\r\n", ["header.csv", "missing column 'phone'"]),
    ("latin1.csv", b"number,customer\r\nSO-1,Jos\xe9\r\n", ["latin1.csv", "not UTF-8"]),
    ("orders.txt", "x", ["orders.txt", ".json or .csv"]),
    ("folder.json", "dir", ["folder.json", "folder"]),
])
def test_bad_import_files_fail_in_one_line_and_change_nothing(desk, tmp_path, name, content, words):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    before = desk.read_bytes()
    cli_failure(run_cli("import", str(path), db=desk), *words)
    assert desk.read_bytes() == before


def test_export_failures(desk, tmp_path):
    cli_failure(run_cli("export", "--order", "SO-404", db=desk), "SO-404")
    cli_failure(run_cli("export", "-o", str(tmp_path), db=desk), "folder")
    cli_failure(run_cli("export", "-o", str(tmp_path / "no" / "such" / "x.json"), db=desk), "x.json")


def test_usage_errors_exit_2(desk):
    for args in (["export", "--format", "xml"], ["import"], ["note", NUMBER, "colour", "--set", "x"],
                 ["demo", "--orders", "0"], ["frobnicate"]):
        proc = run_cli(*args, db=desk)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_db_before_and_after_the_subcommand(desk, tmp_path):
    other = tmp_path / "other.db"
    before = cli_ok(run_cli("--db", str(desk), "export", env={"NOTEDESK_DB": str(other)}))
    after = cli_ok(run_cli("export", "--db", str(desk), env={"NOTEDESK_DB": str(other)}))
    assert before == after and NUMBER in before


def test_demo_fills_the_database(tmp_path):
    db = tmp_path / "demo.db"
    assert "added 12 demo orders" in cli_ok(run_cli("demo", "--orders", "12", db=db))
    doc = json.loads(cli_ok(run_cli("export", db=db)))
    assert len(doc["orders"]) == 12


def test_the_parser_loads_only_the_subcommand_named():
    # Nothing slow before the desk's first paint (issue 7), and a command loads only its own module:
    # `due` does not import the exchange format (import, export), help and an unknown word load them all.
    probe = ("import sys; from notedesk.cli import build_parser, command_modules\n"
             "argv = sys.argv[1:]; args = build_parser(command_modules(argv)).parse_args(argv)\n"
             "print(args.command, getattr(args, 'db', None),"
             " sorted(m for m in sys.modules if m.startswith('notedesk.cli.') or m == 'notedesk.services.exchange'))")

    def parsed(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True)

    assert parsed("--db", "due", "--lang", "zh").stdout.strip() == "None due []"  # "due" is the --db value here
    assert parsed("--demo").stdout.strip() == "None None []"
    assert parsed("due", "--db", "x").stdout.strip() == "due x ['notedesk.cli.due', 'notedesk.cli.session']"
    detached = parsed("--lang", "en", "detach", "SO-1", "a.png").stdout
    assert detached.startswith("detach None ['notedesk.cli.attachments', 'notedesk.cli.session']")
    helped = parsed("--help")
    assert helped.returncode == 0 and all(word in helped.stdout for word in ("import", "follow-up", "detach"))
    unknown = parsed("frobnicate")
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr and "remind" in unknown.stderr
    # and the real command does the same: Python's own log of what `notedesk deadline` imports
    # (PYTHONVERBOSE: -X importtime does not see importlib.import_module)
    read = run_cli("deadline", "tomorrow 9-11am", env={"PYTHONVERBOSE": "1"})
    imported = {line.split("'")[1] for line in read.stderr.splitlines() if line.startswith("import '")}
    assert read.returncode == 0 and "notedesk.cli.deadline" in imported
    assert "notedesk.cli.import_" not in imported and "notedesk.services.exchange" not in imported
