"""`notedesk pay NUMBER AMOUNT [--via HOW] [--at TIME] [--note TEXT]`: record money received for an order.

A negative AMOUNT is a refund. TIME is an ISO date or time, or words the deadline grammar reads
(昨天下午3点, yesterday 3pm); without it, now. Every bad input is one line on stderr and exit status 1
(services.payments); nothing is recorded then. Prints what was recorded and the order's money after it.
"""

from __future__ import annotations

from notedesk import labels
from notedesk.cli.session import open_db
from notedesk.domain import PAYMENT_VIA
from notedesk.i18n import _
from notedesk.services import payments, validation
from notedesk.services.types import PaymentSummary


def register(sub, common) -> None:
    p = sub.add_parser("pay", parents=[common], help=_("record money received for an order (negative: a refund)"))
    p.add_argument("number")
    p.add_argument("amount", help=_("like 3500 or 3,500.00; negative for a refund"))
    p.add_argument("--via", default="other", metavar="HOW",  # checked by the service: one line, exit 1
                   help=_("how the money came: {choices}").format(choices=", ".join(PAYMENT_VIA)))
    p.add_argument("--at", default=None, metavar="TIME",
                   help=_("when it came: 2026-12-01 15:30, 昨天下午3点, yesterday 3pm (default: now)"))
    p.add_argument("--note", default="", metavar="TEXT")
    p.set_defaults(run=run)


def money_lines(s: PaymentSummary) -> list[str]:
    """Amount due, received and balance, and the status; shared with other commands' text."""
    balance = labels.balance_label(s.balance)
    return [_("amount due {due} · received {received} · {balance} · {status}").format(
        due=labels.money(s.due_amount), received=labels.money(s.received), balance=balance,
        status=labels.payment_status_label(s.status))]


def run(args) -> int:
    amount = validation.payment_amount(args.amount, _("amount"))  # a bad amount before the database is opened
    validation.payment_via(args.via, "--via")
    at = payments.read_time(args.at) if args.at is not None else None
    open_db(args, create=False)
    done = payments.record_payment(args.number, amount, via=args.via, at=at, note=args.note)
    p, order = done.payment, done.order
    what = _("{number}: refunded {amount} via {via}") if p.amount < 0 else _("{number}: received {amount} via {via}")
    print(what.format(number=order.number, amount=labels.money(abs(p.amount), order.currency),
                      via=labels.via_label(p.via)))
    for line in money_lines(payments.summary_of(order)):
        print("  " + line)
    return 0
