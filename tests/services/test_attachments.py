"""Attachments on both engines: storing once per content, limits, bad files, removal on the timeline, reading back."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import threading

import pytest

from attachment_files import HOSTILE_NAMES, pdf, picture, write
from conftest import sample_order
from notedesk import config
from notedesk.config import ConfigError
from notedesk.services import attachment_files, attachments, exchange, orders, search
from notedesk.services.errors import InvalidInput, NotFound
from notedesk.store import models as m
from notedesk.store.connection import close_database, open_database
from notedesk.text import clean

NUMBER = "SO-2026-00042"


@pytest.fixture
def order(database):
    orders.create_order(sample_order(NUMBER))
    return NUMBER


def set_config(tmp_path, text: str) -> None:
    path = tmp_path / "config" / "config.toml"
    path.write_text(path.read_text() + text)
    config.reload()


def saved(number: str, name: str) -> bytes:
    parts: list[bytes] = []
    attachments.save_to(number, name, parts.append)
    return b"".join(parts)


def test_attach_reads_type_from_content_not_name(order, tmp_path):
    png = write(tmp_path, "logo.jpg", picture("PNG"))  # named .jpg, is a PNG
    drawing = write(tmp_path, "drawing", pdf())
    views = attachments.attach_files(order, [png, drawing], kind="special", clerk="wang")
    assert [(a.name, a.type, a.kind, a.clerk) for a in views] == [
        ("logo.jpg", "image/png", "special", "wang"), ("drawing", "application/pdf", "special", "wang")]
    assert views[0].size == png.stat().st_size
    assert views[0].sha256 == hashlib.sha256(png.read_bytes()).hexdigest()
    detail = orders.get_order(order)
    assert [a.name for a in detail.attachments] == ["drawing", "logo.jpg"]
    assert [e.field for e in detail.events[:2]] == ["attachment", "attachment"]


def test_content_reads_back_byte_identical(order, tmp_path):
    big = os.urandom(3 * attachment_files.CHUNK_BYTES + 17)  # several chunks and a short last one
    path = write(tmp_path, "scan.bin", big)
    attachments.attach_files(order, [path])
    assert saved(order, "scan.bin") == big
    assert m.AttachmentChunk.select().count() == 4
    view, data = attachments.read_bytes(order, "scan.bin")
    assert data == big and view.type == "application/octet-stream"


def test_same_content_is_stored_once(database, tmp_path):
    orders.create_order(sample_order(NUMBER))
    orders.create_order(sample_order("SO-2026-00043"))
    logo = picture("PNG")
    attachments.attach_files(NUMBER, [write(tmp_path, "logo.png", logo)])
    attachments.attach_files(NUMBER, [write(tmp_path, "logo-copy.png", logo)])
    attachments.attach_files("SO-2026-00043", [write(tmp_path, "their-logo.png", logo)])
    assert m.Attachment.select().count() == 3
    assert m.AttachmentContent.select().count() == 1
    chunks = m.AttachmentChunk.select().count()
    # removing one keeps the content for the others; removing the last one frees it
    attachments.remove_attachment(NUMBER, "logo.png")
    attachments.remove_attachment(NUMBER, "logo-copy.png")
    assert m.AttachmentContent.select().count() == 1 and m.AttachmentChunk.select().count() == chunks
    attachments.remove_attachment("SO-2026-00043", "their-logo.png")
    assert m.AttachmentContent.select().count() == 0 and m.AttachmentChunk.select().count() == 0


def test_attaching_the_same_file_again_changes_nothing(order, tmp_path):
    path = write(tmp_path, "logo.png", picture())
    attachments.attach_files(order, [path])
    attachments.attach_files(order, [path])
    assert m.Attachment.select().count() == 1
    assert sum(e.field == "attachment" for e in orders.get_order(order).events) == 1


def test_a_name_taken_by_other_content_is_refused(order, tmp_path):
    attachments.attach_files(order, [write(tmp_path, "logo.png", picture("PNG"))])
    other = tmp_path / "new"
    other.mkdir()
    with pytest.raises(InvalidInput, match="has an attachment named logo.png already"):
        attachments.attach_files(order, [write(other, "logo.png", picture("PNG", (10, 10)))])


def test_several_files_are_all_or_nothing(order, tmp_path):
    good = write(tmp_path, "good.pdf", pdf())
    with pytest.raises(InvalidInput, match="empty"):
        attachments.attach_files(order, [good, write(tmp_path, "empty.txt", b"")])
    assert m.Attachment.select().count() == 0 and m.AttachmentContent.select().count() == 0


def test_size_limit_names_the_limit(order, tmp_path):
    set_config(tmp_path, "attachment_max_mb = 1\n")
    path = tmp_path / "huge.bin"
    with open(path, "wb") as f:
        f.truncate(2 * 1024 * 1024)  # sparse: nothing is read before the size is refused
    with pytest.raises(InvalidInput) as info:
        attachments.attach_files(order, [path])
    assert "larger than the limit of 1.0 MB" in str(info.value) and "attachment_max_mb" in str(info.value)
    assert m.AttachmentContent.select().count() == 0


def test_count_limit_per_order(order, tmp_path):
    set_config(tmp_path, "attachments_per_order = 2\n")
    attachments.attach_files(order, [write(tmp_path, f"{n}.txt", f"file {n}".encode()) for n in range(2)])
    with pytest.raises(InvalidInput, match="the most an order may have"):
        attachments.attach_files(order, [write(tmp_path, "3.txt", b"three")])
    assert m.Attachment.select().count() == 2


@pytest.mark.parametrize("setting", ["attachment_max_mb = -1", 'attachment_max_mb = "big"',
                                     "attachments_per_order = 0"])
def test_bad_limit_settings_are_one_line_errors(order, tmp_path, setting):
    set_config(tmp_path, setting + "\n")
    with pytest.raises(ConfigError, match=setting.split(" ")[0]):
        attachments.attach_files(order, [write(tmp_path, "a.txt", b"a")])


def test_bad_files_store_nothing(order, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    broken = picture("PNG")[:-30]  # cut short: its last chunks are missing
    cases = {
        folder: "is a folder",
        fifo: "is a FIFO",
        "/dev/null": "is a device",
        tmp_path / "missing.png": "no such file",
        write(tmp_path, "empty.png", b""): "is empty",
        write(tmp_path, "broken.png", broken): "does not decode",
        write(tmp_path, "fake.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100): "does not decode",
    }
    for path, words in cases.items():
        with pytest.raises(InvalidInput, match=words) as info:
            attachments.attach_files(order, [path])
        assert "\n" not in str(info.value)
    assert m.Attachment.select().count() == 0 and m.AttachmentContent.select().count() == 0


def test_a_file_growing_while_read_is_refused(order, tmp_path, monkeypatch):
    path = write(tmp_path, "log.txt", b"x" * (3 * attachment_files.CHUNK_BYTES))
    real = attachment_files.chunks

    def growing(stream, size=None):
        for n, piece in enumerate(real(stream, size)):
            if n == 0:
                with open(path, "ab") as f:  # someone is still writing it
                    f.write(b"more")
            yield piece

    monkeypatch.setattr(attachment_files, "chunks", growing)
    with pytest.raises(InvalidInput, match="grew while it was being read|changed while it was being read"):
        attachments.attach_files(order, [path])
    assert m.AttachmentContent.select().count() == 0


def test_a_file_changed_between_check_and_store_stores_nothing(order, tmp_path, monkeypatch):
    path = write(tmp_path, "a.txt", b"first version")
    checked = attachment_files.inspect_path(path, attachment_files.limits())
    path.write_bytes(b"other version")
    monkeypatch.setattr(attachment_files, "inspect_path", lambda *a, **k: checked)
    with pytest.raises(InvalidInput, match="changed while it was being read"):
        attachments.attach_files(order, [path])
    assert m.AttachmentContent.select().count() == 0 and m.AttachmentChunk.select().count() == 0


def test_hostile_names_are_cleaned(order, tmp_path):
    paths = [write(tmp_path, name.replace("/", "_"), b"data %d" % n) for n, name in enumerate(HOSTILE_NAMES)]
    views = attachments.attach_files(order, paths)
    for view in views:
        assert view.name == clean(view.name)
        assert "\x1b" not in view.name and "\u202e" not in view.name
    assert saved(order, views[0].name) == b"data 0"
    # the name as the clerk typed it (with the control character) finds it too
    assert saved(order, HOSTILE_NAMES[0]) == b"data 0"


def test_removal_keeps_who_removed_what_on_the_timeline(order, tmp_path):
    attachments.attach_files(order, [write(tmp_path, "drawing.pdf", pdf())], clerk="li")
    attachments.remove_attachment(order, "drawing.pdf", clerk="zhao")
    detail = orders.get_order(order)
    assert detail.attachments == ()
    removed = detail.events[0]
    assert (removed.field, removed.clerk, removed.new) == ("attachment", "zhao", "")
    assert removed.old.startswith("drawing.pdf (application/pdf")
    with pytest.raises(NotFound, match="no attachment named drawing.pdf"):
        attachments.remove_attachment(order, "drawing.pdf")


def test_unknown_kind_and_order(order, tmp_path):
    path = write(tmp_path, "a.txt", b"a")
    with pytest.raises(InvalidInput, match="kind"):
        attachments.attach_files(order, [path], kind="nonsense")
    with pytest.raises(NotFound):
        attachments.attach_files("SO-1999-00001", [path])


def test_opening_an_order_reads_no_content(order, tmp_path):
    attachments.attach_files(order, [write(tmp_path, "scan.bin", os.urandom(2 * attachment_files.CHUNK_BYTES))])
    statements: list[str] = []
    database = m.db.obj
    real = database.execute_sql

    def spy(sql, *args, **kwargs):
        statements.append(sql)
        return real(sql, *args, **kwargs)

    database.execute_sql = spy
    try:
        detail = orders.get_order(order)
    finally:
        del database.execute_sql
    assert detail.attachments[0].size == 2 * attachment_files.CHUNK_BYTES
    assert not [s for s in statements if "attachment_chunk" in s]


def test_search_finds_orders_by_attachment_name(order, tmp_path):
    attachments.attach_files(order, [write(tmp_path, "包装箱设计图.pdf", pdf()),
                                     write(tmp_path, "logo-v2.png", picture())])
    hits = search.search("设计图")
    assert [(h.number, h.source) for h in hits] == [(order, "attachment")]
    assert "包装箱设计图.pdf" in hits[0].snippet
    assert [h.source for h in search.search("logo-v2")] == ["attachment"]
    attachments.remove_attachment(order, "logo-v2.png")
    assert search.search("logo-v2") == []


def test_two_clerks_attaching_the_same_content_at_once_store_it_once(database, tmp_path, db_url):
    orders.create_order(sample_order(NUMBER))
    orders.create_order(sample_order("SO-2026-00043"))
    data = os.urandom(100_000)
    paths = [write(tmp_path, f"{n}.bin", data) for n in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def attach(number, path):
        try:
            barrier.wait()
            attachments.attach_files(number, [path])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=attach, args=(n, p)) for n, p in zip((NUMBER, "SO-2026-00043"), paths)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert m.Attachment.select().count() == 2 and m.AttachmentContent.select().count() == 1


# --- the exchange format and copying ------------------------------------------------------------------

def _export(**options) -> str:
    out = io.StringIO()
    exchange.export(out, "json", **options)
    return out.getvalue()


def test_export_with_files_into_an_empty_database_round_trips(order, tmp_path, db_url, engine):
    png, drawing = picture("PNG", (200, 100)), pdf()
    big = os.urandom(attachment_files.CHUNK_BYTES + 5)  # the base64 of several chunks joins up
    attachments.attach_files(order, [write(tmp_path, "logo.png", png), write(tmp_path, "scan.bin", big)])
    attachments.attach_files(order, [write(tmp_path, "drawing.pdf", drawing)], kind="special")
    first = _export(with_files=True)
    document = json.loads(first)
    assert document == exchange.export_orders(with_files=True)  # streamed = built whole
    files = document["orders"][0]["attachments"]
    assert [(a["name"], a["kind"], a["type"]) for a in files] == [
        ("drawing.pdf", "special", "application/pdf"), ("logo.png", "", "image/png"),
        ("scan.bin", "", "application/octet-stream")]
    assert base64.b64decode(files[2]["data"]) == big
    metadata_only = _export()
    assert '"data"' not in metadata_only and json.loads(metadata_only)["orders"][0]["attachments"][0] == {
        k: v for k, v in files[0].items() if k != "data"}

    close_database()
    fresh = str(tmp_path / "fresh.db")
    open_database(fresh)
    report = exchange.import_json_text(first)
    assert report.attachments == 3 and report.missing_files == ()
    assert _export(with_files=True) == first
    assert saved(order, "drawing.pdf") == drawing
    # the same file again with --update changes nothing
    again = exchange.import_json_text(first, update=True)
    assert again.unchanged == (order,) and again.attachments == 0


def test_import_of_metadata_only_links_content_the_database_has(order, tmp_path):
    attachments.attach_files(order, [write(tmp_path, "logo.png", picture())])
    document = json.loads(_export())
    entry = document["orders"][0]["attachments"][0]
    document["orders"][0].update(number="SO-2026-00099")
    document["orders"][0]["attachments"].append({**entry, "name": "gone.png", "sha256": "0" * 64})
    report = exchange.import_document(document)
    assert report.attachments == 1
    assert report.missing_files == ("SO-2026-00099 attachments[1] gone.png",)
    assert [a.name for a in attachments.list_attachments("SO-2026-00099")] == ["logo.png"]
    assert m.AttachmentContent.select().count() == 1  # linked, not stored twice


@pytest.mark.parametrize("change, words", [
    (lambda a: a.update(data="not base64!"), "attachments[0].data: is not base64"),
    (lambda a: a.update(sha256="f" * 64), "attachments[0].sha256: does not match the data"),
    (lambda a: a.update(size=1), "attachments[0].size: is 1 but the data has"),
    (lambda a: a.update(data=base64.b64encode(picture()[:-20]).decode()), "does not decode"),
    (lambda a: a.update(data=""), "is empty"),
    (lambda a: a.update(kind="nonsense"), "attachments[0].kind"),
    (lambda a: a.update(colour="red"), "unknown key 'colour'"),
    (lambda a: a.pop("sha256") and a.pop("data"), "attachments[0].sha256: is missing"),
])
def test_bad_attachments_in_a_file_import_nothing(order, tmp_path, change, words):
    attachments.attach_files(order, [write(tmp_path, "logo.png", picture())])
    document = exchange.export_orders(with_files=True)
    document["orders"][0]["number"] = "SO-2026-00099"
    change(document["orders"][0]["attachments"][0])
    before = (m.Order.select().count(), m.Attachment.select().count())
    with pytest.raises(InvalidInput) as info:
        exchange.import_document(document)
    assert words in str(info.value) and str(info.value).startswith("SO-2026-00099 ")
    assert (m.Order.select().count(), m.Attachment.select().count()) == before


def test_imported_names_are_cleaned_and_counted(order):
    document = {"format": "notedesk/1", "orders": [{
        "number": "SO-2026-00077", "customer": {"name": "王芳"},
        "attachments": [{"name": HOSTILE_NAMES[0], "data": base64.b64encode(b"hello").decode()}]}]}
    report = exchange.import_document(document)
    (view,) = attachments.list_attachments("SO-2026-00077")
    assert "\x1b" not in view.name and view.type == "text/plain"
    assert report.replaced >= 1


@pytest.mark.parametrize("direction", ["sqlite to pg", "pg to sqlite"])
def test_copy_carries_attachments_between_engines(sqlite_url, pg_url, tmp_path, direction, monkeypatch):
    from notedesk.store.copy import copy_database

    source, dest = (sqlite_url, pg_url) if direction == "sqlite to pg" else (pg_url, sqlite_url)
    monkeypatch.setattr(copy_module(), "BLOB_ROWS", 2)  # several pages of chunks
    open_database(source)
    orders.create_order(sample_order(NUMBER))
    big = os.urandom(5 * attachment_files.CHUNK_BYTES + 3)
    attachments.attach_files(NUMBER, [write(tmp_path, "scan.bin", big), write(tmp_path, "logo.png", picture())])
    before = _export(with_files=True)
    close_database()
    report = copy_database(source, dest)
    assert report.rows["attachment_chunk"] == 7
    open_database(dest)
    try:
        assert _export(with_files=True) == before
        assert saved(NUMBER, "scan.bin") == big
        assert [h.source for h in search.search("scan.bin")] == ["attachment"]
        attachments.attach_files(NUMBER, [write(tmp_path, "after.txt", b"new after the copy")])  # ids go on
    finally:
        close_database()


def copy_module():
    from notedesk.store import copy

    return copy


@pytest.mark.sqlite_only
def test_backups_include_attachments(order, tmp_path):
    from notedesk.store.backup import backup

    data = os.urandom(300_000)
    attachments.attach_files(order, [write(tmp_path, "photo.bin", data)])
    copy = backup(m.db.obj, tmp_path / "backup.db")
    close_database()
    open_database(str(copy))
    assert saved(order, "photo.bin") == data
