"""What a file to attach is, read before anything is stored: its name, size, sha256 and type from its bytes.

Pure: no database. A file is read in CHUNK_BYTES pieces, never whole. Every problem is one
InvalidInput line naming the file: not there, a folder, a FIFO, a device, empty, over the size
limit, growing or changing while it is read, an image that does not decode. The type comes from the
content (puremagic's table of signatures; Pillow's own reading for pictures), never from the name,
and a picture must decode before it is stored: the preview decodes it again, and a clerk should
learn at once that a photo arrived broken.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from notedesk import config, labels
from notedesk.config import ConfigError
from notedesk.i18n import _, ngettext
from notedesk.services.errors import InvalidInput
from notedesk.text import one_line

CHUNK_BYTES = 1 << 20  # a stored piece of content; measured in benchmarks/attachments.py
HEAD_BYTES = 64 << 10  # what the type is read from
NAME_LIMIT = 255
# Pictures Pillow decodes: these must decode before they are stored (and can be previewed).
PICTURES = {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/tiff"}
CHECK_PIXELS = 50_000_000  # larger pictures are checked by their header only (decoding costs GBs)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    per_order: int

    @property
    def max_text(self) -> str:
        return size_text(self.max_bytes)


def limits() -> Limits:
    """The per-file size and per-order count limits (settings attachment_max_mb, attachments_per_order)."""
    s = config.settings()
    mb, count = s.attachment_max_mb, s.attachments_per_order
    if isinstance(mb, bool) or not isinstance(mb, (int, float)) or not 0 < mb <= 4096:
        raise ConfigError(_("setting attachment_max_mb must be a number of megabytes from 0 to 4096, got {value!r}")
                          .format(value=mb))
    if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= 100_000:
        raise ConfigError(_("setting attachments_per_order must be a whole number from 1 to 100000, got {value!r}")
                          .format(value=count))
    return Limits(int(mb * 1024 * 1024), count)


def size_text(size: int) -> str:
    """1,234 bytes as '1.2 KB'; MB with one decimal (1 MB = 1024 × 1024 bytes, as the limit is set)."""
    if size < 1024:
        return ngettext("{n} byte", "{n} bytes", size).format(n=size)
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class FileFacts:
    """A file checked and ready to store: `open()` gives its bytes again (checked against sha256 as stored)."""

    name: str
    size: int
    sha256: str
    type: str
    open: Callable[[], contextlib.AbstractContextManager[BinaryIO]] | None  # None: content stored already


def clean_name(name: str, where: str = "name") -> str:
    """A file name fit to show and to type back: cleaned (controls → U+FFFD), one line, no folders."""
    if "\x00" in name:
        raise InvalidInput(_("NUL character is not allowed"), where)
    name = one_line(name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if name in ("", ".", ".."):
        raise InvalidInput(_("a file name is needed"), where)
    if len(name) > NAME_LIMIT:
        stem, dot, ext = name.rpartition(".")
        keep = ("." + ext) if dot and len(ext) <= 10 else ""
        name = name[:NAME_LIMIT - len(keep) - 1] + "…" + keep
    return name


# --- reading a path -------------------------------------------------------------------------------------

def _not_a_file(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _("is a folder, not a file")
    if stat.S_ISFIFO(mode):
        return _("is a FIFO (named pipe), not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("is a device, not a file")
    if stat.S_ISSOCK(mode):
        return _("is a socket, not a file")
    return _("is not a regular file")


@contextlib.contextmanager
def _open_regular(path: Path, shown: str) -> Iterator[BinaryIO]:
    """The file opened for reading, refused unless it is a regular file (checked on the open file:
    O_NONBLOCK, so a FIFO swapped in after the check cannot block us)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InvalidInput(_("no such file"), shown) from None
    except IsADirectoryError:
        raise InvalidInput(_("is a folder, not a file"), shown) from None
    except OSError as exc:
        raise InvalidInput(labels.os_problem(exc), shown) from None
    stream = os.fdopen(fd, "rb", buffering=0)
    try:
        problem = _not_a_file(os.fstat(fd).st_mode)
        if problem:
            raise InvalidInput(problem, shown)
        yield stream
    finally:
        stream.close()


