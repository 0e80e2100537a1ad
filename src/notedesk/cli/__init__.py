"""The command line: one entry point, `notedesk`, whose subcommands call the same services as the screens.

Each subcommand lives in its own module here with `register(subparsers, common)` and `run(args) -> int`.
The desk itself (Textual) is imported only when it is opened.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from notedesk.errors import NotedeskError

# subcommand name -> module in this package
COMMANDS = {
    "demo": "demo",
    "import": "import_",
    "export": "export",
    "note": "note",
    "log": "log",
    "due": "due",
    "search": "search",
    "backup": "backup",
    "check": "check",
}


class UsageError(NotedeskError):
    """Wrong words on the command line: exit status 2."""


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database path or URL (sqlite:///PATH, postgresql://user@host/db)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="notedesk", parents=[common],
                                     description="A terminal desk for customer order notes.")
    parser.add_argument("--demo", action="store_true", help="open the desk on its own demo database")
    parser.add_argument("--lang", metavar="LANG", default=None, help="interface language: en or zh")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        try:
            mod = importlib.import_module(f"notedesk.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"notedesk.cli.{module}":
                raise
            continue
        mod.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        if args.command is None:
            from notedesk.cli.desk import run_desk

            return run_desk(args)
        return args.run(args)
    except UsageError as exc:
        print(f"notedesk: {exc}", file=sys.stderr)
        return 2
    except NotedeskError as exc:
        print(f"notedesk: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"notedesk: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("notedesk: interrupted", file=sys.stderr)
        return 130
