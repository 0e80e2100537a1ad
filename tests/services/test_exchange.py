"""Import and export: the notedesk/1 document, CSV, the md order sheet, all-or-nothing imports."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from dateutil.tz import gettz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import sample_order
from notedesk import domain
from notedesk.services import communications, exchange, exchange_check, exchange_json, notes, orders
from notedesk.services.errors import InvalidInput, NotFound
from notedesk.services.types import CustomerData, Deadline, InstalmentData, LineData, Payment
from notedesk.store import models as m
from notedesk.store.connection import close_database, open_database
from notedesk.text import clean

UTC = dt.UTC


def counts() -> dict[str, int]:
    return {model.__name__: model.select().count() for model in m.MODELS}


def export_text(fmt: str = "json", numbers=None) -> str:
    out = io.StringIO()
    exchange.export(out, fmt, numbers)
    return out.getvalue()


def order_doc(number: str = "SO-2026-00042", **overrides) -> dict:
    """One order exactly as the README's exchange format shows it."""
    order = {
        "number": number,
        "created_at": "2026-11-26T10:00:00+08:00",
        "status": "confirmed",
        "currency": "CNY",
        "customer": {"name": "王芳", "company": "芳华服饰有限公司", "phone": "13800138000",
                     "email": "wangfang@example.cn", "address": "上海市浦东新区世纪大道100号",
                     "preferences": "只用顺丰"},
        "lines": [{"product": "T恤", "spec": "红色 / XL", "quantity": 200, "unit_price": "35.00"}],
        "deadline": {"text": "请在2026年12月1日前交付,上午9点至11点送达", "date": "2026-12-01",
                     "start": "09:00", "end": "11:00"},
        "payment": {"method": "cod", "status": "unpaid", "amount_due": "7000.00",
                    "instalments": [{"due": "2026-12-15", "amount": "3500.00", "paid": False}]},
        "notes": {"requirements": "红色T恤200件", "special": "胸前印LOGO", "delivery": "送到3号门",
                  "payment": "货到付款,收货时支付全款"},
        "communications": [{"at": "2026-11-26T10:30:00+08:00", "channel": "phone", "contact": "王芳",
                            "clerk": "li", "text": "数量改为300件"}],
    }
    order.update(overrides)
    return order


def document(*orders) -> dict:
    return {"format": "notedesk/1", "orders": list(orders) or [order_doc()]}


def varied_orders() -> None:
    """Orders covering what the format carries: Chinese, windows, no deadline, instalments, logs."""
    orders.create_order(sample_order())
    orders.create_order(sample_order(
        "SO-2026-00043", status="new", currency="USD",
        customer=CustomerData(name="Sarah Connor", company="Acme Ltd.", phone="+1 555-0100",
                              email="sarah@acme.example", preferences="Invoice must show PO number"),
        lines=(LineData("Tote bag", 50, Decimal("4.50"), "natural / 12oz canvas"),
               LineData("Custom mug", 12, Decimal("9.99"))),
        deadline=Deadline(), payment=Payment("instalments", "partial", Decimal("300.00"),
                                             (InstalmentData(dt.date(2026, 12, 1), Decimal("100.00"), True),
                                              InstalmentData(dt.date(2027, 1, 1), Decimal("300.00")))),
        notes={"requirements": "Line one\n  indented line\n\nnew paragraph", "payment": "Net 30"},
    ))
    orders.create_order(sample_order(
        "SO-2026-00044", deadline=Deadline("下午3点前", dt.date(2026, 12, 3), None, dt.time(15)),
        notes={"special": "防潮包装 [Tom] *asap* <b>", "delivery": "尽快"},
        payment=Payment("prepaid", "paid"),
    ))
    orders.create_order(sample_order("SO-2026-00045", deadline=Deadline("尽快"), notes={}))
    first = communications.log_communication("SO-2026-00042", "数量改为300件", contact="王芳",
                                             at=dt.datetime(2026, 11, 26, 2, 30, tzinfo=UTC))
    communications.log_communication("SO-2026-00042", "更正:数量为250件", channel="wechat", corrects=first.id,
                                     at=dt.datetime(2026, 11, 26, 3, 0, 0, 123456, tzinfo=UTC), clerk="wang")
    communications.log_communication("SO-2026-00043", "Sent proof v2\nby email", channel="email",
                                     contact="Sarah", at=dt.datetime(2026, 11, 27, 1, 0, tzinfo=UTC))


