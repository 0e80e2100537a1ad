"""Textual's own key descriptions, listed so the catalog extractor finds them and help reads in Chinese.

Help and the command palette show the keys of Textual's widgets too (tab, the editing keys of a
field); their descriptions are English literals inside Textual. help.py translates every description
at display time, so listing the message ids here is enough. Never called. Taken from Textual 8.2
(App, Screen, Input, TextArea, DataTable, OptionList, Select, Tabs, ScrollableContainer, Button,
RadioSet, Switch); one Textual adds later just shows in English until it is listed here.

The footer shows descriptions as the bindings hold them: `translate_bindings()` rewrites them in the
interface language (Textual's own, such as the Select menu's "Dismiss menu", and notedesk's evaluated
before the language was chosen) when the desk starts, before any widget copies them.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from notedesk.i18n import _

retranslate = _  # gettext of a message id held in a variable (the extractor only reads literal _() calls)

# class -> {key: the descriptions as first seen}: translated from these again, so a later language
# (a test switching back to English) reads its own words
_ORIGINAL: dict[type, dict[str, list[str]]] = {}


def _classes(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_classes(sub)]
    return found


def translate_bindings() -> None:
    """Every widget and screen class's merged bindings (Textual's private `_merged_bindings`, tested
    in tests/tui/test_textual_private.py) described in the interface language."""
    for cls in {DOMNode, *_classes(DOMNode)}:
        merged = cls.__dict__.get("_merged_bindings")
        if merged is None:
            continue
        original = _ORIGINAL.setdefault(
            cls, {key: [b.description for b in bindings] for key, bindings in merged.key_to_bindings.items()})
        for key, bindings in merged.key_to_bindings.items():
            english = original.get(key, [])
            merged.key_to_bindings[key] = [
                _described(b, english[n]) if n < len(english) else b for n, b in enumerate(bindings)]


def _described(binding: Binding, english: str) -> Binding:
    if not english:
        return binding
    words = retranslate(english)
    return binding if words == binding.description else dataclasses.replace(binding, description=words)


def _messages() -> None:  # pragma: no cover - read by Babel (pybabel extract), not run
    _("Quit")
    _("Quit the app and return to the command prompt.")
    _("Focus Next")
    _("Focus Previous")
    _("Copy selected text")
    _("Move cursor left")
    _("Move cursor left and select")
    _("Move cursor left a word")
    _("Move cursor left a word and select")
    _("Move cursor right or accept the completion suggestion")
    _("Move cursor right and select")
    _("Move cursor right a word")
    _("Move cursor right a word and select")
    _("Delete character left")
    _("Select all")
    _("Go to start")
    _("Go to end")
    _("Select line start")
    _("Select line end")
    _("Delete character right")
    _("Submit")
    _("Delete left to start of word")
    _("Delete all to the left")
    _("Delete right to start of word")
    _("Delete all to the right")
    _("Cut selected text")
    _("Paste text from the clipboard")
    _("Scroll Up")
    _("Scroll Down")
    _("Scroll Left")
    _("Scroll Right")
    _("Scroll Home")
    _("Scroll End")
    _("Page Up")
    _("Page Down")
    _("Page Left")
    _("Page Right")
    _("Cursor up")
    _("Cursor down")
    _("Cursor left")
    _("Cursor right")
    _("Cursor word left")
    _("Cursor word right")
    _("Cursor line start")
    _("Cursor line end")
    _("Cursor page up")
    _("Cursor page down")
    _("Cursor left word select")
    _("Cursor right word select")
    _("Cursor line start select")
    _("Cursor line end select")
    _("Cursor up select")
    _("Cursor down select")
    _("Cursor left select")
    _("Cursor right select")
    _("Select line")
    _("Cut")
    _("Copy")
    _("Paste")
    _("Delete to line start")
    _("Delete to line end")
    _("Delete line")
    _("Undo")
    _("Redo")
    _("Select")
    _("Page up")
    _("Page down")
    _("Top")
    _("Bottom")
    _("Home")
    _("End")
    _("Down")
    _("Last")
    _("First")
    _("Up")
    _("Show menu")
    _("Dismiss menu")
    _("Exit the command palette")
    _("No matches found")
    _("Previous tab")
    _("Next tab")
    _("Press button")
    _("Toggle")
    _("Next option")
    _("Previous option")
