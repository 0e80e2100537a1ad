"""`notedesk remind` against a real HTTP server on 127.0.0.1 (issue 18), and `follow-up`, `due --mine`.

The server runs in a thread of the test; the command runs as cron would (a subprocess). Each case:
success, HTTP 500, a robot's errcode ≠ 0, a timeout, a refused connection; a second run sends
nothing new, a failed one is retried by the next, the webhook's secret is never printed.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import socket
import subprocess
import sys
import threading

import pytest

from conftest import cli_failure, cli_ok, run_cli, sample_order
from notedesk.services import follow_ups, orders
from notedesk.services.types import Deadline
from notedesk.store.connection import close_database

N, M = "SO-2026-00042", "SO-2026-00043"
WED = "2026-12-02T10:00"  # Asia/Shanghai, the tests' zone
FRI_AFTERNOON = "2026-12-04T15:00"
SECRET = "d3adb33f-secret-key"


class Robot:
    """A group robot on 127.0.0.1: records every POST; `answer` says how it replies."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.answer = "ok"  # ok | 500 | errcode | hang
        self.release = threading.Event()
        robot = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if robot.answer == "hang":
                    robot.release.wait(30)
                    return
                robot.posts.append({"path": self.path, "body": json.loads(body), "type": self.headers["Content-Type"]})
                if robot.answer == "500":
                    self.send_response(500)
                    self.end_headers()
                    return
                reply = {"errcode": 93000, "errmsg": "invalid webhook url"} if robot.answer == "errcode" \
                    else {"errcode": 0, "errmsg": "ok"}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?key={SECRET}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def texts(self) -> list[str]:
        return [p["body"]["text"]["content"] if "text" in p["body"] else p["body"]["content"]["text"]
                for p in self.posts]

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    r = Robot()
    yield r
    r.stop()


@pytest.fixture
def desk(database, db_url, monkeypatch):
    """An order with a follow-up "周五下午回电确认颜色" (typed on Wednesday), due far from Friday;
    a second order due Saturday 18:00."""
    later = Deadline("2027-01-30", dt.date(2027, 1, 30))
    orders.create_order(sample_order(N, deadline=later))
    orders.create_order(sample_order(M, deadline=Deadline("周六下午", dt.date(2026, 12, 5), dt.time(13), dt.time(18))))
    follow_ups.add(N, "周五下午回电确认颜色", now=dt.datetime.fromisoformat(WED + "+08:00"))
    close_database()
    return db_url


def remind(db, *args, now=FRI_AFTERNOON, **env):
    return run_cli("remind", *args, db=db, env={"NOTEDESK_NOW": now, "NOTEDESK_WEBHOOK_TIMEOUT": "2", **env})


def test_a_follow_up_is_posted_once_naming_the_order_and_the_words(desk, robot):
    out = cli_ok(remind(desk, "--webhook", robot.url))
    assert out == ""
    assert len(robot.posts) == 1
    post = robot.posts[0]
    assert post["path"] == f"/hook?key={SECRET}" and post["type"].startswith("application/json")
    assert post["body"]["msgtype"] == "text"
    [text] = robot.texts()
    assert N in text and "周五下午回电确认颜色" in text and "li" in text and M not in text
    cli_ok(remind(desk, "--webhook", robot.url))
    assert len(robot.posts) == 1  # the second run sends nothing


def test_an_order_is_posted_coming_due_then_once_more_when_overdue(desk, robot):
    cli_ok(remind(desk, "--webhook", robot.url, now="2026-12-04T19:00"))  # 23 h before Sat 18:00
    assert [M in t for t in robot.texts()] == [True] and "due in 23 hours" in robot.texts()[0]
    for now in ("2026-12-04T20:00", "2026-12-05T17:59"):
        cli_ok(remind(desk, "--webhook", robot.url, now=now))
    assert len(robot.posts) == 1
    cli_ok(remind(desk, "--webhook", robot.url, now="2026-12-05T18:00"))
    assert len(robot.posts) == 2 and "overdue" in robot.texts()[1] and M in robot.texts()[1]
    cli_ok(remind(desk, "--webhook", robot.url, now="2026-12-08T09:00"))
    assert len(robot.posts) == 2


@pytest.mark.parametrize(("answer", "why"), [("500", "HTTP 500"), ("errcode", "errcode 93000"),
                                             ("hang", "no answer within 2 s")])
def test_a_failing_webhook_keeps_the_reminder_for_the_next_run(desk, robot, answer, why):
    robot.answer = answer
    line = cli_failure(remind(desk, "--webhook", robot.url), why, "127.0.0.1", "next run")
    assert SECRET not in line and "/hook" not in line
    robot.answer = "ok"
    robot.posts.clear()
    cli_ok(remind(desk, "--webhook", robot.url))
    assert len(robot.posts) == 1 and "周五下午回电确认颜色" in robot.texts()[0]
    cli_ok(remind(desk, "--webhook", robot.url))
    assert len(robot.posts) == 1