# --- export --------------------------------------------------------------------------------------------


def test_export_follows_the_design_document(database):
    varied_orders()
    doc = exchange.export_orders(["SO-2026-00042"])
    assert list(doc) == ["format", "orders"] and doc["format"] == "notedesk/1"
    order = doc["orders"][0]
    assert list(order) == list(exchange_json.ORDER_KEYS)
    assert order["created_at"] == "2026-11-26T10:00:00+08:00"
    assert order["lines"] == [{"product": "T恤", "spec": "红色 / XL", "quantity": 200, "unit_price": "35.00"}]
    assert order["deadline"] == {"text": "请在2026年12月1日前交付,上午9点至11点送达", "date": "2026-12-01",
                                 "start": "09:00", "end": "11:00"}
    assert order["payment"] == {"method": "cod", "status": "unpaid", "amount_due": "7000.00", "instalments": []}
    assert order["notes"] == {"requirements": "红色T恤200件,XL码", "special": "胸前印LOGO", "delivery": "",
                              "payment": ""}
    assert order["communications"] == [
        {"at": "2026-11-26T10:30:00+08:00", "channel": "phone", "contact": "王芳", "clerk": "li",
         "text": "数量改为300件"},
        {"at": "2026-11-26T11:00:00.123456+08:00", "channel": "wechat", "contact": "", "clerk": "wang",
         "text": "更正:数量为250件", "corrects": 0},
    ]


def test_export_sorts_by_number_and_streams_what_json_dumps_gives(database):
    assert export_text() == exchange_json.dumps(exchange.export_orders())
    varied_orders()
    text = export_text()
    assert text == exchange_json.dumps(exchange.export_orders())
    assert [o["number"] for o in json.loads(text)["orders"]] == [f"SO-2026-000{n}" for n in (42, 43, 44, 45)]
    assert "王芳" in text and text.endswith("}\n")
    unscheduled = json.loads(text)["orders"][3]["deadline"]
    assert unscheduled == {"text": "尽快", "date": None, "start": None, "end": None}


def test_export_of_an_unknown_number_is_not_found(database):
    varied_orders()
    with pytest.raises(NotFound, match="SO-9"):
        exchange.export_orders(["SO-2026-00042", "SO-9"])


def test_round_trip_is_byte_identical(database, tmp_path):
    varied_orders()
    first = export_text()
    close_database()
    open_database(str(tmp_path / "empty.db"))
    report = exchange.import_json_text(first)
    assert report.created == ("SO-2026-00042", "SO-2026-00043", "SO-2026-00044", "SO-2026-00045")
    assert report.communications == 3
    assert export_text() == first
    assert export_text("csv") and export_text("md")


# --- import errors: all or nothing ----------------------------------------------------------------------


def _mutate(path: str, value):
    def apply(doc):
        target = doc["orders"][1]
        *parents, last = path.split(".")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is KeyError:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return apply


