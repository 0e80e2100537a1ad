"""The communication log: append-only entries; a correction is a new entry pointing at the old one."""

from __future__ import annotations

import datetime as dt

from notedesk import clock
from notedesk.config import current_clerk
from notedesk.i18n import _
from notedesk.services import validation as v
from notedesk.services import views
from notedesk.services.errors import InvalidInput
from notedesk.services.orders import find
from notedesk.services.transaction import operation
from notedesk.services.types import CommunicationView
from notedesk.store import models as m


def append(order: m.Order, *, text: str, channel: str, contact: str, clerk: str, at: dt.datetime,
           corrects: int | None, recorded_by: str) -> m.Communication:
    """Insert one checked entry (shared with the importer). Raises InvalidInput."""
    v.within_text_limit(text, f"{order.number} communication.text")
    if corrects is not None and not m.Communication.select().where(
        (m.Communication.id == corrects) & (m.Communication.order == order.id)
    ).exists():
        raise InvalidInput(_("no entry {corrects} on order {number} to correct").format(
            corrects=corrects, number=order.number), "corrects")
    now = clock.now()
    row = m.Communication.create(order=order.id, at=at, channel=channel, contact=contact, clerk=clerk,
                                 text=text, corrects=corrects, created_at=now, updated_at=now,
                                 changed_by=recorded_by)
    m.Order.update(updated_at=now, changed_by=recorded_by).where(m.Order.id == order.id).execute()
    return row


@operation
def log_communication(number: str, text: str, *, channel: str = "phone", contact: str = "",
                      at: dt.datetime | None = None, corrects: int | None = None,
                      clerk: str | None = None) -> CommunicationView:
    """Append an entry to an order's log. Raises NotFound, InvalidInput."""
    clerk = clerk or current_clerk()
    row = append(
        find(number),
        text=v.clean_text(text, f"{number} communication.text", required=True),
        channel=v.channel(channel),
        contact=v.clean_text(contact, f"{number} communication.contact", limit=200),
        clerk=clerk, at=at or clock.now(), corrects=corrects, recorded_by=clerk,
    )
    return views.communication(row)
