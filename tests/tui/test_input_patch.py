"""Tests for the Textual #6456 workaround: invalid UTF-8 typed into the desk must not kill it.

Two levels: Textual's own ``LinuxDriver.run_input_thread`` fed from a pipe (the
exact decode path the desk uses), and a real pseudo-terminal running a tiny
Textual app that receives Latin-1 ``été⏎`` and is then quit with ctrl+q.
Each runs with and without the patch, so the suite shows the patch is what
keeps the app alive; the unpatched cases also tell us when upstream fixes the
bug (see ``notedesk.tui.input_patch``: then delete the patch and those cases).
"""

from __future__ import annotations

import asyncio
import codecs
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from notedesk.tui import input_patch

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminal driver")

LATIN1_ETE = "été\r".encode("latin-1")  # b"\xe9t\xe9\r": not UTF-8
UPSTREAM_FIXED = (
    "Textual no longer raises on invalid UTF-8 (upstream #6456 fixed?): "
    "remove notedesk/tui/input_patch.py, its install() call and the unpatched test cases"
)


@pytest.fixture
def unpatched(monkeypatch):
    """The Textual driver modules as Textual ships them (restored afterwards)."""
    import importlib

    for name in input_patch.DRIVER_MODULES:
        module = importlib.import_module(name)
        monkeypatch.setattr(module, "getincrementaldecoder", codecs.getincrementaldecoder)
    assert not input_patch.is_installed()


@pytest.fixture
def patched(unpatched):
    """The driver modules with the notedesk patch (removed again afterwards)."""
    assert "textual.drivers.linux_driver" in input_patch.install()
    assert input_patch.is_installed()


# --- the driver's own input thread -------------------------------------------


async def run_linux_driver_input(data: bytes) -> tuple[list, BaseException | None]:
    """Feed ``data`` to Textual's ``LinuxDriver.run_input_thread`` through a pipe.

    Returns the Key events it produced and the exception that ended the thread.
    """
    from textual import events
    from textual.app import App
    from textual.drivers.linux_driver import LinuxDriver

    class RecordingDriver(LinuxDriver):
        def process_message(self, message) -> None:  # called on the input thread
            received.append(message)

    received: list = []
    failure: list[BaseException] = []
    read_fd, write_fd = os.pipe()
    driver = RecordingDriver(App())  # needs a running loop, hence async
    driver.fileno = read_fd

    def input_thread() -> None:
        try:
            driver.run_input_thread()
        except BaseException as error:  # what Textual's _run_input_thread would panic on
            failure.append(error)

    thread = threading.Thread(target=input_thread, daemon=True)
    thread.start()
    try:
        os.write(write_fd, data)
        deadline = time.monotonic() + 5
        while thread.is_alive() and time.monotonic() < deadline:
            if any(isinstance(e, events.Key) and e.key == "enter" for e in received):
                break
            await asyncio.sleep(0.01)
    finally:
        driver.exit_event.set()
        thread.join(5)
        os.close(write_fd)
        os.close(read_fd)
    keys = [e for e in received if isinstance(e, events.Key)]
    return keys, (failure[0] if failure else None)


@pytest.mark.asyncio
async def test_upstream_driver_dies_on_invalid_utf8(unpatched) -> None:
    keys, error = await run_linux_driver_input(LATIN1_ETE)
    assert isinstance(error, UnicodeDecodeError), UPSTREAM_FIXED
    assert keys == []


@pytest.mark.asyncio
async def test_patched_driver_turns_invalid_utf8_into_replacement_keys(patched) -> None:
    keys, error = await run_linux_driver_input(LATIN1_ETE)
    assert error is None
    assert [k.character for k in keys] == ["\ufffd", "t", "\ufffd", "\r"]
    assert keys[-1].key == "enter"


@pytest.mark.asyncio
async def test_patched_driver_still_decodes_valid_utf8(patched) -> None:
    keys, error = await run_linux_driver_input("客户é😀\r".encode())
    assert error is None
    assert [k.character for k in keys] == ["客", "户", "é", "😀", "\r"]