BAD = [
    ("missing number", _mutate("number", KeyError), "orders[1] number", "missing"),
    ("empty number", _mutate("number", "  "), "orders[1] number", "missing"),
    ("unknown order key", _mutate("colour", "red"), "SO-2026-00043 colour", "unknown key 'colour'"),
    ("unknown customer key", _mutate("customer.fax", "1"), "SO-2026-00043 customer.fax", "unknown key"),
    ("unknown line key", _mutate("lines.0.qty", 1), "SO-2026-00043 lines[0].qty", "unknown key"),
    ("quantity text", _mutate("lines.0.quantity", "12a"), "SO-2026-00043 lines[0].quantity", "whole number"),
    ("quantity float", _mutate("lines.0.quantity", 1.5), "SO-2026-00043 lines[0].quantity", "whole number"),
    ("quantity bool", _mutate("lines.0.quantity", True), "SO-2026-00043 lines[0].quantity", "whole number"),
    ("quantity zero", _mutate("lines.0.quantity", 0), "SO-2026-00043 lines[0].quantity", "out of range"),
    ("float money", _mutate("lines.0.unit_price", 35.0), "SO-2026-00043 lines[0].unit_price", "not the number"),
    ("money words", _mutate("payment.amount_due", "7,000"), "SO-2026-00043 payment.amount_due", "not an amount"),
    ("impossible date", _mutate("deadline.date", "2026-02-30"), "SO-2026-00043 deadline.date", "no such date"),
    ("impossible due", _mutate("payment.instalments.0.due", "2026-13-01"), "SO-2026-00043 payment.instalments[0].due",
     "no such date"),
    ("impossible deadline text", _mutate("deadline", {"text": "2026-02-30"}), "SO-2026-00043 deadline.text",
     "February"),
    ("bad time", _mutate("deadline.start", "25:00"), "SO-2026-00043 deadline.start", "no such time"),
    ("bad status", _mutate("status", "done"), "SO-2026-00043 status", "'done' is not one of"),
    ("bad method", _mutate("payment.method", "card"), "SO-2026-00043 payment.method", "not one of"),
    ("bad channel", _mutate("communications.0.channel", "fax"), "SO-2026-00043 communications[0].channel",
     "not one of"),
    ("NUL in note", _mutate("notes.special", "a\x00b"), "SO-2026-00043 notes.special", "NUL"),
    ("NUL in name", _mutate("customer.name", "\x00"), "SO-2026-00043 customer.name", "NUL"),
    ("number as int", _mutate("customer.phone", 13800138000), "SO-2026-00043 customer.phone", "expected text"),
    ("paid as text", _mutate("payment.instalments.0.paid", "yes"), "SO-2026-00043 payment.instalments[0].paid",
     "true or false"),
    ("bad created_at", _mutate("created_at", "yesterday"), "SO-2026-00043 created_at", "ISO time"),
    ("window without date", _mutate("deadline", {"text": "", "start": "09:00"}), "SO-2026-00043 deadline.date",
     "needs a date"),
    ("window backwards", _mutate("deadline.start", "12:00"), "SO-2026-00043 deadline.start", "before it ends"),
    ("corrects itself", _mutate("communications.0.corrects", 0), "SO-2026-00043 communications[0].corrects",
     "another entry"),
    ("no customer", _mutate("customer", KeyError), "SO-2026-00043 customer", "missing"),
    ("lines not a list", _mutate("lines", {}), "SO-2026-00043 lines", "expected a list"),
]


@pytest.mark.parametrize("name, mutate, where, message", BAD, ids=[b[0] for b in BAD])
def test_an_invalid_order_imports_nothing_and_names_order_and_field(database, name, mutate, where, message):
    doc = document(order_doc("SO-2026-00042"), order_doc("SO-2026-00043"))
    mutate(doc)
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        exchange.import_document(doc)
    assert caught.value.where == where
    assert message in str(caught.value)
    assert counts() == before


@pytest.mark.parametrize("doc, message", [
    ({"format": "notedesk/2", "orders": []}, "format must be 'notedesk/1'"),
    ({"orders": []}, "format must be"),
    ({"format": "notedesk/1", "orders": [], "extra": 1}, "unknown key 'extra'"),
    ({"format": "notedesk/1", "orders": {}}, "expected a list"),
    ([], "expected a notedesk/1 document"),
    ({"format": "notedesk/1", "orders": ["SO-1"]}, "expected an order"),
])
def test_a_bad_document_is_refused(database, doc, message):
    with pytest.raises(InvalidInput, match=message):
        exchange.import_document(doc)
    assert m.Order.select().count() == 0


