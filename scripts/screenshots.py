"""Render the desk's screens from the real app with demo data into screenshots/*.svg, in English and Chinese.

    python scripts/screenshots.py [--out screenshots] [--lang en,zh] [--only list,detail,...] [--size 100x30]

Each language runs in its own process (the interface language is chosen before the screens are
imported, as `notedesk` does), on a fresh demo database (notedesk.demo, fixed seed) with the clock
frozen (NOTEDESK_NOW) so deadline groups and "in 5 days" read the same on every run. The app is
driven with Textual's Pilot at 100x30 (`--size`: tests/tui/test_snapshots.py takes 80x24) and each
screen saved with `App.save_screenshot`.

Screens: list (order list), detail (order detail), editor (note editor, Delivery tab with the live
deadline preview), deadlines (deadline view), conflict (another clerk saved first), help (`?` on the
list), attachment (the artwork attached to the top order, previewed in half blocks). Files:
screenshots/<screen>-<lang>.svg.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ("list", "detail", "editor", "deadlines", "conflict", "help", "attachment")
# Not in the README, drawn for the screen snapshots (tests/tui/test_snapshots.py): the keys from the list.
MORE_SCREENS = {"history": ("enter", "h"), "log": ("enter", "l"), "status": ("s",), "new-order": ("n",),
                "amend": ("enter", "a"), "postpone": ("d", "p"), "search": ("slash", *"logo", "ctrl+f"),
                "customer": ("enter", "c"),
                # the departments' lenses and the list's filters (issue 16)
                "production": ("v",), "logistics": ("v", "v"), "finance": ("v", "v", "v"), "filters": ("f",)}
NOW = "2026-11-26T10:00:00"  # a Thursday morning, business time (Asia/Shanghai)
ORDERS = 60
SIZE = (100, 30)
CLERK = "li"
OTHER_CLERK = "wang"
TYPED_DEADLINE = {"en": "next tuesday 9-11am", "zh": "下周二上午9点到11点"}
TYPED_NOTE = {"en": "Call the customer before loading.", "zh": "装车前先给客户打电话。"}
THEIR_NOTE = {"en": "Deliver to the back gate (gate 3).", "zh": "送到后门（3号门）。"}


def _environment(home: Path, lang: str) -> dict[str, str]:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(f'timezone = "Asia/Shanghai"\nlang = "{lang}"\n')
    return {"NOTEDESK_CONFIG_DIR": str(home / "config"), "NOTEDESK_DATA_DIR": str(home / "data"),
            "NOTEDESK_NOW": NOW, "NOTEDESK_CLERK": CLERK, "TZ": "Asia/Shanghai"}


async def _settle(pilot, rounds: int = 3) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        for _ in range(20):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except WorkerCancelled:  # an exclusive worker replaced by a newer one: wait for that one
                continue
        await pilot.pause()


async def _until(pilot, ready, tries: int = 50) -> None:
    """Settle until `ready()` (a screen that loads in a worker composes its parts when loaded)."""
    for _ in range(tries):
        await _settle(pilot, 1)
        if ready():
            return
    raise RuntimeError("the screen did not finish loading")


async def _shoot(lang: str, screen: str, target: str, out: Path, size: tuple[int, int] = SIZE) -> Path:
    from notedesk.services import notes
    from notedesk.tui.app import NotedeskApp

    app = NotedeskApp(target)
    path = out / f"{screen}-{lang}.svg"
    async with app.run_test(size=size) as pilot:
        app.target = "demo.sqlite3"  # the title bar: not the temporary folder it really is in
        # The header's counts as a clerk sees them a second after start, whatever this machine's speed
        # (a slow run used to catch the first poll, a fast one not); its toasts would cover the screen.
        app.poll_reminders()
        await _settle(pilot)
        app.clear_notifications()
        if screen in MORE_SCREENS:
            for key in MORE_SCREENS[screen]:
                await pilot.press(key)
                await _settle(pilot, 1)
        elif screen == "help":
            await pilot.press("question_mark")
        elif screen == "deadlines":
            await pilot.press("d")
        elif screen == "attachment":
            await pilot.press("enter")
            await _settle(pilot)
            await pilot.press("f", "enter")
            await _until(pilot, lambda: app.screen.query("#attachment-image"))
        elif screen in ("detail", "editor", "conflict"):
            await pilot.press("enter")
            await _settle(pilot)
            if screen != "detail":
                await pilot.press("e")
                await _until(pilot, lambda: app.screen.query("TabbedContent") and app.screen.query("#deadline-input"))
                await pilot.press("f4")  # the Delivery tab
                await _settle(pilot)
            if screen == "editor":
                deadline = app.screen.query_one("#deadline-input")
                deadline.focus()
                deadline.value = TYPED_DEADLINE[lang]
                deadline.cursor_position = len(deadline.value)
            if screen == "conflict":
                number = app.screen.number
                base = notes.get_note(number, "delivery")
                await pilot.press("ctrl+end")
                app.screen.focused.insert("\n" + TYPED_NOTE[lang])  # as typed (an IME sends text, not keys)
                await pilot.pause()
                notes.save_note(number, "delivery", f"{base.body}\n{THEIR_NOTE[lang]}".strip(),
                                base_version=base.version, clerk=OTHER_CLERK)
                await pilot.press("ctrl+s")
        for field in app.screen.query("Input, TextArea"):  # the cursor steady, not caught mid-blink
            field.cursor_blink = False
        await _settle(pilot)
        app.save_screenshot(filename=path.name, path=str(out))
    return path


def _attach_artwork(folder: Path) -> None:
    """A logo (drawn here) and a drawing of the packing case on the order at the top of the list."""
    from PIL import Image, ImageDraw

    from notedesk.services import attachments
    from notedesk.store import models as m

    logo = Image.new("RGB", (240, 160), "white")
    draw = ImageDraw.Draw(logo)
    draw.ellipse((20, 20, 140, 140), fill=(200, 30, 40))
    draw.rectangle((150, 40, 225, 120), fill=(20, 60, 160))
    draw.polygon([(80, 35), (120, 125), (40, 125)], fill=(250, 200, 0))
    logo.save(folder / "artwork-logo.png")
    (folder / "packing-case.pdf").write_bytes(b"%PDF-1.4\n% packing case drawing\ntrailer<<>>\n%%EOF\n")
    top = m.Order.select(m.Order.number).order_by(m.Order.updated_at.desc(), m.Order.id.desc()).first()
    attachments.attach_files(top.number, [str(folder / "artwork-logo.png"), str(folder / "packing-case.pdf")],
                             kind="special", clerk=CLERK)


def _run_language(lang: str, screens: list[str], out: Path, size: tuple[int, int]) -> None:
    """In this process: language first, then a demo database, then every screen."""
    from notedesk import config, i18n

    config.reload()
    i18n.set_language(lang)
    from notedesk import demo
    from notedesk.store.connection import open_database

    target = str(Path(os.environ["NOTEDESK_DATA_DIR"]) / "demo.sqlite3")
    open_database(target)
    demo.fill(ORDERS, progress=False)
    _attach_artwork(Path(os.environ["NOTEDESK_DATA_DIR"]))
    for screen in screens:
        path = asyncio.run(_shoot(lang, screen, target, out, size))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--lang", default="en,zh")
    parser.add_argument("--only", default=",".join(SCREENS))
    parser.add_argument("--size", default="x".join(map(str, SIZE)), help="columns x lines, e.g. 80x24")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    columns, lines = (int(n) for n in args.size.lower().split("x"))
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    screens = [s for s in args.only.split(",") if s]
    unknown = sorted(set(screens) - set(SCREENS) - set(MORE_SCREENS))
    if unknown:
        parser.error(f"unknown screen {unknown[0]!r} (choose from {', '.join([*SCREENS, *MORE_SCREENS])})")
    if args.in_process:
        _run_language(args.lang, screens, out, (columns, lines))
        return 0
    status = 0
    for lang in args.lang.split(","):
        with tempfile.TemporaryDirectory(prefix=f"notedesk-shots-{lang}-") as home:
            env = {**os.environ, **_environment(Path(home), lang)}
            env.pop("NO_COLOR", None)
            status |= subprocess.run([sys.executable, __file__, "--in-process", "--lang", lang,
                                      "--only", ",".join(screens), "--out", str(out), "--size", args.size],
                                     env=env).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
