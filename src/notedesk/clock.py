"""What time it is: UTC now (frozen by NOTEDESK_NOW) and the business time zone."""

from __future__ import annotations

import datetime as dt
import os

from dateutil import tz as dtz

from notedesk.errors import NotedeskError
from notedesk.i18n import _

UTC = dt.UTC


class ClockError(NotedeskError, ValueError):
    pass


# The years a time notedesk works with may have (NOTEDESK_NOW, an imported created_at or log entry):
# far enough from datetime's ends (1 and 9999) that adding a deadline, a duration or a time zone
# cannot overflow.
YEARS = (1900, 9000)


def now() -> dt.datetime:
    """Aware UTC now; NOTEDESK_NOW (ISO time, local business time when it has no offset) freezes it."""
    frozen = os.environ.get("NOTEDESK_NOW")
    if frozen:
        try:
            value = dt.datetime.fromisoformat(frozen)
        except ValueError:
            raise ClockError(_("NOTEDESK_NOW is not an ISO time: {frozen!r}").format(frozen=frozen)) from None
        if not YEARS[0] <= value.year <= YEARS[1]:  # deadlines and durations are added to now
            raise ClockError(_("NOTEDESK_NOW is out of range (years {first}-{last}): {frozen!r}").format(
                first=YEARS[0], last=YEARS[1], frozen=frozen))
        if value.tzinfo is None:
            value = value.replace(tzinfo=business_tz())
        return value.astimezone(UTC)
    return dt.datetime.now(UTC)


def business_tz() -> dt.tzinfo:
    """The zone deadlines live in: config `timezone`, else the system's."""
    from notedesk.config import settings

    name = settings().timezone
    if name:
        zone = dtz.gettz(name)
        if zone is None:
            raise ClockError(_("unknown time zone in config: {name!r}").format(name=name))
        return zone
    return dtz.tzlocal()


def local_now() -> dt.datetime:
    return now().astimezone(business_tz())


def as_utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC; a naive value is taken as business local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=business_tz())
    return value.astimezone(UTC)
