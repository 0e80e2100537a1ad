"""Checking and cleaning what comes in (typed, pasted or imported) before it is stored."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal, overload

from notedesk import clock
from notedesk import text as textgate
from notedesk.domain import CHANNELS, NOTE_KINDS, PAYMENT_METHODS, PAYMENT_STATUSES, PAYMENT_VIA, STATUSES
from notedesk.i18n import _
from notedesk.services.errors import InvalidInput
from notedesk.services.types import PaymentRecord


def clean_text(value, where: str, *, required: bool = False, limit: int | None = None) -> str:
    """Cleaned text (controls → U+FFFD); NUL is refused, as is an empty required value."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("expected text, got {kind}").format(kind=type(value).__name__), where)
    if "\x00" in value:  # text.check_no_nul, inline: an import checks 600,000 texts
        raise InvalidInput(_("NUL character is not allowed"), where)
    value = textgate.clean(value)
    if required and not value.strip():
        raise InvalidInput(_("must not be empty"), where)
    if limit is not None and len(value) > limit:
        raise InvalidInput(_("longer than {limit} characters").format(limit=limit), where)
    return value


def within_text_limit(value: str, where: str) -> str:
    """A note body or log entry no longer than the config's `text_limit` (UTF-8 bytes, default 1 MB):
    a clerk's screen and every export carry it whole, so a runaway paste is refused, not stored."""
    from notedesk.config import settings

    limit = settings().text_limit
    if len(value) * 4 > limit and len(value.encode("utf-8")) > limit:  # the encode only for long texts
        size = len(value.encode("utf-8"))
        raise InvalidInput(_("too long: {size:,} bytes, at most {limit:,} (text_limit in the config file)").format(
            size=size, limit=limit), where)
    return value


