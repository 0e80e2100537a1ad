"""Column types shared by the models and the frozen migration models."""

from __future__ import annotations

import datetime as dt
import decimal

from peewee import DateField, DateTimeField, DecimalField, TimeField

UTC = dt.UTC
CENTS = decimal.Decimal("0.01")


def _from_iso(kind, value):
    """SQLite hands dates and times back as ISO text; `fromisoformat` reads that about ten times
    faster than Peewee's strptime over a list of formats (which stays the fallback). Other engines
    return date and time objects, passed through untouched."""
    if isinstance(value, str):
        try:
            return kind.fromisoformat(value)
        except ValueError:
            pass
    return None


class ISODateField(DateField):
    def python_value(self, value):
        return _from_iso(dt.date, value) or super().python_value(value)


class ISOTimeField(TimeField):
    def python_value(self, value):
        return _from_iso(dt.time, value) or super().python_value(value)


class UTCDateTimeField(DateTimeField):
    """Stored as naive UTC on every engine; read back timezone-aware (UTC)."""

    def db_value(self, value):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return super().db_value(value)

    def python_value(self, value):
        value = _from_iso(dt.datetime, value) or super().python_value(value)
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class MoneyField(DecimalField):
    """Money is Decimal with two places, never float; SQLite's NUMERIC affinity drops trailing zeros, so
    values are quantized again when read."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, auto_round=True, **kwargs)

    def python_value(self, value):
        if value is None:
            return None
        if isinstance(value, int):  # SQLite's NUMERIC gives whole amounts back as int: exact as it is
            value = decimal.Decimal(value)
        elif not isinstance(value, decimal.Decimal):  # as DecimalField does, without its dispatch:
            value = decimal.Decimal(str(value))  # str() gives a float's shortest form, not its binary one
        return value.quantize(CENTS)
