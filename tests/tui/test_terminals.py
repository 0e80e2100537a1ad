"""Plain terminals: the desk starts, shows orders and quits under TERM=linux, screen, xterm and
xterm-256color at 80x24 in a real pseudo-terminal; 16-colour terminals get only the 16 colours;
NO_COLOR gets only greys; Chinese under a Chinese locale; the high-contrast theme; no animation.

The desk runs as a clerk runs it (`python -m notedesk --db FILE`) under tests/tui/pty_desk.py, which
keeps every byte it writes and renders them with pyte.
"""

from __future__ import annotations

import re

import pytest
from pty_desk import DeskInPty

from conftest import sample_order
from notedesk import config
from notedesk.services import orders
from notedesk.tui import themes
from notedesk.tui.app import NotedeskApp

NUMBER = "SO-2026-00042"
SIZE = (80, 24)
_SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


@pytest.fixture
def desk_db(database, db_url, tmp_path):
    orders.create_order(sample_order())
    return db_url.removeprefix("sqlite:///")


def colours(raw: bytes) -> set[tuple[str, ...]]:
    """Every extended colour the output sets: ('5', n) for 256 colours, ('2', r, g, b) for true colour."""
    found = set()
    for params in _SGR.findall(raw):
        parts = params.decode().replace(":", ";").split(";")
        i = 0
        while i < len(parts):
            if parts[i] in ("38", "48") and i + 1 < len(parts):
                width = 2 if parts[i + 1] == "5" else 4
                found.add(tuple(parts[i + 1:i + 1 + width]))
                i += 1 + width
            else:
                i += 1
    return found


def grey(colour: tuple[str, ...]) -> bool:
    if colour[0] == "2":
        return len(set(colour[1:])) == 1
    n = int(colour[1])
    if n >= 232 or n in (0, 7, 8, 15):
        return True
    if 16 <= n <= 231:
        r, g, b = (n - 16) // 36, (n - 16) // 6 % 6, (n - 16) % 6
        return r == g == b
    return False


def run_desk(path: str, footer: str = "? Help", **env: str) -> tuple[str, bytes, int]:
    """Start the desk, wait for the order and the footer's last key, press q: (screen, every byte
    written, exit status). The footer comes a frame after the rows: Textual's Footer lists the keys
    once the screen's bindings are known."""
    desk = DeskInPty("--db", path, env=env, size=SIZE)
    try:
        screen = desk.wait_for(NUMBER, footer, timeout=30)
        desk.press("q")
        return screen, desk.raw(), desk.finish()
    finally:
        desk.kill()


@pytest.mark.parametrize("term", ["linux", "screen", "xterm", "xterm-256color"])
def test_the_desk_starts_shows_orders_and_quits(desk_db, term):
    screen, raw, code = run_desk(desk_db, TERM=term)
    assert code == 0
    lines = screen.splitlines()
    assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if line.startswith("Number"))
    assert "Customer" in header and "Deadline" in header and "Amount" in header  # all six columns fit
    row = next(line for line in lines if line.startswith(NUMBER))
    assert "confirmed" in row and "7,000.00" in row
    assert lines[-1].startswith("/ Filter") and "v Lens" in lines[-1]  # the footer
    if term != "xterm-256color":  # 8/16-colour terminals: nothing they would show as garbage
        assert colours(raw) == set()


def test_the_footer_says_how_to_get_help_at_80_columns(desk_db):
    """A new clerk learns the desk from the footer: '? Help' must be on it at 80 columns."""
    screen, _raw, code = run_desk(desk_db, TERM="xterm")
    assert code == 0
    assert "? Help" in screen.splitlines()[-1], screen.splitlines()[-1]


def test_no_color_gives_only_greys(desk_db):
    screen, raw, code = run_desk(desk_db, TERM="xterm-256color", NO_COLOR="1")
    assert code == 0 and NUMBER in screen
    assert colours(raw) and all(grey(c) for c in colours(raw)), sorted(c for c in colours(raw) if not grey(c))


def test_chinese_locale_in_a_plain_xterm(desk_db):
    screen, _raw, code = run_desk(desk_db, "? 帮助", TERM="xterm", LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    assert code == 0
    header = next(line for line in screen.splitlines() if line.startswith("订单号"))
    assert "客户" in header and "状态" in header and "交期" in header and "付款" in header and "金额" in header
    for english in ("Number", "Customer", "Status", "Deadline", "Payment", "Amount"):
        assert english not in screen
    assert "已确认" in screen and "退出" in screen.splitlines()[-1]


def test_high_contrast_from_the_config_file_in_16_colours(desk_db, tmp_path):
    (tmp_path / "config" / "config.toml").write_text('timezone = "Asia/Shanghai"\ntheme = "high-contrast"\n')
    screen, raw, code = run_desk(desk_db, TERM="xterm")
    assert code == 0 and NUMBER in screen and colours(raw) == set()
    # the cursor row: black on bright yellow (the theme's pure colours map onto the 16 exactly)
    assert re.search(rb"\x1b\[[0-9;]*(?:30;103|103;30|30;43)[0-9;]*m", raw)


# --- the choice of theme, in-process ----------------------------------------------------------------

async def test_theme_choice_and_no_animation(database, db_url, monkeypatch, tmp_path):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = NotedeskApp(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.animation_level == "none"
        assert themes.HIGH_CONTRAST in app.available_themes
        assert app.theme == "textual-dark"  # headless: Textual's default
        assert themes.choose(app, "high-contrast") == "high-contrast"
        assert themes.choose(app, "no-such-theme") == "textual-dark"
        monkeypatch.setenv("NO_COLOR", "")
        assert themes.choose(app, None) == "high-contrast"
        assert themes.choose(app, "nord") == "nord"  # the clerk's own choice still wins


async def test_configured_high_contrast_theme_is_used(database, db_url, tmp_path):
    (tmp_path / "config" / "config.toml").write_text('timezone = "Asia/Shanghai"\ntheme = "high-contrast"\n')
    config.reload()
    app = NotedeskApp(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "high-contrast"
        variables = app.get_css_variables()
        assert variables["block-cursor-background"] == "#ffff00" and variables["text-muted"] == "#ffffff"
