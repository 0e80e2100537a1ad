"""The command line: one entry point, `notedesk`, whose subcommands call the same services as the screens.

Each subcommand lives in its own module here with `register(subparsers, common)` and `run(args) -> int`.
The desk itself (Textual) is imported only when it is opened.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys

from notedesk import i18n, labels, safe_output
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.text import one_line

# subcommand name -> module in this package
COMMANDS = {
    "demo": "demo",
    "import": "import_",
    "export": "export",
    "note": "note",
    "log": "log",
    "amend": "amend",
    "pay": "pay",
    "due": "due",
    "search": "search",
    "backup": "backup",
    "check": "check",
    "copy": "copy",
    "deadline": "deadline",
    "sheet": "sheet",
    "follow-up": "follow_up",
    "remind": "remind",
    "attach": "attachments",
    "attachments": "attachments",
    "attachment": "attachments",
    "detach": "attachments",
}
MODULES = tuple(dict.fromkeys(COMMANDS.values()))  # each once, in the order help lists them


class UsageError(NotedeskError):
    """Wrong words on the command line: exit status 2."""


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help=_("database path or URL (sqlite:///PATH, postgresql://user@host/db)"))
    return common


def _first_word(argv: list[str]) -> str | None:
    """The first word after the desk's own options (--db, --lang, --lens with their values, --demo):
    the subcommand, or something else (help, an unknown option); None when there is none."""
    words = iter(argv)
    for word in words:
        if word in ("--db", "--lang", "--lens"):
            next(words, None)
        elif not (word == "--demo" or word.startswith(("--db=", "--lang=", "--lens="))):
            return word
    return None


def command_modules(argv: list[str]) -> list[str]:
    """The subcommand modules the parser needs for `argv`: none for the desk (it paints without
    importing them, ~0.1 s), the one it names, or all of them (help, or a word that is no command:
    argparse lists them). A command loads only its own module: `notedesk due` does not import the
    exchange format, the webhooks or the attachments (~0.1 CPU-s a start)."""
    word = _first_word(argv)
    if word is None:
        return []
    if word in COMMANDS:
        return [COMMANDS[word]]
    return list(MODULES)


def build_parser(modules: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser with the subcommands of `modules` (None: every one; []: none, the desk's options only)."""
    common = _common()
    parser = argparse.ArgumentParser(prog="notedesk", parents=[common],
                                     description=_("A terminal desk for customer order notes."))
    parser.add_argument("--demo", action="store_true", help=_("open the desk on its own demo database"))
    parser.add_argument("--lang", metavar="LANG", default=None, help=_("interface language: en or zh"))
    parser.add_argument("--lens", choices=("all", "production", "logistics", "finance"), default=None,
                        help=_("open the list in a department's lens (config: lens)"))
    if modules == []:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))
    for module in MODULES if modules is None else modules:
        importlib.import_module(f"notedesk.cli.{module}").register(sub, common)
    return parser


def _choose_language(argv: list[str]) -> None:
    """--lang (looked for before parsing: the parser's own help is translated), then the config
    file, then the locale. A broken config file is reported later, by whatever reads it."""
    from notedesk import config

    explicit = None
    for n, word in enumerate(argv):
        if word == "--lang" and n + 1 < len(argv):
            explicit = argv[n + 1]
        elif word.startswith("--lang="):
            explicit = word.split("=", 1)[1]
    try:
        configured = config.settings().lang
    except NotedeskError:
        configured = None
    i18n.set_language(i18n.detect_language(explicit, configured))
    # argparse's own words ("usage:", "error:", "the following arguments are required") come from
    # module-level gettext calls; our catalog holds them (cli/argparse_words.py)
    argparse._ = i18n._
    argparse.ngettext = i18n.ngettext


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    _choose_language(words)
    args = build_parser(command_modules(words)).parse_args(words)
    if not hasattr(args, "db"):
        args.db = None
    try:
        if args.command is None:
            from notedesk.cli.desk import run_desk

            return run_desk(args)
        # A command is short-lived: what the imports made lives until it exits, so the collector need
        # not walk it again, and it looks for cycles after every 50,000 new objects, not every 700
        # (listing thousands of orders allocates tens of thousands).
        gc.freeze()
        gc.set_threshold(50_000, 10, 10)
        return args.run(args)
    except UsageError as exc:
        print(f"notedesk: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except NotedeskError as exc:  # one line, cleaned: a message can quote a number or a clerk's text
        print(f"notedesk: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `notedesk search x | head -1`: the reader has what it wanted
        safe_output.quiet_stdout()
        return 0
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print("notedesk: " + one_line(_("cannot use{where}: {why}").format(where=where, why=labels.os_problem(exc))),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("notedesk: " + _("interrupted"), file=sys.stderr)
        return 130
