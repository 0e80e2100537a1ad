"""The departments' lenses (`v`), the filters dialog (`f`) and the totals line, through Pilot (issue 16)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from harness import screen_text

from conftest import sample_order
from notedesk import config
from notedesk.services import orders
from notedesk.services.types import CustomerData, Deadline, InstalmentData, LineData, Payment
from notedesk.tui.app import NotedeskApp
from notedesk.tui.screens.list_filters import ListFiltersModal
from notedesk.tui.widgets.order_cells import items_cell, marks_cell
from notedesk.tui.widgets.order_table import OrderTable

TODAY = dt.date(2026, 12, 2)


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def desk(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-12-02T10:00:00")
    monkeypatch.setenv("NOTEDESK_TIMEZONE", "Asia/Shanghai")
    config.reload()

    def make(number, status, date, method, paid="unpaid", due=None, instalments=(), **more):
        orders.create_order(sample_order(
            number=number, status=status,
            customer=CustomerData(name="王芳", phone="13800138000", address="上海市浦东新区世纪大道100号"),
            lines=(LineData("T恤", 200, Decimal("35.00"), "红色 / XL"), LineData("帆布袋", 50, Decimal("12.00"))),
            deadline=Deadline(text="x", date=date, start=dt.time(9), end=dt.time(11)),
            payment=Payment(method=method, status=paid, amount_due=due, instalments=instalments), **more))

    make("SO-2026-00001", "confirmed", TODAY, "cod", due=Decimal("7600.00"))
    make("SO-2026-00002", "in_production", TODAY - dt.timedelta(days=3), "prepaid")
    make("SO-2026-00003", "shipped", TODAY + dt.timedelta(days=9), "instalments",
         instalments=(InstalmentData(TODAY + dt.timedelta(days=5), Decimal("3000.00")),))
    make("SO-2026-00004", "delivered", TODAY - dt.timedelta(days=9), "prepaid", paid="paid")


def text_of(app) -> str:
    return screen_text(app)


async def test_v_cycles_the_lenses_each_with_its_columns(desk, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrderTable)
        assert table.count == 4 and "35.00" not in text_of(app)  # the plain list shows totals per order
        await pilot.press("v")
        await settle(pilot)
        screen = text_of(app)
        assert table.query.lens == "production" and table.count == 2  # confirmed and in production
        assert "production" in screen and "Product · spec" in screen
        assert "T恤 · 红色 / XL ×" in screen  # cut at 80 columns; whole in a wider terminal:
        assert items_cell(table.row(0)) == "T恤 · 红色 / XL × 200 +1" and marks_cell(table.row(0)) == "S"
        for price in ("35.00", "7,600.00", "8,600.00", "CNY"):  # no price, no amount, not even in the totals
            assert price not in screen, price

        await pilot.press("v")
        await settle(pilot)
        screen = text_of(app)
        assert table.query.lens == "logistics" and table.count == 2  # the overdue one, then today's
        assert "上海市浦东新区" in screen and "13800138000" in screen  # the address cut at 80 columns
        today = next(line for line in screen.splitlines() if "SO-2026-00001" in line)
        assert "12-02 09:00–11:00" in today and "7,600.00" in today  # window and the COD amount

        await pilot.press("v")
        await settle(pilot)
        screen = text_of(app)
        assert table.query.lens == "finance" and table.count == 3  # not paid
        assert "Received" in screen and "Balance" in screen
        cod = next(line for line in screen.splitlines() if "SO-2026-00001" in line)
        assert "7,600.00" in cod and "collect" in cod
        prepaid = next(line for line in screen.splitlines() if "SO-2026-00002" in line)
        assert "not paid" in prepaid
        instalments = next(line for line in screen.splitlines() if "SO-2026-00003" in line)
        assert "12-07" in instalments  # the next instalment
        assert "balance 22,800.00 CNY" in screen  # 3 x 7,600

        await pilot.press("v")
        await settle(pilot)
        assert table.query.lens == "" and table.count == 4


async def test_filters_overdue_and_unpaid_with_totals(desk, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ListFiltersModal)
        modal.query_one("#filter-payment").value = "not_paid"
        modal.query_one("#filter-due").focus()
        await pilot.press(*"overdue")
        await settle(pilot)
        assert "overdue" in str(modal.query_one("#filter-due-preview").render())
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(OrderTable)
        assert table.count == 1 and table.cursor_number == "SO-2026-00002"
        totals = str(app.screen.query_one("#list-totals").render())
        assert "1 order" in totals and "amount 7,600.00 CNY" in totals and "balance 7,600.00 CNY" in totals
        assert "overdue" in totals and "not paid" in totals


async def test_a_range_that_cannot_be_read_is_shown_and_not_applied(desk, db_url):
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        modal = app.screen
        modal.query_one("#filter-due").focus()
        await pilot.press(*"whenever")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal  # still open, saying why
        assert "not understood" in str(modal.query_one("#filter-due-preview").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(OrderTable).count == 4


async def test_the_desk_starts_in_the_configured_lens(desk, db_url, monkeypatch):
    monkeypatch.setenv("NOTEDESK_LENS", "finance")
    config.reload()
    from notedesk.services import lenses, listing

    lens = config.settings().lens
    assert lens == "finance"
    first = listing.first_screen(lenses.lens_query(lens))
    app = NotedeskApp(db_url, first=first, lens=lens)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(OrderTable).query.lens == "finance"
        assert "finance" in text_of(app)


async def test_a_lens_change_never_shows_the_previous_lens_totals(desk, db_url):
    """The totals are counted after the rows: until then the line must not keep the plain list's amounts
    (a production clerk saw 'amount 7,617.00 CNY' for an instant after `v`)."""
    from textual.widgets import Static

    from notedesk.services import lenses

    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        totals = app.screen.query_one("#list-totals", Static)
        assert "CNY" in str(totals.render())  # the plain list's amounts
        app.screen._apply(lenses.lens_query("production"))  # what `v` does; the new totals not counted yet
        assert "CNY" not in str(totals.render())
        await settle(pilot)
        assert "CNY" not in str(totals.render()) and "2" in str(totals.render())


async def test_amounts_of_a_million_are_whole_in_the_money_columns_at_80_columns(desk, db_url):
    """'1,234,567.50' is 12 cells and the finance and logistics money columns 10: it was cut to
    '1,234,56…', which reads as another amount. Whole without the thousands separators instead."""
    orders.create_order(sample_order(
        number="SO-2026-00009", status="confirmed",
        lines=(LineData("帆布袋", 1, Decimal("1234567.50")),),
        payment=Payment(method="cod", status="unpaid", amount_due=Decimal("1234567.50"))))
    orders.create_order(sample_order(
        number="SO-2026-00010", status="confirmed",
        lines=(LineData("帆布袋", 1_000_000, Decimal("20.00")),),
        payment=Payment(method="cod", status="unpaid", amount_due=Decimal("20000000.00"))))
    app = NotedeskApp(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "v")  # logistics: what the courier collects
        await settle(pilot)
        screen = text_of(app)
        assert app.screen.query_one(OrderTable).query.lens == "logistics"
        assert "1234567.50" in line_of(screen, "SO-2026-00009")
        assert line_of(screen, "SO-2026-00010").rstrip().endswith(" 20000000")  # the zero cents go before a cut
        await pilot.press("v")  # finance: due, received, balance
        await settle(pilot)
        million = line_of(text_of(app), "SO-2026-00009")
        assert million.count("1234567.50") == 2 and "1,234,56…" not in million  # due and balance
        assert "7,600.00" in line_of(text_of(app), "SO-2026-00001")  # an amount that fits keeps its separators
        # the method's column (8 cells) takes its short word rather than a cut one: 'instal', not 'instalm…'
        assert " instal " in line_of(text_of(app), "SO-2026-00003") and "instalm…" not in text_of(app)


def line_of(screen: str, number: str) -> str:
    return next(line for line in screen.splitlines() if number in line)
