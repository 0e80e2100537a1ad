"""Run a program behind a slow link: what it writes reaches this terminal at a metered rate.

    python benchmarks/throttle.py [--kbit 64] [--log FILE] -- python -m notedesk --db demo.db

The program runs in a pseudo-terminal of this terminal's size (kept in step when it changes); keys go
to it at once, its output comes out at most `--kbit` kilobits per second (in 20 ms slices, as a
modem or a congested mobile link delivers it), so a clerk's view over a poor SSH link can be watched
in a real terminal, or in tmux and read with `tmux capture-pane` (issue 21). With `--log`, every
slice written is logged as "seconds-since-start bytes" for a timeline. Standard library only.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import tty

SLICE_S = 0.02


def _size(fd: int) -> bytes:
    try:
        return fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
    except OSError:
        return struct.pack("HHHH", 24, 80, 0, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kbit", type=float, default=64.0, help="kilobits per second to the terminal")
    parser.add_argument("--log", help="write 'seconds bytes' for each slice written")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("a command to run is needed")
    per_slice = max(1, int(args.kbit * 1000 / 8 * SLICE_S))
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, _size(sys.stdin.fileno()))

    def controlling_tty() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, preexec_fn=controlling_tty,
                            close_fds=True)
    os.close(slave)
    signal.signal(signal.SIGWINCH, lambda *_: fcntl.ioctl(master, termios.TIOCSWINSZ, _size(sys.stdin.fileno())))
    log = open(args.log, "w") if args.log else None
    saved = termios.tcgetattr(sys.stdin.fileno()) if os.isatty(sys.stdin.fileno()) else None
    if saved is not None:
        tty.setraw(sys.stdin.fileno())
    pending = bytearray()
    started = next_slice = time.perf_counter()
    out = sys.stdout.fileno()
    child_open = True
    try:
        while child_open or pending:
            timeout = max(0.0, next_slice - time.perf_counter()) if pending else 0.5
            readable = [sys.stdin.fileno()] + ([master] if child_open else [])
            try:
                ready, _, _ = select.select(readable, [], [], timeout)
            except InterruptedError:
                continue
            if master in ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if chunk:
                    pending += chunk
                else:
                    child_open = False
            if sys.stdin.fileno() in ready:
                keys = os.read(sys.stdin.fileno(), 1024)
                if keys and child_open:
                    os.write(master, keys)
            now = time.perf_counter()
            if pending and now >= next_slice:
                piece, pending[:per_slice] = bytes(pending[:per_slice]), b""
                os.write(out, piece)
                if log:
                    log.write(f"{now - started:.3f} {len(piece)}\n")
                    log.flush()
                next_slice = max(next_slice + SLICE_S, now - SLICE_S)
            if proc.poll() is not None and not pending:
                # the program ended: what it wrote last is still read above until the pty is empty
                child_open = child_open and bool(select.select([master], [], [], 0)[0])
    finally:
        if saved is not None:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved)
        if log:
            log.close()
    return proc.wait()


if __name__ == "__main__":
    raise SystemExit(main())
