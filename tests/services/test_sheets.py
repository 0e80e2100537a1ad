"""The departments' sheets (issue 16): what each must carry and what must never be on it, in md, html and txt."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from conftest import sample_order
from notedesk import config, safe_output
from notedesk.services import communications, notes, orders, payments, sheets
from notedesk.services.errors import InvalidInput, NotFound
from notedesk.services.list_filters import due_range
from notedesk.services.types import CustomerData, Deadline, InstalmentData, LineData, Payment

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
INTERNAL = "客户信用一般，内部：先收款再发货"


@pytest.fixture
def order(database, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-12-01T08:00:00")
    monkeypatch.setenv("NOTEDESK_TIMEZONE", "Asia/Shanghai")
    config.reload()
    orders.create_order(sample_order(
        customer=CustomerData(name="王芳 " + HOSTILE, company="芳华服饰有限公司", phone="13800138000",
                              address="上海市浦东新区世纪大道100号", preferences="只接受顺丰快递"),
        lines=(LineData("T恤", 200, Decimal("35.17"), "红色 / XL"), LineData("帆布袋", 50, Decimal("12.34"))),
        deadline=Deadline(text="12月1日上午9点到11点", date=dt.date(2026, 12, 1), start=dt.time(9), end=dt.time(11)),
        payment=Payment(method="cod"),
        notes={"requirements": "红色T恤200件", "special": "胸前印LOGO " + HOSTILE,
               "delivery": "送货前电话联系，放门卫室", "payment": INTERNAL},
    ))
    communications.log_communication("SO-2026-00042", "客户来电：改成周二送", channel="phone")
    return "SO-2026-00042"


def render(department: str, fmt: str, numbers=("SO-2026-00042",), due=None) -> str:
    out = io.StringIO()
    sheets.write_sheets(out, department, fmt, numbers, due)
    return out.getvalue()


PRICES = ("35.17", "12.34", "7,651.00", "617.00", "7,034.00")  # unit prices, the total, the line amounts


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_production_has_lines_requirements_special_and_no_price(order, fmt):
    text = render("production", fmt)
    for needed in ("T恤", "红色 / XL", "200", "帆布袋", "红色T恤200件", "胸前印LOGO", "只接受顺丰快递", "2026"):
        assert needed in text, needed
    for price in PRICES:
        assert price not in text, price
    assert INTERNAL not in text and "客户来电" not in text


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_the_delivery_slip_has_only_notes_marked_for_it(order, fmt):
    text = render("logistics", fmt)
    for needed in ("上海市浦东新区世纪大道100号", "13800138000", "09:00–11:00", "7,651.00", "T恤"):
        assert needed in text, needed  # address, contact, window, amount to collect, what is in the parcel
    for never in ("35.17", "12.34", INTERNAL, "客户来电", "红色T恤200件", "送货前电话联系"):
        assert never not in text, never  # no price per line, no internal note, no log, unmarked notes
    notes.set_on_slip(order, "delivery", True)
    text = render("logistics", fmt)
    assert "送货前电话联系，放门卫室" in text and INTERNAL not in text and "客户来电" not in text
    notes.set_on_slip(order, "delivery", False)
    assert "送货前电话联系" not in render("logistics", fmt)


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_finance_has_amounts_method_schedule_payments_and_balance(order, fmt):
    payments.record_payment(order, Decimal("1000.00"), via="wechat", note="定金")
    text = render("finance", fmt)
    for needed in ("7,651.00", "1,000.00", "6,651.00", "35.17", "定金", INTERNAL):
        assert needed in text, needed
    assert "collect 6,651.00 CNY on delivery" in text  # what finance does next: the courier collects


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("department", sheets.DEPARTMENTS)
def test_html_carries_nothing_a_browser_would_run_or_fetch(order, department):
    page = render(department, "html")
    parsed = Parsed()
    parsed.feed(page)
    parsed.close()
    assert "script" not in parsed.tags and "img" not in parsed.tags and "link" not in parsed.tags
    assert not [name for name, _value in parsed.attributes if name.startswith("on")]
    assert not [name for name, _value in parsed.attributes if name in ("src", "href", "action")]
    assert "@page { size: A4" in page and "Noto Sans CJK SC" in page  # prints on A4, Chinese fonts
    assert "http://" not in page and "https://" not in page and "url(" not in page
    assert HOSTILE in "".join(parsed.text) or department == "finance"  # shown as text, escaped


def test_several_orders_are_one_document_one_order_a_page(order):
    orders.create_order(sample_order(number="SO-2026-00043", status="shipped"))
    orders.create_order(sample_order(number="SO-2026-00044", status="delivered"))  # delivered: not to deliver
    page = render("logistics", "html", numbers=(), due=due_range("today"))
    assert page.count('<article class="sheet">') == 2 and page.count("<html") == 1
    assert "SO-2026-00042" in page and "SO-2026-00043" in page and "SO-2026-00044" not in page
    assert "break-before: page" in page
    text = render("logistics", "txt", numbers=(), due=due_range("today"))
    assert text.count("\f") == 1


def test_sheets_follow_the_interface_language(order, monkeypatch):
    from notedesk import i18n

    i18n.set_language("zh")
    try:
        text = render("logistics", "md")
    finally:
        i18n.set_language("en")
    assert "送货单" in text and "地址" in text and "Address" not in text


def test_instalments_on_the_finance_sheet(database):
    orders.create_order(sample_order(payment=Payment(method="instalments", instalments=(
        InstalmentData(dt.date(2026, 12, 15), Decimal("3000.00")),
        InstalmentData(dt.date(2027, 1, 15), Decimal("4000.00"))))))
    text = render("finance", "md")
    assert "2026-12-15" in text and "3,000.00" in text and "2027-01-15" in text


def test_the_finance_sheet_has_the_issues_whole_list(database, monkeypatch):
    """Amounts, method, schedule, payments (when, how much, how, who, note) and balance; what to do next;
    several orders in one document each with its own payments."""
    monkeypatch.setenv("NOTEDESK_NOW", "2026-12-01T08:00:00")
    config.reload()
    schedule = (InstalmentData(dt.date(2026, 12, 15), Decimal("3000.00")),
                InstalmentData(dt.date(2027, 1, 15), Decimal("4000.00")))
    orders.create_order(sample_order(payment=Payment(method="instalments", amount_due=Decimal("7000.00"),
                                                     instalments=schedule)))
    orders.create_order(sample_order("SO-2026-00043", payment=Payment(method="prepaid")))
    payments.record_payment("SO-2026-00042", Decimal("3000.00"), via="transfer", note="第一期", clerk="zhao")
    text = render("finance", "md", numbers=("SO-2026-00042", "SO-2026-00043"))
    first, second = text.split("SO-2026-00043", 1)
    for needed in ("Instalments", "7,000.00 CNY", "Amount due", "Received", "3,000.00 CNY", "Balance", "4,000.00 CNY",
                   "partly paid", "2026-12-15", "2027-01-15", "| 1 | 2026-12-15 | 3,000.00 | yes |",
                   "| 2 | 2027-01-15 | 4,000.00 | no |", "bank transfer", "zhao", "第一期",
                   "next instalment 2027-01-15: 4,000.00 CNY"):
        assert needed in first, needed
    assert "第一期" not in second and "zhao" not in second  # each order its own payments
    assert "prepayment not received: 7,000.00 CNY outstanding" in second
    cod = render("finance", "txt", numbers=("SO-2026-00042",))
    assert "Recorded by" in cod


def test_save_sheet_writes_a_file_whole_or_not_at_all(order, tmp_path):
    """The detail's `o` (services.sheets.save_sheet): the -o rules of the command line."""
    dest = tmp_path / "slip.html"
    written = sheets.save_sheet(str(dest), "logistics", "html", [order])
    assert written == dest and "上海市浦东新区世纪大道100号" in dest.read_text(encoding="utf-8")
    assert dest.stat().st_mode & 0o077 == 0
    with pytest.raises(InvalidInput):
        sheets.save_sheet("-", "logistics", "html", [order])  # standard output is the clerk's screen
    with pytest.raises(safe_output.OutputError, match="is a folder"):
        sheets.save_sheet(str(tmp_path), "logistics", "html", [order])
    with pytest.raises(NotFound):
        sheets.save_sheet(str(tmp_path / "none.html"), "logistics", "html", ["SO-0000-00000"])
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".html")) == ["slip.html"]  # no stray file
    assert sheets.file_name(order, "logistics", "html") == "SO-2026-00042-delivery-slip.html"