def test_a_refused_connection_is_one_line_and_retried(desk, robot):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook?access_token={SECRET}"
    proc = remind(desk, "--webhook", url)
    line = cli_failure(proc, "connection refused")
    assert SECRET not in proc.stdout + proc.stderr and "1 reminder kept" in line
    cli_ok(remind(desk, "--webhook", robot.url))
    assert len(robot.posts) == 1


def test_feishu_shape_from_the_config_and_dingtalk_by_option(desk, robot, tmp_path):
    config = tmp_path / "config" / "config.toml"
    config.write_text(f'timezone = "Asia/Shanghai"\nwebhook_url = "{robot.url}"\nwebhook_kind = "feishu"\n')
    cli_ok(remind(desk))
    assert robot.posts[0]["body"] == {"msg_type": "text", "content": {"text": robot.texts()[0]}}
    cli_ok(remind(desk, "--kind", "dingtalk", now="2026-12-05T18:00"))
    assert robot.posts[1]["body"]["msgtype"] == "text" and M in robot.texts()[1]


def test_dry_run_sends_and_records_nothing_and_never_creates_a_database(desk, robot, tmp_path):
    out = cli_ok(remind(desk, "--webhook", robot.url, "--dry-run"))
    assert "127.0.0.1" in out and "周五下午回电确认颜色" in out and SECRET not in out
    assert robot.posts == []
    cli_ok(remind(desk, "--webhook", robot.url))
    assert len(robot.posts) == 1
    assert cli_ok(remind(desk, "--webhook", robot.url, "--dry-run")) == ""
    missing = tmp_path / "nowhere.db"
    cli_failure(run_cli("remind", "--dry-run", "--db", str(missing)), "nowhere.db")
    assert not missing.exists()


def test_without_a_webhook_it_prints_each_reminder_once_in_the_desk_s_language(desk):
    out = cli_ok(remind(desk, NOTEDESK_LANG="zh"))
    assert "周五下午回电确认颜色" in out and N in out and "跟进" in out
    assert cli_ok(remind(desk)) == ""


def test_two_runs_at_once_post_each_reminder_once(desk, robot):
    env = {**os.environ, "NOTEDESK_DB": desk, "NOTEDESK_NOW": "2026-12-05T18:00", "NO_COLOR": "1"}
    runs = [subprocess.Popen([sys.executable, "-m", "notedesk", "remind", "--webhook", robot.url], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in runs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "Traceback" not in err, err
    lines = [line for text in robot.texts() for line in text.splitlines()]
    assert sum(N in line for line in lines) == 1 and sum(M in line for line in lines) == 1


def test_follow_up_command_and_due_mine(desk):
    env = {"NOTEDESK_NOW": WED}
    out = cli_ok(run_cli("follow-up", M, "寄样品", "--due", "明天上午10点", "--clerk", "wang", db=desk, env=env))
    assert out.startswith("#2 SO-2026-00043: follow-up for wang")
    mine = cli_ok(run_cli("due", "--mine", db=desk, env=env))
    assert "周五下午回电确认颜色" in mine and "寄样品" not in mine and M not in mine
    data = json.loads(cli_ok(run_cli("due", "--clerk", "wang", "--format", "json", db=desk, env=env)))
    assert [(d["kind"], d["id"], d["when"], d["due"]) for d in data] == [
        ("follow_up", 2, "明天上午10点", "2026-12-03T10:00:00+08:00")]
    everything = json.loads(cli_ok(run_cli("due", "--format", "json", db=desk, env=env)))
    assert [d["kind"] for d in everything] == ["follow_up", "order", "order"]
    cli_ok(run_cli("follow-up", "#2", "--snooze", "2h", db=desk, env=env))
    cli_ok(run_cli("follow-up", "2", "--reassign", "li", db=desk, env=env))
    assert cli_ok(run_cli("follow-up", "#1", "--done", db=desk, env=env)) == "#1 SO-2026-00042: done\n"
    mine = cli_ok(run_cli("due", "--mine", db=desk, env=env))
    assert "寄样品" in mine and "周五下午回电确认颜色" not in mine
    cli_failure(run_cli("follow-up", "#1", "--done", db=desk, env=env), "done already")
    cli_failure(run_cli("follow-up", N, "回电", db=desk, env=env), "when")
    assert run_cli("follow-up", "SO-1", "--done", db=desk, env=env).returncode == 2
