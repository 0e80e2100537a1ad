"""What a lens shows beyond a plain row of the order list, read for one page at a time.

A page is at most listing.PAGE_ROWS orders: each extra is one query on those ids through an index
(lines, notes and attachments by order; instalments by order), never a join or a subquery per row
of the whole list, so a lens pages as fast as the plain list (benchmarks/run.py measures each).

What was received and the balance are columns of the order (services.settlement keeps them), read
with every row; the list's totals sum them in SQL (models.DUE, models.BALANCE).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from peewee import fn

from notedesk.services.types import InstalmentData, LineData, OrderSummary
from notedesk.store import models as m

ZERO = Decimal("0.00")


def _in(ids: Sequence[int], column):
    return column.in_(list(ids))


def _rows(query) -> list[tuple]:
    """Raw rows (dates and money converted by the caller): as listing._fetch, no model per row."""
    return m.db.execute(query).fetchall()


def add_extras(lens: str, rows: list[OrderSummary]) -> list[OrderSummary]:
    """`rows` with what `lens` shows filled in (the rows themselves when it shows nothing more)."""
    if not rows or lens not in ("production", "finance"):
        return rows
    ids = [r.id for r in rows]
    if lens == "production":
        return _production(ids, rows)
    return _finance(ids, rows)


def _production(ids: list[int], rows: list[OrderSummary]) -> list[OrderSummary]:
    first: dict[int, LineData] = {}
    count: dict[int, int] = {}
    lines = (m.OrderLine.select(m.OrderLine.order, m.OrderLine.product, m.OrderLine.spec, m.OrderLine.quantity)
             .where(_in(ids, m.OrderLine.order)).order_by(m.OrderLine.order, m.OrderLine.position))
    for order_id, product, spec, quantity in _rows(lines):
        count[order_id] = count.get(order_id, 0) + 1
        # no price: production never reads one (the lens shows none, and the row carries none)
        first.setdefault(order_id, LineData(product=product, quantity=quantity, unit_price=ZERO, spec=spec))
    special = {row[0] for row in _rows(m.Note.select(m.Note.order).where(
        _in(ids, m.Note.order) & (m.Note.kind == "special") & (fn.LENGTH(fn.TRIM(m.Note.body)) > 0)))}
    drawings = {row[0] for row in _rows(m.Attachment.select(m.Attachment.order).where(
        _in(ids, m.Attachment.order)).distinct())}
    return [replace(r, first_line=first.get(r.id), line_count=count.get(r.id, 0), special=r.id in special,
                    drawings=r.id in drawings) for r in rows]


def _finance(ids: list[int], rows: list[OrderSummary]) -> list[OrderSummary]:
    upcoming: dict[int, InstalmentData] = {}
    date, money = m.Instalment.due.python_value, m.Instalment.amount.python_value
    instalments = (m.Instalment.select(m.Instalment.order, m.Instalment.due, m.Instalment.amount)
                   .where(_in(ids, m.Instalment.order) & (m.Instalment.paid == False))  # noqa: E712 (SQL)
                   .order_by(m.Instalment.order, m.Instalment.due, m.Instalment.position))
    for order_id, due, amount in _rows(instalments):
        if order_id not in upcoming:
            upcoming[order_id] = InstalmentData(due=date(due), amount=money(amount))
    return [replace(r, next_instalment=upcoming.get(r.id)) for r in rows]
