"""`notedesk due [--within DURATION] [--mine | --clerk NAME] [--format text|json]`: follow-ups, open orders by due.

The clerk's own follow-ups come first (`--clerk NAME`: another clerk's), then the open orders, each
part overdue first, then by due time; `--mine` and `--clerk` list only the follow-ups. In JSON every
item has `kind`: "follow_up" or "order". Text is one aligned line per order (colour only on a terminal, and
never with NO_COLOR); nothing at all is printed when nothing is due, and the exit status is 0 either
way, so `notedesk due --within 24h` in a crontab mails only when there is something to do.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from decimal import Decimal
from itertools import repeat

from notedesk import clock, labels
from notedesk import deadlines as grammar
from notedesk.cli.session import open_db
from notedesk.config import current_clerk
from notedesk.errors import NotedeskError
from notedesk.i18n import _, language
from notedesk.services import deadlines, follow_ups
from notedesk.services.types import DueItem, DueTable, FollowUpView, unpaid_prepaid
from notedesk.text import cell_width, json_escaped, one_line, one_lines

CUSTOMER_WIDTH = 16
ADDRESS_WIDTH = 40  # the delivery address, last on the line
_COLOURS = {"overdue": "\x1b[1;31m", "today": "\x1b[33m", "tomorrow": "\x1b[36m"}
_RESET = "\x1b[0m"


class DurationError(NotedeskError):
    pass


def register(sub, common) -> None:
    p = sub.add_parser("due", parents=[common], help=_("list open orders by delivery deadline, overdue first"))
    p.add_argument("--within", metavar="DURATION", default=None,
                   help=_("only orders due within this time from now, like 24h or 7d (overdue ones always)"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    whose = p.add_mutually_exclusive_group()
    whose.add_argument("--mine", action="store_true", help=_("only my follow-ups"))
    whose.add_argument("--clerk", metavar="NAME", default=None, help=_("only this clerk's follow-ups"))
    p.set_defaults(run=run)


def when(date, start, end) -> str:
    """'Tue 2026-12-01 09:00–11:00', 'Tue 2026-12-01 by 15:00' or 'Tue 2026-12-01' (local business
    date); '2026-12-01 周二 15:00前' in Chinese. Weekdays from the catalog, not %a (the C locale's)."""
    if date is None:
        return ""
    day = _("{weekday} {date}").format(weekday=labels.weekday(date), date=date.isoformat())
    return f"{day} {labels.format_window(start, end)}".rstrip()


def _words(label):
    """English text keeps the codes it always printed (`on_hold`, `in_production`: one word a column,
    which scripts split on); other languages read the labels."""
    return label if language() != "en" else (lambda code: code)


def payment_hint(method: str, status: str, collect: Decimal | None, currency: str, due: Decimal | None = None,
                 received: Decimal | None = None) -> str:
    """What the payment asks of whoever delivers or chases it, in the interface language."""
    if collect is not None:
        hint = _("COD collect {amount}").format(amount=labels.money(collect, currency))
    elif unpaid_prepaid(method, status):
        hint = _("prepaid NOT PAID ({status})").format(status=_words(labels.payment_status_label)(status))
    else:
        method_word = _words(labels.method_label)(method)
        hint = _("{method} (paid)").format(method=method_word) if status == "paid" else method_word
    if due is None or received is None:
        return hint
    balance = due - received
    owed = "" if collect is not None else (  # what COD collects is the balance
        " · " + _("overpaid {amount}").format(amount=labels.money(-balance)) if balance < 0
        else " · " + _("balance {amount}").format(amount=labels.money(balance)))
    return (hint + " · " + _("due {amount}").format(amount=labels.money(due)) + " · "
            + _("received {amount}").format(amount=labels.money(received)) + owed)


def delivery(address: str, phone: str) -> str:
    """Where it goes and whom to call: '→ 上海市浦东新区世纪大道100号 · 13800138000' (cut to ADDRESS_WIDTH)."""
    words = " · ".join(part for part in (one_line(address, ADDRESS_WIDTH), one_line(phone)) if part)
    return "→ " + words if words else ""


def as_json(item: DueItem) -> dict:
    d = item.deadline
    return {
        "kind": "order",
        "number": item.number,
        "customer": item.customer,
        "status": item.status,
        "deadline": {
            "text": d.text,
            "date": d.date.isoformat() if d.date else None,
            "start": d.start.strftime("%H:%M") if d.start else None,
            "end": d.end.strftime("%H:%M") if d.end else None,
        },
        "due": item.due.isoformat() if item.due else None,
        "group": item.group,
        "payment": {"method": item.payment_method, "status": item.payment_status,
                    "amount_due": f"{item.due_amount:.2f}", "received": f"{item.received:.2f}",
                    "balance": f"{item.balance:.2f}", "currency": item.currency},
        "address": item.address,
        "contact_phone": item.contact_phone,
    }


def _padded(cells: list[str], measure=len) -> list[str]:
    """The column's cells padded to its widest. `measure` gives terminal cells where they may differ
    from len(): stored text and Chinese labels (groups, statuses, weekdays) take two cells a character."""
    sizes = list(map(measure, cells))
    width = max(sizes, default=0)
    if measure is len:
        return list(map(str.ljust, cells, repeat(width)))
    # ljust counts characters: a cell of `size` terminal cells needs width - size spaces
    return list(map(str.ljust, cells, [width - size + len(cell) for cell, size in zip(cells, sizes)]))


def text_lines(table: DueTable, colour: bool = False) -> list[str]:
    """One aligned line per order; every stored string is cleaned and folded onto one line."""
    # Thousands of lines at 100,000 orders, but their deadlines, customers and payments repeat a
    # lot: each distinct one is formatted and measured once, and the lines are built a column at a time.
    memo = functools.lru_cache(maxsize=None)
    span, name = memo(when), memo(lambda s: one_line(s, CUSTOMER_WIDTH))
    group, status = memo(_words(labels.group_label)), memo(_words(labels.status_label))
    width = memo(cell_width)
    numbers = one_lines(table.number)
    numbers_ascii = all(map(str.isascii, numbers))  # cleaned by one_lines: then a cell a character
    columns = (
        _padded(list(map(group, table.group)), width),
        _padded(list(map(span, table.date, table.start, table.end)), width),
        _padded(numbers, len if numbers_ascii else cell_width),
        _padded(list(map(name, table.customer)), width),
        _padded(list(map(status, table.status)), width),
        _padded(list(map(memo(payment_hint), table.payment_method, table.payment_status, table.collect,
                         table.currency, table.due_amount, table.received)), width),
        list(map(memo(delivery), table.address or repeat("", len(numbers)),
                 table.contact_phone or repeat("", len(numbers)))),
    )
    lines = list(map(str.rstrip, map("  ".join, zip(*columns))))
    if colour:
        lines = [f"{_COLOURS[group]}{line}{_RESET}" if group in _COLOURS else line
                 for group, line in zip(table.group, lines)]
    return lines


def follow_up_json(f: FollowUpView, group: str) -> dict:
    return {
        "kind": "follow_up",
        "id": f.id,
        "number": f.number,
        "customer": f.customer,
        "clerk": f.clerk,
        "text": f.text,
        "when": f.due_text,
        "state": f.state,
        "due": f.due_at.astimezone(clock.business_tz()).isoformat(),
        "group": group,
    }


def _follow_up_groups(items: list[FollowUpView]) -> list[str]:
    """Each follow-up's group (overdue, today, …) by its time, as an order's by its due time."""
    tz = clock.business_tz()
    group_of = grammar.grouper(clock.now(), tz)
    return [group_of(local.date(), local.time()) for local in (f.due_at.astimezone(tz) for f in items)]


def follow_up_lines(items: list[FollowUpView]) -> list[str]:
    """One aligned line per follow-up: group, when, #id, order, customer, clerk: text."""
    tz = clock.business_tz()
    moments = [f.due_at.astimezone(tz) for f in items]
    columns = (
        _padded(list(map(_words(labels.group_label), _follow_up_groups(items))), cell_width),
        [_("{weekday} {date}").format(weekday=labels.weekday(t.date()), date=f"{t:%Y-%m-%d %H:%M}")
         for t in moments],
        _padded([f"#{f.id}" for f in items]),
        _padded(one_lines([f.number for f in items]), cell_width),
        _padded([one_line(f.customer, CUSTOMER_WIDTH) for f in items], cell_width),
        [labels.labelled(one_line(f.clerk), one_line(f.text, 120)) for f in items],
    )
    return list(map(str.rstrip, map("  ".join, zip(*columns))))


def run(args) -> int:
    within = None
    if args.within is not None:
        try:
            within = grammar.parse_duration(args.within)
        except grammar.DeadlineError as exc:
            raise DurationError(f"--within: {exc}") from None
    open_db(args, create=False)
    only_follow_ups = args.mine or args.clerk is not None
    before = None
    if within is not None:
        try:
            before = clock.now() + within
        except OverflowError:
            before = None
    mine = follow_ups.pending(clerk=args.clerk or current_clerk(), before=before)
    if args.format == "json":
        items = [follow_up_json(f, g) for f, g in zip(mine, _follow_up_groups(mine))]
        if not only_follow_ups:
            items += [as_json(i) for i in deadlines.due_orders(within=within)]
        sys.stdout.write(json_escaped(json.dumps(items, ensure_ascii=False, indent=2)) + "\n")
        return 0
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    lines = follow_up_lines(mine)
    if not only_follow_ups:
        lines += text_lines(deadlines.due_table(within=within), colour)
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0
