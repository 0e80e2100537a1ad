"""Every private part of Textual that notedesk or its tests touch, in one place, each with a test that
fails loudly when a Textual upgrade changes it. Textual is pinned exactly in pyproject.toml for this.

Touched, and where it is tested:

- ``Screen._compositor.render_strips()``: what the screen paints, as text and styled segments, for
  behaviour tests that check stored text shows literally (tests/tui/harness.py ``screen_strips``,
  the only place). Tested here. The look of the screens is checked with SVG snapshots instead
  (tests/tui/test_snapshots.py), through pytest-textual-snapshot.
- The scrollbar thumb arithmetic of ``textual.scrollbar.ScrollBarRender``, copied into
  notedesk/tui/widgets/order_table.py (``_thumb_eighth``, with its own ``watch_scroll_y`` in place of
  ScrollView's) so that paging 100,000 orders repaints the bar only when its thumb moves. Tested
  against Textual's renderer in tests/tui/test_order_lines.py
  (``test_the_thumb_moves_exactly_when_textual_draws_the_scrollbar_differently``).
- The driver modules' module-level ``getincrementaldecoder`` name, rebound by notedesk/tui/input_patch.py
  (Textual #6456). Tested in tests/tui/test_input_patch.py (``test_upstream_driver_dies_on_invalid_utf8``
  fails the day Textual fixes it; ``install()`` reports a driver it could not patch).

- ``App._display(screen, renderable)``, overridden by NotedeskApp to send only what changed
  (notedesk/tui/sent_lines.py, issue 21), with what it reads there: ``App._driver``, ``_running``,
  ``_closed``, ``_batch_count``, ``_previous_cursor_position``; Textual's ``LayoutUpdate`` (``strips``,
  ``region``), ``ChopsUpdate`` (``spans``) and ``CompositorUpdate.render_segments``; and
  ``Screen._compositor._render_chops(crop, is_rendered_line)``, which renders the touched lines whole.
  Tested here, and end to end in tests/tui/test_lean_pty.py.
- ``CommandPalette._start_no_matches_countdown`` and what it uses, copied into notedesk/tui/palette.py to
  say "No matches found" in the interface language, and each class's ``_merged_bindings``, whose
  descriptions notedesk/tui/textual_words.py translates for the footer. Tested here.
- ``App._notifications`` and ``App._unnotify``: notedesk/tui/toasts.py takes the reminders' toasts off
  the screen when a form shows an error (issue 20). Tested here, and in tests/tui/test_toasts.py.
  ``App._notifications`` (``Notification.has_expired``) and ``textual.widgets._toast.ToastRack`` (a
  screen's rack, its children the toasts' holders): NotedeskApp._toasts_pending holds a screen's first
  frames until its toasts are laid out (issue 21). Tested end to end in tests/tui/test_lean_pty.py
  (``test_a_toast_up_stays_on_screen_while_an_order_opens``).
- Rich's private ``divide_line``, as imported into ``rich.text`` and ``textual.content``, rebound by
  notedesk/tui/line_breaks.py so Chinese wraps between characters (issue 20). Tested here.

No longer touched: ``App._handle_exception`` (workers report through tui/service_calls.py),
``App._screen_stacks`` (tui/live.py reads the public ``screen_stack``: the desk uses
no screen modes), ``DOMNode._bindings`` (help orders keys by the classes' public ``BINDINGS``).
(tests/tui/harness.py records ``notify()`` itself rather than reading ``App._notifications``.)
"""

from __future__ import annotations

from harness import screen_strips, screen_text
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import Static


class _Painted(App):
    def compose(self) -> ComposeResult:
        yield Static("first line\nsecond [b]line[/b]")


async def test_the_compositor_renders_the_screen_as_strips():
    app = _Painted()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        strips = screen_strips(app)
        assert len(strips) == 5 and all(isinstance(strip, Strip) for strip in strips)
        assert screen_text(app).splitlines()[:2] == ["first line".ljust(40), "second line".ljust(40)]


async def test_the_display_path_sent_lines_relies_on():
    """What NotedeskApp._display and SentLines read of Textual (tui/sent_lines.py)."""
    import inspect

    from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
    from textual.geometry import Region

    assert list(inspect.signature(App._display).parameters) == ["self", "screen", "renderable"]
    app = _Painted()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        for name in ("_driver", "_running", "_closed", "_batch_count", "_previous_cursor_position"):
            assert hasattr(app, name), name
        compositor = app.screen._compositor
        layout = compositor.render_update(full=True)
        assert isinstance(layout, LayoutUpdate) and layout.region == Region(0, 0, 40, 5)
        assert len(layout.strips) == 5
        compositor._dirty_regions.add(Region(0, 1, 40, 1))
        chops = compositor.render_update()
        assert isinstance(chops, ChopsUpdate) and [y for y, _x1, _x2 in chops.spans] == [1]
        assert issubclass(ChopsUpdate, CompositorUpdate) and issubclass(LayoutUpdate, CompositorUpdate)
        whole = compositor._render_chops(Region(0, 1, 40, 1), {1}.__contains__)
        line = Strip.join(list(whole[1].values()))
        assert line.text == screen_strips(app)[1].text


def test_the_palette_and_the_bindings_notedesk_translates_are_where_textual_keeps_them():
    """tui/palette.py replaces CommandPalette._start_no_matches_countdown (its one English message)
    with a copy using _stop_no_matches_countdown, _NO_MATCHES, _list_visible, _no_matches_timer and
    _NO_MATCHES_COUNTDOWN; tui/textual_words.translate_bindings rewrites each class's _merged_bindings."""
    import inspect

    from textual.command import CommandPalette
    from textual.widgets._select import SelectOverlay

    source = inspect.getsource(CommandPalette._start_no_matches_countdown)
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES", "_list_visible", "_no_matches_timer",
                 "_NO_MATCHES_COUNTDOWN", '"No matches found"'):
        assert name in source
    assert any(b.description == "Dismiss menu" or b.description
               for bindings in SelectOverlay._merged_bindings.key_to_bindings.values() for b in bindings)


def test_rich_and_textual_wrap_lines_with_the_divide_line_notedesk_rebinds():
    """notedesk/tui/line_breaks.py rebinds `divide_line` in rich.text and textual.content: both must
    still look it up there when they wrap."""
    import inspect

    import rich.text
    import textual.content

    for module, function in ((rich.text, rich.text.Text.wrap),
                             (textual.content, textual.content.Content._wrap_and_format)):
        assert "divide_line" in vars(module) and "divide_line(" in inspect.getsource(function), module.__name__


def test_the_app_keeps_its_toasts_notifications_where_tui_toasts_takes_them_off():
    """notedesk/tui/toasts.py takes reminder toasts off the screen when a form shows an error:
    it reads ``App._notifications`` (each with its ``message``) and calls ``App._unnotify``."""
    import dataclasses
    import inspect

    assert "_notifications" in inspect.getsource(App.__init__)
    assert list(inspect.signature(App._unnotify).parameters) == ["self", "notification", "refresh"]
    from textual.notifications import Notification

    assert "message" in {f.name for f in dataclasses.fields(Notification)}