def choice(value: str, allowed: tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise InvalidInput(_("{value!r} is not one of {allowed}").format(
            value=value, allowed=', '.join(allowed)), where)
    return value


def status(value: str, where: str = "status") -> str:
    return choice(value, STATUSES, where)


def note_kind(value: str, where: str = "kind") -> str:
    return choice(value, NOTE_KINDS, where)


def channel(value: str, where: str = "channel") -> str:
    return choice(value, CHANNELS, where)


def payment_method(value: str, where: str = "payment.method") -> str:
    return choice(value, PAYMENT_METHODS, where)


def payment_status(value: str, where: str = "payment.status") -> str:
    return choice(value, PAYMENT_STATUSES, where)


@overload
def money(value, where: str, *, allow_none: Literal[False] = False) -> Decimal: ...
@overload
def money(value, where: str, *, allow_none: bool) -> Decimal | None: ...
def money(value, where: str, *, allow_none: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise InvalidInput(_("an amount is required"), where)
    if isinstance(value, float):
        raise InvalidInput(_("give money as a string like \"35.00\", not a float"), where)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(_("{value!r} is not an amount").format(value=value), where) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(_("{value!r} is not an amount").format(value=value), where)
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(_("{value!r} has more than two decimals").format(value=value), where)
    if amount >= Decimal("1e12"):
        raise InvalidInput(_("{value!r} is too large").format(value=value), where)
    return amount.quantize(Decimal("0.01"))


def quantity(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(_("{value!r} is not a whole number").format(value=value), where)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(_("{value!r} is not a whole number").format(value=value), where) from None
    if number <= 0 or number > 10**9:
        raise InvalidInput(_("{value!r} is out of range").format(value=value), where)
    return number


def iso_date(value, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(_("{value!r} is not a date (YYYY-MM-DD)").format(value=value), where) from None


def hhmm(value, where: str) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    try:
        hours, minutes = str(value).split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(_("{value!r} is not a time of day (HH:MM)").format(value=value), where) from None


def aware(value, where: str) -> dt.datetime:
    """An ISO time with offset (or a datetime) as aware UTC."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput(_("{value!r} is not an ISO time").format(value=value), where) from None
    if moment.tzinfo is None:
        from notedesk.clock import as_utc

        return as_utc(moment)
    return moment.astimezone(dt.UTC)


# A count as clerks type it: "800", "800件", "800 pcs", "1,000", full-width digits. The unit is a word
# after the number, dropped: a quantity is a count of whatever the line's product is.
_QUANTITY_UNIT = re.compile(
    r"\s*(?:件|个|個|只|套|双|雙|箱|条|條|把|张|張|本|台|盒|包|瓶|袋|卷|份|片|枚|顶|頂|"
    r"pcs?\.?|pieces?|units?|sets?|pairs?|boxes|box|ea\.?)\s*$", re.IGNORECASE)


def quantity_text(value, where: str) -> int:
    """A whole number typed by a clerk, with or without a unit (`800`, `800件`, `800 pcs`, `1,000`).
    Raises InvalidInput quoting what was typed."""
    return quantity_with_unit(value, where)[0]


def quantity_with_unit(value, where: str) -> tuple[int, str]:
    """`500件` -> (500, '件'), `500 pcs` -> (500, 'pcs'), `1,000` -> (1000, ''): the count and the unit
    word as typed (a form keeps it in the line's spec). Raises InvalidInput quoting what was typed."""
    if isinstance(value, int) and not isinstance(value, bool):
        return quantity(value, where), ""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    unit = _QUANTITY_UNIT.search(text)
    digits = (text[:unit.start()] if unit else text).replace(",", "").strip()
    try:
        return quantity(digits, where), unit.group().strip() if unit else ""
    except InvalidInput:
        raise InvalidInput(_("“{value}” is not a quantity (e.g. 800, 800件, 800 pcs)").format(value=value),
                           where) from None


def money_text(value, where: str, *, allow_none: bool = False) -> Decimal | None:
    """An amount typed by a clerk: `35`, `35.00`, `¥1,200.50`, `1200元`, full-width digits. Empty is None
    where `allow_none`. Raises InvalidInput."""
    if not isinstance(value, str):
        return money(value, where, allow_none=allow_none)
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "").lstrip("¥$€").removesuffix("元").strip()
    return money(text, where, allow_none=allow_none)


def payment_amount(value, where: str = "amount") -> Decimal:
    """A payment's amount: a non-zero Decimal with at most two decimals; negative is a refund.
    Raises InvalidInput."""
    if isinstance(value, float):
        raise InvalidInput(_("give money as a string like \"35.00\", not a float"), where)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "") if value is not None else ""
    sign, text = ("-", text[1:].strip()) if text.startswith(("-", "−")) else ("", text)
    text = text.lstrip("¥$€").removesuffix("元").strip()  # as clerks type it: ¥1,200.50, 1200元
    if not text:
        raise InvalidInput(_("an amount is required"), where)
    if not text[0].isdigit() and text[0] != ".":
        raise InvalidInput(_("{value!r} is not an amount").format(value=str(value)), where)
    try:
        number = Decimal(sign + text)
    except InvalidOperation:
        raise InvalidInput(_("{value!r} is not an amount").format(value=str(value)), where) from None
    if not number.is_finite():
        raise InvalidInput(_("{value!r} is not an amount").format(value=str(value)), where)
    if number != number.quantize(Decimal("0.01")):
        raise InvalidInput(_("{value!r} has more than two decimals").format(value=str(value)), where)
    if abs(number) >= Decimal("1e12"):
        raise InvalidInput(_("{value!r} is too large").format(value=str(value)), where)
    if number == 0:
        raise InvalidInput(_("a payment of 0 records nothing"), where)
    return number.quantize(Decimal("0.01"))


def payment_via(value: str, where: str = "via") -> str:
    if value not in PAYMENT_VIA:
        raise InvalidInput(_("{value!r} is not one of {choices}").format(
            value=value, choices=", ".join(PAYMENT_VIA)), where)
    return value


def payment_time(value: dt.datetime | None, where: str = "at", *, now: dt.datetime | None = None) -> dt.datetime:
    """When money came: aware UTC, not in the future. Raises InvalidInput."""
    now = now or clock.now()
    if value is None:
        return now
    value = aware(value, where)
    if not clock.YEARS[0] <= value.year <= clock.YEARS[1]:
        raise InvalidInput(_("{when} is out of range").format(when=value.isoformat()), where)
    if value > now + dt.timedelta(minutes=5):  # clerks' clocks differ a little
        local = value.astimezone(clock.business_tz())
        raise InvalidInput(_("{when} is in the future: a payment is recorded once received").format(
            when=f"{local:%Y-%m-%d %H:%M}"), where)
    return value


def payment_record(record: PaymentRecord, where: str, *, now: dt.datetime | None = None) -> PaymentRecord:
    """A payment given by a clerk or a file, validated and cleaned. Raises InvalidInput."""
    return PaymentRecord(
        amount=payment_amount(record.amount, f"{where} amount"), via=payment_via(record.via, f"{where} via"),
        at=payment_time(record.at, f"{where} at", now=now), note=clean_text(record.note, f"{where} note", limit=2000),
        clerk=clean_text(record.clerk, f"{where} clerk", limit=64),
    )
