"""Run the real desk (`python -m notedesk`) in a pseudo-terminal, type keys, read every byte it writes.

Pilot injects keys past the terminal and never writes to one, so it cannot tell what escape
sequences reach a clerk's terminal. This harness can: the desk runs in a pty (TERM=xterm-256color,
100x30 by default), every output byte is kept, and pyte (a VT emulator) renders them into the
screen the clerk sees, so tests can wait for text to appear and assert on what is visible.

Helpers for the checks on the raw bytes: `escape_sequences()` splits the output into its escape
sequences, `sequence_shape()` names the kind of each (CSI final byte and private marker; OSC number)
so a run can be compared with what Textual itself emits.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pyte

KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
    "ctrl+pagedown": b"\x1b[6;5~",
    "ctrl+pageup": b"\x1b[5;5~",
    "ctrl+s": b"\x13",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "f2": b"\x1bOQ",
    "f3": b"\x1bOR",
    "f4": b"\x1bOS",
    "f5": b"\x1b[15~",
    "f6": b"\x1b[17~",
    "ctrl+q": b"\x11",
    "ctrl+u": b"\x15",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
}

# ESC-initiated sequences: CSI (params, intermediates, final), OSC / DCS / APC / PM / SOS strings
# (ended by BEL or ST), and two-byte escapes. A lone ESC at the very end is kept as b"\x1b".
_SEQUENCE = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]"
    rb"|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    rb"|[ -/]*[0-~])?",
)
# Terminal queries and keyboard-protocol switches Textual writes that pyte would mis-parse into
# visible characters (e.g. the 'u' of CSI > 25 u): taken out before rendering only.
_COMPLETE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)|[ -/]*[0-~])")
_NOT_FOR_PYTE = re.compile(rb"\x1b\[[<>=][0-9;]*u|\x1b\[\?[0-9;]*\$p")


def escape_sequences(data: bytes) -> list[bytes]:
    return _SEQUENCE.findall(data)


def sequence_shape(seq: bytes) -> str:
    """'CSI ? h', 'CSI m', 'OSC 22', 'ESC 7': what kind of sequence, without its parameters."""
    if seq.startswith(b"\x1b["):
        body = seq[2:]
        private = body[:1].decode() if body[:1] in (b"?", b"<", b">", b"=") else ""
        intermediates = re.sub(rb"[0-?]", b"", body[:-1]).decode()
        return f"CSI {private}{intermediates}{chr(body[-1])}".replace("  ", " ")
    if seq.startswith(b"\x1b]"):
        number = re.match(rb"\x1b\](\d*)", seq).group(1).decode()
        return f"OSC {number}"
    if seq[1:2] in (b"P", b"X", b"^", b"_"):
        return f"ESC-string {seq[1:2].decode()}"
    return f"ESC {seq[1:].decode('latin-1')}" if len(seq) > 1 else "ESC"


class DeskInPty:
    """`python -m notedesk *args` in a pty; `press()` keys, `wait_for()` text, `finish()` to end."""

    def __init__(self, *args: str, env: dict | None = None, size: tuple[int, int] = (100, 30),
                 cwd: str | Path | None = None, command: list[str] | None = None):
        """`command`: run this instead of `python -m notedesk` (a test's own subclass of the desk);
        `args` follow it."""
        self.columns, self.rows = size
        self._screen = pyte.Screen(self.columns, self.rows)
        self._stream = pyte.ByteStream(self._screen)
        self._fed = 0
        self._held = b""
        self.output = bytearray()
        self._lock = threading.Lock()
        self._done = threading.Event()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                    "COLUMNS": str(self.columns), "LINES": str(self.rows)}
        for noisy in ("TEXTUAL", "TEXTUAL_DEBUG", "COLORTERM", "NO_COLOR", "TMUX"):
            full_env.pop(noisy, None)
        full_env.update(env or {})  # what the test asks for wins (e.g. NO_COLOR=1)
        self.process = subprocess.Popen(
            [*(command or [sys.executable, "-m", "notedesk"]), *args], stdin=slave, stdout=slave, stderr=slave,
            env=full_env, cwd=cwd, start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self.master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if not ready:
                    if self.process.poll() is not None and not self._pending():
                        break
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            with self._lock:
                self.output += chunk
        self._done.set()

    def _pending(self) -> bool:
        ready, _, _ = select.select([self.master], [], [], 0)
        return bool(ready)

    # --- what the clerk sees -------------------------------------------------------------------

    def raw(self) -> bytes:
        with self._lock:
            return bytes(self.output)

    def screen_lines(self) -> list[str]:
        """The screen as pyte renders all output so far (the alternate screen while the desk runs).

        Fed incrementally (rendering the whole output again on every poll costs seconds); an escape
        sequence cut by a read boundary waits for its end before it is fed."""
        data = self._held + self.raw()[self._fed:]
        self._fed += len(data) - len(self._held)
        last = data.rfind(b"\x1b")
        if last >= 0 and not _COMPLETE.match(data, last):
            data, self._held = data[:last], data[last:]
        else:
            self._held = b""
        self._stream.feed(_NOT_FOR_PYTE.sub(b"", data))
        return [line.rstrip() for line in self._screen.display]

    def screen_text(self) -> str:
        return "\n".join(self.screen_lines())

    def running(self) -> bool:
        return self.process.poll() is None

    def wait_for(self, *texts: str, timeout: float = 10.0, absent: tuple[str, ...] = ()) -> str:
        """Wait until every text is on screen (and none of `absent`); returns the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen_text()
            flat = screen.replace("\n", "")
            if all(t in screen or t in flat for t in texts) and not any(t in screen for t in absent):
                return screen
            if not self.running():
                raise AssertionError(f"the desk exited ({self.process.returncode}) while waiting for "
                                     f"{texts}:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen after {timeout}s: {texts} (absent {absent})\n{screen}")
            time.sleep(0.05)

    def tail(self, n: int = 3000) -> str:
        return self.raw()[-n:].decode("utf-8", "replace")

    # --- what the clerk does -------------------------------------------------------------------

    def press(self, *keys: str, pause: float = 0.0) -> None:
        for key in keys:
            data = KEYS.get(key, key.encode("utf-8"))
            os.write(self.master, data)
            # a lone ESC is told from the start of a sequence by a pause (Textual waits ~100 ms)
            time.sleep(max(pause, 0.2 if data == b"\x1b" else 0.02))

    def type(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def write(self, data: bytes) -> None:
        """Raw bytes in one write, as a terminal sends a burst (a paste, a fast typist over SSH)."""
        os.write(self.master, data)

    def finish(self, timeout: float = 15.0) -> int:
        """Wait for the desk to exit; returns its exit status (kills it after `timeout`)."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the desk did not exit within {timeout}s:\n{self.screen_text()}") from None
        self._done.wait(5)
        os.close(self.master)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self._done.wait(5)
        try:
            os.close(self.master)
        except OSError:
            pass
