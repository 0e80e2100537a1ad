"""The interface language: catalogs complete and compiled, how the language is chosen, labels and
dates in each language, the command line and the desk under a Chinese locale."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notedesk import i18n, labels
from notedesk.services.types import Deadline

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
catalogs = importlib.util.module_from_spec(spec)
sys.modules["i18n_script"] = catalogs  # dataclasses look their module up there
spec.loader.exec_module(catalogs)

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def zh():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


# --- the catalogs ---------------------------------------------------------------------------------

def test_every_message_in_src_has_a_chinese_translation():
    extracted, problems = catalogs.extract()
    assert len(extracted) > 300  # the extractor reads the whole package
    assert problems == []  # no _() of an f-string or variable, no Binding description outside _()
    _header, entries = catalogs.read_po(catalogs.po_path("zh"))
    missing = [e.msgid for key, e in extracted.items()
               if key not in entries or entries[key].obsolete or not entries[key].translated]
    assert missing == []


def test_translations_keep_the_placeholders():
    assert [p for p in catalogs.check() if "placeholders" in p] == []


def test_the_mo_file_is_compiled_from_the_current_po():
    for lang in catalogs.LANGUAGES:
        assert catalogs.mo_path(lang).read_bytes() == catalogs.compile_po(catalogs.po_path(lang)), \
            "run: python scripts/i18n.py compile"


def test_po_round_trip_keeps_every_entry(tmp_path):
    header, entries = catalogs.read_po(catalogs.po_path("zh"))
    copy = tmp_path / "copy.po"
    copy.write_text(catalogs.format_po(header, list(entries.values())), encoding="utf-8")
    assert catalogs.read_po(copy) == (header, entries)
    assert copy.read_text(encoding="utf-8") == catalogs.po_path("zh").read_text(encoding="utf-8")


def test_extractor_reports_what_cannot_be_translated(tmp_path):
    source = tmp_path / "m.py"
    source.write_text('name = "x"\n_(f"hello {name}")\n_("plain")\nngettext("{n} cat", "{n} cats", 2)\n'
                      'Binding("q", "quit", "Quit")\nBinding("q", "quit", _("Quit"), tooltip="Leave")\n',
                      encoding="utf-8")
    found, problems = catalogs.extract_file(source, "m.py")
    assert [(e.msgid, e.msgid_plural) for e in found] == [("plain", None), ("{n} cat", "{n} cats"), ("Quit", None)]
    assert len(problems) == 3 and "non-literal" in problems[0]


def test_compiled_catalog_is_what_python_gettext_reads(zh):
    assert i18n._("Number") == "订单号"
    assert i18n._("Customer") == "客户"
    assert i18n.ngettext("{n} order", "{n} orders", 1) == i18n.ngettext("{n} order", "{n} orders", 5) == "{n} 个订单"
    assert i18n._("a message nobody wrote") == "a message nobody wrote"


# --- choosing the language ------------------------------------------------------------------------

@pytest.mark.parametrize("explicit, configured, env, expected", [
    ("zh", "en", {"LANG": "en_US.UTF-8"}, "zh"),  # --lang first
    ("en", "zh", {"LANG": "zh_CN.UTF-8"}, "en"),
    (None, "zh", {"LANG": "en_US.UTF-8"}, "zh"),  # then the config file
    (None, "zh_TW", {}, "zh"),
    (None, None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),  # then LC_ALL, LC_MESSAGES, LANG
    (None, None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, None, {"LC_MESSAGES": "zh_CN.GB18030", "LANG": "C"}, "zh"),
    (None, None, {"LANG": "zh_SG.UTF-8"}, "zh"),
    (None, None, {"LANG": "C.UTF-8"}, "en"),
    (None, None, {}, "en"),
])
def test_detect_language_precedence(monkeypatch, explicit, configured, env, expected):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.detect_language(explicit, configured) == expected


def test_an_unknown_language_falls_back_to_english():
    i18n.set_language("fr")
    assert i18n.language() == "en" and i18n._("Number") == "Number"


# --- labels and dates -----------------------------------------------------------------------------

def test_labels_in_chinese(zh):
    assert [labels.status_label(s) for s in
            ("new", "confirmed", "in_production", "shipped", "delivered", "cancelled", "on_hold")] == \
        ["新建", "已确认", "生产中", "已发货", "已交付", "已取消", "暂停"]
    assert [labels.method_label(m) for m in ("prepaid", "cod", "instalments", "on_account", "other")] == \
        ["预付款", "货到付款", "分期付款", "月结", "其他"]
    assert [labels.payment_status_label(s) for s in ("unpaid", "partial", "paid")] == ["未付款", "部分付款", "已付款"]
    assert [labels.group_label(g) for g in ("overdue", "today", "tomorrow", "this_week", "later", "none")] == \
        ["已逾期", "今天", "明天", "本周", "以后", "无交期"]
    assert [labels.channel_label(c) for c in ("phone", "email", "wechat", "visit", "other")] == \
        ["电话", "邮件", "微信", "拜访", "其他"]
    assert labels.status_label("archived") == "archived"  # an unknown code is shown as stored


def test_labels_come_from_one_place():
    """The widgets' label helpers are the same words as notedesk.labels."""
    from notedesk.tui.widgets import communication_log, order_cells, order_sections, payment_fields

    assert order_cells.status_label("on_hold") == labels.status_label("on_hold")
    assert order_cells.method_label("cod") == labels.method_label("cod", short=True) == "COD"
    assert payment_fields.method_label("cod") == labels.method_label("cod") == "cash on delivery"
    assert payment_fields.status_label("partial") == labels.payment_status_label("partial")
    assert communication_log.channel_label("wechat") == labels.channel_label("wechat")
    assert order_sections.note_title("special") == labels.note_kind_label("special")


