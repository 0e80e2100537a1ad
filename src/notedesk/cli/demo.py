"""`notedesk demo [--orders N] [--seed N]`: fill the database with realistic demo orders (zh + en)."""

from __future__ import annotations

import argparse
import sys
import time

from notedesk import config
from notedesk.cli.session import open_db
from notedesk.i18n import _
from notedesk.services.database import describe_target


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a whole number").format(value=value)) from None
    if not 1 <= number <= 10_000_000:
        raise argparse.ArgumentTypeError(_("give between 1 and 10,000,000 orders"))
    return number


def register(sub, common) -> None:
    p = sub.add_parser("demo", parents=[common], help=_("fill the database with realistic demo orders (zh + en)"))
    p.add_argument("--orders", type=_count, default=None, metavar="N", help=_("how many orders (default 60)"))
    p.add_argument("--seed", type=int, default=None, help=_("random seed (the same seed gives the same data)"))
    p.set_defaults(run=run)


def run(args) -> int:
    from notedesk import demo  # Faker loads only here

    open_db(args)
    started = time.monotonic()
    count = demo.fill(args.orders or demo.DEFAULT_ORDERS, seed=args.seed, stream=sys.stderr)
    target = describe_target(config.database_url(args.db))
    print(_("added {count} demo orders to {target} in {seconds:.1f} s").format(
        count=count, target=target, seconds=time.monotonic() - started))
    return 0
