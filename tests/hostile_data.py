"""Hostile test data: the notedesk/1 fixture full of escape sequences, C1/bidi controls and markup,
and databases built from it (shared by the pseudo-terminal walk and the command-line checks).

`build_database(path)` makes three orders:
- "SO-2026-[/]01", imported from tests/fixtures/hostile.json through the import service (whose
  gate replaces the control characters and keeps the markup, which is printable text);
- "RAW-[/]03<OSC>", whose every text column is then written *raw* through the models, escape
  sequences, C1 and bidi controls included, as another tool, an older notedesk or a hand-edited
  database could: what the display gate itself must stop;
- "SO-2026-00002", a plain Chinese order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from conftest import sample_order
from notedesk import domain
from notedesk.services import communications, exchange, orders
from notedesk.services.types import CustomerData, Deadline, LineData, OrderInput, Payment
from notedesk.store import models as m
from notedesk.store.connection import close_database, open_database

FIXTURE = Path(__file__).parent / "fixtures" / "hostile.json"

OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;SGVsbG8=\x07"
HOSTILE_TAIL = (f" {OSC_TITLE}{OSC_CLIPBOARD}\x1b[2J\x1b[31m\x9b31m\x9d0;x\x9c\u202eevil\u202c "
                "\u2066iso\u2069 [@click=app.quit]click me[/] [/] 王芳 红色 T恤")
RAW_NUMBER = "RAW-[/]03" + OSC_TITLE


def hostile(lead: str) -> str:
    """A visible lead to look for on screen, then every hostile sequence."""
    return lead + HOSTILE_TAIL


def build_database(path: Path) -> None:
    open_database(str(path))
    try:
        report = exchange.import_json_text(FIXTURE.read_text(encoding="utf-8"), name=FIXTURE.name)
        assert report.replacements, "the import gate should have replaced the control characters"
        # the raw order: made through the services, then overwritten behind their back
        created = orders.create_order(OrderInput(
            number="RAW-03", status="confirmed", currency="CNY",
            customer=CustomerData(name="placeholder", company="c"),
            lines=(LineData(product="p", spec="s", quantity=5, unit_price=Decimal("2.00")),),
            deadline=Deadline(text="x", date=dt.date(2026, 12, 2)),
            payment=Payment(method="prepaid"),
            notes=dict.fromkeys(domain.NOTE_KINDS, "x"),
        ))
        orders.set_status("RAW-03", "in_production")
        communications.log_communication("RAW-03", "placeholder", contact="c")
        order = m.Order.get(m.Order.number == "RAW-03")
        with m.db.atomic():
            m.Customer.update(
                name=hostile("Call [Tom] asap"), company=hostile("[bold red]x[/bold red] 公司"),
                phone="138" + OSC_TITLE, email="w@example.com" + OSC_CLIPBOARD,
                preferences=hostile("PREF [i]偏好[/i]"), changed_by="mallory" + OSC_TITLE,
            ).where(m.Customer.id == order.customer_id).execute()
            stamp = dict(created_at=order.created_at, updated_at=order.updated_at, changed_by="mallory" + OSC_TITLE)
            place = m.CustomerAddress.create(customer=order.customer_id, position=0, label=hostile("LBL [b]仓[/b]"),
                                             text=hostile("[link=http://evil]addr[/link]"), **stamp)
            person = m.CustomerContact.create(customer=order.customer_id, position=0, name=hostile("CNT [Tom]"),
                                              phone="139" + OSC_CLIPBOARD, role=hostile("ROLE [i]x[/i]"), **stamp)
            m.OrderLine.update(product=hostile("PROD [b]T恤[/b]"), spec=hostile("SPEC [red]红色[/red]"),
                               changed_by="mallory\x9b31m").where(m.OrderLine.order == order).execute()
            for kind, lead in zip(domain.NOTE_KINDS, ("REQ Call [Tom] asap", "SPC [$accent]var[/]",
                                                 "DLV [/bold] 上午9点", "PAY [dim]货到付款[/dim]")):
                body = hostile(lead) + "\n第二行 second line"
                note = m.Note.get((m.Note.order == order) & (m.Note.kind == kind))
                m.Note.update(body=body, changed_by="mallory" + OSC_CLIPBOARD).where(m.Note.id == note.id).execute()
                m.NoteRevision.update(body=body).where(m.NoteRevision.note == note).execute()
            m.Communication.update(text=hostile("COMM Call [Tom] asap 数量改为300件"),
                                   contact=hostile("CT [Tom]"), clerk="li" + OSC_TITLE,
                                   changed_by="li" + OSC_TITLE).where(m.Communication.order == order).execute()
            m.Event.update(old=hostile("OLD [b]"), new=hostile("NEW [/]"), reason=hostile("WHY [Tom]"),
                           changed_by="mallory" + OSC_TITLE).where(m.Event.order == order).execute()
            m.Order.update(number=RAW_NUMBER, deadline_text=hostile("DL [u]请在12月2日前[/u]"),
                           address=place.id, contact=person.id,
                           changed_by="mallory" + OSC_TITLE,
                           updated_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),  # first in the list
                           ).where(m.Order.id == order.id).execute()
        assert created.number == "RAW-03"
    finally:
        close_database()


def build_clean_database(path: Path) -> None:
    open_database(str(path))
    try:
        orders.create_order(sample_order("SO-2026-00042",
                                         notes={kind: f"plain {kind}" for kind in domain.NOTE_KINDS}))
        communications.log_communication("SO-2026-00042", "数量改为300件", contact="王芳")
    finally:
        close_database()
