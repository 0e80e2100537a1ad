"""The parts of an order as literal Rich renderables: header, lines, deadline, payment, notes, timeline.

Pure rendering from an OrderDetail (no database, no widgets), so the detail screen only places
them and a test can read them. Every stored string goes through clean()/one_line() into Text;
Table cells are Text too (a str cell would be parsed as markup: docs/ARCHITECTURE.md, "Text is data").
"""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.table import Table
from rich.text import Text

from notedesk import clock, deadlines, labels
from notedesk.i18n import _
from notedesk.services.types import Deadline, NoteView, OrderDetail
from notedesk.text import clean, one_line
from notedesk.tui.widgets.communication_log import local_time
from notedesk.tui.widgets.order_cells import status_label as order_status_label
from notedesk.tui.widgets.payment_fields import method_label
from notedesk.tui.widgets.payment_fields import status_label as payment_status_label

STATUS_STYLES = {"new": "bold cyan", "confirmed": "bold blue", "in_production": "bold magenta",
                 "shipped": "bold yellow", "delivered": "bold green", "cancelled": "dim", "on_hold": "bold red"}
GROUP_STYLES = {"overdue": "bold red", "today": "bold yellow", "tomorrow": "yellow"}
PAYMENTS_SHOWN = 10  # the newest payments on the detail; the sheet and the export list them all


def note_title(kind: str) -> str:
    return labels.note_kind_label(kind)


def note_heading(kind: str, note: NoteView | None) -> Text:
    """A note's title on the detail, saying when it is printed on the delivery slip (the editor's F8)."""
    out = Text(note_title(kind))
    if note is not None and note.on_slip:
        out.append(" · ✓ " + _("printed on the delivery slip"))
    return out


def money(amount: Decimal | None, currency: str = "") -> str:
    return labels.money(amount, currency, missing="—")


def header(detail: OrderDetail) -> Text:
    c = detail.customer
    out = Text()
    out.append(one_line(detail.number), style="bold")
    out.append("  ")
    out.append(f" {order_status_label(detail.status)} ", style=f"reverse {STATUS_STYLES.get(detail.status, '')}")
    out.append("  ")
    out.append(one_line(c.name), style="bold")
    for extra in (c.company, c.phone):
        if extra:
            out.append(" · ", style="dim")
            out.append(one_line(extra))
    out.append("\n")
    out.append(_("created") + " ", style="dim")
    out.append(local_time(detail.created_at))
    out.append("   " + _("total") + " ", style="dim")
    out.append(money(detail.total, detail.currency), style="bold")
    out.append("   " + _("changed by") + " ", style="dim")
    out.append(one_line(detail.changed_by))
    return out


def delivery(detail: OrderDetail) -> Text:
    """The delivery address the order picked, and its contact person with their phone."""
    c = detail.customer
    out = Text()
    if c.address:
        out.append(one_line(c.address))
    else:
        out.append(_("no delivery address"), style="dim")
    person = c.contact_person
    phone = c.contact_phone
    if person is not None or phone:
        out.append("\n")
        out.append(_("contact") + " ", style="dim")
        if person is not None:
            out.append(one_line(person.name), style="bold")
            if person.role:
                out.append(" (" + one_line(person.role) + ")", style="dim")
            out.append(" ")
        if phone:
            out.append(one_line(phone))
    return out


def preferences(detail: OrderDetail) -> Text:
    prefs = clean(detail.customer.preferences).strip()
    return Text(prefs) if prefs else Text(_("none recorded"), style="dim")


def lines_table(detail: OrderDetail) -> Table | Text:
    if not detail.lines:
        return Text(_("No lines."), style="dim")
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column(Text(_("Product")), ratio=3)
    table.add_column(Text(_("Spec")), ratio=3)
    table.add_column(Text(_("Qty")), justify="right", no_wrap=True)
    table.add_column(Text(_("Unit price")), justify="right", no_wrap=True)
    table.add_column(Text(_("Amount")), justify="right", no_wrap=True)
    for line in detail.lines:
        table.add_row(Text(clean(line.product)), Text(clean(line.spec)), Text(str(line.quantity)),
                      Text(money(line.unit_price)), Text(money(line.amount)))
    return table


def deadline_text(deadline: Deadline) -> Text:
    out = Text()
    tz, now = clock.business_tz(), clock.now()
    if deadline.date is None:
        out.append(_("unscheduled"), style="bold")
    else:
        parsed = deadlines.ParsedDeadline(deadline.text, deadline.date, deadline.start, deadline.end)
        group = deadlines.group_of(deadline.date, deadline.end, now, tz)
        out.append(labels.describe(parsed, now, tz).removeprefix("→ "), style=GROUP_STYLES.get(group, "bold"))
    if deadline.text.strip():
        out.append("\n")
        out.append("“" + clean(deadline.text).strip() + "”", style="italic")
    return out


