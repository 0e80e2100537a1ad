"""Many processes at once: 20 lanes × 10 `notedesk log` commands against one database, all kept, all
exit 0.

Each command is its own process with its own connection, as when clerks' scripts run at once. They
are forked from one helper that imported notedesk first (a fork server): 200 cold starts of Python
and notedesk cost ~90 s on two cores, and the start is not what this test is about (the benchmarks
time it; tests/cli starts the real command).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import sample_order
from notedesk.services import orders

N = "SO-2026-00042"
LANES, PER_LANE = 20, 10

FORK_SERVER = r"""
import json, os, sys
import notedesk.cli
notedesk.cli.build_parser()  # imports every subcommand once, before forking

db, number, lanes, per_lane = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def command(lane, entry):
    # A child: stdout/stderr to a pipe, exit status what `notedesk log` returns.
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.dup2(write, 1)
        os.dup2(write, 2)
        try:
            code = notedesk.cli.main(["--db", db, "log", number, f"lane {lane} entry {entry}"])
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 3
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    os.close(write)
    return pid, read


def run_lane(lane):
    # A lane runs its commands one after another, like a script; the lanes run at once.
    results = []
    for entry in range(per_lane):
        pid, read = command(lane, entry)
        with os.fdopen(read, "rb") as out:
            text = out.read().decode("utf-8", "replace")
        _, status = os.waitpid(pid, 0)
        results.append((os.waitstatus_to_exitcode(status), text.strip()))
    return results


lane_pids = []
for lane in range(lanes):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        with os.fdopen(write, "w") as out:
            json.dump(run_lane(lane), out)
        os._exit(0)
    os.close(write)
    lane_pids.append((pid, read))
results = []
for pid, read in lane_pids:
    with os.fdopen(read) as out:
        results += json.load(out)
    os.waitpid(pid, 0)
print(json.dumps(results))
"""


def test_twenty_lanes_of_processes_logging_at_once(database, db_url):
    orders.create_order(sample_order(N))
    # What is tested is that every append is kept and every command exits 0, not how long a writer
    # waits on a loaded machine: 20 writers released at once on two busy cores can wait past 10 s.
    env = {**os.environ, "NOTEDESK_BUSY_TIMEOUT": "120"}
    run = subprocess.run([sys.executable, "-c", FORK_SERVER, db_url, N, str(LANES), str(PER_LANE)],
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert len(results) == LANES * PER_LANE
    assert [r for r in results if r[0] != 0] == []
    assert all(r[1].startswith(f"{N}: logged entry ") for r in results), results[:3]
    texts = [c.text for c in orders.get_order(N).communications]
    assert sorted(texts) == sorted(f"lane {i} entry {j}" for i in range(LANES) for j in range(PER_LANE))
