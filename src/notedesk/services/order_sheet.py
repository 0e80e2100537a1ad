"""The printable order sheet (Markdown) that production and logistics work from: one section per order.

Stored text is data: it passes text.clean() (controls become U+FFFD) and every character Markdown
could read as structure is escaped, so a note cannot add a heading, a list, a table row, a link, an
image, HTML or a code block to the sheet. Multi-line notes keep their line breaks (backslash hard
breaks); leading indentation becomes no-break spaces so it cannot start a code block.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TextIO

from notedesk import labels
from notedesk.i18n import _
from notedesk.services.types import OrderDetail
from notedesk.text import clean, one_line

RECENT = 5  # communications shown per order

# Escaped wherever they are: emphasis, code, links/images, HTML and entities, tables, strikethrough,
# heading markers (also a heading's closing #s), and the backslash itself.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")
# Only at the start of a line: list bullets, ordered-list numbers, setext underlines.
_LINE_START = re.compile(r"^(\u00a0*)(?:([-+=])|(\d{1,9})([.)]))")


def _escape_line(line: str) -> str:
    line = _INLINE.sub(r"\\\1", line)
    stripped = line.lstrip(" \t")
    line = "\u00a0" * (len(line) - len(stripped)) + stripped  # indentation must not make a code block
    return _LINE_START.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), line)


def inline(value: str) -> str:
    """One line of stored text, safe after a heading marker, a list bullet or a label, or in a table cell
    (never at the start of a line, so only the characters that matter anywhere are escaped)."""
    return _INLINE.sub(r"\\\1", one_line(value))


def block(value: str, quote: bool = False) -> list[str]:
    """Multi-line stored text as Markdown lines: paragraphs kept, line breaks as hard breaks."""
    lines = [line.rstrip() for line in clean(value).split("\n")]
    out: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        hard_break = i + 1 < len(lines) and lines[i + 1]
        out.append(_escape_line(line) + ("\\" if hard_break else ""))
    while out and not out[-1]:
        out.pop()
    if not out:
        out = [_em(_("(none)"))]
    return [("> " + line if line else ">") for line in out] if quote else out


def _method(method: str) -> str:
    return {"prepaid": _("Prepaid"), "cod": _("Cash on delivery"), "instalments": _("Instalments"),
            "on_account": _("On account"), "other": _("Other")}.get(method, method)


def _local(moment: dt.datetime, tz: dt.tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _deadline(d: OrderDetail) -> list[str]:
    dl = d.deadline
    if dl.date is None:
        when = _strong(_("Unscheduled"))
    else:
        when = _strong(labels.format_deadline(dl))
    lines = [when]
    if dl.text.strip():
        lines += ["", labels.labelled(_("As said"), inline(dl.text))]
    return lines


def _payment(d: OrderDetail, tz: dt.tzinfo) -> list[str]:
    p = d.payment
    out = [_item(_("Method"), _method(p.method)) + " · " + _field(_("Status"), labels.payment_status_label(p.status)),
           _item(_("Amount due"), labels.money(d.due_amount, d.currency))
           + " · " + _field(_("Received"), labels.money(d.received, d.currency))
           + " · " + _field(_("Balance"), labels.money(d.balance, d.currency)
                            + (" " + _("({reason})").format(reason=_("overpaid")) if d.balance < 0 else ""))]
    if p.instalments:
        yes, no = _("yes"), _("no")
        out += ["", _row("#", _("Due"), _("Amount"), _("Paid")), "|--:|---|--:|---|"]
        out += [_row(str(n), labels.format_date(i.due), labels.money(i.amount), yes if i.paid else no)
                for n, i in enumerate(p.instalments, 1)]
    if d.payments:
        out += ["", _row(_("Received at"), _("Amount"), _("Via"), _("Clerk"), _("Note")), "|---|--:|---|---|---|"]
        out += [_row(_local(x.at, tz) if x.at else "", labels.money(x.amount), labels.via_label(x.via),
                     inline(x.clerk), inline(x.note)) for x in d.payments]
    return out


# Labels are built outside f-strings: Babel's extractor does not look inside them before Python 3.12.
def _field(label: str, value: str) -> str:
    return labels.labelled(_strong(label), value)


def _item(label: str, value: str) -> str:
    return "- " + _field(label, value)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _em(text: str) -> str:
    return f"*{text}*"


def _strong(text: str) -> str:
    return f"**{text}**"


def sheet(d: OrderDetail, tz: dt.tzinfo) -> str:
    """One order's sheet."""
    c = d.customer
    who = inline(c.name) + (f" ({inline(c.company)})" if c.company.strip() else "")
    out = [f"# {inline(d.number)} · {inline(c.name)}", "",
           _item(_("Customer"), who),
           _item(_("Phone"), inline(c.phone) or "—") + " · " + _field(_("Email"), inline(c.email) or "—"),
           _item(_("Address"), inline(c.address) or "—")]
    if c.preferences.strip():
        out.append(_item(_("Customer preferences"), inline(c.preferences)))
    out += [_item(_("Status"), labels.status_label(d.status)) + " · "
            + _field(_("Created"), _local(d.created_at, tz)), ""]
    special = d.notes.get("special")
    out += ["## ⚠ " + _("Special processing"), "", *block(special.body if special else "", quote=True), ""]
    out += ["## " + _("Lines"), ""]
    if d.lines:
        out += [_row("#", _("Product"), _("Spec"), _("Quantity"), _("Unit price"), _("Amount")),
                "|--:|---|---|--:|--:|--:|"]
        out += [_row(str(n), inline(x.product), inline(x.spec), str(x.quantity), labels.money(x.unit_price),
                     labels.money(x.amount)) for n, x in enumerate(d.lines, 1)]
        out += ["", _strong(labels.labelled(_("Total"), labels.money(d.total, d.currency))), ""]
    else:
        out += [_em(_("(none)")), ""]
    out += ["## " + _("Deadline"), "", *_deadline(d), ""]
    out += ["## " + _("Payment"), "", *_payment(d, tz), ""]
    for kind, title in (("requirements", _("Requirements")), ("delivery", _("Delivery notes")),
                        ("payment", _("Payment notes"))):
        note = d.notes.get(kind)
        out += [f"## {title}", "", *block(note.body if note else ""), ""]
    newest = sorted(d.communications, key=lambda e: (e.at, e.id), reverse=True)[:RECENT]
    out += ["## " + _("Latest communications") + f" ({len(newest)}/{len(d.communications)})", ""]
    out += [f"- {_local(e.at, tz)} · {labels.channel_label(e.channel)} · {inline(e.contact) or '—'} · "
            + labels.labelled(inline(e.clerk), inline(e.text))
            for e in newest] or [_em(_("(none)"))]
    return "\n".join(out) + "\n"


def write_sheets(details: Iterable[OrderDetail], out: TextIO, *, tz: dt.tzinfo) -> int:
    """Every order's sheet, separated by a rule; returns how many."""
    count = 0
    for d in details:
        out.write(("\n---\n\n" if count else "") + sheet(d, tz))
        count += 1
    if not count:
        out.write(_em(_("No orders.")) + "\n")
    return count
