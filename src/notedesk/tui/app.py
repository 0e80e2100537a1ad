"""The desk application: global keys, the stylesheet, the home screen."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from notedesk.i18n import _
from notedesk.tui import input_patch


class NotedeskApp(App):
    CSS_PATH = "notedesk.tcss"
    TITLE = "notedesk"
    BINDINGS = [
        Binding("question_mark", "help", _("Help"), key_display="?"),
        Binding("ctrl+p", "command_palette", _("Commands"), show=False),
    ]

    def __init__(self, target: str, **kwargs):
        super().__init__(**kwargs)
        self.target = target  # what the desk is open on, for the title bar

    def on_mount(self) -> None:
        input_patch.install()
        from notedesk.tui.screens.order_list import OrderListScreen

        self.push_screen(OrderListScreen())

    def action_help(self) -> None:
        from notedesk.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))
