"""How every screen looks at 80×24, in English and in Chinese: SVG snapshots (pytest-textual-snapshot).

The pictures are made by scripts/screenshots.py, which also makes the README's (at 100×30): one
process per language, because the language is chosen before the screens are imported, as the desk
does; a demo database with a fixed seed; the clock frozen (NOTEDESK_NOW); every worker waited for.

A screen that changed on purpose:

    pytest tests/tui/test_snapshots.py --snapshot-update

then look at the new SVGs in tests/tui/__snapshots__/test_snapshots/ (a browser shows them) and
commit them with the change. Behaviour tests assert on data and messages; these are for the look.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import screenshots  # noqa: E402  (scripts/ is not a package)

LANGUAGES = ("en", "zh")
SCREENS = (*screenshots.SCREENS, *screenshots.MORE_SCREENS)
_rendered: dict[str, dict[str, str]] = {}


def rendered(lang: str, tmp_path_factory) -> dict[str, str]:
    """Every screen in `lang` at 80×24, made once per test process: screen name -> SVG."""
    if lang not in _rendered:
        out = tmp_path_factory.mktemp(f"snapshots-{lang}")
        run = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--lang", lang,
                              "--size", "80x24", "--only", ",".join(SCREENS), "--out", str(out)],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        _rendered[lang] = {screen: (out / f"{screen}-{lang}.svg").read_text(encoding="utf-8") for screen in SCREENS}
    return _rendered[lang]


def svg_text(svg: str) -> str:
    """The characters an SVG screenshot shows (no-break spaces as spaces)."""
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", [pytest.param(lang, marks=pytest.mark.xdist_group(f"snapshots-{lang}"))
                                  for lang in LANGUAGES])
def test_screen_looks_as_before(lang, screen, snapshot, tmp_path_factory):
    assert snapshot.use_extension(SVGImageExtension) == rendered(lang, tmp_path_factory)[screen]


@pytest.mark.xdist_group("snapshots-zh")
def test_chinese_screens_have_no_english_words(tmp_path_factory):
    """Chinese chosen in a fresh process before the screens are imported, as `notedesk` does: the
    list's headers, footer and title are all Chinese (order numbers and the file name stay)."""
    shown = {screen: svg_text(svg) for screen, svg in rendered("zh", tmp_path_factory).items()}
    assert "订单号" in shown["list"] and "客户" in shown["list"] and "交期" in shown["list"]
    for screen, text in shown.items():
        for english in ("Number", "Customer", "Status", "Deadline", "Payment", "Amount", "orders", "sort",
                        "Filter", "Open", "Quit", "Help", "Save", "Close", "Back"):
            assert english not in text, (screen, english)
