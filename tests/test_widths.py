"""Wide (CJK) characters take two cells wherever text is fitted or cut (issue 20): any mix of Chinese
and ASCII fitted into 1–30 cells takes exactly that width, is the text's own start (never half a
character), and ends in '…' only when something was cut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from notedesk.text import ELLIPSIS, cell_width, one_line
from notedesk.tui.widgets.order_cells import fit

MIXED = st.text(alphabet=st.sampled_from(list("红色T恤马克杯Pantone 350ml，（）·abcXYZ0123456789-/张江秀兰")),
                max_size=40)


@settings(max_examples=400, deadline=None)
@given(MIXED, st.integers(min_value=1, max_value=30))
def test_one_line_cuts_to_the_width_between_characters(text, width):
    cut = one_line(text, width)
    whole = one_line(text)
    assert cell_width(cut) <= width
    if cut == whole:
        assert cell_width(whole) <= width
    else:
        assert cut.endswith(ELLIPSIS) and whole.startswith(cut[:-1])  # a prefix: no character split
        assert cell_width(cut) >= width - 2  # at most a wide character and the ellipsis's spare cell lost


@settings(max_examples=400, deadline=None)
@given(MIXED, st.integers(min_value=1, max_value=30), st.booleans())
def test_fit_pads_to_exactly_the_width(text, width, right):
    cell = fit(text, width, right)
    assert cell_len(cell) == cell_width(cell) == width
    shown = cell.strip(" ")
    assert one_line(text).startswith(shown.removesuffix(ELLIPSIS).rstrip(" "))


def test_the_list_and_its_amounts_fit_at_80_and_100_columns():
    from notedesk.tui.widgets.order_cells import layout

    for width in (80, 100):
        columns = {c.name: c.width for c in layout(width, home_currency="CNY")}
        assert sum(columns.values()) + len(columns) - 1 == width
        assert columns["amount"] >= cell_width("19,300.00 USD")  # a foreign amount with its code
        assert columns["status"] >= cell_width("已确认")  # Chinese statuses whole
