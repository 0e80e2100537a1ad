"""Wide (CJK) characters take two cells wherever text is fitted or cut (issue 20): any mix of Chinese
and ASCII fitted into 1–30 cells takes exactly that width, is the text's own start (never half a
character), and ends in '…' only when something was cut."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_payment_and_status_cells_are_never_cut_at_80_columns(lang):
    """Issue 20: '预付款 已…' at 80 columns. Every method × payment status × balance reads whole in the
    list's payment column (the short words when the whole ones do not fit), every status too."""
    from types import SimpleNamespace

    from notedesk import i18n, labels
    from notedesk.domain import PAYMENT_METHODS, PAYMENT_STATUSES, STATUSES
    from notedesk.tui.widgets.order_cells import layout, payment_cell

    i18n.set_language(lang)
    try:
        columns = {c.name: c.width for c in layout(78, home_currency="CNY")}  # 80 beside the scrollbar
        for status in STATUSES:
            assert cell_width(labels.status_label(status, short=True)) <= columns["status"], status
        width = columns["payment"]
        for method in PAYMENT_METHODS:
            for state in PAYMENT_STATUSES:
                for total, balance in ((Decimal("5200"), Decimal(0)), (Decimal("5200"), Decimal("-50")),
                                       (Decimal("28165"), Decimal("9600")), (Decimal("195050"), Decimal("162000.5"))):
                    order = SimpleNamespace(payment_method=method, payment_status=state, total=total,
                                            balance=balance if state != "unpaid" or method == "cod" else total)
                    shown = fit(payment_cell(order, width), width)
                    assert ELLIPSIS not in shown, (method, state, balance, shown)
                    if state == "paid":
                        words = {"已付款", "已付", "多付"} if lang == "zh" else {"paid", "overpaid", "over"}
                        assert shown.split()[-1] in words, shown
        if lang == "zh":  # a balance up to 99,999.99 is shown as an amount
            order = SimpleNamespace(payment_method="instalments", payment_status="partial", total=Decimal(90000),
                                    balance=Decimal("14280"))
            assert payment_cell(order, width) == "分期 14,280.00"
        else:  # a balance that does not fit still says the order is partly paid, never the method alone
            order = SimpleNamespace(payment_method="prepaid", payment_status="partial", total=Decimal(1360),
                                    balance=Decimal("952"))
            assert payment_cell(order, width).split() == ["prepay", "part"]
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_lens_shows_statuses_amounts_and_dates_whole_at_80_columns(lang):
    from notedesk import i18n, labels
    from notedesk.domain import STATUSES
    from notedesk.tui.widgets.order_cells import LENS_COLUMNS, layout

    i18n.set_language(lang)
    try:
        for lens in LENS_COLUMNS:
            columns = {c.name: c.width for c in layout(78, lens)}
            assert sum(columns.values()) + len(columns) - 1 == 78, lens
            if "status" in columns:
                assert max(cell_width(labels.status_label(s, short=True)) for s in STATUSES) <= columns["status"]
            for money in ("due", "received", "balance", "collect"):
                if money in columns:
                    assert cell_width("162,000.00") <= columns[money], (lens, money)
            if "next" in columns:
                assert cell_width("2027-01-15") <= columns["next"]
        if lang == "zh":  # the three cells Chinese statuses do not need go to the products
            columns = {c.name: c.width for c in layout(78, "production")}
            assert columns["status"] == 6 and columns["items"] == 78 - 5 - (13 + 17 + 6 + 4 + 10)
    finally:
        i18n.set_language("en")


MIXED = st.text(st.sampled_from(list("红色潘通号印刷，。（）“” ") + list("Pantone186Cabc-/")), max_size=60)


@given(MIXED, st.integers(min_value=2, max_value=30))
@example(" 1。", 2)  # CI: the break before '1' (after the space) left '1。' (3 cells) on a 2-cell line
def test_wrap_fits_and_keeps_latin_words_whole_when_they_fit(text, width):
    from notedesk.text import wrap

    lines = wrap(text, width)
    assert all(cell_width(line) <= width for line in lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added
    # a word (narrow characters between spaces and wide ones) that fits a line is never split
    for word in re.split(r"[ 红色潘通号印刷，。（）]+", text):
        if word and cell_width(word) <= width:
            assert any(word in line for line in lines), (word, lines)


def test_the_screen_wraps_chinese_between_characters_and_latin_words_whole():
    """Issue 20: 'Pantone' wrapped as 'Panton' / 'e'. Rich's Text (tables) and Textual's Content
    (Static, toasts) after the desk's line_breaks.install(); English wraps as before."""
    from rich.console import Console
    from rich.text import Text
    from textual.content import Content

    from notedesk.tui import line_breaks

    line_breaks.install()
    spec = "红色，潘通色号Pantone 186C，印刷请对色卡"
    for width in (10, 12, 14, 20):
        for lines in ([line.plain for line in Content(spec).wrap(width)],
                      [line.plain for line in Text(spec).wrap(Console(), width)]):
            assert any("Pantone" in line for line in lines), (width, lines)
            assert all(cell_width(line) <= width for line in lines) and not any(
                line.startswith("，") for line in lines), lines
    english = "Deliver to the back gate (gate 3) before noon, call first."
    assert [line.plain for line in Content(english).wrap(12)] == [
        "Deliver to", "the back", "gate (gate", "3) before", "noon, call", "first."]