def inspect_path(path: str | Path, limit: Limits, name: str | None = None) -> FileFacts:
    """Check a file on disk and read its facts (streamed). Raises InvalidInput naming the file."""
    path = Path(path)
    shown = one_line(str(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InvalidInput(_("no such file"), shown) from None
    except OSError as exc:
        raise InvalidInput(labels.os_problem(exc), shown) from None
    problem = _not_a_file(st.st_mode)
    if problem:
        raise InvalidInput(problem, shown)
    clean = clean_name(name if name is not None else path.name, shown)
    _check_size(st.st_size, limit, shown)

    def opener():
        return _open_regular(path, shown)

    with opener() as stream:
        before = os.fstat(stream.fileno())
        _check_size(before.st_size, limit, shown)
        digest, size, head = _digest(stream, before.st_size, limit, shown)
        after = os.fstat(stream.fileno())
    if size != before.st_size or after.st_size != before.st_size or after.st_mtime_ns != before.st_mtime_ns:
        raise InvalidInput(_("changed while it was being read: try again when it is complete"), shown)
    kind = detect_type(head)
    if kind in PICTURES:
        check_picture(opener, kind, shown)
    return FileFacts(clean, size, digest, kind, opener)


def inspect_bytes(data: bytes, name: str, limit: Limits, where: str) -> FileFacts:
    """The same checks for content already in memory (an import with --with-files)."""
    clean = clean_name(name, where)
    _check_size(len(data), limit, where)
    kind = detect_type(data[:HEAD_BYTES])

    def opener():
        return contextlib.nullcontext(io.BytesIO(data))

    if kind in PICTURES:
        check_picture(opener, kind, where)
    return FileFacts(clean, len(data), hashlib.sha256(data).hexdigest(), kind, opener)


def _check_size(size: int, limit: Limits, where: str) -> None:
    if size == 0:
        raise InvalidInput(_("is empty (0 bytes): nothing to attach"), where)
    if size > limit.max_bytes:
        raise InvalidInput(_("is {size}: larger than the limit of {limit} per file (setting attachment_max_mb)")
                           .format(size=size_text(size), limit=limit.max_text), where)


def _digest(stream: BinaryIO, expected: int, limit: Limits, where: str) -> tuple[str, int, bytes]:
    """(sha256, bytes read, the first HEAD_BYTES), refusing a file that grows past its size while read."""
    sha = hashlib.sha256()
    head = b""
    size = 0
    for piece in chunks(stream):
        size += len(piece)
        if size > expected:
            raise InvalidInput(_("grew while it was being read: try again when it is complete"), where)
        if len(head) < HEAD_BYTES:
            head += piece[:HEAD_BYTES - len(head)]
        sha.update(piece)
    return sha.hexdigest(), size, head


def chunks(stream: BinaryIO, size: int | None = None) -> Iterator[bytes]:
    """The stream's bytes in pieces of `size` (CHUNK_BYTES; the last one shorter)."""
    size = size or CHUNK_BYTES
    while True:
        piece = stream.read(size)
        while piece and len(piece) < size:  # a raw file may return less than asked: fill the piece
            more = stream.read(size - len(piece))
            if not more:
                break
            piece += more
        if not piece:
            return
        yield piece


# --- what the content is --------------------------------------------------------------------------------

def detect_type(head: bytes) -> str:
    """The MIME type of content starting with `head`, from its signature; text/plain for UTF-8 text
    without a signature, application/octet-stream for anything else."""
    import puremagic  # only when a file is read: its table of signatures takes ~20 ms to load

    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        if match.mime_type:
            return match.mime_type.strip().lower()[:100]
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError as exc:  # cut in the middle of a character at the end of the head
            if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
                return "text/plain"
    return "application/octet-stream"


def check_picture(opener, kind: str, where: str) -> None:
    """A picture must decode (its header, every PNG chunk's checksum, and its pixels unless huge)."""
    from PIL import Image

    try:
        with opener() as stream, Image.open(stream) as picture:
            picture.verify()
        with opener() as stream, Image.open(stream) as picture:
            if picture.width * picture.height <= CHECK_PIXELS:
                picture.draft("RGB", (1024, 1024))  # JPEG decodes at a fraction of its size
                picture.load()
    except InvalidInput:
        raise
    except Image.DecompressionBombError:
        raise InvalidInput(_("is a picture too large to decode safely"), where) from None
    except Exception as exc:  # Pillow raises many kinds for broken data
        raise InvalidInput(_("looks like a picture ({type}) but does not decode: {why}")
                           .format(type=kind, why=one_line(str(exc), 80) or type(exc).__name__), where) from None
