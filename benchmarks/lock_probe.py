"""How long a command keeps other writers out: a second process tries SQLite's write lock every few
milliseconds (BEGIN IMMEDIATE without waiting) and records the longest stretch it could not get it.

    python benchmarks/lock_probe.py DB -- python -m notedesk import FILE --db DB

prints one JSON line: {"seconds": wall time of the command, "cpu_seconds": the CPU time it used (user
and system: what a busy machine does not stretch, near its wall time on a quiet one), "lock_held":
longest stretch locked out, "locked_total": all stretches together, "samples": tries}. The probe
starts once DB exists (a command that creates its database) and is itself a reader and writer of
microseconds: it never holds the lock longer than one empty transaction.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

INTERVAL_S = 0.002


def probe(path: Path, done: threading.Event, out: dict) -> None:
    conn = None
    longest = total = 0.0
    locked_since = None
    samples = 0
    while not done.is_set():
        now = time.perf_counter()
        try:
            if conn is None:
                conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=0,
                                       isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            free = True
        except sqlite3.OperationalError as exc:
            free = "locked" not in str(exc) and "busy" not in str(exc)  # not there yet: not locked out
            if "unable to open" in str(exc):
                conn = None
        samples += 1
        if free and locked_since is not None:
            stretch = now - locked_since
            longest, total, locked_since = max(longest, stretch), total + stretch, None
        elif not free and locked_since is None:
            locked_since = now
        time.sleep(INTERVAL_S)
    if locked_since is not None:
        stretch = time.perf_counter() - locked_since
        longest, total = max(longest, stretch), total + stretch
    out.update(lock_held=longest, locked_total=total, samples=samples)


def main(argv: list[str]) -> int:
    split = argv.index("--")
    path, command = Path(argv[0]), argv[split + 1:]
    done, out = threading.Event(), {}
    thread = threading.Thread(target=probe, args=(path, done, out))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    thread.start()
    code = proc.wait()
    out["seconds"] = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command is this process's only child
    out["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    thread.join()
    print(json.dumps(out))
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
