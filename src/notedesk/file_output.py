"""Writing a file a clerk asked for (an attachment saved out): whole or not at all, never over a device.

(Until the one safe-output helper of issue 13 takes this over for every command that writes files.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.store.connection import new_file_mode


def write_binary(dest: Path | None, produce):
    """Bytes to `dest` as `produce(write)` hands them over; returns what `produce` returns.

    stdout when `dest` is None; a FIFO or a device is written to as it is (never replaced); a regular
    file appears whole or not at all (a temporary file beside it, renamed over it), never readable by
    others."""
    if dest is None:
        try:
            result = produce(sys.stdout.buffer.write)
            sys.stdout.buffer.flush()
        except BrokenPipeError:  # `… | head -c 100`: the reader left, which is fine
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return None
        return result
    if dest.is_dir():
        raise NotedeskError(_("{name}: is a folder, not a file").format(name=dest))
    if dest.exists() and not dest.is_file():  # a FIFO or a device: stream into it, never rename over it
        with open(dest, "wb") as out:
            return produce(out.write)
    folder = dest.parent if str(dest.parent) else Path(".")
    mode = new_file_mode(folder)
    tmp = folder / f".{dest.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    except OSError as exc:
        raise NotedeskError(f"{dest}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            result = produce(out.write)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)  # the umask may have taken group bits away
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return result
