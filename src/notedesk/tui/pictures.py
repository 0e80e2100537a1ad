"""Pictures in the terminal: which drawing method, the textual-image widget for it, a decoded thumbnail.

textual-image (a maintained library for Textual) draws a picture with the kitty graphics protocol,
sixel, or coloured half-block characters that every terminal shows, over SSH and inside tmux too.
Left to itself it picks the method when first imported by asking the terminal (it writes queries
and reads the answers from stdin, 0.1 s each when a terminal does not answer), which cannot work
once Textual reads the terminal, and would cost every start of the desk if done before. So the
desk chooses from the setting `image_preview` and the environment, and imports the library with
stdout looking like no terminal, which makes it ask nothing:

- `auto` (default): kitty for kitty and Ghostty (TERM xterm-kitty / xterm-ghostty) outside tmux and
  screen, sixel for foot, mlterm and contour outside them, half blocks everywhere else (tmux passes
  neither protocol through reliably; xterm-256color says nothing about either);
- `halfcell`, `sixel`, `kitty`: that one, for a site that knows its terminals.

Whatever the method, the terminal receives pixels the desk decoded and scaled, never bytes of the
file itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

from notedesk import config
from notedesk.config import ConfigError
from notedesk.i18n import _

METHODS = ("auto", "halfcell", "sixel", "kitty")
KITTY_TERMS = ("xterm-kitty", "xterm-ghostty")
SIXEL_TERMS = ("foot", "foot-extra", "mlterm", "contour")
MAX_SIDE = 1024  # pixels: a thumbnail is all a terminal can show


def method(environ=os.environ) -> str:
    """The drawing method for this terminal: halfcell, sixel or kitty. Raises ConfigError for a bad setting."""
    chosen = config.settings().image_preview
    if chosen not in METHODS:
        raise ConfigError(_("setting image_preview must be one of {choices}, got {value!r}")
                          .format(choices=", ".join(METHODS), value=chosen))
    if chosen != "auto":
        return chosen
    term = environ.get("TERM", "")
    if environ.get("TMUX") or environ.get("STY") or term.startswith(("tmux", "screen")):
        return "halfcell"
    if term in KITTY_TERMS:
        return "kitty"
    if term in SIXEL_TERMS:
        return "sixel"
    return "halfcell"


class _NotATerminal(io.StringIO):
    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _no_terminal_queries():
    """textual-image reads `sys.__stdout__` when first imported: a stdout that is no terminal makes it
    ask the terminal nothing (tests/tui/test_attachment_preview.py checks that)."""
    real = sys.__stdout__
    sys.__stdout__ = _NotATerminal()
    try:
        yield
    finally:
        sys.__stdout__ = real


def widget_class(name: str | None = None):
    """The textual-image widget class that draws with `name` (default: `method()`)."""
    with _no_terminal_queries():
        from textual_image import widget
    return {"halfcell": widget.HalfcellImage, "sixel": widget.SixelImage,
            "kitty": widget.TGPImage}[name or method()]


def thumbnail(data: bytes):
    """The picture in `data` decoded, turned upright (EXIF), in RGB, at most MAX_SIDE pixels a side.
    Raises ValueError with a one-line reason when it does not decode."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG decodes at a fraction of its size
            upright = ImageOps.exif_transpose(picture)
            upright = upright.convert("RGB")
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            return upright
    except Exception as exc:  # Pillow raises many kinds for broken data
        raise ValueError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
