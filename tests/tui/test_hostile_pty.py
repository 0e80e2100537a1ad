"""Hostile text through every screen of the real desk, in a real pseudo-terminal.

Issue 6; docs/ARCHITECTURE.md, "Text is data".

The database (tests/hostile_data.py) holds an order imported from tests/fixtures/hostile.json
(cleaned by the import gate, markup kept), an order "RAW-[/]03<OSC>" whose every text column was
written raw, escape sequences, C1 and bidi controls included (as another tool or a hand-edited
database could), and a plain Chinese order. The walk opens the raw one: the display gate itself is
what is tested.

The desk runs as a clerk runs it (`python -m notedesk --db FILE`, TERM=xterm-256color, 100x30) and
is walked with keys through the list, the detail, every editor tab, the deadline view and the
filter box. Then, over every byte it wrote:
(a) no OSC (title, clipboard...) other than what Textual itself writes on a clean database, no
    escape sequence of a kind Textual does not write, no C1 code point, no PWNED / SGVsbG8= inside
    an escape sequence, and the output is valid UTF-8;
(b) the markup is shown literally ("Call [Tom] asap", "[@click=app.quit]click me[/]"), rendered
    by a VT emulator (pyte) from those bytes;
(c) the desk is alive after every step, exits 0, and never prints a traceback.
"""

from __future__ import annotations

import re
import time

from pty_desk import DeskInPty, escape_sequences, sequence_shape  # needs pyte (the test extra)

from hostile_data import build_clean_database, build_database
from notedesk.text import cell_width

# --- what Textual itself writes ---------------------------------------------------------------------

# Measured on Textual 8.2.8 (test_a_clean_desk_writes_only_these_kinds_of_sequences keeps this
# honest): SGR colours, cursor moves, DEC private modes (alternate screen, mouse, focus, bracketed
# paste, cursor), the DECRQM queries for synchronized output and in-band resize, the kitty keyboard
# protocol push/pop, and OSC 22 (mouse pointer shape). Nothing else: no title, no clipboard.
ALLOWED_SHAPES = {"CSI m", "CSI H", "CSI ?h", "CSI ?l", "CSI ?$p", "CSI >u", "CSI <u", "OSC 22"}
ALLOWED_OSC = re.compile(rb"\x1b\]22;[a-z-]+\x07")
# C0 controls a terminal acts on, other than CR/LF and the ESC that starts a sequence
STRAY_CONTROLS = re.compile(rb"[\x00-\x09\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]")
FORBIDDEN_CODE_POINTS = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def assert_terminal_safe(output: bytes) -> None:
    """(a): only Textual's own kinds of escape sequences, no OSC but its own, no C1, bidi or stray C0."""
    sequences = escape_sequences(output)
    shapes = {sequence_shape(s) for s in sequences}
    assert shapes <= ALLOWED_SHAPES, f"escape sequences Textual does not write: {shapes - ALLOWED_SHAPES}: " + \
        repr([s for s in sequences if sequence_shape(s) not in ALLOWED_SHAPES][:5])
    osc = [s for s in sequences if s.startswith(b"\x1b]")]
    assert all(ALLOWED_OSC.fullmatch(s) for s in osc), [s for s in osc if not ALLOWED_OSC.fullmatch(s)][:5]
    for s in sequences:
        assert b"PWNED" not in s and b"SGVsbG8=" not in s, s
    text = output.decode("utf-8")  # strict: the desk writes valid UTF-8 whatever the data
    bad = FORBIDDEN_CODE_POINTS.search(text)
    assert bad is None, f"U+{ord(bad.group()):04X} reached the terminal near {text[bad.start() - 40:bad.end() + 40]!r}"
    stray = STRAY_CONTROLS.search(re.sub(rb"\x1b\][^\x07\x1b]*\x07", b"", output))
    assert stray is None, f"control byte {stray.group()!r} reached the terminal"


def click_on(desk: DeskInPty, text: str) -> None:
    """A mouse click (SGR mouse report) on the first cell of `text` on screen."""
    for row, line in enumerate(desk.screen_lines(), start=1):
        index = line.find(text)
        if index >= 0:
            column = cell_width(line[:index]) + 1
            desk.type(f"\x1b[<0;{column};{row}M\x1b[<0;{column};{row}m")
            return
    raise AssertionError(f"{text!r} is not on screen:\n{desk.screen_text()}")


