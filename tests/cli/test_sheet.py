"""`notedesk sheet` (issue 16): a department's sheet as a file or on stdout, the slip flag from `note --slip`."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from conftest import cli_failure, cli_ok, run_cli, sample_order
from notedesk.services import orders

NUMBER = "SO-2026-00042"


@pytest.fixture
def desk(database, db_url):
    notes = {"special": "胸前印LOGO", "delivery": "放门卫室", "payment": "内部：先收款"}
    orders.create_order(sample_order(notes=notes))
    return db_url


def test_a_delivery_slip_as_an_html_file(desk, tmp_path):
    slip = tmp_path / "slip.html"
    said = cli_ok(run_cli("sheet", NUMBER, "--for", "logistics", "--format", "html", "-o", str(slip), db=desk))
    assert "1" in said and str(slip) in said
    page = slip.read_text(encoding="utf-8")
    tags: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)
            assert not [name for name, _value in attrs if name.startswith("on") or name in ("src", "href")]

    Tags().feed(page)
    assert "script" not in tags and "article" in tags
    assert "上海市浦东新区世纪大道100号" in page and "7,000.00" in page  # address and the COD to collect
    assert "35.00" not in page and "内部：先收款" not in page and "放门卫室" not in page
    cli_ok(run_cli("note", NUMBER, "delivery", "--slip", "on", db=desk))
    assert "放门卫室" in cli_ok(run_cli("sheet", NUMBER, "--for", "logistics", db=desk))


def test_production_on_stdout_has_no_prices_and_zh_labels(desk):
    text = cli_ok(run_cli("--lang", "zh", "sheet", NUMBER, "--for", "production", "--format", "txt", db=desk))
    assert "生产单" in text and "胸前印LOGO" in text and "35.00" not in text and "7,000.00" not in text


def test_sheet_failures_are_one_line(desk):
    cli_failure(run_cli("sheet", "SO-2026-99999", "--for", "finance", db=desk), "SO-2026-99999")
    cli_failure(run_cli("sheet", "--for", "logistics", "--due", "whenever", db=desk), "whenever")
    proc = run_cli("sheet", "--for", "logistics", db=desk)
    assert proc.returncode == 2 and "--due" in proc.stderr
