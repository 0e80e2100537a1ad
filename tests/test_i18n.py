"""The interface language: catalogs complete and compiled, how the language is chosen, labels and
dates in each language, the command line and the desk under a Chinese locale."""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from conftest import run_cli
from notedesk import i18n, labels
from notedesk.services.types import Deadline

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "notedesk"
PO = SRC / "locale" / "zh" / "LC_MESSAGES" / "notedesk.po"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def zh():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


# --- the catalogs (Babel: see README "Development") -----------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Catalog:
    """What `pybabel extract` finds in src, with the options in pyproject.toml."""
    pot = tmp_path_factory.mktemp("pot") / "notedesk.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-o", str(pot)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    with pot.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def zh_catalog() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings) and not message.fuzzy


def test_every_message_in_src_has_a_chinese_translation(template, zh_catalog):
    ids = [(m.id, m.context) for m in template if m.id]  # a context (pgettext) is a message of its own
    assert len(ids) > 300  # the extractor reads the whole package
    missing = [m for m in ids if zh_catalog.get(*m) is None or not _translated(zh_catalog.get(*m))]
    assert missing == [], "translate them in the .po (a fuzzy one is not translated yet), then: pybabel compile"


def test_the_catalog_is_what_pybabel_update_writes(template, zh_catalog):
    updated = read_po(io.BytesIO(PO.read_bytes()), locale="zh", domain="notedesk")
    updated.update(template, update_creation_date=False)
    written = io.BytesIO()
    write_po(written, updated, width=None)  # as [tool.babel.update_catalog] in pyproject.toml says
    assert written.getvalue().decode() == PO.read_text(encoding="utf-8"), "run: pybabel extract && pybabel update"
    assert "#: " not in PO.read_text(encoding="utf-8")  # no source locations: fewer conflicts


def _fields(s: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(s) if f is not None}
    except ValueError:
        return {"<bad format>"}


def _percent(s: str) -> list[str]:
    return sorted(re.findall(r"%(?:\(\w+\))?[sdrif]", s))


def test_translations_keep_the_placeholders(zh_catalog):
    wrong = []
    for m in zh_catalog:
        if not m.id or not _translated(m):
            continue
        source = m.id if isinstance(m.id, str) else m.id[1]
        for s in (m.string if isinstance(m.string, (list, tuple)) else [m.string]):
            if _fields(s) != _fields(source) or _percent(s) != _percent(source):
                wrong.append((m.id, s))
    assert wrong == []


def test_the_mo_file_is_compiled_from_the_current_po(zh_catalog):
    compiled = io.BytesIO()
    write_mo(compiled, zh_catalog)
    assert PO.with_suffix(".mo").read_bytes() == compiled.getvalue(), "run: pybabel compile"


def untranslatable(source: str) -> list[str]:
    """Calls Babel cannot read: _()/ngettext() of a non-literal, or inside an f-string (Python < 3.12
    tokenizes an f-string as one token), and Binding descriptions or tooltips outside _()."""
    tree = ast.parse(source)
    nested = {id(node) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for node in ast.walk(f)}
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        texts = {"_": node.args[:1], "ngettext": node.args[:2]}.get(name)
        if texts is not None:
            if not all(isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts):
                problems.append(f"line {node.lineno}: {name}() of a non-literal cannot be translated")
            elif id(node) in nested:
                problems.append(f"line {node.lineno}: {name}() inside an f-string: Babel does not see it")
        elif name == "Binding":  # every key description is read by the clerk (footer, help, palette)
            given = [*node.args[2:3], *(k.value for k in node.keywords if k.arg in ("description", "tooltip"))]
            if any(isinstance(t, ast.Constant) and isinstance(t.value, str) and t.value for t in given):
                problems.append(f"line {node.lineno}: Binding description or tooltip not wrapped in _()")
    return problems


def test_every_message_in_src_can_be_extracted():
    problems = [f"{path.relative_to(SRC)} {problem}" for path in sorted(SRC.rglob("*.py"))
                if path.name != "i18n.py" and "migrations" not in path.parts
                for problem in untranslatable(path.read_text(encoding="utf-8"))]
    assert problems == []


def test_the_extraction_check_finds_what_babel_cannot_read():
    source = ('name = "x"\n_(f"hello {name}")\n_("plain")\nngettext("{n} cat", "{n} cats", 2)\n'
              'f"{_(\'nested\')}"\nBinding("q", "quit", "Quit")\nBinding("q", "quit", _("Quit"), tooltip="Leave")\n')
    assert sorted(p.split(":")[0] for p in untranslatable(source)) == ["line 2", "line 5", "line 6", "line 7"]


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

def test_command_line_help_and_errors_in_chinese():
    run = run_cli("--help", env={"LANG": "zh_CN.UTF-8"})
    assert run.returncode == 0 and run.stdout.startswith("用法：notedesk") and "界面语言" in run.stdout
    bad = run_cli("--lang", "zh", "nosuchcommand")
    assert bad.returncode == 2 and "错误" in bad.stderr and "无效的选择" in bad.stderr
    english = run_cli("--lang", "en", "--help", env={"LANG": "zh_CN.UTF-8"})
    assert english.stdout.startswith("usage: notedesk")
