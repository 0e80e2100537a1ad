"""Finding English a Chinese interface should not show: every ASCII word that is not a code, a key
name, a unit or a name the data holds (the tests feed Chinese data, so an English word is ours)."""

from __future__ import annotations

import re

# Codes and names that stay as they are in Chinese too: keys as printed on the keyboard, currency
# codes, units, formats, the program's name, order number prefixes, placeholders a clerk types.
ALLOWED = {
    "ctrl", "shift", "alt", "esc", "escape", "enter", "tab", "space", "PgUp", "PgDn", "Home", "End",
    "Delete", "Backspace", "Insert", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10",
    "SQLite", "PostgreSQL", "UTC", "XL", "XXL", "S", "M", "L", "CNY", "USD", "EUR", "HKD", "JPY", "SO",
    "notedesk", "ml", "cm", "mm", "kg", "g", "gsm", "pcs",
    "LOGO", "logo", "OPP", "POLO", "T", "PDF", "png", "pdf", "jpg", "json", "csv", "md", "html", "txt",
    "ISO", "UTF", "YYYY", "MM", "DD", "HH", "URL", "sqlite", "db", "tmp", "PATH", "NUMBER", "FILE",
    "KIND", "QUERY", "TEXT", "DURATION", "TIME", "LANG", "DEST", "CHANNEL", "NAME", "N",
    "HOW", "WHEN", "AMOUNT", "FIELD", "VALUE", "COMMAND", "en", "zh", "Dec", "am", "pm", "v",
}


def english_words(text: str, also_allowed: set[str] = frozenset()) -> list[str]:
    """The ASCII words of `text` (two letters or more, or any letter outside a code) a Chinese
    interface should have translated."""
    found = []
    for match in re.finditer(r"(?<![A-Za-z0-9_./@-])[A-Za-z][A-Za-z']*(?![A-Za-z0-9_@])", text):
        word = match.group()
        before = text[max(0, match.start() - 1):match.start()]
        if word in ALLOWED or word in also_allowed or before in ("-", "/", ".", "@", "_"):
            continue
        if len(word) == 1:
            continue  # a letter of a code ("A座", "v1", "3D")
        found.append(word)
    return found
