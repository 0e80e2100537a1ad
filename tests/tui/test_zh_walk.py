"""Every screen under Chinese at 80×24 shows no English word of ours (issue 20).

tests/tui/zh_walk.py walks the desk on the demo database in a fresh process (the language is chosen
before the screens are imported): the list and its lenses, filters, the palette (with no match),
help, status, reminders, search, the new-order form (empty, with errors, a customer looked up, the
discard question), the deadline view and its deadline change, the detail page by page, payments,
logging a call, a follow-up, attaching a file, history, the customer screen, the amend form, the
note editor's every tab, a deadline typed and one not understood, saving. An ASCII word on any of
them fails unless it is a code or key name (tests/english_words.py) or data the database holds (the
demo's English customers and notes, clerks' login names), or part of such a word cut by `…`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from english_words import english_words

HERE = Path(__file__).resolve().parent
NOW = "2026-11-26T10:00:00"  # a Thursday morning, business time
# One walk (~13 CPU-s) for the three tests: in one xdist worker, which takes the group early (xdist puts
# bigger groups first), not one walk per worker at the end of the run.
pytestmark = pytest.mark.xdist_group("zh-walk")


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("zh-walk")
    (home / "config").mkdir()
    (home / "config" / "config.toml").write_text('timezone = "Asia/Shanghai"\nlang = "zh"\n')
    env = {**os.environ, "NOTEDESK_CONFIG_DIR": str(home / "config"), "NOTEDESK_DATA_DIR": str(home / "data"),
           "NOTEDESK_NOW": NOW, "NOTEDESK_CLERK": "li", "TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8"}
    env.pop("NO_COLOR", None)
    out = home / "walk.json"
    run = subprocess.run([sys.executable, str(HERE / "zh_walk.py"), str(out)], env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


TYPED = {"zzqq"}  # what the walk types into the palette


def ours(text: str, data: set[str]) -> list[str]:
    """The English words of `text` that are not data, nor data cut short (`Padi…`, `…work` of Artwork)."""
    return [word for word in english_words(text, data | TYPED)
            if not any(word in known for known in data if len(known) > len(word))]


def test_every_screen_was_reached(walked):
    screens = {name.split(":")[0] for name in walked}
    for name in ("list", "filters", "palette", "help", "status", "reminders", "search", "new-order", "confirm",
                 "deadlines", "postpone", "detail", "pay", "log-call", "follow-up", "attach-file", "history",
                 "customer", "amend", "editor"):
        assert name in screens, name
    tabs = {name.split(":")[1] for name in walked if name.startswith("editor:")}
    assert {"requirements", "special", "delivery", "payment", "communication", "attachments"} <= tabs
    assert "未找到" in walked["palette:no-matches"] or "没有" in walked["palette:no-matches"]


def test_no_screen_shows_english_words(walked):
    data = set(walked.pop("_data_words").split())
    found = {name: sorted(set(ours(text.split("\n", 1)[1], data))) for name, text in walked.items()}
    found = {name: words for name, words in found.items() if words}
    assert found == {}, "\n\n".join(f"{name}: {words}\n{walked[name]}" for name, words in found.items())


def test_chinese_text_has_chinese_punctuation(walked):
    """One colon per language (labels.labelled): no ASCII comma, colon or semicolon beside Chinese
    on any screen (the demo's Chinese notes are written with Chinese punctuation too)."""
    beside = re.compile(r"[\u4e00-\u9fff][,:;]|[,:;][\u4e00-\u9fff]")
    found = {name: [line.strip() for line in text.splitlines() if beside.search(line)]
             for name, text in walked.items() if not name.startswith("_")}
    assert {name: lines for name, lines in found.items() if lines} == {}