DEC_1 = Deadline("12月1日上午9点到11点", dt.date(2026, 12, 1), dt.time(9), dt.time(11))
BY_3PM = Deadline("", dt.date(2027, 1, 5), None, dt.time(15))


def test_deadlines_the_way_each_language_writes_them(zh):
    today = dt.date(2026, 11, 26)
    assert labels.format_deadline(DEC_1, today=today) == "12月1日 周二 09:00–11:00"
    assert labels.format_deadline(BY_3PM, today=today) == "2027年1月5日 周二 15:00前"
    assert labels.format_deadline(Deadline("尽快"), today=today) == "尽快"
    i18n.set_language("en")
    assert labels.format_deadline(DEC_1, today=today) == "Tue 1 Dec 09:00–11:00"
    assert labels.format_deadline(BY_3PM, today=today) == "Tue 5 Jan 2027 by 15:00"
    assert labels.format_deadline(DEC_1, today=today, with_weekday=False) == "1 Dec 09:00–11:00"


def test_the_live_preview_in_both_languages(zh):
    now = dt.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
    assert labels.describe(DEC_1, now, SHANGHAI) == "→ 12月1日 周二 09:00–11:00，5天后"
    late = dt.datetime(2026, 12, 3, 11, 30, tzinfo=SHANGHAI)
    assert labels.describe(DEC_1, late, SHANGHAI) == "→ 12月1日 周二 09:00–11:00，已逾期2天"
    assert labels.describe(Deadline("尽快"), now, SHANGHAI) == "未排期"
    i18n.set_language("en")
    assert labels.describe(DEC_1, now, SHANGHAI) == "→ Tue 1 Dec 09:00–11:00, in 5 days"
    assert labels.describe(DEC_1, dt.datetime(2026, 12, 1, 11, 5, tzinfo=SHANGHAI), SHANGHAI) == \
        "→ Tue 1 Dec 09:00–11:00, overdue by 5 minutes"
    assert labels.describe(DEC_1, dt.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI), SHANGHAI) == \
        "→ Tue 1 Dec 09:00–11:00, tomorrow"


# --- the command line and the desk under a Chinese locale -----------------------------------------

def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    return {**env, "PYTHONIOENCODING": "utf-8", **extra}


def test_command_line_help_and_errors_in_chinese(tmp_path):
    run = subprocess.run([sys.executable, "-m", "notedesk", "--help"], capture_output=True, text=True,
                         encoding="utf-8", env=_env(tmp_path, LANG="zh_CN.UTF-8"), timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("用法：notedesk") and "界面语言" in run.stdout
    bad = subprocess.run([sys.executable, "-m", "notedesk", "--lang", "zh", "nosuchcommand"], capture_output=True,
                         text=True, encoding="utf-8", env=_env(tmp_path, LANG="C.UTF-8"), timeout=60)
    assert bad.returncode == 2 and "错误" in bad.stderr and "无效的选择" in bad.stderr
    english = subprocess.run([sys.executable, "-m", "notedesk", "--lang", "en", "--help"], capture_output=True,
                             text=True, encoding="utf-8", env=_env(tmp_path, LANG="zh_CN.UTF-8"), timeout=60)
    assert english.stdout.startswith("usage: notedesk")


ZH_DESK = r"""
import asyncio, sys
from notedesk import config, i18n
i18n.set_language(i18n.detect_language(None, config.settings().lang))  # as cli.main does
from notedesk.store.connection import open_database
from conftest import sample_order
from notedesk.services import orders
from notedesk.tui.app import NotedeskApp

target = sys.argv[1]
open_database(target)
orders.create_order(sample_order())

async def main():
    app = NotedeskApp(target)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        print("\n".join(strip.text for strip in app.screen._compositor.render_strips()))

asyncio.run(main())
"""


def test_the_order_list_under_a_chinese_locale_has_no_english_header(tmp_path):
    """A fresh process, as the desk starts: the language is chosen before any screen is imported."""
    env = _env(tmp_path, LANG="zh_CN.UTF-8", PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]))
    run = subprocess.run([sys.executable, "-c", ZH_DESK, str(tmp_path / "zh.sqlite3")], capture_output=True,
                         text=True, encoding="utf-8", env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    screen = run.stdout
    header = next(line for line in screen.splitlines() if line.startswith("订单号"))
    assert "客户" in header and "状态" in header and "交期" in header and "金额" in header
    for english in ("Number", "Customer", "Status", "Deadline", "Payment", "Amount", "orders", "sort",
                    "Filter", "Open", "Quit", "Help"):
        assert english not in screen, english
    assert "SO-2026-00042" in screen and "已确认" in screen
