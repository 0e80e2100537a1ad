"""Issue 7's measurements in one command: `python benchmarks/run.py [--orders 100000] [--runs 5]`.

Builds the demo databases once (benchmarks/.cache/, keyed by the schema and demo code, so a change
there builds them again), then measures, in this order, and prints a markdown table that it also
writes to benchmarks/results.md with the date and the machine:

- first paint and memory: `python -m notedesk --db …` (12 orders and N orders) and a bare Textual app
  with a 50-row DataTable (benchmarks/floor_app.py, the floor) in a real pseudo-terminal at 80x24,
  from spawn until an order number (the floor: its marker) is on the screen, and the CPU it used until
  then (a shared machine stretches wall time, not CPU time); RSS (VmRSS) once the screen has settled
  after it; medians of --runs runs, the three interleaved;
- cursor keys on the N-order list at 80x24 and 200x50: `down` written to the pty, latency until the
  last byte of the answer (the answer ends when nothing more comes for 150 ms, not counted), bytes
  written per key (page jumps included), CPU per key; the floor's DataTable alongside;
- search, service level (services.search in this process): p50/p95 over many queries drawn from the
  demo's own texts, Chinese 1, 2 and 3-6 characters and English words and phrases;
- `notedesk search` and `notedesk due` wall time at N vs 12 orders (subprocesses, the two interleaved,
  medians of 3x --runs runs: a third of a second each, they are cheap, and on a shared machine five of
  them gave ratios 0.1 apart from one run to the next);
- `notedesk import` of a 10,000-order export into an empty database, and the longest stretch its write
  lock kept another writer out (benchmarks/lock_probe.py; issue 13: ≤ 10 s, lock ≤ 3 s).
  `--only import --import-orders N` runs just that (a quick look at a smaller size), and with
  `--baseline OTHER/src` another checkout's import of the same file interleaved with it;
- opening an order (services.orders.get_order, what the detail reads) with ten 5 MB attachments
  against one without (issue 17);
- issue 21 (benchmarks/lean.py): bytes to settle (first 2 s, and until 300 ms of silence) at 80x24 and
  200x50 for the floor, 12 and N orders; bytes per action at 80x24; opening the detail, the editor and
  the note history of an order with 5,000 log entries and 1,000 revisions against one with 10.
  `--only bytes` runs just that (with `--orders 20000` a quicker look).
- issue 16, the departments' lenses: `--only lenses` measures, in one run, the plain list and each lens
  on the N-order database: first paint at 80x24 (interleaved with the floor's), cursor keys at 80x24,
  and in this process the services each screen waits for (the first screen: count and first page; the
  next page by keyset; the totals line), medians; written as its own section of results.md.

The package's modules are compiled to bytecode first, as `pip install` leaves an installed desk (an
environment with PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start, which
the floor, built from installed packages only, never pays). Every target of issue 7 is marked met or
not met. The machine is shared: the load average is recorded at the start and the end, and each
figure is a median (or percentile) of several runs.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import lean  # noqa: E402
from ptyrun import PtyProgram  # noqa: E402

CACHE = HERE / ".cache"
RESULTS = HERE / "results.md"
PY = sys.executable
ORDER_MARK = rb"SO-\d{4}-\d{5}"
LENSES = ("production", "logistics", "finance")  # notedesk --lens (issue 16), measured like the plain list
FLOOR_MARK = rb"FLOOR-00000"
DOWN = b"\x1b[B"
KEYS_PER_RUN = 60
SEARCHES_PER_KIND = 200
CLI_QUERIES = ("付款截图", "加急")  # a 4- and a 2-character Chinese query from the demo's phrases
IMPORT_ORDERS = 10_000
# What the cache depends on: a change to any of these builds the databases again.
CACHE_INPUTS = ("src/notedesk/store/search_index.py", "src/notedesk/store/models.py", "src/notedesk/demo.py",
                "src/notedesk/demo_rows.py", "src/notedesk/demo_phrases.py")
MIGRATIONS = "src/notedesk/store/migrations"  # and every migration in it


# --- environment and databases ----------------------------------------------------------------------

def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NOTEDESK_", "TEXTUAL_")) and k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(NOTEDESK_CONFIG_DIR=str(home / "config"), NOTEDESK_DATA_DIR=str(home / "data"),
               NOTEDESK_CLERK="bench", TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               PYTHONPATH=str(ROOT / "src"))
    return env


def cache_key() -> str:
    digest = hashlib.sha1()
    for path in [*(ROOT / name for name in CACHE_INPUTS), *sorted((ROOT / MIGRATIONS).glob("[0-9]*.py"))]:
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:10]


def demo_database(orders: int, env: dict[str, str]) -> tuple[Path, dict]:
    """The cached demo database of `orders` orders, built with `notedesk demo` when missing."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{orders}-{cache_key()}.db"
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists():
        return path, {**json.loads(info_path.read_text()), "cached": True}
    for stale in CACHE.glob(f"demo-{orders}-*"):
        stale.unlink()
    print(f"building {path.name} with `notedesk demo --orders {orders}` …", file=sys.stderr, flush=True)
    started, cpu = time.perf_counter(), os.times()
    subprocess.run([PY, "-m", "notedesk", "demo", "--orders", str(orders), "--db", str(path)], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    info = {"orders": orders, "seconds": time.perf_counter() - started,
            "cpu_seconds": (after.children_user - cpu.children_user) + (after.children_system - cpu.children_system),
            "built": dt.datetime.now().isoformat(timespec="seconds"), "load": os.getloadavg()[0]}
    info_path.write_text(json.dumps(info))
    return path, {**info, "cached": False}


def index_sizes(path: Path) -> dict[str, float]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        texts = conn.execute("SELECT (SELECT count(*) FROM note WHERE body <> '') "
                             "+ (SELECT count(*) FROM communication)").fetchone()[0]
    finally:
        conn.close()
    search = sum(size for name, size in rows if name.startswith("search_"))
    return {"file_mb": path.stat().st_size / 1e6, "search_mb": search / 1e6, "texts": texts}


# --- in a pseudo-terminal -----------------------------------------------------------------------------

def first_paints(targets: dict[str, tuple[list[str], bytes]], runs: int, env: dict) -> dict[str, dict]:
    """Seconds to first paint and MB resident after it, per target; the targets' runs interleaved."""
    out = {name: {"paint": [], "rss": [], "cpu": []} for name in targets}
    for _ in range(runs):
        for name, (argv, mark) in targets.items():
            program = PtyProgram(argv, 80, 24, env)
            try:
                out[name]["paint"].append(program.wait_for(mark))
                out[name]["cpu"].append(program.cpu_s())
                program.settle(quiet=0.3, limit=3)  # the rest of the first screen (pages load after it)
                out[name]["rss"].append(program.rss_kb() / 1024)
            finally:
                program.stop()
    return out


def cursor_keys(argv: list[str], mark: bytes, cols: int, rows: int, env: dict) -> dict:
    """Latency (s) and bytes of each of KEYS_PER_RUN `down` keys from the top of the list."""
    program = PtyProgram(argv, cols, rows, env)
    try:
        program.wait_for(mark)
        program.settle(quiet=1.0, limit=15)
        latencies, sizes = [], []
        cpu = program.cpu_s()
        for _ in range(KEYS_PER_RUN):
            took, size = program.key(DOWN)
            latencies.append(took)
            sizes.append(size)
        cpu = (program.cpu_s() - cpu) / KEYS_PER_RUN
    finally:
        program.stop()
    return {"latency": latencies, "bytes": sizes, "cpu_per_key": cpu}


# --- search, CLI, import ------------------------------------------------------------------------------

CJK = re.compile("[\u4e00-\u9fff]+")
WORDS = re.compile("[A-Za-z]{4,}")


def search_queries(path: Path, seed: int = 7) -> dict[str, list[str]]:
    """Queries drawn from the demo's own texts: Chinese 1, 2, 3-6 characters; English words and phrases."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        top = conn.execute("SELECT max(id) FROM communication").fetchone()[0]
        ids = ",".join(str(rng.randint(1, top)) for _ in range(3000))
        texts = [r[0] for r in conn.execute(f"SELECT text FROM communication WHERE id IN ({ids})")]
        texts += [r[0] for r in conn.execute("SELECT body FROM note WHERE id % 97 = 0 AND body <> '' LIMIT 3000")]
    finally:
        conn.close()
    runs = [run for text in texts for run in CJK.findall(text)]
    english = [text for text in texts if WORDS.search(text) and not CJK.search(text)]
    kinds: dict[str, list[str]] = {"Chinese, 1 character": [], "Chinese, 2 characters": [],
                                   "Chinese, 3-6 characters": [], "English": [], "English, 2 words that never meet": []}
    while min(len(v) for v in kinds.values()) < SEARCHES_PER_KIND:
        run = rng.choice(runs)
        kinds["Chinese, 1 character"].append(rng.choice(run))
        if len(run) >= 2:
            i = rng.randrange(len(run) - 1)
            kinds["Chinese, 2 characters"].append(run[i:i + 2])
        if len(run) >= 3:
            n = rng.randint(3, min(6, len(run)))
            i = rng.randrange(len(run) - n + 1)
            kinds["Chinese, 3-6 characters"].append(run[i:i + n])
        words = [w.strip(".,:;()!?\"'") for w in rng.choice(english).split()]
        i = rng.randrange(len(words))
        phrase = " ".join(words[i:i + rng.choice((1, 1, 2))]).lower()  # a word or two as written
        if len(phrase) >= 3 and WORDS.search(phrase):
            kinds["English"].append(phrase)
        a, b = (rng.choice(WORDS.findall(rng.choice(english))) for _ in range(2))
        kinds["English, 2 words that never meet"].append(f"{a} {b}".lower())
    return {k: v[:SEARCHES_PER_KIND] for k, v in kinds.items()}


def search_latency(path: Path) -> dict[str, dict]:
    from notedesk.services import search
    from notedesk.store.connection import close_database, open_database

    queries = search_queries(path)
    open_database(str(path))
    try:
        for q in queries["English"][:20]:  # warm the page cache a little, as a desk in use is
            search.search(q)
        out = {}
        for kind, items in queries.items():
            times, cpu, hits = [], [], []
            for q in items:
                started, started_cpu = time.perf_counter(), time.thread_time()
                found = search.search(q)
                times.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - started_cpu)
                hits.append(len(found))
            out[kind] = {"times": times, "cpu": cpu, "hits": hits, "examples": items[:4]}
        return out
    finally:
        close_database()


def wall(argv: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def commands(small: Path, big: Path, runs: int, env: dict) -> dict[str, dict]:
    cases = {f"notedesk search {q}": ["search", q] for q in CLI_QUERIES}
    cases.update({"notedesk due": ["due"], "notedesk due --within 24h": ["due", "--within", "24h"]})
    out = {name: {"small": [], "big": []} for name in cases}
    for _ in range(runs):
        for name, args in cases.items():
            out[name]["small"].append(wall([PY, "-m", "notedesk", *args, "--db", str(small)], env))
            out[name]["big"].append(wall([PY, "-m", "notedesk", *args, "--db", str(big)], env))
    return out


def import_10k(env: dict, runs: int, orders: int = IMPORT_ORDERS, baseline: Path | None = None) -> dict:
    """`notedesk import` of an export of `orders` demo orders (notes, log and all) into an empty database,
    timed with lock_probe.py: wall time, and the longest the write lock kept another writer out.
    `baseline`: another checkout's `src` (e.g. main's), whose import of the same file runs before each
    of this one's (interleaved): a shared machine's load then stretches both alike."""
    source, info = demo_database(orders, env)
    export = CACHE / f"export-{orders}-{cache_key()}.json"
    if not export.exists():
        for stale in CACHE.glob(f"export-{orders}-*"):
            stale.unlink()
        subprocess.run([PY, "-m", "notedesk", "export", "--format", "json", "-o", str(export), "--db", str(source)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    sources = {"this": env}
    if baseline is not None:
        compileall.compile_dir(baseline, quiet=1)
        sources = {"baseline": {**env, "PYTHONPATH": str(baseline)}, **sources}
    figures: dict[str, dict[str, list[float]]] = {name: {"times": [], "lock_held": [], "cpu": []} for name in sources}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            for name, run_env in sources.items():
                db = str(Path(tmp) / f"{name}{n}.db")
                done = subprocess.run([PY, str(HERE / "lock_probe.py"), db, "--", PY, "-m", "notedesk", "import",
                                       str(export), "--db", db], env=run_env, check=True, capture_output=True,
                                      text=True)
                measured = json.loads(done.stdout)
                figures[name]["times"].append(measured["seconds"])
                figures[name]["lock_held"].append(measured["lock_held"])
                figures[name]["cpu"].append(measured["cpu_seconds"])
    load.append(os.getloadavg()[0])
    return {**figures["this"], "mb": export.stat().st_size / 1e6, "orders": orders, "load": load,
            **({"baseline": {**figures["baseline"], "src": str(baseline)}} if baseline is not None else {})}


def open_with_attachments(small: Path, runs: int) -> dict:
    """services.orders.get_order (what the detail screen reads) in this process, on a copy of the small
    database: an order with ten 5 MB attachments against one without, interleaved, 20 × --runs each."""
    import shutil

    from notedesk.services import attachments, orders
    from notedesk.store.connection import close_database, open_database

    times: dict[str, list[float]] = {"without": [], "with": []}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "desk.db"
        shutil.copy(small, db)
        open_database(str(db))
        try:
            numbers = [o.number for o in orders.m.Order.select(orders.m.Order.number).order_by(orders.m.Order.id)]
            files = []
            for n in range(10):
                path = Path(tmp) / f"drawing-{n}.bin"
                path.write_bytes(os.urandom(5 * 1024 * 1024))
                files.append(str(path))
            attachments.attach_files(numbers[0], files)
            cases = {"with": numbers[0], "without": numbers[1]}
            for number in cases.values():
                orders.get_order(number)  # warm the page cache, as a desk in use has it
            for _ in range(20 * runs):
                for name, number in cases.items():
                    started = time.perf_counter()
                    orders.get_order(number)
                    times[name].append(time.perf_counter() - started)
        finally:
            close_database()
    return times


# --- the run ------------------------------------------------------------------------------------------

def machine() -> dict:
    import textual

    return {"nproc": os.cpu_count(), "platform": platform.platform(terse=True), "python": platform.python_version(),
            "textual": getattr(textual, "__version__", "?"), "sqlite": sqlite3.sqlite_version}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the big database (default 100000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave results.md alone")
    parser.add_argument("--only", choices=("import", "bytes", "lenses"),
                        help="run only this measurement (bytes: issue 21's; lenses: issue 16's) and print it")
    parser.add_argument("--import-orders", type=int, default=IMPORT_ORDERS, help="orders in the import (default 10000)")
    parser.add_argument("--baseline", metavar="SRC",
                        help="with --only import: another checkout's src/ (e.g. main's) imported the same file "
                             "before each run (interleaved), as the baseline")
    parser.add_argument("--report-only", action="store_true",
                        help="render the table again from the last run's figures (.cache/last-run.json)")
    args = parser.parse_args(argv)
    from report import render

    if args.report_only:
        text = render(json.loads((CACHE / "last-run.json").read_text()))
        print(text)
        if not args.no_write:
            RESULTS.write_text(text)
        return 0

    compileall.compile_dir(ROOT / "src", quiet=1)
    if args.only == "import":
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(import_10k(environment(Path(tmp)), args.runs, args.import_orders,
                                        Path(args.baseline).resolve() if args.baseline else None)))
        return 0
    if args.only == "bytes":
        return only_bytes(args)
    if args.only == "lenses":
        return only_lenses(args)
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        load_start = os.getloadavg()[0]
        small, small_info = demo_database(12, env)
        big, big_info = demo_database(args.orders, env)
        desk = [PY, "-m", "notedesk", "--db"]
        floor = [PY, str(HERE / "floor_app.py")]
        big_name = f"{args.orders:,} orders"
        step = lambda what: print(f"measuring {what} …", file=sys.stderr, flush=True)  # noqa: E731
        step("first paint and memory")
        paint = first_paints({"floor": (floor, FLOOR_MARK), "12 orders": (desk + [str(small)], ORDER_MARK),
                              big_name: (desk + [str(big)], ORDER_MARK),
                              # the departments' lenses (issue 16): the same list, other filters and columns
                              **{f"{big_name}, {lens} lens": (desk + [str(big), "--lens", lens], ORDER_MARK)
                                 for lens in LENSES}}, args.runs, env)
        step("cursor keys")
        keys = {"80x24": cursor_keys(desk + [str(big)], ORDER_MARK, 80, 24, env),
                "200x50": cursor_keys(desk + [str(big)], ORDER_MARK, 200, 50, env),
                "floor 80x24": cursor_keys(floor, FLOOR_MARK, 80, 24, env),
                "floor 200x50": cursor_keys(floor, FLOOR_MARK, 200, 50, env),
                **{f"80x24 {lens}": cursor_keys(desk + [str(big), "--lens", lens], ORDER_MARK, 80, 24, env)
                   for lens in LENSES}}
        step("search")
        searches = search_latency(big)
        step("commands")
        cli = commands(small, big, 3 * args.runs, env)
        step("import")
        imported = import_10k(env, max(1, min(3, args.runs)), args.import_orders)
        step("opening an order with attachments")
        with_files = open_with_attachments(small, args.runs)
        load_lean = os.getloadavg()[0]
        lean_figures = lean.measure(small=small, big=big, big_name=big_name, floor=floor, desk=desk,
                                    floor_mark=FLOOR_MARK, order_mark=ORDER_MARK, env=env, runs=args.runs,
                                    folder=Path(tmp), step=step)
        results = {
            "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"), "runs": args.runs,
            "orders": args.orders, "machine": machine(), "load": (load_start, os.getloadavg()[0]),
            "demo": big_info, "demo_small": small_info, "sizes": index_sizes(big), "paint": paint,
            "keys": keys, "search": searches, "commands": cli, "import": imported, "attachments": with_files,
            "lean": {**lean_figures, "load": (load_lean, os.getloadavg()[0])},
        }
    (CACHE / "last-run.json").write_text(json.dumps(results, ensure_ascii=False, default=str))
    text = render(results)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
    return 0


def replace_section(text: str, heading: str, section: str) -> str:
    """`text` with its section starting at `heading` (up to the next "## " heading) replaced by
    `section`, or `section` appended; the sections after it stay (others' figures)."""
    before, found, rest = text.partition(heading)
    after = ""
    if found:
        at = rest.find("\n## ")
        after = rest[at:].lstrip("\n") if at >= 0 else ""
    out = before.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    return out + ("\n" + after if after else "")


def only_bytes(args) -> int:
    """Issue 21's figures alone: printed, and with the rest of the last full run's figures rendered into
    results.md unless --no-write (a run that measured only these leaves the other rows as they were)."""
    from report import render, render_lean

    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        load_start = os.getloadavg()[0]
        small, _info = demo_database(12, env)
        big, _info = demo_database(args.orders, env)
        step = lambda what: print(f"measuring {what} …", file=sys.stderr, flush=True)  # noqa: E731
        figures = lean.measure(small=small, big=big, big_name=f"{args.orders:,} orders",
                               floor=[PY, str(HERE / "floor_app.py")], desk=[PY, "-m", "notedesk", "--db"],
                               floor_mark=FLOOR_MARK, order_mark=ORDER_MARK, env=env, runs=args.runs,
                               folder=Path(tmp), step=step)
    figures["load"] = (load_start, os.getloadavg()[0])
    (CACHE / "last-bytes.json").write_text(json.dumps(figures, ensure_ascii=False, default=str))
    print("\n".join(render_lean(figures, args.orders, args.runs)))
    last = CACHE / "last-run.json"
    if args.no_write:
        return 0
    if last.exists():
        results = json.loads(last.read_text())
        results["lean"] = figures
        last.write_text(json.dumps(results, ensure_ascii=False, default=str))
        RESULTS.write_text(render(results))
    else:  # no full run here: the section replaces its predecessor in results.md, the rest stays
        RESULTS.write_text(replace_section(RESULTS.read_text(), "## Bytes on the wire",
                                           "\n".join(render_lean(figures, args.orders, args.runs))))
    return 0


LENS_SERVICE_ROUNDS = 15  # in-process service calls per lens and measure (cheap: medians of many)
LENS_KEY_ROUNDS = 3  # runs of KEYS_PER_RUN cursor keys per screen, the screens taking turns


def lens_services(big: Path, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Seconds of the service calls behind each lens's screen, in this process on the N-order database:
    the first screen (count + first page, what the desk reads before it paints), the next page by keyset
    (scrolling on), the totals line (count and sums per currency). The lenses interleaved, round by round."""
    from notedesk.services import lenses, listing
    from notedesk.store.connection import close_database, open_database

    names = ("all", *LENSES)
    out: dict[str, dict[str, list[float]]] = {n: {"first": [], "next": [], "totals": []} for n in names}
    open_database(str(big), create=False)
    try:
        queries = {n: lenses.lens_query(n) for n in names}
        rows = {n: listing.count_orders(q) for n, q in queries.items()}
        for _ in range(rounds):
            for name, query in queries.items():
                started = time.perf_counter()
                first = listing.first_screen(query)
                out[name]["first"].append(time.perf_counter() - started)
                if first.page.keys:  # a lens with nothing in it today has no next page
                    started = time.perf_counter()
                    listing.fetch_page(query, after=first.page.keys[-1], limit=first.limit)
                    out[name]["next"].append(time.perf_counter() - started)
                started = time.perf_counter()
                listing.totals(query)
                out[name]["totals"].append(time.perf_counter() - started)
    finally:
        close_database()
    return {n: {**figures, "rows": rows[n]} for n, figures in out.items()}  # type: ignore[dict-item]


def only_lenses(args) -> int:
    """Issue 16's figures: the plain list and each lens, measured in the same run, printed and written
    as their own section of results.md (and into .cache/last-run.json when a full run left one)."""
    from report import LENS_SECTION, render, render_lenses

    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        big, big_info = demo_database(args.orders, env)
        load_start = os.getloadavg()[0]
        desk = [PY, "-m", "notedesk", "--db", str(big)]
        floor = [PY, str(HERE / "floor_app.py")]
        step = lambda what: print(f"measuring {what} …", file=sys.stderr, flush=True)  # noqa: E731
        step("first paint (the floor, the plain list and each lens, interleaved)")
        paint = first_paints({"floor": (floor, FLOOR_MARK), "all": (desk, ORDER_MARK),
                              **{lens: (desk + ["--lens", lens], ORDER_MARK) for lens in LENSES}}, args.runs, env)
        step(f"cursor keys at 80x24 ({LENS_KEY_ROUNDS} rounds, interleaved)")
        argvs = {"all": desk, **{lens: desk + ["--lens", lens] for lens in LENSES}}
        keys: dict[str, dict] = {name: {"latency": [], "bytes": [], "cpu": []} for name in argvs}
        for _ in range(LENS_KEY_ROUNDS):  # the load moves during a run: every lens sees the same moments
            for name, argv in argvs.items():
                k = cursor_keys(argv, ORDER_MARK, 80, 24, env)
                keys[name]["latency"] += k["latency"]
                keys[name]["bytes"] += k["bytes"]
                keys[name]["cpu"].append(k["cpu_per_key"])
        step("the services behind each screen")
        services = lens_services(big, LENS_SERVICE_ROUNDS)
    figures = {"date": dt.datetime.now().astimezone().isoformat(timespec="minutes"), "runs": args.runs,
               "orders": args.orders, "machine": machine(), "load": (load_start, os.getloadavg()[0]),
               "demo": big_info, "paint": paint, "keys": keys, "services": services,
               "service_rounds": LENS_SERVICE_ROUNDS}
    (CACHE / "last-lenses.json").write_text(json.dumps(figures, ensure_ascii=False, default=str))
    section = "\n".join(render_lenses(figures))
    print(section)
    if args.no_write:
        return 0
    last = CACHE / "last-run.json"
    if last.exists():
        results = json.loads(last.read_text())
        results["lenses"] = figures
        last.write_text(json.dumps(results, ensure_ascii=False, default=str))
        RESULTS.write_text(render(results))
        return 0
    # no full run here: the section replaces its predecessor in results.md (or goes before issue 21's
    # section, which `--only bytes` rewrites with everything after it); the rest stays as it is
    text = RESULTS.read_text()
    if LENS_SECTION in text:
        before, rest = text.split(LENS_SECTION, 1)
        after = rest[rest.find("\n## ") + 1:] if "\n## " in rest else ""
    elif "\n## " in text:
        cut = text.index("\n## ") + 1
        before, after = text[:cut], text[cut:]
    else:
        before, after = text.rstrip("\n") + "\n\n", ""
    RESULTS.write_text(before + section + "\n" + ("\n" + after if after else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
