"""Workaround for Textual bug #6456: invalid UTF-8 from the terminal kills the app.

Why: Textual's input threads (``LinuxDriver.run_input_thread``,
``LinuxInlineDriver.run_input_thread`` and ``WebDriver.run_input_thread``)
decode the bytes they read with::

    utf8_decoder = getincrementaldecoder("utf-8")().decode

i.e. ``errors="strict"``. A clerk whose SSH client sends Latin-1 (``é`` is the
single byte 0xE9) makes ``decode`` raise ``UnicodeDecodeError``; the input
thread dies and ``_run_input_thread`` turns it into ``App.panic``: the desk
exits with a traceback and an unsaved note is lost (docs/ARCHITECTURE.md, "Terminal realities").
Upstream: https://github.com/Textualize/textual/issues/6456 (open; fix
proposed in PRs #6498/#6624, 2026, as ``getincrementaldecoder("utf-8")(errors="replace")``).

How: each of those driver modules does ``from codecs import getincrementaldecoder``
and looks the name up in its own module globals when the input thread starts.
:func:`install` rebinds that module-level name to a wrapper whose decoders
default to ``errors="replace"``, so invalid bytes arrive as U+FFFD keys (which
:func:`notedesk.text.clean` leaves alone) instead of an exception. Nothing else
in the drivers changes and no Textual code is copied, so the patch survives
unrelated Textual upgrades. Call it once before ``App.run()`` (the drivers read
the name when their input thread starts, so earlier is all that matters).

When to remove: once the Textual version pinned in pyproject.toml contains the
upstream fix. ``test_upstream_driver_dies_on_invalid_utf8`` and
``test_unpatched_app_in_a_real_terminal_dies_on_latin1_input`` in
tests/tui/test_input_patch.py fail on that day (unpatched Textual no longer
raises): delete this module, its ``install()`` call and those two tests. If Textual stops importing
``getincrementaldecoder`` into a driver module, :func:`install` reports the
module as not patched and the tests fail: re-check the driver by hand.
"""

from __future__ import annotations

import codecs
import functools
import importlib
from collections.abc import Callable

__all__ = ["DRIVER_MODULES", "install", "is_installed"]

UPSTREAM_ISSUE = "https://github.com/Textualize/textual/issues/6456"

# The Textual modules whose input thread builds a strict UTF-8 decoder.
DRIVER_MODULES = (
    "textual.drivers.linux_driver",
    "textual.drivers.linux_inline_driver",
    "textual.drivers.web_driver",
)

_MARK = "_notedesk_decode_with_replacement"


def _replacing_getincrementaldecoder(encoding: str) -> Callable[..., codecs.IncrementalDecoder]:
    """``codecs.getincrementaldecoder`` whose decoders default to errors="replace"."""
    decoder_class = codecs.getincrementaldecoder(encoding)

    @functools.wraps(decoder_class, updated=())
    def make_decoder(errors: str = "replace") -> codecs.IncrementalDecoder:
        return decoder_class(errors)

    return make_decoder


setattr(_replacing_getincrementaldecoder, _MARK, True)


def install() -> list[str]:
    """Make Textual's terminal input decoders replace invalid UTF-8 with U+FFFD.

    Idempotent. Returns the driver modules that are patched (a module that
    cannot be imported on this platform, e.g. ``termios`` on Windows, or that
    no longer has the decoder lookup, is left out).
    """
    patched = []
    for name in DRIVER_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        current = getattr(module, "getincrementaldecoder", None)
        if current is None:
            continue
        if not getattr(current, _MARK, False):
            module.getincrementaldecoder = _replacing_getincrementaldecoder
        patched.append(name)
    return patched


def is_installed(module_name: str = DRIVER_MODULES[0]) -> bool:
    """True if ``module_name`` (default: the Linux driver) is patched."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    return getattr(getattr(module, "getincrementaldecoder", None), _MARK, False)