@pytest.mark.parametrize("text, message", [
    ('{"format": "notedesk/1", "orders": [}', "malformed JSON at line 1 column 37"),
    ('{"format": "notedesk/1",\n "orders": [],\n}', "malformed JSON at line 3 column 1"),
    ("", "malformed JSON at line 1 column 1"),
    ('{"format": "notedesk/1", "format": "notedesk/1", "orders": []}', "'format' appears twice"),
])
def test_malformed_json_names_line_and_column(database, text, message):
    with pytest.raises(InvalidInput, match=message):
        exchange.import_json_text(text, name="orders.json")
    assert m.Order.select().count() == 0


def test_a_number_that_exists_is_an_error_without_update(database):
    exchange.import_document(document(order_doc("SO-2026-00042")))
    before = counts()
    doc = document(order_doc("SO-2026-00050"), order_doc("SO-2026-00042"))
    with pytest.raises(InvalidInput, match="exists already") as caught:
        exchange.import_document(doc)
    assert caught.value.where == "SO-2026-00042 number"
    assert counts() == before


def test_a_number_twice_in_one_file_is_an_error(database):
    with pytest.raises(InvalidInput, match="twice") as caught:
        exchange.import_document(document(order_doc(), order_doc()))
    assert caught.value.where == "SO-2026-00042 number"
    assert m.Order.select().count() == 0


# --- what an import stores --------------------------------------------------------------------------------


def test_deadline_text_alone_is_parsed_relative_to_created_at(database):
    exchange.import_document(document(
        order_doc("A-1", deadline={"text": "明天下午3点前"}),
        order_doc("A-2", deadline={"text": "明天", "date": "2026-12-05", "start": None, "end": None}),
        order_doc("A-3", deadline={"text": "尽快"}),
        order_doc("A-4", deadline=None),
    ))
    assert orders.get_order("A-1").deadline == Deadline("明天下午3点前", dt.date(2026, 11, 27), None, dt.time(15))
    assert orders.get_order("A-2").deadline == Deadline("明天", dt.date(2026, 12, 5))
    assert orders.get_order("A-3").deadline == Deadline("尽快")
    assert orders.get_order("A-4").deadline == Deadline()


def test_defaults_for_what_an_order_leaves_out(database):
    report = exchange.import_document(document({"number": "B-1", "customer": {"name": "李雷"}}))
    assert report.created == ("B-1",)
    detail = orders.get_order("B-1")
    assert (detail.status, detail.currency, detail.lines, detail.payment) == ("new", "CNY", (), Payment())
    assert detail.notes["requirements"].body == ""


def test_quantity_may_be_a_digit_string_and_money_an_int(database):
    exchange.import_document(document(order_doc(lines=[{"product": "马克杯", "quantity": "12", "unit_price": 30}])))
    detail = orders.get_order("SO-2026-00042")
    assert detail.lines == (LineData("马克杯", 12, Decimal("30.00")),)
    assert detail.total == Decimal("360.00")


def test_cleaning_is_counted_and_reported_where(database):
    doc = document(order_doc(
        customer={"name": "王芳\x1b]0;pwned\x07"},
        notes={"special": "\u202eevil\u202c and \x9b31m"},
        communications=[{"at": "2026-11-26T10:30:00+08:00", "text": "ok\r\nline two\x08"}],
    ))
    report = exchange.import_document(doc)
    assert {(r.where, r.count) for r in report.replacements} == {
        ("SO-2026-00042 customer.name", 2), ("SO-2026-00042 notes.special", 3),
        ("SO-2026-00042 communications[0].text", 1)}
    assert report.replaced == 6
    detail = orders.get_order("SO-2026-00042")
    assert detail.customer.name == "王芳\ufffd]0;pwned\ufffd"
    assert detail.notes["special"].body == "\ufffdevil\ufffd and \ufffd31m"
    assert detail.communications[0].text == "ok\nline two\ufffd"


