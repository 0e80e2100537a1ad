"""The departments' lenses on the order list: which orders each works on, in what order (DESIGN §11).

A lens is a starting query; the clerk can change its filters and sort as on any list, and the screen
shows the lens's own columns (tui/widgets/order_cells.py). What each reads beyond a plain row (lines,
marks, instalments, received) comes with its page (services/list_extras.py).

- production: orders to make (confirmed, in production), soonest deadline first;
- logistics: open orders due by the end of today (overdue first, then today's), by due time: what must
  go out now (DESIGN §1); the clerk changes the range with the filters (this week, a typed range, none);
- finance: orders not fully paid (cancelled ones aside), soonest deadline first.
"""

from __future__ import annotations

import datetime as dt

from notedesk import domain
from notedesk.i18n import _
from notedesk.services.list_filters import due_range
from notedesk.services.listing import OrderQuery

LENSES = ("all", "production", "logistics", "finance")
TO_MAKE = ("confirmed", "in_production")
TO_DELIVER = ("confirmed", "in_production", "shipped")
NOT_CANCELLED = ("new", "confirmed", "in_production", "shipped", "delivered", "on_hold")


def lens_label(name: str) -> str:
    return {"all": _("all orders"), "production": _("production"), "logistics": _("logistics"),
            "finance": _("finance")}.get(name, name)


def lens_query(name: str, now: dt.datetime | None = None) -> OrderQuery:
    """The query a lens starts from. Raises ValueError for an unknown lens."""
    if name == "all":
        return OrderQuery(sort="updated", descending=True)
    if name == "production":
        return OrderQuery(lens=name, statuses=TO_MAKE, sort="deadline", descending=False)
    if name == "logistics":
        return OrderQuery(lens=name, statuses=domain.OPEN_STATUSES, due=due_range("by today", now),
                          sort="deadline", descending=False)
    if name == "finance":
        return OrderQuery(lens=name, statuses=NOT_CANCELLED, payment_statuses=("unpaid", "partial"),
                          sort="deadline", descending=False)
    raise ValueError(f"unknown lens {name!r} (use {', '.join(LENSES)})")