# --- the walk -----------------------------------------------------------------------------------------

LIST = ("RAW-[/]03", "SO-2026-[/]01", "Call [Tom] asap", "Quit")
DETAIL = ("e Edit notes", "PREF [i]偏好[/i]", "PROD [b]T恤[/b]", "SPEC [red]红色[/red]",
          "[bold red]x[/bold red] 公司", "[link=http://evil]addr[/link]", "CNT [Tom]",
          "[@click=app.quit]click me[/] [/] 王芳")  # the deadline and the notes: in the editor below
DETAIL_HEADER = ("e Edit notes", "RAW-[/]03", "[bold red]x[/bold red] 公司")  # stays when scrolled
EDITOR = ("Requirements  Special  Delivery  Payment  Communication",)


def walk(desk: DeskInPty) -> list[str]:
    """List → detail (click the markup) → editor, every tab → history, status, log modals → deadline
    view and postpone → filter typed as markup, back on the list. Returns the screens seen."""
    seen = []

    def step(keys, *texts, absent=(), timeout=10.0):
        for key in ([keys] if isinstance(keys, str) else keys):
            desk.press(key)
        try:
            seen.append(desk.wait_for(*texts, absent=absent, timeout=timeout))
        except AssertionError:
            # an unterminated OSC from the data swallows the rest of the screen: name it first
            assert_terminal_safe(desk.raw())
            raise

    seen.append(desk.wait_for(*LIST, timeout=30))                       # the list (first paint)
    step("enter", *DETAIL)                                              # the raw order's detail
    click_on(desk, "[@click=app.quit]click me[/]")                      # markup is not an action:
    step("pagedown", "SPC [$accent]var[/]", "DLV [/bold] 上午9点", "e Edit notes")  # handled after the click
    assert desk.running(), "a click on stored markup ran an action"
    step("pagedown", "Timeline", "COMM Call [Tom] asap", "WHY [Tom]", "OLD [b]", "NEW [/]")
    step("e", *EDITOR, "REQ Call [Tom] asap", absent=("e Edit notes",))
    step("ctrl+pagedown", *EDITOR, "SPC [$accent]var[/]")
    step("ctrl+pagedown", *EDITOR, "DLV [/bold] 上午9点", "DL [u]请在12月2日前[/u]")
    step("ctrl+pagedown", *EDITOR, "PAY [dim]货到付款[/dim]")
    step("ctrl+pagedown", *EDITOR, "COMM Call [Tom] asap", "CT [Tom]")
    step("escape", *DETAIL_HEADER)
    step("h", "Requirements — history", "REQ Call [Tom] asap", absent=("e Edit notes",))
    step("escape", *DETAIL_HEADER)
    step("s", "New status for RAW-[/]03", "in production")
    step("escape", *DETAIL_HEADER)
    step("l", "Log a communication on RAW-[/]03", "CT [Tom]")
    step("escape", *DETAIL_HEADER)
    step("c", "Contacts", "CNT [Tom]", "LBL [b]仓[/", "[link=http://evil]addr[/link]", "RAW-[/]03",
         absent=("e Edit notes",))                    # the customer screen (a label's cell is 12 wide)
    step("escape", *DETAIL_HEADER)
    step("escape", *LIST)
    step("d", "Deadlines", "RAW-[/]03", "SO-2026-[/]01", "Call [Tom]", "p Deadline")
    step("p", "Change the deadline of SO-2026-[/]01 · Call [Tom] asap")
    step("escape", "Deadlines", "g Next group")
    step("escape", *LIST)
    step(["/", "[b]Call [Tom][/b]"], "[b]Call [Tom][/b]", "0 orders")  # the filter box: literal
    step("escape", *LIST, "SO-2026-00002")
    return seen


def test_hostile_text_through_every_screen_in_a_real_terminal(tmp_path):
    path = tmp_path / "hostile.db"
    build_database(path)
    desk = DeskInPty("--db", str(path))
    try:
        walk(desk)
        assert desk.running()
        desk.press("q")
        code = desk.finish()
    finally:
        desk.kill()
    output = desk.raw()
    assert b"Traceback" not in output, desk.tail()
    assert code == 0, desk.tail()
    assert_terminal_safe(output)


