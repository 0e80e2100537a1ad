"""`notedesk export [--format json|csv|md] [--order NUMBER] [-o FILE]`: stdout without -o."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from notedesk import config, i18n
from notedesk.cli.session import open_db
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import exchange
from notedesk.store.connection import new_file_mode


def register(sub, common) -> None:
    p = sub.add_parser("export", parents=[common],
                       help=_("export orders: json (notedesk/1), csv, or md (the printable order sheet)"))
    p.add_argument("--format", choices=exchange.FORMATS, default="json")
    p.add_argument("--order", action="append", dest="numbers", metavar="NUMBER",
                   help=_("only this order (repeat for several)"))
    p.add_argument("-o", "--output", metavar="FILE",
                   help=_("write to FILE (replaced atomically, never readable by others) instead of stdout"))
    p.set_defaults(run=run)


def write_atomically(dest: Path, write) -> int:
    """Write through a temporary file in the same folder, then rename: readers never see half a file.
    The file is never readable by others (0600, 0660 in a shared group folder, like the database)."""
    folder = dest.parent if str(dest.parent) else Path(".")
    if dest.is_dir():
        raise NotedeskError(_("{name}: is a folder, not a file").format(name=dest))
    try:
        mode = new_file_mode(folder)
        tmp = folder / f".{dest.name}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    except OSError as exc:
        raise NotedeskError(f"{dest}: {exc.strerror or exc}") from None
    try:
        with io.open(fd, "w", encoding="utf-8", newline="") as out:
            count = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)  # the umask may have taken group bits away
        os.replace(tmp, dest)
    except BaseException:
        _discard(tmp)
        raise
    return count


def _discard(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def run(args) -> int:
    if args.format == "md":  # the sheet is read by people: labels in their language
        i18n.set_language(i18n.detect_language(getattr(args, "lang", None), config.settings().lang))
    open_db(args)

    def write(out) -> int:
        return exchange.export(out, args.format, args.numbers)

    if args.output and args.output != "-":
        count = write_atomically(Path(args.output), write)
        print(_("exported {count} orders to {name}").format(count=count, name=args.output))
        return 0
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")  # UTF-8 whatever the locale
    try:
        write(out)
        out.flush()
    except BrokenPipeError:  # `notedesk export | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        try:
            out.detach()
        except ValueError:
            pass
    return 0
