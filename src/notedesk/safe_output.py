"""Files notedesk writes for a clerk — exports, sheets, attachments saved out, backups: whole or not at
all, and never in place of something that is not a plain file. Every command that writes a file goes
through `output()` (a stream) or `new_file()` (a path, for writers such as SQLite's backup API).

Where the output goes, by what DEST is now (a symlink is followed):
- `-`: standard output;
- a FIFO or a character device (a named pipe another program reads, /dev/null, a terminal): opened and
  written as a stream, never replaced — renaming a temporary file over `/dev/null` as root replaced the
  system's /dev/null with a file of every customer's data (issue 13);
- anything else that is not a regular file (a folder, a socket, a block device): refused;
- a regular file, or nothing yet: written to a temporary file in the same folder, flushed to disk, then
  renamed over DEST, so a reader or a crash sees the old file or the new one, never half of one. New
  files are never open to others: 0600, or 0660 in a shared group folder (setgid or group-writable,
  but not a world-writable one such as /tmp).

A full disk is one line, "the disk holding DEST is full", and the temporary file is removed. A reader
that goes away (`notedesk export | head -1`) ends the output quietly.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from notedesk import labels
from notedesk.errors import NotedeskError
from notedesk.i18n import _

FULL = (errno.ENOSPC, errno.EDQUOT)


class OutputError(NotedeskError):
    """A file cannot be written here: one line naming it."""


def new_file_mode(folder: Path) -> int:
    """0660 in a shared group folder (setgid or group-writable), 0600 in a personal one. A folder
    anyone may write (/tmp, mode 1777) is no group's: 0600 there."""
    mode = folder.stat().st_mode
    if mode & stat.S_IWOTH:
        return 0o600
    return 0o660 if mode & (stat.S_ISGID | stat.S_IWGRP) else 0o600


def disk_full(path: os.PathLike | str) -> str:
    return _("the disk holding {path} is full").format(path=path)


def explain(exc: OSError, path: os.PathLike | str) -> str:
    """One line for an OSError met while writing `path`."""
    if exc.errno in FULL:
        return disk_full(path)
    return labels.labelled(str(path), labels.os_problem(exc))


def _kind(dest: Path) -> str:
    """'stream', 'file' (a regular file or nothing yet) or 'folder'/'other' (refused)."""
    try:
        mode = dest.stat().st_mode  # follows a symlink: its target decides
    except FileNotFoundError:
        return "file"
    except OSError as exc:
        raise OutputError(explain(exc, dest)) from None
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "stream"
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "other"


@contextlib.contextmanager
def output(dest: str | os.PathLike, *, binary: bool = False) -> Iterator[IO]:
    """An open file to write DEST through (see the module docstring); text is UTF-8 with the newlines
    as written. Raises OutputError (one line) for a refused target or a failed write."""
    if str(dest) == "-":
        with _stdout(binary) as out:
            yield out
        return
    path = Path(dest).expanduser()
    kind = _kind(path)
    if kind == "folder":
        raise OutputError(_("{name}: is a folder, not a file").format(name=path))
    if kind == "other":
        raise OutputError(_("{name}: is not a regular file, a pipe or a device; not writing there").format(name=path))
    if kind == "stream":
        with _stream(path, binary) as out:
            yield out
        return
    with _replacing(path, binary) as out:
        yield out


@contextlib.contextmanager
def _stdout(binary: bool) -> Iterator[IO]:
    out = sys.stdout.buffer if binary else io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    except BrokenPipeError:  # the reader left (`| head -1`): fine, and nothing more to say
        quiet_stdout()
    finally:
        if isinstance(out, io.TextIOWrapper):  # our wrapper, not the stream under it
            with contextlib.suppress(ValueError):
                out.detach()


def quiet_stdout() -> None:
    """Standard output's reader has gone: point it at /dev/null so the exit flush says nothing."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _open(fd: int, binary: bool) -> IO:
    """A file object on `fd`: bytes, or UTF-8 text with the newlines written as given."""
    return open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline="")


@contextlib.contextmanager
def _stream(path: Path, binary: bool) -> Iterator[IO]:
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise OutputError(explain(exc, path)) from None
    out = _open(fd, binary)
    try:
        with out:
            yield out
    except BrokenPipeError:
        return
    except OSError as exc:
        raise OutputError(explain(exc, path)) from None


@contextlib.contextmanager
def _replacing(path: Path, binary: bool) -> Iterator[IO]:
    real = Path(os.path.realpath(path))  # through a symlink the file it points at is replaced
    with _temporary(real) as (tmp, fd):
        out = _open(fd, binary)
        try:
            with out:
                yield out
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, real)
        except OSError as exc:
            raise OutputError(explain(exc, path)) from None


@contextlib.contextmanager
def _temporary(dest: Path) -> Iterator[tuple[Path, int]]:
    """A new temporary file beside `dest` (its mode as a new file there), removed unless it was renamed."""
    folder = dest.parent
    try:
        mode = new_file_mode(folder)
        tmp = folder / f".{dest.name}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
        os.fchmod(fd, mode)  # the umask may have taken group bits away
    except OSError as exc:
        raise OutputError(explain(exc, dest)) from None
    try:
        yield tmp, fd
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # gone already when it was renamed


@contextlib.contextmanager
def new_file(dest: str | os.PathLike) -> Iterator[Path]:
    """For writers that need a path (SQLite's backup API): a temporary path beside DEST to write; when
    the block succeeds the file appears as DEST, never over an existing one. A failure or a kill leaves
    no DEST (at most a hidden `.DEST.PID.tmp`). Raises OutputError when DEST exists."""
    path = Path(dest).expanduser()
    if path.exists() or path.is_symlink():
        raise OutputError(_("{file} exists already: a backup never overwrites").format(file=path))
    with _temporary(path) as (tmp, fd):
        os.close(fd)
        try:
            yield tmp
            _link_new(tmp, path)
        except OSError as exc:
            raise OutputError(explain(exc, path)) from None


def _link_new(tmp: Path, dest: Path) -> None:
    """Give `tmp` the name `dest` unless `dest` exists meanwhile (a hard link cannot overwrite)."""
    try:
        os.link(tmp, dest)
    except FileExistsError:
        raise OutputError(_("{file} exists already: a backup never overwrites").format(file=dest)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if dest.exists():  # a file system without hard links: check, then rename
            raise OutputError(_("{file} exists already: a backup never overwrites").format(file=dest)) from None
        os.replace(tmp, dest)