def test_dry_run_changes_nothing_and_reports_what_would_happen(database):
    exchange.import_document(document(order_doc("SO-2026-00042")))
    before = counts()
    changed = order_doc("SO-2026-00042", status="shipped")
    report = exchange.import_document(document(order_doc("SO-2026-00099"), changed), update=True, dry_run=True)
    assert report.dry_run and report.created == ("SO-2026-00099",) and report.updated == ("SO-2026-00042",)
    assert counts() == before
    assert orders.get_order("SO-2026-00042").status == "confirmed"


def test_update_replaces_fields_adds_revisions_only_where_changed_and_appends_new_log_entries(database):
    exchange.import_document(document(order_doc()))
    before = orders.get_order("SO-2026-00042")
    doc = document(order_doc(
        status="in_production",
        lines=[{"product": "T恤", "spec": "红色 / XL", "quantity": 300, "unit_price": "35.00"}],
        notes={"requirements": "红色T恤300件", "special": "胸前印LOGO", "delivery": "送到3号门",
               "payment": "货到付款,收货时支付全款"},
        communications=[
            {"at": "2026-11-26T10:30:00+08:00", "channel": "phone", "contact": "王芳", "clerk": "li",
             "text": "数量改为300件"},
            {"at": "2026-11-27T09:00:00+08:00", "channel": "wechat", "contact": "王芳", "clerk": "wang",
             "text": "确认设计稿", "corrects": 0},
        ],
    ))
    with pytest.raises(InvalidInput, match="exists already"):
        exchange.import_document(doc)
    report = exchange.import_document(doc, update=True)
    assert report.updated == ("SO-2026-00042",) and report.communications == 1
    after = orders.get_order("SO-2026-00042")
    assert after.status == "in_production" and after.total == Decimal("10500.00")
    assert after.version == before.version + 1
    assert after.notes["requirements"].version == 2 and after.notes["special"].version == 1
    assert [r.body for r in notes.history("SO-2026-00042", "requirements")] == ["红色T恤300件", "红色T恤200件"]
    assert [c.text for c in after.communications] == ["确认设计稿", "数量改为300件"]
    assert after.communications[0].corrects == after.communications[1].id
    assert {e.field for e in after.events} >= {"status"}

    again = exchange.import_document(doc, update=True)
    assert again.unchanged == ("SO-2026-00042",) and again.communications == 0
    assert orders.get_order("SO-2026-00042").version == after.version


def test_update_leaves_what_the_file_does_not_give(database):
    exchange.import_document(document(order_doc()))
    exchange.import_document(document({"number": "SO-2026-00042", "customer": {"name": "王芳", "phone": "13800138000"},
                                       "status": "shipped", "notes": {"delivery": "顺丰到付"}}), update=True)
    detail = orders.get_order("SO-2026-00042")
    assert detail.status == "shipped" and detail.notes["delivery"].body == "顺丰到付"
    assert detail.lines[0].quantity == 200 and detail.deadline.date == dt.date(2026, 12, 1)
    assert detail.customer.company == "芳华服饰有限公司" and detail.notes["special"].body == "胸前印LOGO"
    assert detail.payment.instalments and len(detail.communications) == 1


# --- CSV -------------------------------------------------------------------------------------------------

CSV_HEADER = "number,customer,phone,status,deadline,payment_method,requirements,special,delivery,payment\r\n"


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_csv_imports_with_or_without_bom(database, bom, monkeypatch):
    monkeypatch.setenv("NOTEDESK_NOW", "2026-11-26T10:00:00+08:00")
    text = (bom + CSV_HEADER
            + 'SO-1,王芳,138,confirmed,明天上午9点至11点,cod,"红色,200件\n分两箱",加印LOGO,,货到付款\r\n\r\n')
    report = exchange.import_csv_text(text, name="orders.csv")
    assert report.created == ("SO-1",)
    detail = orders.get_order("SO-1")
    assert detail.customer.name == "王芳" and detail.payment.method == "cod"
    assert detail.deadline == Deadline("明天上午9点至11点", dt.date(2026, 11, 27), dt.time(9), dt.time(11))
    assert detail.notes["requirements"].body == "红色,200件\n分两箱" and detail.notes["delivery"].body == ""


