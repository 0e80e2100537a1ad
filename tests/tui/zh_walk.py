"""Walk every screen of the desk under Chinese at 80×24 and print what each one shows (issue 20).

    python tests/tui/zh_walk.py OUT.json

Run in a fresh process by tests/tui/test_zh_walk.py: the interface language is chosen before the
screens are imported, as `notedesk` does. The database is the demo (fixed seed, clock frozen by
NOTEDESK_NOW in the environment); the desk is driven with Pilot from the list through every screen,
modal and tab a clerk reaches, and every view is kept as plain text lines under a name
("detail", "editor:delivery", "new-order:errors", ...). Toasts are part of what a screen shows.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1] / "src"), str(HERE.parent), str(HERE)]

from notedesk import config, i18n  # noqa: E402

config.reload()
i18n.set_language("zh")  # before the screens are imported

import re  # noqa: E402

import peewee  # noqa: E402
from harness import screen_text  # noqa: E402
from textual.command import CommandList  # noqa: E402
from textual.worker import WorkerCancelled  # noqa: E402

from notedesk import demo  # noqa: E402
from notedesk.store import models as m  # noqa: E402
from notedesk.store.connection import open_database  # noqa: E402
from notedesk.tui.app import NotedeskApp  # noqa: E402

SIZE = (80, 24)
ORDERS = 40


async def settle(pilot, rounds: int = 2) -> None:
    for _ in range(rounds):
        for _ in range(20):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except WorkerCancelled:  # an exclusive worker replaced by a newer one
                continue
        await pilot.pause()


class Walk:
    def __init__(self, pilot) -> None:
        self.pilot, self.app, self.seen = pilot, pilot.app, {}

    async def keys(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await settle(self.pilot, 1)
        await settle(self.pilot)

    async def until(self, ready, tries: int = 60) -> None:
        for _ in range(tries):
            await settle(self.pilot, 1)
            if ready():
                return
        raise RuntimeError(f"{type(self.app.screen).__name__} did not finish loading")

    def keep(self, name: str) -> None:
        self.seen[name] = f"[{type(self.app.screen).__name__}]\n{screen_text(self.app)}"

    async def scrolled(self, name: str) -> None:
        """The screen, then its lower parts a page at a time (sections taller than 24 lines)."""
        self.keep(name)
        for page in range(1, 4):
            await self.keys("pagedown")
            self.keep(f"{name}:page{page}")

    async def back_to(self, screen_name: str) -> None:
        for _ in range(6):
            if type(self.app.screen).__name__ == screen_name:
                return
            await self.keys("escape")
            if type(self.app.screen).__name__ == "ConfirmModal":
                self.keep(f"confirm:{len([k for k in self.seen if k.startswith('confirm')])}")
                await self.pilot.click("#confirm-yes")
                await settle(self.pilot)
        raise RuntimeError(f"could not go back to {screen_name} from {type(self.app.screen).__name__}")


async def walk(target: str) -> dict[str, str]:
    app = NotedeskApp(target)
    async with app.run_test(size=SIZE) as pilot:
        w = Walk(pilot)
        app.poll_reminders()
        await settle(pilot, 3)
        w.keep("list")  # with the reminders' toasts
        app.clear_notifications()
        for lens in ("production", "logistics", "finance", "all"):
            await w.keys("v")
            w.keep(f"list:{lens}")
        await w.keys("o")
        w.keep("list:sorted")
        await w.keys("f")
        w.keep("filters")
        await w.back_to("OrderListScreen")
        await w.keys("ctrl+p")
        w.keep("palette")
        await pilot.press(*"zzqq")
        await w.until(lambda: app.screen.query(CommandList) and app.screen.query_one(CommandList).option_count)
        w.keep("palette:no-matches")
        await w.back_to("OrderListScreen")
        await w.keys("question_mark")
        w.keep("help")
        await w.keys("pagedown")
        w.keep("help:page1")
        await w.back_to("OrderListScreen")
        await w.keys("s")
        w.keep("status")
        await w.back_to("OrderListScreen")
        await w.keys("m")
        w.keep("reminders")
        await w.back_to("OrderListScreen")
        await w.keys("slash", *"logo", "ctrl+f")
        w.keep("search")
        await w.back_to("OrderListScreen")
        await w.keys("escape")

        # the new-order form: empty, a customer looked up, saved with errors, discarded
        await w.keys("n")
        w.keep("new-order")
        await w.keys("ctrl+s")
        w.keep("new-order:errors")
        await pilot.press(*"王")
        await settle(pilot, 3)
        w.keep("new-order:lookup")
        await w.back_to("OrderListScreen")

        # the deadline view and changing a deadline there
        await w.keys("d")
        w.keep("deadlines")
        await w.keys("p")
        w.keep("postpone")
        await w.keys("ctrl+s")
        w.keep("postpone:errors")
        await w.back_to("DeadlineViewScreen")
        await w.back_to("OrderListScreen")

        # the detail and everything reached from it
        await w.keys("home", "enter")
        await w.until(lambda: type(app.screen).__name__ == "OrderDetailScreen")
        await w.scrolled("detail")
        for key, name in (("s", "detail:status"), ("p", "pay"), ("l", "log-call"), ("u", "follow-up"),
                          ("t", "attach-file"), ("h", "history"), ("c", "customer")):
            await w.keys(key)
            await settle(pilot, 3)
            w.keep(name)
            if name in ("pay", "log-call", "follow-up"):
                await w.keys("ctrl+s")
                w.keep(f"{name}:errors")
            if name == "pay" and type(app.screen).__name__ == "OrderDetailScreen":  # recorded: the payments listed
                app.screen.query_one("#detail-payment").scroll_visible(animate=False, top=True)
                await settle(pilot, 3)
                w.keep("detail:payments")
            if name == "customer":
                await w.scrolled("customer")
            await w.back_to("OrderDetailScreen")
        await w.keys("a")
        await settle(pilot, 3)
        w.keep("amend")
        await w.keys("ctrl+s")
        w.keep("amend:errors")
        await w.back_to("OrderDetailScreen")
        await w.keys("e")
        await w.until(lambda: app.screen.query("TabbedContent") and app.screen.query("#deadline-input"))
        for key in ("f2", "f3", "f4", "f5", "f6", "f7"):
            await w.keys(key)
            w.keep(f"editor:{app.screen.active_tab}")
        await w.keys("f4")
        deadline = app.screen.query_one("#deadline-input")
        deadline.focus()
        deadline.value = "下周二上午9点到11点"
        await settle(pilot, 3)
        w.keep("editor:deadline-typed")
        deadline.value = "下下下个月的某天"
        await settle(pilot, 3)
        w.keep("editor:deadline-unknown")
        await w.keys("ctrl+o")
        w.keep("editor:history")
        await w.back_to("NoteEditorScreen")
        await w.keys("f2", "ctrl+end")
        app.screen.focused.insert("\n加急")
        await settle(pilot)
        await w.keys("ctrl+s")
        await settle(pilot, 3)
        w.keep("editor:saved")
        await w.back_to("OrderDetailScreen")
        w.keep("detail:after-save")
        await w.back_to("OrderListScreen")
        return w.seen


def data_words() -> list[str]:
    """Every ASCII word the database holds as data (the demo's English customers and notes, the
    clerks' login names, products): the screens may show these; any other English word is ours.
    Events are left out: what they hold are codes the timeline must put in words."""
    words: set[str] = set()
    for model in (m.Customer, m.CustomerContact, m.CustomerAddress, m.Order, m.OrderLine, m.Payment, m.Note,
                  m.Communication, m.Attachment, m.FollowUp):
        fields = [f for f in model._meta.sorted_fields if isinstance(f, (peewee.CharField, peewee.TextField))
                  and f.name not in ("status", "payment_method", "payment_status", "kind", "channel", "via",
                                     "state", "sort_key", "currency")]
        for row in model.select(*fields).tuples():
            for value in row:
                words.update(re.findall(r"[A-Za-z][A-Za-z']*", value or ""))
    words.update(m.Event.select(m.Event.changed_by).distinct().scalars())  # clerks
    return sorted(words)


def main(out: str) -> None:
    target = str(Path(os.environ["NOTEDESK_DATA_DIR"]) / "walk.sqlite3")
    open_database(target)
    demo.fill(ORDERS, progress=False)
    seen = asyncio.run(walk(target))
    with m.db.connection_context():
        seen["_data_words"] = " ".join(data_words())
    Path(out).write_text(json.dumps(seen, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
