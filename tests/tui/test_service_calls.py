"""The one worker pattern (tui/service_calls.py): results and failures come back on the main thread."""

from __future__ import annotations

import asyncio
import threading

import pytest
from harness import Harness, settle
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import WorkerFailed

from notedesk.errors import NotedeskError
from notedesk.tui.service_calls import run_service


class Asking(Screen):
    def compose(self):
        yield Static("asking")


def app_on_a_screen() -> tuple[Harness, Asking]:
    screen = Asking()
    return Harness(lambda: screen), screen


async def test_the_result_comes_back_on_the_main_thread():
    app, screen = app_on_a_screen()
    seen = []
    async with app.run_test() as pilot:
        await settle(pilot)
        run_service(screen, lambda x, y: (threading.current_thread().name, x + y), 2, y=3,
                    done=lambda result: seen.append((result, threading.current_thread() is threading.main_thread())))
        await settle(pilot)
    (worker_thread, total), on_main = seen[0]
    assert total == 5 and on_main and worker_thread != threading.main_thread().name


async def test_a_notedesk_error_goes_to_failed_or_is_told_literally():
    app, screen = app_on_a_screen()
    caught = []

    def fail():
        raise NotedeskError("cannot open the database [bold]x[/]")

    async with app.run_test() as pilot:
        await settle(pilot)
        run_service(screen, fail, done=caught.append, failed=caught.append)
        await settle(pilot)
        assert [str(e) for e in caught] == ["cannot open the database [bold]x[/]"]
        shown = []
        app.notify = lambda message, **kw: shown.append((message, kw.get("severity"), kw.get("markup")))
        run_service(screen, fail)
        await settle(pilot)
        assert shown == [("cannot open the database [bold]x[/]", "error", False)]  # literally, never markup
        assert app.is_running


async def test_a_screen_closed_meanwhile_gets_nothing():
    app, screen = app_on_a_screen()
    release, returned, seen = threading.Event(), threading.Event(), []

    def slow():
        release.wait(10)
        returned.set()
        return "too late"

    async with app.run_test() as pilot:
        await settle(pilot)
        run_service(screen, slow, done=seen.append)
        screen.dismiss()
        await pilot.pause()  # not settle(): waiting for a cancelled worker raises
        release.set()
        await asyncio.to_thread(returned.wait, 10)
        await pilot.pause()
    assert returned.is_set() and seen == []


async def test_a_call_superseded_in_its_group_is_dropped():
    app, screen = app_on_a_screen()
    first_may_end, seen = threading.Event(), []
    older_started, older_returned = threading.Event(), threading.Event()

    def first():
        older_started.set()
        first_may_end.wait(10)
        older_returned.set()
        return "first"

    async with app.run_test() as pilot:
        await settle(pilot)
        older = run_service(screen, first, done=seen.append, group="load", exclusive=True)
        # superseded while it works: a call cancelled before its thread ran never returned, and the
        # test waited 10 s for a return that could not come
        assert await asyncio.to_thread(older_started.wait, 10)
        newer = run_service(screen, lambda: "second", done=seen.append, group="load", exclusive=True)
        await newer.wait()
        await pilot.pause()
        assert older.is_cancelled
        first_may_end.set()
        assert await asyncio.to_thread(older_returned.wait, 10)  # its answer came, and was dropped
        await pilot.pause()
    assert seen == ["second"]


async def test_a_bug_in_a_service_call_stops_the_app_with_its_traceback():
    app, screen = app_on_a_screen()

    def bug():
        raise KeyError("a bug, not a clerk's problem")

    with pytest.raises(WorkerFailed) as failed:
        async with app.run_test() as pilot:
            await settle(pilot)
            run_service(screen, bug)
            await settle(pilot)
    assert isinstance(failed.value.error, KeyError)


async def test_an_answer_reaching_the_app_while_it_quits_is_dropped():
    """CI failed once: a reminders poll answered after the last screen was popped on quit, and its
    callback's `app.screen` raised ScreenStackError ("No screens on stack")."""
    from notedesk.tui.service_calls import ServiceCallDone

    app, _screen = app_on_a_screen()
    seen = []
    async with app.run_test() as pilot:
        await settle(pilot)
    assert not app.screen_stack  # the app has quit: its screens are gone
    message = ServiceCallDone("late", None, lambda result: seen.append((result, app.screen)), None)
    message.node = app
    message.deliver(app)
    assert seen == []
