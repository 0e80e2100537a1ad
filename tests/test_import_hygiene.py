"""The data, service and command-line layers never load Textual or Rich.

Why: the command line (`notedesk due`, `import`, cron jobs) must start fast and work where the
terminal stack is broken, and the services are shared with the screens only through plain
dataclasses (pyproject's importlinter contract says the same statically; this checks what really
happens at run time, including lazy imports inside functions such as build_parser()).

Each check runs in a fresh interpreter: this test process has Textual loaded already. Modules are
discovered with pkgutil, so a new service or command module is covered without editing this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

# Runs in the child. A meta-path finder notes who first asks for textual/rich (the import stack),
# then steps aside so the import behaves exactly as without it.
PROBE = textwrap.dedent(
    r"""
    import importlib, json, pkgutil, sys, traceback

    FORBIDDEN = ("textual", "rich")
    culprits = {}
    current = [None]

    class Spy:
        def find_spec(self, name, path=None, target=None):
            top = name.partition(".")[0]
            if top in FORBIDDEN and top not in culprits:
                stack = [f"{f.filename}:{f.lineno}" for f in traceback.extract_stack()
                         if "/notedesk/" in f.filename]
                culprits[top] = {"while_importing": current[0], "stack": stack[-4:]}
            return None

    sys.meta_path.insert(0, Spy())

    import notedesk

    SKIP = ("notedesk.tui", "notedesk.__main__")
    names = sorted(
        m.name for m in pkgutil.walk_packages(notedesk.__path__, "notedesk.")
        if not m.name.startswith(SKIP)
    )
    broken = {}
    for name in names:
        current[0] = name
        try:
            importlib.import_module(name)
        except Exception as exc:  # reported by the test, with the module's name
            broken[name] = f"{type(exc).__name__}: {exc}"
    current[0] = "notedesk.cli.build_parser()"
    from notedesk.cli import build_parser
    build_parser()
    loaded = sorted(k for k in sys.modules if k.partition(".")[0] in FORBIDDEN)
    print(json.dumps({"imported": names, "loaded": loaded[:10], "culprits": culprits,
                      "broken": broken}))
    """
)


def _probe(extra: str = "") -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE + extra], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_store_services_text_and_cli_load_neither_textual_nor_rich():
    result = _probe()
    assert result["broken"] == {}, "modules that do not import"
    imported = result["imported"]
    # the discovery really found the layers (not a vacuous pass on an empty walk)
    for expected in ("notedesk.store.connection", "notedesk.store.models", "notedesk.services.orders",
                     "notedesk.services.notes", "notedesk.services.listing", "notedesk.text",
                     "notedesk.deadlines", "notedesk.cli.desk"):
        assert expected in imported
    assert sum(name.startswith("notedesk.services.") for name in imported) >= 8
    assert result["loaded"] == [], (
        "the terminal stack was loaded outside notedesk.tui: " + json.dumps(result["culprits"], indent=1)
    )


def test_the_probe_notices_a_tui_import():
    """The spy must see a real import of Rich, or the test above proves nothing."""
    result = _probe("import notedesk.tui.safe\n"
                    "print(json.dumps({'imported': [], 'loaded': sorted(k for k in sys.modules"
                    " if k.split('.')[0] in FORBIDDEN)[:3], 'culprits': culprits}))\n")
    assert result["loaded"], "importing notedesk.tui.safe should load rich/textual"
    assert "rich" in result["culprits"] or "textual" in result["culprits"]


@pytest.mark.parametrize("argv", [["--help"], ["due", "--help"]])
def test_help_does_not_load_the_terminal_stack(argv):
    code = (
        "import sys\n"
        "from notedesk.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('textual', 'rich'))[:5])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


STARTUP = (
    "import sys\n"
    "from notedesk import config\n"
    "from notedesk.cli.desk import run_desk\n"
    "from notedesk.store.connection import open_database\n"
    "config.database_url(None)\n"
    "open_database(sys.argv[1])\n"
    "print(sorted(k for k in sys.modules if k.split('.')[0] in ('playhouse', 'psycopg', 'psycopg2', 'tomllib')\n"
    "             or k == 'notedesk.store.postgres'))\n"
)


def _loaded_at_startup(path, tmp_path) -> list[str]:
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("NOTEDESK_")}
    env["NOTEDESK_CONFIG_DIR"] = str(tmp_path / "no-config")  # no config file: nothing to parse
    proc = subprocess.run([sys.executable, "-c", STARTUP, str(path)], capture_output=True, text=True,
                          timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    return eval(proc.stdout.strip().splitlines()[-1])


def test_a_sqlite_desk_starts_without_the_migration_runner_postgres_or_toml(tmp_path):
    """What every start loads (issue 7: ~0.02 s): playhouse's migration runner only when a migration
    is pending, PostgreSQL's modules only for a PostgreSQL URL, the TOML reader only with a config file."""
    path = tmp_path / "desk.db"
    first = _loaded_at_startup(path, tmp_path)  # a new file: every migration to apply
    assert "playhouse.migrations" in first and not any(m.startswith("psycopg") for m in first), first
    assert _loaded_at_startup(path, tmp_path) == []