@pytest.mark.parametrize("text, message", [
    ("number,customer\r\nSO-1,x\r\n", "missing column 'phone'"),
    (CSV_HEADER.replace("payment\r\n", "payment,colour\r\n"), "unknown column 'colour'"),
    ("", "the file is empty"),
    (CSV_HEADER + "SO-1,王芳\r\n", "line 2 has 2 fields"),
    (CSV_HEADER + 'SO-1,"王芳,,,,,,,,\r\n', "malformed CSV"),
    (CSV_HEADER + ",王芳,,,,,,,,\r\n", "line 2 number: the order number is missing"),
    (CSV_HEADER + "SO-1,王芳,,done,,,,,,\r\n", "SO-1 status"),
    (CSV_HEADER + "SO-1,王芳,,,2026-02-30,,,,,\r\n", "SO-1 deadline.text"),
])
def test_bad_csv_names_the_problem(database, text, message):
    with pytest.raises(InvalidInput, match=message):
        exchange.import_csv_text(text, name="orders.csv")
    assert m.Order.select().count() == 0


def test_csv_round_trip_and_formula_guard(database, tmp_path):
    varied_orders()
    notes.save_note("SO-2026-00045", "requirements", "=HYPERLINK(\"http://x\")", base_version=0)
    first = export_text("csv")
    assert first.startswith(CSV_HEADER)
    assert "'=HYPERLINK" in first
    close_database()
    open_database(str(tmp_path / "empty.db"))
    exchange.import_csv_text(first)
    assert notes.get_note("SO-2026-00045", "requirements").body == "=HYPERLINK(\"http://x\")"
    assert export_text("csv") == first


# --- the md order sheet ------------------------------------------------------------------------------------

HOSTILE = ("# Big heading\n- list item\n1. numbered\n    code block\n```\nfence\n```\n> quote\n"
           "[click](http://evil.example) ![img](x.png) <script>alert(1)</script> &amp;\n"
           "| a | b |\n|---|---|\n---\n===\n**bold** _em_ `code` ~~strike~~ \\ \x1b]52;c;Zm9v\x07")


def test_md_sheet_escapes_data_so_it_cannot_add_structure(database):
    orders.create_order(sample_order(
        customer=CustomerData(name="王芳 # [x](y)", company="<b>co</b>"),
        lines=(LineData("T恤 | 红", 2, Decimal("1.00"), "*spec*"),),
        notes=dict.fromkeys(domain.NOTE_KINDS, HOSTILE)))
    communications.log_communication("SO-2026-00042", HOSTILE, contact="[Tom]")
    text = export_text("md")
    assert "\x1b" not in text and "\x07" not in text
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(text)
    kinds = [t.type for t in tokens]
    assert not set(kinds) & {"html_block", "code_block", "fence", "hr", "ordered_list_open"}
    assert kinds.count("blockquote_open") == 1  # the sheet's own frame around special processing
    assert kinds.count("bullet_list_open") == 3  # the sheet's own: customer facts, payment, communications
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "SO-2026-00042 · 王芳 \\# \\[x\\](y)"
    assert len(headings) == 9  # title, special, lines, deadline, payment, 3 notes, communications
    inline = [c for t in tokens if t.type == "inline" for c in t.children]
    assert not {c.type for c in inline} & {"link_open", "image", "html_inline", "code_inline", "em_open", "s_open"}
    strong = {inline[i + 1].content for i, c in enumerate(inline) if c.type == "strong_open"}
    assert not any("bold" in s for s in strong)
    assert kinds.count("tr_open") == 2  # the lines table: header and one line, nothing from the notes
    rendered = md.render(text)
    assert "[click](http://evil.example)" in rendered and "&lt;script&gt;" in rendered
    assert "# Big heading" in rendered and "**bold**" in rendered


