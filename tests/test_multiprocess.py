"""Many processes at once: 20 × 10 `notedesk log` commands against one database, all kept, all exit 0."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import sample_order
from notedesk.services import orders

N = "SO-2026-00042"
LANES, PER_LANE = 20, 10


def test_twenty_processes_logging_at_once(database, db_url):
    orders.create_order(sample_order(N))

    def lane(i: int) -> list[tuple[int, str]]:
        done = []
        for j in range(PER_LANE):
            proc = subprocess.run(
                [sys.executable, "-m", "notedesk", "--db", db_url, "log", N, f"lane {i} entry {j}"],
                capture_output=True, text=True, timeout=300)
            done.append((proc.returncode, proc.stderr.strip()))
        return done

    start = time.monotonic()
    with ThreadPoolExecutor(LANES) as pool:
        results = [r for lane_results in pool.map(lane, range(LANES)) for r in lane_results]
    elapsed = time.monotonic() - start
    failures = [r for r in results if r[0] != 0]
    print(f"\n{LANES}×{PER_LANE} `notedesk log`: {len(results) - len(failures)} ok, "
          f"{len(failures)} failed, {elapsed:.1f} s")
    assert failures == []
    texts = [c.text for c in orders.get_order(N).communications]
    assert sorted(texts) == sorted(f"lane {i} entry {j}" for i in range(LANES) for j in range(PER_LANE))
