"""What the chunk size of stored attachment content does to memory and time (issue 17):
`python benchmarks/attachments.py [--mb 25] [--pg]`.

For each chunk size (one value for the whole file, 4 MB, 1 MB, 256 KB) a fresh process attaches one
file of --mb random megabytes (services.attachments.attach_files) and another process saves it out
again (save_to, streamed to /dev/null); each reports its peak RSS above what it had before the step
(VmHWM, reset before the step, against VmRSS before it) and the step's wall time. SQLite always;
PostgreSQL with --pg (a throwaway server from tests/pgserver.py). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = {"whole file": 0, "4 MB": 4 << 20, "1 MB": 1 << 20, "256 KB": 256 << 10}


def _status(key: str) -> int:
    """A figure of /proc/self/status, in KB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def child(step: str, url: str, path: str, chunk: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import sample_order
    from notedesk.services import attachment_files, attachments, orders
    from notedesk.store.connection import close_database, open_database

    attachment_files.CHUNK_BYTES = chunk or os.path.getsize(path)
    open_database(url)
    if step == "store":
        orders.create_order(sample_order("SO-2026-00001"))
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    before = _status("VmRSS")
    started = time.perf_counter()
    if step == "store":
        attachments.attach_files("SO-2026-00001", [path])
    else:
        with open(os.devnull, "wb") as out:
            attachments.save_to("SO-2026-00001", Path(path).name, out.write)
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    close_database()
    print(json.dumps({"mb": (peak - before) / 1024, "seconds": seconds}))


def measure(url_for, path: Path, env: dict) -> dict:
    out = {}
    for label, chunk in SIZES.items():
        url = url_for(label)
        row = {}
        for step in ("store", "read"):
            proc = subprocess.run([sys.executable, __file__, "--child", step, url, str(path), str(chunk)],
                                  env=env, capture_output=True, text=True, check=True)
            row[step] = json.loads(proc.stdout.strip().splitlines()[-1])
        out[label] = row
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=25)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL too (a throwaway server)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, url, path, chunk = args.child
        child(step, url, path, int(chunk))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "NOTEDESK_CONFIG_DIR": str(tmp / "config"), "NOTEDESK_DATA_DIR": str(tmp / "data"),
               "NOTEDESK_CLERK": "bench", "PYTHONPATH": str(ROOT / "src")}
        path = tmp / "drawing.bin"
        path.write_bytes(os.urandom(args.mb << 20))
        engines = {"SQLite": measure(lambda label: str(tmp / f"{label.replace(' ', '')}.db"), path, env)}
        if args.pg:
            sys.path.insert(0, str(ROOT / "tests"))
            import pgserver

            server = pgserver.shared_server()

            def pg_url(label: str) -> str:
                return server.create_database("bench_" + label.replace(" ", "_").lower())

            engines["PostgreSQL"] = measure(pg_url, path, env)
    print(f"| {args.mb} MB file | chunk | store: peak RSS growth, time | save out: peak RSS growth, time |")
    print("|---|---|---|---|")
    for engine, rows in engines.items():
        for label, row in rows.items():
            s, r = row["store"], row["read"]
            print(f"| {engine} | {label} | {s['mb']:.0f} MB, {s['seconds']:.2f} s "
                  f"| {r['mb']:.0f} MB, {r['seconds']:.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
