"""`notedesk follow-up NUMBER TEXT [--due WHEN] [--clerk NAME]`; `follow-up ID --done|--snooze WHEN|--reassign NAME`.

Adding: WHEN is read like a deadline (`周五下午`, `明天上午10点`, `in 2 days`; a window's start is the
follow-up's time); without --due, the time is read from TEXT itself ("周五下午回电确认颜色"). The
follow-up is the current clerk's unless --clerk names another. The other forms act on the follow-up
whose ID `notedesk due` shows (`#12`, or `12`).
"""

from __future__ import annotations

from notedesk.cli import UsageError
from notedesk.cli.session import open_db
from notedesk.i18n import _
from notedesk.services import follow_ups


def register(sub, common) -> None:
    p = sub.add_parser("follow-up", parents=[common],
                       help=_("add a follow-up to an order, or mark one done, snooze or reassign it"))
    p.add_argument("number", metavar="NUMBER|ID", help=_("the order's number; with --done, --snooze or "
                                                         "--reassign the follow-up's id (#12)"))
    p.add_argument("text", nargs="?", default=None, help=_("what to do, like 周五下午回电确认颜色"))
    p.add_argument("--due", metavar="WHEN", default=None,
                   help=_("when, like 周五下午 or 'tomorrow 10am' (default: read from TEXT)"))
    p.add_argument("--clerk", metavar="NAME", default=None, help=_("whose follow-up (default: yours)"))
    action = p.add_mutually_exclusive_group()
    action.add_argument("--done", action="store_true", help=_("mark follow-up ID done"))
    action.add_argument("--snooze", metavar="WHEN", default=None,
                        help=_("move follow-up ID to WHEN (like 明天上午 or 2h)"))
    action.add_argument("--reassign", metavar="NAME", default=None, help=_("give follow-up ID to clerk NAME"))
    p.set_defaults(run=run)


def _id(word: str) -> int:
    digits = word.removeprefix("#")
    if not digits.isdigit():
        raise UsageError(_("a follow-up is named by its id, like #12 (see notedesk due): {word!r}").format(word=word))
    return int(digits)


def run(args) -> int:
    acting = args.done or args.snooze is not None or args.reassign is not None
    if acting:
        if args.text is not None or args.due is not None or args.clerk is not None:
            raise UsageError(_("--done, --snooze and --reassign take only the follow-up's id"))
        follow_up_id = _id(args.number)
        open_db(args)
        if args.done:
            f = follow_ups.done(follow_up_id)
            print(_("#{id} {number}: done").format(id=f.id, number=f.number))
        elif args.snooze is not None:
            f = follow_ups.snooze(follow_up_id, args.snooze)
            print(_("#{id} {number}: snoozed to {when}").format(id=f.id, number=f.number,
                                                                 when=follow_ups.when_label(f.due_at)))
        else:
            f = follow_ups.reassign(follow_up_id, args.reassign)
            print(_("#{id} {number}: now {clerk}'s").format(id=f.id, number=f.number, clerk=f.clerk))
        return 0
    if args.text is None:
        raise UsageError(_("say what to follow up: notedesk follow-up NUMBER TEXT [--due WHEN]"))
    open_db(args)
    f = follow_ups.add(args.number, args.text, due=args.due, clerk=args.clerk)
    print(_("#{id} {number}: follow-up for {clerk}, {when}").format(
        id=f.id, number=f.number, clerk=f.clerk, when=follow_ups.when_label(f.due_at)))
    return 0
