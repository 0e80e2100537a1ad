"""The desk speaks Chinese all the way through (issue 20): the words the command line prints, the
timeline, errors and validation messages, under a Chinese locale; JSON keeps English keys and codes."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from conftest import cli_failure, cli_ok, run_cli, sample_order
from english_words import english_words
from notedesk import i18n, labels
from notedesk.cli import COMMANDS
from notedesk.services import communications, orders
from notedesk.services.errors import InvalidInput
from notedesk.store.connection import close_database, open_database

ZH = {"LANG": "zh_CN.UTF-8", "NOTEDESK_NOW": "2026-11-26T10:00:00+08:00", "TZ": "Asia/Shanghai"}


@pytest.fixture
def zh():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.fixture
def desk(tmp_path) -> str:
    """One Chinese order with a log entry: every ASCII word the commands print is then the desk's."""
    path = str(tmp_path / "zh.db")
    open_database(path)
    orders.create_order(sample_order())
    orders.set_status("SO-2026-00042", "in_production", clerk="zhao")
    communications.log_communication("SO-2026-00042", "客户确认红色", channel="wechat", contact="王芳", clerk="wang")
    close_database()
    return path


# the clerks' login names and the customer's e-mail address are data
DATA_WORDS = {"zhao", "wang", "li", "wangfang", "example", "cn", "root"}

TEXT_COMMANDS = [
    ("due",), ("due", "--within", "30d"), ("search", "红色"), ("search", "SO-2026"), ("export", "--format", "md"),
    ("deadline", "明天下午3点"), ("deadline", "国庆节晚上"), ("check",), ("--help",), ("due", "--help"),
]


# what a clerk types on the command line stays: subcommand names, choices, URL schemes
COMMAND_WORDS = {*COMMANDS, "attachments", "attachment", "detach", "text", "json", "postgresql", "help", "within",
                 "format", "lang", "demo", "follow", "Webhook", "webhook", "cron",
                 # --lens and --for take these codes (issue 16), as --format takes json
                 "lens", "all", "production", "logistics", "finance", "spreadsheet"}


@pytest.mark.parametrize("args", TEXT_COMMANDS, ids=" ".join)
def test_text_output_has_no_english_words(desk, args):
    out = cli_ok(run_cli(*args, db=desk, env=ZH))
    assert out.strip()
    if "--help" in args:  # the choices a command takes are codes: {text,json}, {all,production,…}
        out = re.sub(r"\{[^}]*\}", "", out)
    assert english_words(out, DATA_WORDS | (COMMAND_WORDS if "--help" in args else set())) == [], out


FAILURES = [
    ("note", "SO-9999", "requirements", "--set", "x"),
    ("due", "--within", "3x"),
    ("deadline", "2026-02-30"),
    ("backup", "/nonexistent/folder/x.db"),
    ("import", "/nonexistent.json"),
    ("attach", "SO-2026-00042", "/nonexistent.png"),
]


@pytest.mark.parametrize("args", FAILURES, ids=" ".join)
def test_errors_have_no_english_words(desk, args):
    line = cli_failure(run_cli(*args, db=desk, env=ZH))
    assert english_words(line.removeprefix("notedesk: "), DATA_WORDS) == [], line


def test_a_bad_import_file_is_explained_in_chinese(desk, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "notedesk/1", "orders": [
        {"number": "SO-2026-00900", "customer": {"name": "李"}, "lines": [
            {"product": "T恤", "quantity": "很多", "unit_price": "35"}]}]}), encoding="utf-8")
    line = cli_failure(run_cli("import", str(bad), db=desk, env=ZH))
    assert "不是整数" in line and "数量" in line
    assert english_words(line.removeprefix("notedesk: "), DATA_WORDS | {"bad"}) == [], line


def test_json_keeps_english_keys_and_codes(desk):
    due = json.loads(cli_ok(run_cli("due", "--format", "json", db=desk, env=ZH)))
    assert due[0]["status"] == "in_production" and due[0]["group"] in ("later", "this_week", "overdue", "today")
    hits = json.loads(cli_ok(run_cli("search", "红色", "--format", "json", db=desk, env=ZH)))
    assert {hit["source"] for hit in hits} == {"communication", "requirements"}


def test_english_text_output_keeps_its_codes(desk):
    """Scripts split `due` on whitespace: English keeps the one-word codes it always printed."""
    out = cli_ok(run_cli("due", "--within", "30d", db=desk, env={**ZH, "LANG": "C"}))
    assert "in_production" in out and "COD collect 7,000.00 CNY" in out


def test_the_timeline_reads_in_chinese(zh):
    assert labels.event_field("status") == "状态" and labels.event_field("created") == "创建订单"
    assert labels.event_field("lines.2.quantity") == "第2行 数量"
    assert labels.event_value("status", "in_production") == "生产中"
    assert labels.event_value("deadline", "2026-12-25 09:00–11:00") == "2026年12月25日 周五 09:00–11:00"
    assert labels.event_value("deadline", "尽快") == "尽快"
    assert labels.event_value("payment", "cod/unpaid 7000.00") == "货到付款 · 未付款 · 7,000.00"
    assert labels.event_value("attachment", "logo.png (image/png, 1 KB)") == "logo.png (image/png, 1 KB)"


def test_validation_messages_name_the_field_in_chinese(zh):
    error = InvalidInput("x", "SO-2026-00042 lines.1.quantity")
    assert str(error) == "SO-2026-00042 第1行 数量：x"
    assert labels.sentences("第 3 版", "没有覆盖任何内容。") == "第 3 版。没有覆盖任何内容。"
    i18n.set_language("en")
    assert str(InvalidInput("x", "SO-2026-00042 lines.1.quantity")) == "SO-2026-00042 lines.1.quantity: x"


def test_the_order_sheet_reads_in_chinese(database, zh):
    from notedesk import clock
    from notedesk.services.order_sheet import sheet

    detail = orders.create_order(sample_order(created_at=dt.datetime(2026, 11, 26, 2, tzinfo=dt.UTC)))
    communications.log_communication(detail.number, "客户确认红色", channel="phone", contact="王芳", clerk="wang")
    text = sheet(orders.get_order(detail.number), clock.business_tz())
    assert "已确认" in text and "未付款" in text and "电话" in text and "周二" in text
    assert english_words(text, DATA_WORDS) == [], text


def test_a_quantity_with_its_unit_and_a_price_with_its_currency():
    """500件 and 500 pcs are quantities (the unit kept in the spec); ¥35 and 35元 are prices."""
    from decimal import Decimal

    from notedesk.services import validation
    from notedesk.tui.screens.new_order import parse_lines

    assert validation.quantity_with_unit("500件", "q") == (500, "件")
    assert validation.quantity_with_unit("500 pcs", "q") == (500, "pcs")
    assert validation.quantity_with_unit("１，０００", "q") == (1000, "")
    t_shirts, mugs = parse_lines("T恤 | 红色 / XL | 500件 | ¥35\n马克杯 | 白色 | 500 pcs | 35元")
    assert (t_shirts.quantity, t_shirts.spec, t_shirts.unit_price) == (500, "红色 / XL / 件", Decimal("35"))
    assert (mugs.quantity, mugs.spec, mugs.unit_price) == (500, "白色 / pcs", Decimal("35"))
    with pytest.raises(InvalidInput):
        validation.quantity_with_unit("很多件", "q")
