"""The benchmark's markdown: one table with every figure, its baseline from the same run, the target of
issue 7 and whether it was met."""

from __future__ import annotations

import statistics


def _median(values) -> float:
    return statistics.median(values)


def _pct(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**NOT met**")


def render(r: dict) -> str:
    n = r["orders"]
    big = f"{n:,} orders"
    rows: list[tuple[str, str, str, str, str]] = []

    demo = r["demo"]
    built = (f"{demo['seconds']:.0f} s wall, {demo['cpu_seconds']:.0f} s CPU (load {demo['load']:.1f})"
             + (f", cached from {demo['built']}" if demo.get("cached") else ""))
    rows.append((f"`notedesk demo --orders {n:,}`", built, "", "< 120 s", _met(demo["seconds"] < 120)))

    paint, rss = r["paint"], {}
    floor_paint = _median(paint["floor"]["paint"])
    floor_rss = _median(paint["floor"]["rss"])
    floor_cpu = _median(paint["floor"]["cpu"])
    for name in ("12 orders", big):
        p, cpu = _median(paint[name]["paint"]), _median(paint[name]["cpu"])
        target = 1.3 * floor_paint + 0.15
        rows.append((f"first paint, {name} (80x24, pty, median of {len(paint[name]['paint'])})",
                     f"{p:.3f} s ({p / floor_paint:.2f}× floor); CPU until then {cpu:.2f} s "
                     f"({cpu / floor_cpu:.2f}× floor)",
                     f"floor {floor_paint:.3f} s, CPU {floor_cpu:.2f} s",
                     f"≤ 1.3× floor + 0.15 s = {target:.3f} s", _met(p <= target) if name == big else "—"))
        rss[name] = _median(paint[name]["rss"])
    for name in ("12 orders", big):
        rows.append((f"RSS after first paint, {name}", f"{rss[name]:.1f} MB (floor + {rss[name] - floor_rss:.1f})",
                     f"floor {floor_rss:.1f} MB", f"≤ floor + 40 MB = {floor_rss + 40:.1f} MB",
                     _met(rss[name] <= floor_rss + 40) if name == big else "—"))

    keys = r["keys"]
    k80, kfloor = keys["80x24"], keys["floor 80x24"]
    p95 = _pct(k80["latency"], 95)
    # a move inside the view redraws two lines; leaving it repaints a page: say which costs what
    in_view = [t for t, b in zip(k80["latency"], k80["bytes"]) if b < 2 * _median(k80["bytes"])]
    rows.append((f"cursor key latency, {big}, 80x24 (pty, {len(k80['latency'])} × down)",
                 f"p50 {_ms(_pct(k80['latency'], 50))}, p95 {_ms(p95)} (moves within the view: p95 "
                 f"{_ms(_pct(in_view, 95))}, {len(in_view)} of {len(k80['latency'])}); "
                 f"CPU {_ms(k80['cpu_per_key'])} a key",
                 f"floor DataTable p50 {_ms(_pct(kfloor['latency'], 50))}, p95 {_ms(_pct(kfloor['latency'], 95))}; "
                 f"CPU {_ms(kfloor['cpu_per_key'])} a key",
                 "p95 ≤ 16 ms", _met(p95 <= 0.016)))
    for lens in ("production", "logistics", "finance"):  # issue 16: each lens as fast as the plain list
        lens_paint, lens_keys = paint.get(f"{big}, {lens} lens"), keys.get(f"80x24 {lens}")
        if lens_paint and lens_keys:
            p, p95 = _median(lens_paint["paint"]), _pct(lens_keys["latency"], 95)
            target = 1.3 * floor_paint + 0.15
            rows.append((f"{lens} lens, {big}, 80x24: first paint; cursor key latency",
                         f"{p:.3f} s; p50 {_ms(_pct(lens_keys['latency'], 50))}, p95 {_ms(p95)}",
                         "the plain list above", f"paint ≤ {target:.3f} s, p95 ≤ 16 ms",
                         _met(p <= target and p95 <= 0.016)))
    for size in ("80x24", "200x50"):
        k = keys[size]
        med = _median(k["bytes"])
        floor = keys.get(f"floor {size}")
        base = (f"floor DataTable median {_median(floor['bytes']):.0f} B, mean {statistics.mean(floor['bytes']):.0f} B"
                if floor else "")
        rows.append((f"bytes per cursor move, {big}, {size} (page jumps included)",
                     f"median {med:.0f} B, mean {statistics.mean(k['bytes']):.0f} B, max {max(k['bytes'])} B",
                     base, "median ≤ 1 KB" if size == "80x24" else "", _met(med <= 1024) if size == "80x24" else "—"))

    for kind, s in r["search"].items():
        p95 = _pct(s["times"], 95)
        rows.append((f"search, {kind} ({len(s['times'])} queries, e.g. {' / '.join(s['examples'][:3])})",
                     f"p50 {_ms(_pct(s['times'], 50))}, p95 {_ms(p95)}, max {_ms(max(s['times']))} "
                     f"(CPU p50 {_ms(_pct(s['cpu'], 50))}, p95 {_ms(_pct(s['cpu'], 95))})",
                     f"{statistics.mean(s['hits']):.0f} hits on average (limit 50)", "p95 ≤ 50 ms", _met(p95 <= 0.05)))

    for name, c in r["commands"].items():
        small, large = _median(c["small"]), _median(c["big"])
        ratio = large / small
        rows.append((f"`{name}`, {big} (median of {len(c['big'])})", f"{large:.3f} s ({ratio:.2f}×)",
                     f"12 orders {small:.3f} s", "≤ 1.3× 12 orders", _met(ratio <= 1.3)))

    imp = r["import"]
    count = imp.get("orders", 10_000)
    took = _median(imp["times"])
    rows.append((f"`notedesk import` of {count:,} exported orders ({imp['mb']:.0f} MB) into an empty database",
                 f"{took:.1f} s (median of {len(imp['times'])})", "notes, log and search index included",
                 "≤ 10 s", _met(took <= 10)))
    if "lock_held" in imp:
        held = max(imp["lock_held"])
        rows.append(("the write lock held by that import (longest stretch another writer was kept out, "
                     "benchmarks/lock_probe.py)", f"{held:.2f} s (worst of {len(imp['lock_held'])})", "",
                     "≤ 3 s", _met(held <= 3)))
    if "attachments" in r:  # issue 17: attachment content is read only when asked for
        a = r["attachments"]
        with_files, without = _median(a["with"]), _median(a["without"])
        rows.append((f"open an order with ten 5 MB attachments (services.orders.get_order, median of {len(a['with'])})",
                     f"{_ms(with_files)} ({with_files / without:.2f}×)", f"an order without: {_ms(without)}",
                     "≤ 1.3× without (issue 17)", _met(with_files <= 1.3 * without)))
    sizes = r["sizes"]
    rows.append(("search index size", f"{sizes['search_mb']:.0f} MB of a {sizes['file_mb']:.0f} MB database",
                 f"{sizes['texts']:,} note and communication texts + {n:,} orders", "", "—"))

    m = r["machine"]
    lines = [
        "# notedesk benchmarks (issue 7)",
        "",
        f"Run {r['date']} with `python benchmarks/run.py --orders {n} --runs {r['runs']}` on {m['nproc']} CPUs "
        f"({m['platform']}), Python {m['python']}, Textual {m['textual']}, SQLite {m['sqlite']}. "
        f"Load average {r['load'][0]:.1f} at the start, {r['load'][1]:.1f} at the end "
        "(a shared machine: wall times include waiting for a CPU).",
        "",
        "| Measure | Result | Baseline, same run | Target (issue 7) | |",
        "|---|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
        "",
        "How: notedesk's modules are compiled to bytecode first, as an installed desk has them. "
        "First paint is the time from spawning the process in a pseudo-terminal (80x24, "
        "TERM=xterm-256color) until an order number (the floor app: its marker row) appears in what it "
        "writes; RSS is VmRSS once the first screen has settled. Key latency is from writing `down` to the "
        "pty until the last byte of the answer (the answer ends after 150 ms of silence, not counted); bytes "
        "are everything written in answer to one key. The floor is a bare Textual app with a 50-row "
        "DataTable (benchmarks/floor_app.py). Search is services.search in-process on the same database "
        "(limit 50), over queries cut from the demo's own texts. Commands are subprocesses with output to "
        "/dev/null.",
        "",
    ]
    if "lenses" in r:
        lines += [*render_lenses(r["lenses"]), ""]
    if "lean" in r:
        lines += render_lean(r["lean"], n, r["runs"])
    return "\n".join(lines)


LENS_SECTION = "## The departments' lenses (issue 16)"


def _ratio(name: str, mine: float, base: float) -> str:
    """' (1.05×)' of a lens's figure against the plain list's; nothing for the plain list itself."""
    return "" if name == "all" else f" ({mine / base:.2f}×)"


def render_lenses(f: dict) -> list[str]:
    """`run.py --only lenses`: each lens against the plain list, all measured in the same run."""
    n, runs = f["orders"], f["runs"]
    paint, keys, services = f["paint"], f["keys"], f["services"]
    floor = _median(paint["floor"]["paint"])
    target = 1.3 * floor + 0.15
    plain_paint, plain_p95 = _median(paint["all"]["paint"]), _pct(keys["all"]["latency"], 95)
    plain_cpu, plain_key_cpu = _median(paint["all"]["cpu"]), _median(keys["all"]["cpu"])
    plain = services["all"]
    rows = []
    for name in ("all", "production", "logistics", "finance"):
        p, k, s = _median(paint[name]["paint"]), keys[name]["latency"], services[name]
        p95 = _pct(k, 95)
        first, totals = _median(s["first"]), _median(s["totals"])
        after = _median(s["next"]) if s["next"] else float("nan")
        met = p <= target and p95 <= 0.016
        rows.append((
            "plain list" if name == "all" else f"{name} lens", f"{s['rows']:,}",
            f"{p:.3f} s{_ratio(name, p, plain_paint)}; CPU {_median(paint[name]['cpu']):.2f} s"
            f"{_ratio(name, _median(paint[name]['cpu']), plain_cpu)}",
            f"p50 {_ms(_pct(k, 50))}, p95 {_ms(p95)}{_ratio(name, p95, plain_p95)}; CPU "
            f"{_ms(_median(keys[name]['cpu']))} a key{_ratio(name, _median(keys[name]['cpu']), plain_key_cpu)}",
            f"{_ms(first)}{_ratio(name, first, _median(plain['first']))}",
            f"{_ms(after)}{_ratio(name, after, _median(plain['next']))}",
            f"{_ms(totals)}{_ratio(name, totals, _median(plain['totals']))}", _met(met)))
    m = f["machine"]
    return [
        LENS_SECTION,
        "",
        f"Run {f['date']} with `python benchmarks/run.py --only lenses --orders {n} --runs {runs}` on "
        f"{m['nproc']} CPUs ({m['platform']}), Python {m['python']}, Textual {m['textual']}, SQLite {m['sqlite']}. "
        f"Load average {f['load'][0]:.1f} at the start, {f['load'][1]:.1f} at the end"
        + (" (a busy machine: wall times include waiting for a CPU, so compare the ratios, each lens against "
           "the plain list measured in the same run)." if max(f["load"]) > m["nproc"] else " (a quiet machine)."),
        "",
        f"Targets (issue 7's for the list, issue 16: every lens as fast as the list): first paint ≤ 1.3× floor "
        f"+ 0.15 s = {target:.3f} s (floor {floor:.3f} s, same run), cursor key p95 ≤ 16 ms.",
        "",
        f"| {n:,} orders, 80x24 | orders listed | first paint (median of {runs}); CPU until then | cursor keys "
        f"({len(keys['all']['latency'])} × down, {len(keys['all']['cpu'])} runs); CPU a key | "
        "first screen: count + page (service) | next page, keyset "
        f"(service) | totals line (service) | targets |",
        "|---|---|---|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
        "",
        "How: first paint and cursor keys as in the table above (the real `notedesk --lens …` in a "
        "pseudo-terminal; the floor, the plain list and the lenses interleaved run by run, the cursor-key runs "
        "too). CPU time (the process's own, user + system) is what a busy machine stretches least: the fairest "
        "comparison on a shared machine. The service "
        f"columns are medians of {f['service_rounds']} calls in one process on the same database "
        "(services.listing.first_screen, fetch_page after the first page's last key, totals), the lenses "
        "interleaved; ratios are against the plain list's figure of the same run. Pages and totals run in "
        "workers on the desk: a key never waits for them; the first screen is read before the desk paints.",
    ]


def _kb(size: float) -> str:
    return f"{size / 1000:.1f} KB"


def render_lean(f: dict, n: int, runs: int) -> list[str]:
    """Issue 21's section: bytes to settle, bytes per action, long histories."""
    big = f"{n:,} orders"
    rows: list[tuple[str, str, str, str, str]] = []
    for size, by_name in f["settle"].items():
        floor_2s = _median([x["2s"] for x in by_name["floor"]])
        floor_quiet = _median([x["quiet"] for x in by_name["floor"]])
        floor_first = _median([x["first"] for x in by_name["floor"]])
        for name in ("12 orders", big):
            if name not in by_name:
                continue
            got = by_name[name]
            two, quiet, first = (_median([x[k] for x in got]) for k in ("2s", "quiet", "first"))
            when = _median([x["quiet_at"] for x in got])
            limit = 1.0 if name == "12 orders" else 1.2
            target = f"≤ {limit:.1f}× floor" if size == "80x24" else ""
            ok = (two <= limit * floor_2s and quiet <= limit * floor_quiet) if size == "80x24" else None
            rows.append((f"bytes to settle, {name}, {size} (pty, median of {len(got)})",
                         f"first 2 s {_kb(two)} ({two / floor_2s:.2f}× floor); until 300 ms of silence "
                         f"{_kb(quiet)} ({quiet / floor_quiet:.2f}×, quiet at {when:.2f} s); first screen {_kb(first)}",
                         f"floor: first 2 s {_kb(floor_2s)}, until quiet {_kb(floor_quiet)}, first screen "
                         f"{_kb(floor_first)}", target, _met(ok)))
    for name, by_action in f["actions"].items():
        for action, sizes in by_action.items():
            if not sizes:
                rows.append((f"bytes per action at 80x24, {name}: {action}", "no answer in any run", "", "", "—"))
                continue
            med = _median(sizes)
            bounded = action in ("open an order", "back")
            rows.append((f"bytes per action at 80x24, {name}: {action} (median of {len(sizes)})",
                         f"{_kb(med)} (max {_kb(max(sizes))})", "", "≤ 10 KB" if bounded else "",
                         _met(max(sizes) <= 10_000) if bounded else "—"))
    hist = f["histories"]
    names = list(hist)
    short, long = names[0], names[-1]
    for step, what in (("detail", "open the detail (enter)"), ("editor", "open the note editor (e)"),
                       ("history", "open the note history (h)")):
        s, lg = hist[short][step], hist[long][step]
        wall_s, wall_l = _median(s["wall"]), _median(lg["wall"])
        cpu_s, cpu_l = _median(s["cpu"]), _median(lg["cpu"])
        extra = " and 1,000 note revisions" if step == "history" else ""
        rows.append((f"{what}: an order with {long}{extra} (pty, 80x24, median of {len(lg['wall'])})",
                     f"{_ms(wall_l)} ({wall_l / wall_s:.2f}×); desk CPU {_ms(cpu_l)} "
                     f"({cpu_l / max(cpu_s, 0.01):.2f}×); {_kb(_median(lg['bytes']))}",
                     f"{short}: {_ms(wall_s)}, CPU {_ms(cpu_s)}, {_kb(_median(s['bytes']))}",
                     "≤ 1.3× 10 entries", _met(wall_l <= 1.3 * wall_s)))
    load = f.get("load", (0.0, 0.0))
    return [
        "## Bytes on the wire and long histories (issue 21)",
        "",
        f"Measured in the same run, load average {load[0]:.1f} at the start of this part and {load[1]:.1f} at "
        "its end.",
        "",
        "| Measure | Result | Baseline, same run | Target (issue 21) | |",
        "|---|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
        "",
        "How (benchmarks/lean.py): each program is spawned in a pseudo-terminal (TERM=xterm-256color) and every "
        "byte it writes is counted: in the first 2 s after the spawn, and until 300 ms pass without a byte "
        "once its first screen (an order number; the floor's marker row) is out; \"first screen\" is what "
        "came until the first 30 ms pause after it. The three programs' runs are interleaved. An action's "
        "bytes are everything written in answer to its key until 300 ms of silence, the desk having "
        "settled first (the first reminder poll included); the save types a word into the requirements "
        "note first. The long histories are a copy of the 12-order database in which one order has 10 log "
        "entries and another 5,000 entries and a requirements note of 1,000 revisions; each is opened "
        "from the list filtered to its number, wall time from the key to the last byte of the answer "
        "(the 300 ms of silence not counted), and the CPU the desk process spent meanwhile.",
        "",
    ]