def payment_text(detail: OrderDetail) -> Text:
    """Method and status; amount due, received and balance (overpaid when negative); the schedule as
    the payments cover it; the payments received, oldest first."""
    payment, currency = detail.payment, detail.currency
    out = Text()
    out.append(method_label(payment.method), style="bold")
    out.append(" · ", style="dim")
    style = {"unpaid": "bold red" if payment.method == "prepaid" else "", "paid": "green"}.get(payment.status, "")
    out.append(payment_status_label(payment.status), style=style)
    out.append("\n" + _("amount due") + " ", style="dim")
    out.append(money(detail.due_amount, currency))
    out.append("\n" + _("received") + " ", style="dim")  # a line each: the section is half the screen wide
    out.append(money(detail.received))
    out.append(" · ", style="dim")
    out.append(labels.balance_label(detail.balance), style="bold" if detail.balance else "green")
    for inst in payment.instalments:
        out.append("\n  ")
        out.append(inst.due.isoformat())
        out.append("  " + money(inst.amount, currency).rjust(16))
        out.append("  ")
        out.append(_("paid") if inst.paid else _("open"), style="green" if inst.paid else "yellow")
    if detail.payments:
        out.append("\n" + labels.labelled(_("Payments received"), "").rstrip(), style="dim")  # 已收款项：
    for record in reversed(detail.payments[-PAYMENTS_SHOWN:]):  # newest first, as the log
        out.append("\n  ")
        out.append(local_time(record.at) if record.at else "", style="dim")
        out.append("  " + money(record.amount).rjust(12), style="red" if record.amount < 0 else "")
        out.append("  " + labels.via_label(record.via))
        out.append("  " + one_line(record.clerk), style="dim")
        if record.note:
            out.append("  " + one_line(record.note, 40), style="italic")
    if len(detail.payments) > PAYMENTS_SHOWN:
        out.append("\n  " + _("… and {n} earlier").format(n=len(detail.payments) - PAYMENTS_SHOWN), style="dim")
    return out


def note_text(note: NoteView | None) -> Text:
    if note is None or not note.body.strip():
        return Text(_("(empty)"), style="dim")
    out = Text(clean(note.body).rstrip())
    if note.updated_at is not None:
        out.append("\n")
        out.append(f"— {one_line(note.author)}, {local_time(note.updated_at)}, v{note.version}", style="dim")
    return out


def follow_ups_text(items) -> Text:
    """An order's follow-ups: when, for whom, what; the done ones dimmed."""
    from notedesk.services.follow_ups import when_label

    if not items:
        return Text(_("None."), style="dim")
    out = Text()
    for n, f in enumerate(items):
        if n:
            out.append("\n")
        done = f.state == "done"
        out.append(when_label(f.due_at), style="dim" if done else "bold")
        out.append("  ")
        out.append(one_line(f.clerk), style="cyan")
        if f.state != "open":
            out.append(" (" + {"done": _("done"), "snoozed": _("snoozed")}.get(f.state, f.state) + ")", style="dim")
        out.append("  ")
        out.append(one_line(f.text), style="dim strike" if done else "")
    return out


def timeline(detail: OrderDetail) -> Text:
    """Newest first: when, who, the field in words, old → new, the reason, and the log entry it came from."""
    out = Text()
    if not detail.events:
        return Text(_("No changes yet."), style="dim")
    for n, event in enumerate(detail.events):
        if n:
            out.append("\n")
        out.append(local_time(event.at), style="bold")
        out.append("  ")
        out.append(one_line(event.clerk), style="dim")
        out.append("  ")
        out.append(one_line(labels.event_field(event.field)), style="cyan")
        out.append(_(": "))
        # Events store codes (status, payment method), ISO dates and plain amounts; the clerk reads the labels.
        old, new = labels.event_value(event.field, event.old), labels.event_value(event.field, event.new)
        if old or event.communication is not None:
            out.append(one_line(old) or "—")
            out.append(" → ", style="dim")
        out.append(one_line(new) or "—")
        if event.reason:
            out.append("  " + _("({reason})").format(reason=one_line(event.reason)), style="italic")
        if event.communication is not None:
            out.append("  " + _("see log entry #{id}").format(id=event.communication), style="dim")
    return out

