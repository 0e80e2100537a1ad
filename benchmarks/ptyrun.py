"""A program in a real pseudo-terminal, for the benchmarks: spawn at a size, read every byte it writes,
wait for a marker, send keys and count what comes back.

Pilot (App.run_test) never writes to a terminal, so it cannot measure first paint, the bytes a key
costs on a slow link, or the latency a clerk feels; this can. Standard library only.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class PtyProgram:
    """`argv` running in a pty of `cols` x `rows`; `started` is the perf_counter time just before spawn."""

    def __init__(self, argv: list[str], cols: int, rows: int, env: dict[str, str]):
        master, slave = os.openpty()
        _set_size(slave, cols, rows)
        self.fd = master
        self.output = bytearray()
        self.started = time.perf_counter()

        def controlling_tty() -> None:  # in the child: a session of its own with the pty as its terminal
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     preexec_fn=controlling_tty, close_fds=True)
        os.close(slave)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self, timeout: float) -> int:
        """Read what is there within `timeout` seconds; returns the number of bytes (0: nothing)."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return 0
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the program ended
            return 0
        self.output += chunk
        return len(chunk)

    def wait_for(self, pattern: bytes, timeout: float = 60.0) -> float:
        """Seconds from spawn until `pattern` (a regex) appears in the output; raises TimeoutError."""
        regex = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        scanned = 0
        while time.perf_counter() < deadline:
            if self._read(0.05):
                # only look at the new bytes (plus a margin for a marker split between reads)
                if regex.search(self.output, max(0, scanned - 64)):
                    return time.perf_counter() - self.started
                scanned = len(self.output)
            elif self.proc.poll() is not None:
                raise RuntimeError(f"{self.proc.args!r} ended: {bytes(self.output[-400:])!r}")
        raise TimeoutError(f"{pattern!r} did not appear in {timeout} s")

    def settle(self, quiet: float = 0.5, limit: float = 10.0) -> None:
        """Read until nothing arrives for `quiet` seconds (or `limit` passes)."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end and self._read(quiet):
            pass

    def key(self, data: bytes, quiet: float = 0.15, limit: float = 3.0) -> tuple[float, int]:
        """Send one key; (seconds until the last byte of the answer, bytes written in answer).
        The answer is over when nothing more arrives for `quiet` seconds (long enough that a repaint
        delayed by a busy machine is not counted with the next key)."""
        before = len(self.output)
        sent = time.perf_counter()
        os.write(self.fd, data)
        last = sent
        end = sent + limit
        while time.perf_counter() < end:
            if self._read(quiet):
                last = time.perf_counter()
            else:
                break
        return last - sent, len(self.output) - before

    def rss_kb(self) -> int:
        """The program's resident memory now (VmRSS), in kB."""
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_s(self) -> float:
        """CPU seconds the program has used so far (user + system, all its threads; 10 ms ticks):
        unlike wall time, not stretched by other programs competing for the CPU."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.fd)
