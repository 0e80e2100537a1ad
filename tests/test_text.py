"""Tests for notedesk.text: the clean() gate, NUL refusal, one_line and cell widths."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.cells import cell_len

from notedesk.text import (
    REPLACEMENT,
    NulError,
    cell_width,
    check_no_nul,
    clean,
    clean_counted,
    is_clean,
    one_line,
    one_lines,
)

# The forbidden set, written out independently of the module's regex (docs/ARCHITECTURE.md, "Text is data").
C0 = set(range(0x20)) - {0x09, 0x0A}  # includes \r
BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
SURROGATES = set(range(0xD800, 0xE000))
FORBIDDEN = frozenset(C0 | {0x7F} | set(range(0x80, 0xA0)) | BIDI | SURROGATES)

forbidden_chars = st.sampled_from(sorted(chr(c) for c in FORBIDDEN))
# Text that may carry anything: control codes, \r\n pairs, surrogates, markup.
hostile_text = st.lists(
    st.one_of(
        st.characters(codec=None, categories=None),  # any code point, surrogates too
        forbidden_chars,
        st.sampled_from(["\r\n", "\x1b]52;c;aGk=\x07", "\x1b[2J", "[/]", "\u202e", "客户", "😀"]),
    ),
    max_size=40,
).map("".join)
ordinary_chars = st.characters(
    exclude_characters="".join(chr(c) for c in FORBIDDEN if c < 0xD800 or c > 0xDFFF),
    exclude_categories=["Cs"],
)
ordinary_text = st.text(
    st.one_of(ordinary_chars, st.sampled_from(list("客户需求交货付款\n\t []😀ｆ한"))),
    max_size=60,
)
# Text whose width Rich and cell_width should agree on: ASCII, CJK, full-width, Hangul.
cjk_text = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.sampled_from(list("，。：；（）、《》…—é")),
    ),
    max_size=40,
)


def has_forbidden(s: str) -> bool:
    return any(ord(c) in FORBIDDEN for c in s)


# --- clean -----------------------------------------------------------------


@given(hostile_text)
@example("\x1b]0;pwned\x07title")
@example("\x9b31m C1 CSI")
@example("a\r\nb\rc\r\r\n")
@example("\ud800")
def test_clean_output_never_contains_a_forbidden_code_point(s: str) -> None:
    assert not has_forbidden(clean(s))


@given(hostile_text)
def test_clean_replaces_exactly_the_forbidden_characters_in_place(s: str) -> None:
    normalised = s.replace("\r\n", "\n")
    expected = "".join(REPLACEMENT if ord(c) in FORBIDDEN else c for c in normalised)
    assert clean(s) == expected


@given(ordinary_text)
@example("客户需求：logo 印刷，哑光覆膜\n\t交货前电话确认 😀")
@example("Call [Tom] asap [@click=app.quit] [/]")
@example("ｆｕｌｌ　ｗｉｄｔｈ 한국어 e\u0301 \ufeff \u200d \ufffd")
def test_clean_leaves_ordinary_text_unchanged(s: str) -> None:
    assert clean(s) == s
    assert is_clean(s)
    assert clean_counted(s) == (s, 0)


@given(hostile_text)
def test_clean_is_idempotent(s: str) -> None:
    once = clean(s)
    assert clean(once) == once
    assert is_clean(once)


@given(hostile_text)
def test_clean_preserves_length_except_crlf(s: str) -> None:
    assert len(clean(s)) == len(s) - s.count("\r\n")
    if "\r\n" not in s:
        assert len(clean(s)) == len(s)


@given(hostile_text)
def test_clean_counted_counts_the_replacements(s: str) -> None:
    text, count = clean_counted(s)
    assert text == clean(s)
    assert count == sum(ord(c) in FORBIDDEN for c in s.replace("\r\n", "\n"))
    # An existing U+FFFD in the input is not a replacement made here.
    assert count == text.count(REPLACEMENT) - s.count(REPLACEMENT)


def test_clean_examples() -> None:
    assert clean("a\r\nb") == "a\nb"
    assert clean("a\rb") == "a\ufffdb"
    assert clean("\x1b]52;c;aGk=\x07") == "\ufffd]52;c;aGk=\ufffd"
    assert clean("x\x7fy\x85z") == "x\ufffdy\ufffdz"
    assert clean("abc\u202edcba") == "abc\ufffddcba"
    assert clean("") == ""
    assert clean_counted("a\x00b\r\nc\u2066") == ("a\ufffdb\nc\ufffd", 2)


# --- NUL -------------------------------------------------------------------


def test_check_no_nul_refuses_nul_and_names_where() -> None:
    with pytest.raises(NulError, match=r"^NUL character in order SO-1 note requirements$"):
        check_no_nul("abc\x00def", "order SO-1 note requirements")
    assert issubclass(NulError, ValueError)


@given(ordinary_text)
def test_check_no_nul_accepts_text_without_nul(s: str) -> None:
    check_no_nul(s, "x")  # does not raise


# --- cell_width / one_line --------------------------------------------------


def test_cell_width_counts_wide_characters_twice() -> None:
    assert cell_width("") == 0
    assert cell_width("SO-2026-00042") == 13
    assert cell_width("客户需求") == 8
    assert cell_width("交货 SO-1") == 9
    assert cell_width("ｆｕｌｌ") == 8  # full-width forms
    assert cell_width("e\u0301") == 1  # combining acute: 0 cells
    assert cell_width("😀") == 2


@given(cjk_text)
def test_cell_width_agrees_with_rich_on_cjk_text(s: str) -> None:
    # Textual lays tables out with Rich's cell_len: truncation must agree.
    assert cell_width(s) == cell_len(s)


def test_one_line_folds_lines_and_tabs() -> None:
    assert one_line("客户需求\n\n  印刷\tlogo\n") == "客户需求 印刷 logo"
    assert one_line("\x1b[2J a") == "\ufffd[2J a"
    assert one_line("   ") == ""
    assert one_line("全角\u3000空格") == "全角\u3000空格"  # ideographic space kept


def test_one_line_truncates_by_cells() -> None:
    assert one_line("客户需求交货", 12) == "客户需求交货"
    assert one_line("客户需求交货", 11) == "客户需求交…"
    assert one_line("客户需求交货", 10) == "客户需求…"  # 交 would straddle the edge
    assert one_line("abcdef", 4) == "abc…"
    assert one_line("ab cdef", 4) == "ab…"
    assert one_line("abcdef", 1) == "…"
    assert one_line("abcdef", 0) == ""


@given(hostile_text, st.integers(min_value=1, max_value=30))
def test_one_line_fits_its_width_and_is_a_clean_single_line(s: str, width: int) -> None:
    full = one_line(s)
    cut = one_line(s, width)
    for out in (full, cut):
        assert "\n" not in out and "\t" not in out and "  " not in out
        assert out == out.strip(" ")
        assert not has_forbidden(out)
    assert cell_width(cut) <= width
    if cell_width(full) <= width:
        assert cut == full
    else:
        assert cut.endswith("…")
        assert full.startswith(cut[:-1])


@given(hostile_text | cjk_text | st.text(alphabet="👍🏽👨\u200d👩e\u0301中 a–", max_size=12))
def test_cell_width_shortcut_agrees_with_the_per_character_walk(s: str) -> None:
    from notedesk.text import _widths

    assert cell_width(s) == sum(_widths(s))


@given(hostile_text | cjk_text)
def test_one_line_shortcut_agrees_with_clean_and_fold(s: str) -> None:
    from notedesk.text import _LINE_BREAKS, clean

    assert one_line(s) == _LINE_BREAKS.sub(" ", clean(s)).strip(" ")


@given(st.lists(hostile_text | cjk_text | st.sampled_from(["SO-2026-00042", " SO-1", "SO-2 ", "a  b", "", " "]),
                max_size=6))
def test_one_lines_is_one_line_of_each(strings: list[str]) -> None:
    assert one_lines(strings) == [one_line(s) for s in strings]
