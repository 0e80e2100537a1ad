"""HelpScreen and the command palette: every key of the screen they were opened on, in the interface
language, from the bindings Textual would dispatch there (so neither goes stale).

Help (`?`) lists three groups: this screen (its own keys and those notedesk's widgets on it add),
everywhere (help, the palette, quit, focus movement), and the focused field (Textual's editing keys).
The palette (`ctrl+p`) offers the first two groups as commands named by their description, plus the
high-contrast switch.

Decisions: keys are written out the way a clerk reads them on the keyboard ("ctrl+s", "ctrl+PgDn",
"F2"), not in Textual's caret notation, and one line per key: the footer may fold several keys into
one entry ("F2…F6"), help does not. A binding's tooltip, when it has one, is the longer description
help shows (the footer shows the short description). Descriptions are translated again here: one
evaluated before the language was chosen, and Textual's own (textual_words.py), are still English.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from notedesk.i18n import _
from notedesk.tui import themes
from notedesk.tui.safe import line

THIS_SCREEN, EVERYWHERE, FIELD = 0, 1, 2
_MOVES = {"up", "down", "left", "right", "pageup", "pagedown", "home", "end", "tab", "shift+tab"}
retranslate = _  # gettext of a message id held in a variable (the extractor only reads literal _() calls)
KEY_WIDTH = 15

_KEY_NAMES = {
    "question_mark": "?", "slash": "/", "space": "space", "enter": "enter", "escape": "escape",
    "tab": "tab", "pagedown": "PgDn", "pageup": "PgUp", "home": "Home", "end": "End", "up": "↑",
    "down": "↓", "left": "←", "right": "→", "delete": "Delete", "backspace": "Backspace",
    "insert": "Insert", "plus": "+", "minus": "-", "comma": ",", "full_stop": ".",
}


def key_name(key: str) -> str:
    """'ctrl+s', 'ctrl+PgDn', 'F2', '?', 'shift+tab': a key as printed on the keyboard."""
    *modifiers, name = key.split("+")
    if len(name) > 1 and name[0] == "f" and name[1:].isdigit():
        name = name.upper()
    else:
        name = _KEY_NAMES.get(name, name)
    return "+".join([*modifiers, name])


def _own(node, binding: Binding) -> bool:
    """Declared by notedesk (not inherited from a Textual base class such as tab / ctrl+c)."""
    for cls in type(node).__mro__:
        if cls.__module__.startswith("notedesk.") and any(
                isinstance(b, Binding) and b.action == binding.action and binding.key in b.key.split(",")
                for b in cls.__dict__.get("BINDINGS", ())):
            return True
    return False


def _declared(node, key: str) -> int:
    """Where `key` is declared among `node`'s keys: help lists them in the order their screen does
    (the classes' BINDINGS, base classes first, as Textual merges them)."""
    keys: list[str] = []
    for cls in reversed(type(node).__mro__):
        for declared in cls.__dict__.get("BINDINGS", ()):
            names = declared.key if isinstance(declared, Binding) else declared[0]
            keys += [name.strip() for name in names.split(",") if name.strip() not in keys]
    return keys.index(key) if key in keys else len(keys)


def _group(node, binding: Binding) -> int:
    if isinstance(node, App):
        return EVERYWHERE
    if isinstance(node, Screen):
        return THIS_SCREEN if _own(node, binding) else EVERYWHERE
    return THIS_SCREEN if _own(node, binding) else FIELD


def describe(binding: Binding) -> str:
    """What a key does, in the interface language (the tooltip if the binding has one)."""
    return retranslate(binding.tooltip or binding.description)


def screen_keys(screen: Screen) -> Iterator[tuple[int, str, str, Binding, object]]:
    """(group, key as shown, description, binding, node) for every described key active on `screen`:
    the screen's own first, then its widgets', then the app's."""
    found = []
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not binding.description or "super+" in key:  # super (the Windows/command key) never reaches a terminal
            continue
        node = active.node
        # the screen's keys, then its widgets'; among the global ones notedesk's own (?, ctrl+p) first
        order = (not _own(node, binding), 0 if isinstance(node, Screen) else 2 if isinstance(node, App) else 1,
                 _declared(node, key))
        found.append((_group(node, binding), order, key_name(key), describe(binding), binding, node))
    found.sort(key=lambda item: (item[0], item[1]))  # stable: each node's own order is kept
    for group, _order, shown, description, binding, node in found:
        yield group, shown, description, binding, node


def key_groups(screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group title, [(key as shown, description)])], the groups that have keys, in order."""
    titles = {THIS_SCREEN: _("This screen"), EVERYWHERE: _("Everywhere"), FIELD: _("In the focused field")}
    groups: dict[int, list[tuple[str, str]]] = {}
    for group, shown, description, _binding, _node in screen_keys(screen):
        groups.setdefault(group, []).append((shown, description))
    return [(titles[g], groups[g]) for g in sorted(groups)]


def palette_commands(app: App, screen: Screen) -> Iterator[SystemCommand]:
    """The command palette's commands for `screen`: each action of the screen and the global ones,
    named by what it does, with its key as the help line; then the high-contrast switch."""
    seen: set[str] = set()
    for group, shown, description, binding, node in screen_keys(screen):
        if (group == FIELD or binding.action == "command_palette" or description in seen
                or binding.key in _MOVES):  # moving the cursor from a palette makes no sense
            continue
        seen.add(description)
        yield SystemCommand(description, _("key: {key}").format(key=shown),
                            partial(app.run_action, binding.action, node))
    yield SystemCommand(themes.toggle_label(app), _("Black and white with bright colours, for reading ease"),
                        partial(themes.toggle_high_contrast, app))


def key_table(keys: list[tuple[str, str]]) -> Table:
    """Keys and what they do in two columns; a long description wraps under itself, not under the key."""
    table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
    table.add_column(width=KEY_WIDTH, no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for key, description in keys:
        table.add_row(Text(key), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """The keys of `screen`, grouped; escape (or ?, or q) closes."""

    BINDINGS = [
        Binding("escape", "close", _("Close")),
        Binding("q", "close", _("Close"), show=False),
        Binding("question_mark", "close", _("Close"), show=False, key_display="?"),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.groups = key_groups(screen)

    def compose(self) -> ComposeResult:
        with Vertical(classes="help-box"):
            yield Static(line(_("Keys")), classes="message-title")
            with VerticalScroll(id="help-keys"):
                for title, keys in self.groups:
                    yield Static(line(title), classes="help-group")
                    yield Static(key_table(keys), classes="help-keys")
            yield Static(line(_("↑↓ PgUp PgDn scroll · escape closes")), classes="status-hint")

    def on_mount(self) -> None:
        self.query_one("#help-keys", VerticalScroll).focus()  # up/down/pgdn scroll a long list

    def action_close(self) -> None:
        self.dismiss(None)
