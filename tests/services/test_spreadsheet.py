"""The spreadsheet export (issue 16): one row per order line, read back with the csv module column by column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from conftest import sample_order
from notedesk.services import exchange, orders, payments
from notedesk.services.exchange_csv import SPREADSHEET_COLUMNS
from notedesk.services.types import CustomerData, LineData


def test_one_row_per_line_with_amounts_due_date_window_and_address(database):
    orders.create_order(sample_order(
        customer=CustomerData(name="=HYPERLINK(\"http://x\")", company="芳华服饰有限公司", phone="+8613800138000",
                              address="上海市浦东新区世纪大道100号"),
        lines=(LineData("T恤", 200, Decimal("35.00"), "红色 / XL"), LineData("-帆布袋", 50, Decimal("12.34")))))
    orders.create_order(sample_order(number="SO-2026-00043", lines=()))
    payments.record_payment("SO-2026-00042", Decimal("1000.00"))
    out = io.StringIO()
    assert exchange.export(out, "spreadsheet") == 2
    text = out.getvalue()
    assert text.startswith("\ufeff")  # Excel reads the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert tuple(rows[0]) == SPREADSHEET_COLUMNS
    first, second, empty = rows
    assert first["number"] == second["number"] == "SO-2026-00042"
    assert first["customer"] == "'=HYPERLINK(\"http://x\")"  # formula-looking cells neutralised
    assert first["phone"] == "'+8613800138000" and second["product"] == "'-帆布袋"
    assert first["company"] == "芳华服饰有限公司" and first["address"] == "上海市浦东新区世纪大道100号"
    assert (first["status"], first["due_date"], first["window_start"], first["window_end"]) == (
        "confirmed", "2026-12-01", "09:00", "11:00")
    assert first["deadline_text"].startswith("请在2026年12月1日前交付")
    assert (first["payment_method"], first["currency"]) == ("cod", "CNY")
    total = Decimal("35.00") * 200 + Decimal("12.34") * 50
    assert Decimal(first["amount_due"]) == Decimal("7000.00")  # the sample's amount due
    assert (Decimal(first["received"]), Decimal(first["balance"])) == (Decimal("1000.00"), Decimal("6000.00"))
    assert (first["line"], first["product"], first["spec"], first["quantity"]) == ("1", "T恤", "红色 / XL", "200")
    assert (Decimal(first["unit_price"]), Decimal(first["line_amount"])) == (Decimal("35.00"), Decimal("7000.00"))
    assert Decimal(first["line_amount"]) + Decimal(second["line_amount"]) == total
    assert empty["number"] == "SO-2026-00043" and empty["product"] == "" and empty["line"] == ""
    assert dt.date.fromisoformat(empty["due_date"])


def test_csv_import_still_reads_the_exchange_columns(database):
    orders.create_order(sample_order())
    out = io.StringIO()
    exchange.export(out, "csv")
    assert out.getvalue().startswith("number,customer,phone,status,deadline,payment_method,")
    report = exchange.import_csv_text(out.getvalue().replace("SO-2026-00042", "SO-2026-00077"), name="orders.csv")
    assert report.created == ("SO-2026-00077",)
