"""`notedesk remind [--webhook URL] [--kind KIND] [--dry-run]`: send each reminder once, for cron or a systemd timer.

Reminders (services.reminders): orders coming due within `alert_hours`, overdue orders, instalments
falling due, follow-ups whose time has come. Each is sent once: the run claims what nobody sent yet
(one transaction), posts it to the webhook (config `webhook_url`/`webhook_kind`, or --webhook/--kind)
in the JSON its group robot takes, or prints it when no webhook is set, then records it sent. A post
that fails (HTTP error, timeout, refused, the robot's errcode ≠ 0) gives its reminders back for the
next run and says so in one line on stderr; the exit status is then 1. Sent to a webhook, nothing is
printed; --dry-run prints what would be sent and sends and records nothing (never creating a database).

Reminders go in messages of up to MAX_LINES each (a robot limits the size and the rate of
messages); after the first failed post the run stops posting (the robot or the network is down) and
everything not sent waits for the next run.
"""

from __future__ import annotations

import sys
import uuid

from notedesk import reminder_words, webhooks
from notedesk.cli.session import open_db
from notedesk.config import settings
from notedesk.errors import NotedeskError
from notedesk.i18n import _, ngettext
from notedesk.services import reminders

MAX_LINES = 20  # reminders per message


class WebhookError(NotedeskError):
    pass


def register(sub, common) -> None:
    p = sub.add_parser("remind", parents=[common],
                       help=_("send each due reminder once to a webhook (or print it): for cron"))
    p.add_argument("--webhook", metavar="URL", default=None,
                   help=_("a WeCom, DingTalk or Feishu group robot's webhook (default: webhook_url in the config)"))
    p.add_argument("--kind", choices=("auto", *webhooks.KINDS), default=None,
                   help=_("which robot the webhook is (default: webhook_kind in the config, else from the URL)"))
    p.add_argument("--dry-run", action="store_true", help=_("show what would be sent; send and record nothing"))
    p.set_defaults(run=run)


def run(args) -> int:
    config = settings()
    url = args.webhook or config.webhook_url
    if url:
        problem = webhooks.check_url(url)
        if problem:
            raise WebhookError(_("--webhook: {problem}").format(problem=problem))
    kind = webhooks.kind_for(url, args.kind or config.webhook_kind) if url else ""
    open_db(args, create=False)
    if args.dry_run:
        return _dry_run(url, kind)
    token = uuid.uuid4().hex
    claimed = reminders.claim(token)
    batches = reminder_words.messages(claimed, max_bytes=webhooks.MAX_BYTES, max_lines=MAX_LINES)
    for n, (text, batch) in enumerate(batches):
        if url:
            try:
                webhooks.post(url, kind, text, timeout=config.webhook_timeout)
            except webhooks.WebhookFailed as exc:
                left = [r.key for _text, rest in batches[n:] for r in rest]
                reminders.release(token, left)
                print("notedesk: " + ngettext(
                    "the {kind} webhook at {where} failed ({why}): {n} reminder kept for the next run",
                    "the {kind} webhook at {where} failed ({why}): {n} reminders kept for the next run",
                    len(left)).format(kind=kind, where=webhooks.where(url), why=exc, n=len(left)), file=sys.stderr)
                return 1
        else:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        reminders.sent(token, [r.key for r in batch])
    return 0


def _dry_run(url: str | None, kind: str) -> int:
    batches = reminder_words.messages(reminders.unsent(), max_bytes=webhooks.MAX_BYTES, max_lines=MAX_LINES)
    if not batches:
        return 0
    if url:
        print(ngettext("Would send {n} message to the {kind} webhook at {where}:",
                       "Would send {n} messages to the {kind} webhook at {where}:", len(batches))
              .format(n=len(batches), kind=kind, where=webhooks.where(url)))
    for text, _batch in batches:
        print(text)
    return 0
