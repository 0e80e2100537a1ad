"""What keys in a burst cost (issue 13.2): the new-order form filled by one write, against key by key.

The desk handles terminal keys in order, each after what the key before it set off (tui/key_order.py):
a burst must cost what the same keys typed slowly cost, and land in the same fields. Both are
measured in a real pseudo-terminal (80x24) on a small demo database: CPU seconds of the desk
process (not stretched by a busy machine) and wall seconds until the last field shows its text,
medians of `--runs`. Not part of run.py's table; run it by hand:

    python benchmarks/bursts.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ptyrun import PtyProgram

ROOT = Path(__file__).resolve().parent.parent
FIELDS = (b"Wang Fang", b"Huaxing", b"138 0013 8000", b"fang@example.cn", b"Shanghai")
BURST = b"\t".join(FIELDS)


def desk(db: Path, env: dict[str, str]) -> PtyProgram:
    program = PtyProgram([sys.executable, "-m", "notedesk", "--db", str(db)], 80, 24, env)
    program.wait_for(rb"SO-2026-000")
    program.settle()
    program.key(b"n", quiet=0.5)
    program.wait_for(rb"Customer \*")
    program.settle()
    return program


def one(db: Path, env: dict[str, str], burst: bool) -> tuple[float, float]:
    """(wall, cpu) seconds from the first key until Shanghai shows."""
    program = desk(db, env)
    try:
        cpu, start = program.cpu_s(), time.perf_counter()
        if burst:
            os.write(program.fd, BURST)
        else:
            for n, field in enumerate(FIELDS):
                for byte in (b"\t" if n else b"") + field:
                    program.key(bytes([byte]), quiet=0.05)
        program.wait_for(rb"Shanghai")
        wall = time.perf_counter() - start
        program.settle(quiet=0.3)
        return wall, program.cpu_s() - cpu
    finally:
        program.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NOTEDESK_NOW": "2026-11-26T10:00:00",
           "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    with tempfile.TemporaryDirectory() as home:
        db = Path(home) / "desk.db"
        env.update(NOTEDESK_CONFIG_DIR=home, NOTEDESK_DATA_DIR=home)
        subprocess.run([sys.executable, "-m", "notedesk", "--db", str(db), "demo", "--orders", "12"],
                       env=env, check=True, capture_output=True)
        for burst in (False, True):
            results = [one(db, env, burst) for _ in range(runs)]
            wall, cpu = (statistics.median(r[i] for r in results) for i in (0, 1))
            print(f"{'one write ' if burst else 'key by key'}: wall {wall:.2f} s, CPU {cpu:.2f} s "
                  f"(median of {runs}; load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