def test_a_clean_desk_writes_only_these_kinds_of_sequences(tmp_path):
    """The baseline: on clean data, the same screens write only ALLOWED_SHAPES / ALLOWED_OSC.

    If a Textual upgrade adds a kind of sequence, this test fails first and names it: add it to
    ALLOWED_SHAPES once you know what it is (then the hostile test above still guards the data)."""
    path = tmp_path / "clean.db"
    build_clean_database(path)
    desk = DeskInPty("--db", str(path))
    try:
        desk.wait_for("SO-2026-00042", "Quit", timeout=30)
        for key, text in (("enter", "e Edit notes"), ("e", EDITOR[0]), ("ctrl+pagedown", "plain special"),
                          ("escape", "e Edit notes"), ("escape", "Quit"), ("d", "Deadlines"), ("escape", "Quit")):
            desk.press(key)
            desk.wait_for(text)
        desk.press("q")
        code = desk.finish()
    finally:
        desk.kill()
    assert code == 0 and b"Traceback" not in desk.raw(), desk.tail()
    assert_terminal_safe(desk.raw())
    shapes = {sequence_shape(s) for s in escape_sequences(desk.raw())}
    assert {"CSI m", "CSI H", "CSI ?h"} <= shapes  # the harness really saw Textual's output


# --- desk-level failures: a message, never a traceback ------------------------------------------------


def _close_message_and_quit(desk: DeskInPty) -> int:
    # Every message the failed loads left open, one escape each. Whether one is still under the one
    # just closed shows only once the escape was handled, so wait for the list before deciding; an
    # escape too many only clears the list's (empty) filter.
    for _ in range(4):
        if "Something went wrong" not in desk.screen_text():
            break
        desk.press("escape")
        try:
            desk.wait_for("Quit", absent=("Something went wrong",), timeout=5)
        except AssertionError:
            continue
    desk.wait_for("Quit", absent=("Something went wrong",), timeout=30)
    desk.press("q")
    return desk.finish()


def test_the_desk_on_a_corrupt_file_shows_a_message(tmp_path):
    """Either the opening check notices (one line on stderr, exit 1, as for the commands) or the
    desk opens and shows the damage in a message; never a traceback."""
    from cli.test_failures import corrupt_copy

    path = corrupt_copy(tmp_path)
    desk = DeskInPty("--db", str(path))
    try:
        deadline = time.monotonic() + 30
        while desk.running() and "Something went wrong" not in desk.screen_text():
            assert time.monotonic() < deadline, desk.screen_text()
            time.sleep(0.1)
        if desk.running():
            desk.wait_for("Something went wrong", "damaged")
            code = _close_message_and_quit(desk)
        else:
            code = desk.finish()
            said = desk.raw().decode("utf-8", "replace").strip().splitlines()
            assert code == 1 and len(said) == 1 and said[0].startswith("notedesk: ") and "damaged" in said[0], said
    finally:
        desk.kill()
    assert b"Traceback" not in desk.raw(), desk.tail()
    assert code in (0, 1)


def test_the_desk_survives_its_database_turning_into_garbage(tmp_path):
    """The file is replaced under a running desk (a bad restore, a full disk, a clumsy admin): every
    load that fails says so in a message, the desk keeps running and quits normally."""
    path = tmp_path / "desk.db"
    build_clean_database(path)
    desk = DeskInPty("--db", str(path))
    try:
        desk.wait_for("SO-2026-00042", "Quit", timeout=30)
        for leftover in tmp_path.glob("desk.db-*"):
            leftover.unlink()
        garbage = tmp_path / "garbage"
        garbage.write_bytes(bytes(range(256)) * 32)
        garbage.replace(path)
        desk.press("enter")
        desk.wait_for("Something went wrong", "not a notedesk database")
        assert desk.running()
        code = _close_message_and_quit(desk)
    finally:
        desk.kill()
    assert b"Traceback" not in desk.raw(), desk.tail()
    assert code == 0
