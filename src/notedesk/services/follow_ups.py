"""Follow-ups: a dated to-do on an order for a clerk ("周五下午回电确认颜色"), open, snoozed or done.

When it falls due is read by the deadline grammar from the clerk's words (`周五下午`, `明天上午10点`,
`in 2 days`), relative to when they were typed; without separate words for when, from the follow-up's
own text ("周五下午回电确认颜色" is due on Friday afternoon). A follow-up is a moment, not a window:

- a window (`周五下午` 13:00–18:00) falls due at its **start**: the clerk promised to call in that
  window, so the reminder comes when it opens, not when it is too late;
- a single time (`明天上午10点`, `by 3pm`) falls due at that time;
- a day without a time (`周五`, `in 2 days`) at DAY_START (09:00) that day;
- a moment already past inside a window or a day that is not over yet (`下午` typed at 15:00) falls
  due at once; a moment wholly past is refused.

A snooze takes the same words or a duration (`2h`, `1d`). Every change — added, done, snoozed,
reassigned — is an event on the order's timeline (field `follow_up`, old → new as "state · clerk ·
due", the follow-up's text as the reason), in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt

from notedesk import clock, domain, labels
from notedesk import deadlines as grammar
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import orders, views
from notedesk.services import validation as v
from notedesk.services.errors import InvalidInput, NotFound
from notedesk.services.transaction import operation
from notedesk.services.types import FollowUpView
from notedesk.store import models as m

DAY_START = dt.time(9, 0)  # a follow-up on a day without a time falls due then
CLERK_LIMIT = 64


def _now(now: dt.datetime | None) -> dt.datetime:
    return (clock.as_utc(now) if now is not None else clock.now()).replace(microsecond=0)


def read_when(text: str, now: dt.datetime | None = None, *, durations: bool = False) -> dt.datetime:
    """When a follow-up typed as `text` at `now` falls due (aware UTC), by the rules above; with
    `durations`, also '2h', '1d' from now (a snooze). Raises InvalidInput naming what was not read."""
    now, tz = _now(now), clock.business_tz()
    words = (text or "").strip()
    if not words:
        raise InvalidInput(_("say when, like 周五下午 or tomorrow 10am"), _("when"))
    if durations:
        try:
            return now + grammar.parse_duration(words)
        except (grammar.DeadlineError, OverflowError):
            pass
    try:
        parsed = grammar.parse_deadline(words, now.astimezone(tz))
    except grammar.DeadlineError as exc:
        raise InvalidInput(str(exc), _("when")) from None
    if parsed.date is None:
        raise InvalidInput(labels.unread_words(parsed) or _("no date in this text"), _("when"))
    first = parsed.start or parsed.end or DAY_START
    moment = dt.datetime.combine(parsed.date, first, tzinfo=tz).astimezone(dt.UTC)
    if grammar.due_at(parsed.date, parsed.end, tz) <= now:
        raise InvalidInput(_("that time is already past"), _("when"))
    return max(moment, now)


def preview(text: str, now: dt.datetime | None = None, *, durations: bool = False) -> str:
    """What the desk reads in `text`, for a live preview: '→ Fri 4 Dec 13:00' or the problem."""
    try:
        due = read_when(text, now, durations=durations)
    except InvalidInput as exc:
        return str(exc)
    return "→ " + when_label(due)


def when_label(due: dt.datetime) -> str:
    """'Fri 4 Dec 13:00' / '12月4日 周五 13:00' in the business time zone."""
    local = due.astimezone(clock.business_tz())
    today = clock.local_now().date()
    return f"{labels.format_date(local.date(), today=today)} {local:%H:%M}"


def _stamp(due: dt.datetime) -> str:
    """The due time as the timeline keeps it: local 'YYYY-MM-DD HH:MM' (no words to translate)."""
    return f"{due.astimezone(clock.business_tz()):%Y-%m-%d %H:%M}"


def _describe(state: str, clerk: str, due: dt.datetime) -> str:
    return f"{state} · {clerk} · {_stamp(due)}"


def _clerk(name: str | None, where: str) -> str:
    if name is None:
        return current_clerk()
    name = v.clean_text(name, where, required=True, limit=CLERK_LIMIT).strip()
    if any(ch.isspace() for ch in name):
        raise InvalidInput(_("a clerk's name is one word (their login name)"), where)
    return name


def _view(row: m.FollowUp, order: m.Order | None = None) -> FollowUpView:
    order = order or m.Order.get_by_id(row.order_id)
    return views.follow_up(row, order.number, order.customer_name)


def insert(order: m.Order, text: str, due_text: str, due_at: dt.datetime, *, clerk: str, by: str,
           at: dt.datetime, state: str = "open", touch: bool = True) -> m.FollowUp:
    """Insert one checked follow-up and its timeline event, inside an operation (shared with the
    importer, which leaves the order's own `updated_at` alone: `touch` False)."""
    row = m.FollowUp.create(order=order.id, clerk=clerk, text=text, due_text=due_text, due_at=due_at,
                            state=state, version=1, created_at=at, updated_at=at, changed_by=by)
    orders.record_event(order.id, "follow_up", "", _describe(state, clerk, due_at), by, reason=text, at=at)
    if touch:
        m.Order.update(updated_at=at, changed_by=by).where(m.Order.id == order.id).execute()
    return row


@operation
def add(number: str, text: str, *, due: str | None = None, clerk: str | None = None,
        now: dt.datetime | None = None, by: str | None = None) -> FollowUpView:
    """A follow-up on order `number` for `clerk` (default: the current clerk), due when `due` says
    (default: when `text` itself says). Raises NotFound, InvalidInput."""
    now, by = _now(now), by or current_clerk()
    order = orders.find(number)
    text = v.clean_text(text, f"{order.number} follow-up", required=True).strip()
    v.within_text_limit(text, f"{order.number} follow-up")
    due_text = v.clean_text(due if due is not None and due.strip() else text, f"{order.number} follow-up when").strip()
    due_at = read_when(due_text, now)
    owner = _clerk(clerk, f"{order.number} follow-up clerk")
    return _view(insert(order, text, due_text, due_at, clerk=owner, by=by, at=now), order)


def _pending(follow_up_id: int) -> m.FollowUp:
    row = m.FollowUp.get_or_none(m.FollowUp.id == follow_up_id)
    if row is None:
        raise NotFound(_("no follow-up {id}").format(id=follow_up_id))
    if row.state == "done":
        raise InvalidInput(_("follow-up {id} is done already ({clerk})").format(id=follow_up_id, clerk=row.changed_by))
    return row


def _change(row: m.FollowUp, by: str, now: dt.datetime, **fields) -> FollowUpView:
    before = _describe(row.state, row.clerk, row.due_at)
    m.FollowUp.update(**fields, version=m.FollowUp.version + 1, updated_at=now, changed_by=by).where(
        m.FollowUp.id == row.id).execute()
    row = m.FollowUp.get_by_id(row.id)
    orders.record_event(row.order_id, "follow_up", before, _describe(row.state, row.clerk, row.due_at), by,
                        reason=row.text, at=now)
    m.Order.update(updated_at=now, changed_by=by).where(m.Order.id == row.order_id).execute()
    return _view(row)


@operation
def done(follow_up_id: int, *, clerk: str | None = None, now: dt.datetime | None = None) -> FollowUpView:
    """Mark a follow-up done. Raises NotFound, InvalidInput (done already)."""
    return _change(_pending(follow_up_id), clerk or current_clerk(), _now(now), state="done")


@operation
def snooze(follow_up_id: int, until: str, *, clerk: str | None = None, now: dt.datetime | None = None) -> FollowUpView:
    """Move a follow-up to `until` (words like 明天上午, or a duration like 2h): it is snoozed, and
    falls due again then. Raises NotFound, InvalidInput."""
    now = _now(now)
    row = _pending(follow_up_id)
    until = v.clean_text(until, _("snooze until"), required=True).strip()
    due_at = read_when(until, now, durations=True)
    return _change(row, clerk or current_clerk(), now, state="snoozed", due_at=due_at)


@operation
def reassign(follow_up_id: int, to: str, *, clerk: str | None = None, now: dt.datetime | None = None) -> FollowUpView:
    """Give a follow-up to clerk `to`. Raises NotFound, InvalidInput (done, or the same clerk)."""
    row = _pending(follow_up_id)
    owner = _clerk(to, _("follow-up clerk"))
    if owner == row.clerk:
        raise InvalidInput(_("follow-up {id} is {clerk}'s already").format(id=follow_up_id, clerk=owner))
    return _change(row, clerk or current_clerk(), _now(now), clerk=owner)


def _select():
    return (m.FollowUp.select(m.FollowUp, m.Order.number, m.Order.customer_name)
            .join(m.Order, on=(m.FollowUp.order == m.Order.id)))


def _views(query) -> list[FollowUpView]:
    return [views.follow_up(row, row.order.number, row.order.customer_name) for row in query]


@operation(read_only=True)
def pending(*, clerk: str | None = None, before: dt.datetime | None = None) -> list[FollowUpView]:
    """Follow-ups not done, soonest first: everyone's, or `clerk`'s; with `before`, only those due
    before it."""
    q = _select().where(m.FollowUp.state.in_(domain.FOLLOW_UP_PENDING))
    if clerk is not None:
        q = q.where(m.FollowUp.clerk == clerk)
    if before is not None:
        q = q.where(m.FollowUp.due_at < before)
    return _views(q.order_by(m.FollowUp.due_at, m.FollowUp.id))


@operation(read_only=True)
def of_order(number: str) -> list[FollowUpView]:
    """An order's follow-ups, pending first (soonest first), then the done ones. Raises NotFound."""
    order = orders.find(number)
    rows = _views(_select().where(m.FollowUp.order == order.id).order_by(m.FollowUp.due_at, m.FollowUp.id))
    return sorted(rows, key=lambda f: f.state == "done")


@operation(read_only=True)
def get(follow_up_id: int) -> FollowUpView:
    """One follow-up. Raises NotFound."""
    row = m.FollowUp.get_or_none(m.FollowUp.id == follow_up_id)
    if row is None:
        raise NotFound(_("no follow-up {id}").format(id=follow_up_id))
    return _view(row)
