"""The detail's `o` (issue 16): a department's sheet of the order, saved where the clerk can fetch it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from harness import Harness, screen_text, settle
from textual.widgets import Select

from conftest import sample_order
from notedesk.services import orders
from notedesk.tui.screens.order_detail import OrderDetailScreen
from notedesk.tui.screens.sheet import SheetModal
from notedesk.tui.widgets.path_input import PathInput

NUMBER = "SO-2026-00042"
INTERNAL = "内部：先收款再发货"


@pytest.fixture
def order(database, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the desk's current folder: where the sheet goes unless the clerk says
    return orders.create_order(sample_order(notes={"requirements": "红色T恤200件,XL码", "special": "胸前印LOGO",
                                                   "payment": INTERNAL}))


def squeezed(text: str) -> str:
    """The screen's text without spaces, line ends and the dialog's border (a wrapped path reads whole)."""
    return "".join(ch for ch in text if ch not in " \n█▌▐")


async def open_sheet_modal(pilot) -> SheetModal:
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SheetModal)
    return pilot.app.screen


async def test_o_saves_the_delivery_slip_as_html_in_the_current_folder(order, tmp_path):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_sheet_modal(pilot)
        text = screen_text(app)
        assert "Production sheet" in text and "html" in text  # the defaults, all on screen at 80x24
        assert f"{NUMBER}-production-sheet.html" in text and "Save (ctrl+s)" in text
        # the keyboard alone: the department's list, one down, enter
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert modal.chosen == ("logistics", "html")
        path = modal.query_one(PathInput)
        assert path.value == f"{NUMBER}-delivery-slip.html"  # the name follows the choice
        assert str(tmp_path / f"{NUMBER}-delivery-slip.html") in squeezed(screen_text(app))  # the whole path
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert any("Sheet saved" in n and "delivery-slip.html" in n for n in app.notified)
    written = (tmp_path / f"{NUMBER}-delivery-slip.html").read_text(encoding="utf-8")
    HTMLParser().feed(written)  # it parses
    assert "<script" not in written.lower()
    assert "上海市浦东新区世纪大道100号" in written and "7,000.00" in written  # address, amount to collect
    assert INTERNAL not in written and "35.00" not in written  # no internal note, no price per line
    assert (tmp_path / f"{NUMBER}-delivery-slip.html").stat().st_mode & 0o077 == 0  # tmp_path: not a group folder


async def test_a_typed_path_and_format_are_kept_and_production_has_no_price(order, tmp_path):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_sheet_modal(pilot)
        path = modal.query_one(PathInput)
        path.value = str(tmp_path / "for-the-workshop.txt")
        modal.query_one("#sheet-format", Select).value = "txt"
        await pilot.pause()
        assert path.value == str(tmp_path / "for-the-workshop.txt")  # typed by the clerk: not replaced
        path.focus()
        await pilot.press("enter")  # enter in the path saves
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
    written = (tmp_path / "for-the-workshop.txt").read_text(encoding="utf-8")
    assert "红色T恤200件" in written and "胸前印LOGO" in written
    assert "35.00" not in written and "7,000.00" not in written and INTERNAL not in written


async def test_an_existing_file_is_named_and_a_folder_is_refused_with_the_dialog_left_open(order, tmp_path):
    (tmp_path / "old.md").write_text("old")
    (tmp_path / "folder.md").mkdir()
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_sheet_modal(pilot)
        modal.query_one("#sheet-format", Select).value = "md"
        modal.query_one("#sheet-department", Select).value = "finance"
        await pilot.pause()
        assert modal.query_one(PathInput).value == f"{NUMBER}-finance-sheet.md"
        modal.query_one(PathInput).value = str(tmp_path / "old.md")
        await pilot.pause()
        assert "old.md(exists:savingreplacesit)" in squeezed(screen_text(app))
        modal.query_one(PathInput).value = str(tmp_path / "folder.md")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal  # stays open: the clerk corrects the path
        assert any("is a folder" in n for n in app.notified)
        modal.query_one(PathInput).value = str(tmp_path / "old.md")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
    written = (tmp_path / "old.md").read_text(encoding="utf-8")
    assert "Finance sheet" in written and "7,000.00" in written and INTERNAL in written
    assert (tmp_path / "folder.md").is_dir()


async def test_escape_saves_nothing(order, tmp_path):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sheet_modal(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
    assert not list(tmp_path.glob(f"{NUMBER}-*"))


async def test_the_sheet_key_is_in_help_and_the_palette_not_in_the_full_footer(order):
    app = Harness(lambda: OrderDetailScreen(NUMBER))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).split("\n")[-1]
        assert "Back" in footer and "Sheet" not in footer
        names = [command.title for command in app.get_system_commands(app.screen)]
        assert any(name.startswith("Save a sheet of this order") for name in names), names
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Save a sheet of this order" in screen_text(app)


async def test_the_dialog_reads_in_chinese(order, tmp_path):
    """Its words are the interface language's; only codes (html, md, txt, Markdown), keys and the path stay."""
    from english_words import english_words
    from notedesk import i18n

    i18n.set_language("zh")  # the dialog's words are read when it opens
    try:
        app = Harness(lambda: OrderDetailScreen(NUMBER))
        async with app.run_test(size=(80, 24)) as pilot:
            modal = await open_sheet_modal(pilot)
            await pilot.press("enter", "down", "enter")
            await pilot.pause()
            text = screen_text(app)
            assert "单据" in text and "送货单" in text and "保存到" in text and "保存 (ctrl+s)" in text
            path_words = set(str(tmp_path).replace("/", " ").replace("-", " ").replace("_", " ").split())
            assert english_words(text, {"Markdown", "production", "sheet", "delivery", "slip"} | path_words) == []
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is not modal and any("单据已保存" in n for n in app.notified)
    finally:
        i18n.set_language("en")
    assert "送货单" in (tmp_path / f"{NUMBER}-delivery-slip.html").read_text(encoding="utf-8")


async def test_the_dialog_starts_on_the_sheet_of_the_lens_the_list_is_in(order):
    from notedesk.tui.app import NotedeskApp

    app = NotedeskApp("unused", lens="finance")  # a finance clerk's desk (`notedesk --lens finance`)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the order from the finance lens (cash on delivery, unpaid)
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        modal = await open_sheet_modal(pilot)
        assert modal.chosen == ("finance", "html")
        assert modal.query_one(PathInput).value == f"{NUMBER}-finance-sheet.html"
