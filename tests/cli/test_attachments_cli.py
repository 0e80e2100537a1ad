"""`notedesk attach / attachments / attachment / detach` and `export --with-files`, as a clerk runs them."""

from __future__ import annotations

import hashlib
import json
import os
import threading

import pytest

from attachment_files import HOSTILE_NAMES, pdf, picture, write
from conftest import cli_failure as failed
from conftest import cli_ok as ok
from conftest import run_cli, sample_order
from notedesk.services import orders
from notedesk.store.connection import close_database, open_database

NUMBER = "SO-2026-00042"


@pytest.fixture
def desk(tmp_path):
    path = tmp_path / "desk.db"
    open_database(str(path))
    orders.create_order(sample_order(NUMBER))
    close_database()
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_attach_list_save_and_detach(desk, tmp_path):
    logo, drawing = picture("PNG"), pdf()
    out = ok(run_cli("attach", NUMBER, str(write(tmp_path, "logo.png", logo)),
                     str(write(tmp_path, "drawing.pdf", drawing)), "--kind", "special", db=desk))
    assert out.splitlines() == [f"{NUMBER}: attached logo.png (image/png, {len(logo)} bytes)",
                                f"{NUMBER}: attached drawing.pdf (application/pdf, {len(drawing)} bytes)"]
    listed = ok(run_cli("attachments", NUMBER, db=desk)).splitlines()
    assert listed[0].startswith("drawing.pdf  Special  application/pdf") and "li" in listed[0]
    as_json = json.loads(ok(run_cli("attachments", NUMBER, "--format", "json", db=desk)))
    assert [(a["name"], a["sha256"]) for a in as_json] == [("drawing.pdf", sha(drawing)), ("logo.png", sha(logo))]

    saved = tmp_path / "out" / "drawing-copy.pdf"
    saved.parent.mkdir()
    proc = run_cli("attachment", NUMBER, "drawing.pdf", "-o", str(saved), db=desk)
    ok(proc)
    assert sha(saved.read_bytes()) == sha(drawing)
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    piped = run_cli_bytes("attachment", NUMBER, "logo.png", db=desk)
    assert piped.returncode == 0 and piped.stdout == logo

    ok(run_cli("detach", NUMBER, "logo.png", db=desk))
    assert [a["name"] for a in json.loads(ok(run_cli("attachments", NUMBER, "--format", "json", db=desk)))] == [
        "drawing.pdf"]
    failed(run_cli("attachment", NUMBER, "logo.png", "-o", str(tmp_path / "x"), db=desk),
           "no attachment named logo.png")


def run_cli_bytes(*args, db):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "notedesk", *args], capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=120, env={**os.environ, "NOTEDESK_DB": str(db)})


def test_a_file_over_the_limit_is_one_line_naming_the_limit(desk, tmp_path):
    big = tmp_path / "artwork.tif"
    with open(big, "wb") as f:
        f.truncate(30 * 1024 * 1024)
    line = failed(run_cli("attach", NUMBER, str(big), db=desk), "larger than the limit of 25.0 MB", "attachment_max_mb")
    assert "30.0 MB" in line


@pytest.mark.parametrize("make, words", [
    (lambda tmp: tmp, "is a folder"),
    (lambda tmp: write(tmp, "empty.pdf", b""), "is empty"),
    (lambda tmp: write(tmp, "broken.jpg", picture("JPEG")[:40]), "does not decode"),
    (lambda tmp: "/dev/zero", "is a device"),
])
def test_bad_files_are_one_line_and_store_nothing(desk, tmp_path, make, words):
    failed(run_cli("attach", NUMBER, str(write(tmp_path, "ok.txt", b"fine")), str(make(tmp_path)), db=desk), words)
    assert ok(run_cli("attachments", NUMBER, db=desk)) == ""


def test_a_fifo_is_refused_without_blocking(desk, tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    failed(run_cli("attach", NUMBER, str(fifo), db=desk), "is a FIFO")


def test_saving_to_a_fifo_streams_into_it(desk, tmp_path):
    data = os.urandom(200_000)
    ok(run_cli("attach", NUMBER, str(write(tmp_path, "scan.bin", data)), db=desk))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    ok(run_cli("attachment", NUMBER, "scan.bin", "-o", str(fifo), db=desk))
    reader.join(timeout=60)
    assert received == [data] and fifo.is_fifo()


def test_stdout_that_is_a_terminal_needs_o(desk, tmp_path):
    import pty
    import subprocess
    import sys

    ok(run_cli("attach", NUMBER, str(write(tmp_path, "logo.png", picture())), db=desk))
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "notedesk", "attachment", NUMBER, "logo.png"], stdout=follower,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120,
                          env={**os.environ, "NOTEDESK_DB": str(desk)})
    os.close(follower)
    os.close(leader)
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == (
        "notedesk: stdout is a terminal: give -o FILE, or send it to a file or a program")


def test_export_with_files_into_an_empty_database_gives_the_same_bytes(desk, tmp_path):
    drawing = pdf()
    ok(run_cli("attach", NUMBER, str(write(tmp_path, "drawing.pdf", drawing)), "--kind", "special", db=desk))
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    ok(run_cli("export", "--with-files", "-o", str(first), db=desk))
    empty = tmp_path / "empty.db"
    assert "1 attachments" in ok(run_cli("import", str(first), db=empty))
    ok(run_cli("export", "--with-files", "-o", str(second), db=empty))
    assert first.read_bytes() == second.read_bytes()
    out = tmp_path / "again.pdf"
    ok(run_cli("attachment", NUMBER, "drawing.pdf", "-o", str(out), db=empty))
    assert sha(out.read_bytes()) == sha(drawing)
    # without --with-files the import says what it could not bring
    meta = tmp_path / "meta.json"
    ok(run_cli("export", "-o", str(meta), db=desk))
    report = ok(run_cli("import", str(meta), db=tmp_path / "other.db"))
    assert "attachments[0] drawing.pdf: not imported" in report


def test_hostile_names_print_inert(desk, tmp_path):
    paths = [str(write(tmp_path, name.replace("/", "_"), b"x%d" % n)) for n, name in enumerate(HOSTILE_NAMES)]
    out = ok(run_cli("attach", NUMBER, *paths, db=desk)) + ok(run_cli("attachments", NUMBER, db=desk))
    assert "\x1b" not in out and "\u202e" not in out
    search = ok(run_cli("search", "title.png", db=desk))
    assert search.startswith(NUMBER) and "\x1b" not in search
