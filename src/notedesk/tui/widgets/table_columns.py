"""DataTable columns whose widths the screen sets when it fills the table.

DataTable measures auto-width columns when it is next idle. A frame drawn before that renders every
cell at its title's width, and DataTable keeps those cells cached until something else changes the
table: the search hits showed "SO-20" for whole order numbers on a loaded machine (CI). Screens that
fill a table in one go add their columns here and measure them in the same step instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable


def add_columns(table: DataTable, columns: Iterable[tuple[str, Text]]) -> None:
    """(key, title) columns, each as wide as its title until `fit_columns` measures the rows."""
    for key, title in columns:
        table.add_column(title, key=key, width=title.cell_len)


def fit_columns(table: DataTable, rows: Sequence[Sequence[Text]]) -> None:
    """Each column as wide as its widest cell in `rows` or its title; a row may leave out the last
    columns (the caller then sizes those itself)."""
    for n, column in enumerate(table.ordered_columns):
        column.width = max([column.label.cell_len, *(row[n].cell_len for row in rows if n < len(row))])