def test_patched_decoder_keeps_multibyte_sequences_split_across_reads(patched) -> None:
    from textual.drivers import linux_driver

    decode = linux_driver.getincrementaldecoder("utf-8")().decode
    assert decode(b"\xe5\xae") == ""  # first two bytes of 客: wait for the rest
    assert decode(b"\xa2\xe9") == "客"  # then a stray Latin-1 byte, still pending
    assert decode(b"t") == "\ufffdt"
    assert decode(b"\xc3", final=True) == "\ufffd"


def test_install_is_idempotent_and_patches_every_posix_driver(unpatched) -> None:
    from textual.drivers import linux_driver

    first = input_patch.install()
    patched_factory = linux_driver.getincrementaldecoder
    assert input_patch.install() == first
    assert linux_driver.getincrementaldecoder is patched_factory
    assert {"textual.drivers.linux_driver", "textual.drivers.linux_inline_driver"} <= set(first)
    assert all(input_patch.is_installed(name) for name in first)
    # Only the default changes: a caller asking for strict still gets strict.
    strict = patched_factory("utf-8")("strict")
    with pytest.raises(UnicodeDecodeError):
        strict.decode(b"\xe9", final=True)


# --- a real terminal ---------------------------------------------------------

TINY_APP = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from textual.app import App
    from textual.widgets import Input

    if sys.argv[2] == "patched":
        from notedesk.tui import input_patch
        input_patch.install()

    out = Path(sys.argv[1])


    class Tiny(App):
        def compose(self):
            yield Input()

        def on_mount(self):
            self.call_after_refresh((out / "ready").touch)

        def on_input_submitted(self, event):
            (out / "typed").write_text(event.value, encoding="utf-8")


    Tiny().run()
    """
)


def run_in_pty(tmp_path: Path, mode: str) -> tuple[int | None, str, str | None]:
    """Start the tiny app in a pseudo-terminal, type Latin-1 ``été⏎``, then ctrl+q.

    Returns (exit status or None if it had to be killed, terminal output, typed text).
    """
    import fcntl
    import select
    import struct
    import termios

    script = tmp_path / "tiny_app.py"
    script.write_text(TINY_APP, encoding="utf-8")
    out = tmp_path / mode
    out.mkdir()
    src = Path(input_patch.__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", PYTHONPATH=os.pathsep.join([str(src), env.get("PYTHONPATH", "")]))

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, str(script), str(out), mode],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
    )
    os.close(slave)
    output = bytearray()

    def drain(until) -> None:
        """Keep reading the terminal (so the app never blocks writing) until ``until()``."""
        deadline = time.monotonic() + 10
        while not until() and time.monotonic() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    output.extend(os.read(master, 65536))
                except OSError:  # EIO: the app closed the terminal
                    return

    try:
        drain(lambda: (out / "ready").exists() or proc.poll() is not None)
        os.write(master, LATIN1_ETE)
        drain(lambda: (out / "typed").exists() or proc.poll() is not None)
        if proc.poll() is None:
            os.write(master, b"\x11")  # ctrl+q
        drain(lambda: proc.poll() is not None)
        drain(lambda: not select.select([master], [], [], 0.1)[0])
    finally:
        if proc.poll() is None:
            proc.kill()
        status = proc.wait(5)
        os.close(master)
    typed = (out / "typed").read_text(encoding="utf-8") if (out / "typed").exists() else None
    return status, output.decode("utf-8", "replace"), typed


def test_desk_in_a_real_terminal_survives_latin1_input(tmp_path) -> None:
    status, output, typed = run_in_pty(tmp_path, "patched")
    assert "Traceback" not in output and "UnicodeDecodeError" not in output, output[-2000:]
    assert typed == "\ufffdt\ufffd"  # the keys arrived, as replacement characters
    assert status == 0  # and the app then quit normally on ctrl+q


def test_unpatched_app_in_a_real_terminal_dies_on_latin1_input(tmp_path) -> None:
    status, output, typed = run_in_pty(tmp_path, "unpatched")
    assert "UnicodeDecodeError" in output, UPSTREAM_FIXED
    assert "Traceback" in output  # Textual's panic screen (its exit status varies)
    assert typed is None