def test_md_sheet_shows_special_processing_first_and_the_deadline(database):
    varied_orders()
    sheet = export_text("md", ["SO-2026-00044"])
    special = sheet.index("Special processing")
    assert special < sheet.index("## Lines") < sheet.index("## Deadline")
    assert "**Thu 3 Dec 2026 by 15:00**" in sheet and "下午3点前" in sheet
    assert sheet.startswith("# SO-2026-00044 · 王芳\n")


def test_parse_document_keeps_the_caller_document_intact(database):
    doc = document(order_doc())
    snapshot = copy.deepcopy(doc)
    exchange.import_document(doc, dry_run=True)
    assert doc == snapshot


# --- the fast writers give exactly what the slow, obvious ones give -----------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_encode_is_json_dumps_with_indent(value):
    assert exchange_json.encode(value) == json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
def test_local_clock_gives_what_astimezone_gives(zone):
    tz = gettz(zone)
    local = exchange_json.LocalClock(tz)
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    for minutes in range(0, 366 * 24 * 60, 7 * 60 + 13):  # every 7h13m through a year, both DST changes
        moment = start + dt.timedelta(minutes=minutes, microseconds=minutes % 3)
        assert local.iso(moment) == moment.astimezone(tz).isoformat()
    for transition in (dt.datetime(2026, 3, 29, 1, tzinfo=UTC), dt.datetime(2026, 10, 25, 1, tzinfo=UTC),
                       dt.datetime(2026, 3, 8, 7, tzinfo=UTC), dt.datetime(2026, 11, 1, 6, tzinfo=UTC),
                       dt.datetime(2026, 4, 4, 14, 30, tzinfo=UTC), dt.datetime(2026, 10, 3, 15, 30, tzinfo=UTC)):
        for seconds in (-1, 0, 1, 899, 900):
            moment = transition + dt.timedelta(seconds=seconds)
            assert local.iso(moment) == moment.astimezone(tz).isoformat()


small_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                            lambda children: st.lists(children, max_size=2) | st.dictionaries(
                                st.text(max_size=3), children, max_size=2), max_leaves=3)


def _maybe(valid, strategy=None):
    return st.one_of(st.just(valid), strategy if strategy is not None else small_values)


_VALID = order_doc()
orders_strategy = st.fixed_dictionaries({
    **{key: _maybe(value) for key, value in _VALID.items() if key != "number"},
    "customer": _maybe(_VALID["customer"], st.fixed_dictionaries(
        {k: _maybe(v) for k, v in _VALID["customer"].items()}, optional={"\x1b]0;x\x07": small_values})),
    "lines": _maybe(_VALID["lines"], st.lists(st.fixed_dictionaries(
        {k: _maybe(v) for k, v in _VALID["lines"][0].items()}), max_size=2)),
    "deadline": _maybe(_VALID["deadline"], st.fixed_dictionaries({}, optional={
        k: _maybe(v, st.text(max_size=12)) for k, v in _VALID["deadline"].items()})),
    "payment": _maybe(_VALID["payment"], st.fixed_dictionaries(
        {k: _maybe(v) for k, v in _VALID["payment"].items()})),
    "communications": _maybe(_VALID["communications"], st.lists(st.fixed_dictionaries(
        {k: _maybe(v) for k, v in _VALID["communications"][0].items()},
        optional={"corrects": st.integers(-2, 3)}), max_size=3)),
}, optional={"number": _maybe("SO-1", st.text(max_size=70)), "\u202eextra": small_values})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(orders_strategy, max_size=2))
def test_the_validator_refuses_anything_wrong_in_one_clean_line(raw_orders):
    """Whatever an order holds, checking it either gives plans or one InvalidInput line safe to print."""
    try:
        plans = exchange_check.parse_document({"format": "notedesk/1", "orders": raw_orders},
                                             tz=gettz("Asia/Shanghai"), now=dt.datetime(2026, 11, 26, tzinfo=UTC),
                                             replacements=exchange_check.Replacements())
    except InvalidInput as exc:
        message = str(exc)
        assert "\n" not in message and len(message) < 400
        assert message == clean(message)
    else:
        assert len(plans) == len(raw_orders)
