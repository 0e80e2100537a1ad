"""The order list: filter, sort and page through orders on indexes, without loading them all.

Every sort is a key tuple ending in the order id, so the order is total and pages are stable; a
descending sort is the exact reverse of the ascending one, which lets one index serve both
directions (and undated orders, last when ascending, come first when reversed).

A page is found one of three ways, all on the sort index (measured at 100,000 orders, see
tests/services/test_listing.py and the report of issue 7):
- keyset, `after=`/`before=` the key of a neighbouring row: a range scan, well under 1 ms;
- `offset=`: a "deferred join" (the offset walks a narrow covering index for ids only, then the
  page's rows are read by id), counted from whichever end of the list is nearer when the caller
  passes `total=`; 1-8 ms anywhere in the list (customer sort, a join, up to ~15 ms);
- a text filter (substring of number, customer name or company) cannot use a b-tree. The next
  page after a key (or near the top) is first looked for in the next WALK rows of the sort index,
  tested here against the number and the set of matching customers: a broad filter ("芳": a fifth
  of all orders) fills its page from a few hundred rows. Only when the walk does not fill the page
  is the whole set of matching ids computed (a scan of the narrow number index, the matching
  customers' orders through the customer index) and sorted. Why not let SQLite walk and test:
  its cost depends on where the matches sit in the sort order; measured at 100,000 orders,
  "acme" sorted by customer walked ~70,000 Chinese-named orders first (0.6 s at offset 0).
  (On PostgreSQL the pg_trgm indexes of store.search_index serve the ILIKEs of the id set.)
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, Value, fn

from notedesk import domain
from notedesk.i18n import language
from notedesk.services import changes, list_extras
from notedesk.services.list_filters import DueRange, customers_matching, due_condition
from notedesk.services.transaction import operation
from notedesk.services.types import Deadline, OrderSummary
from notedesk.store import models as m

# The deadline key is the indexed expression of models.DUE_SORT_KEY; these are its sentinels.
NO_DATE = "9999-12-31"
NO_END = "23:59:59.999999"  # a valid time on PostgreSQL too (its driver cannot read 24:00)
_DUE_DATE, _DUE_END = m.DUE_SORT_KEY

SORTS = ("updated", "created", "number", "deadline", "status", "customer", "total")
DEFAULT_DESCENDING = {"updated": True, "created": True, "total": True}
PAGE_ROWS = 64  # rows a list fetches at a time: more than a tall terminal shows, a few ms to read
WALK = 2000  # rows of the sort index a text filter tests before computing its whole id set
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # what LIKE folds


@dataclass(frozen=True)
class OrderQuery:
    text: str = ""  # matches order number, customer name or company (substring, any case)
    statuses: tuple[str, ...] = ()
    open_only: bool = False
    sort: str = "updated"
    descending: bool = True
    payment_statuses: tuple[str, ...] = ()
    due: DueRange | None = None  # a deadline range, or overdue (services/list_filters.py)
    customer: str = ""  # substring of the customer's name, company or phone
    lens: str = ""  # a department's lens (services/lenses.py): what its rows carry beyond the plain row


@dataclass(frozen=True)
class Page:
    """Rows in the query's order, and each row's sort key (opaque: pass it back as after=/before=)."""

    rows: tuple[OrderSummary, ...]
    keys: tuple[tuple, ...]


def _key_exprs(sort: str) -> tuple:
    return {
        "updated": (m.Order.updated_at, m.Order.id),
        "created": (m.Order.created_at, m.Order.id),
        "number": (m.Order.number, m.Order.id),
        "deadline": (_DUE_DATE, _DUE_END, m.Order.id),
        "status": (m.Order.status, m.Order.id),
        # under Chinese, names by pinyin (张 after 江): the stored reading, store/sort_keys.py
        "customer": (m.Customer.sort_key if language() == "zh" else m.Customer.name, m.Customer.id, m.Order.id),
        "total": (m.Order.total, m.Order.id),
    }[sort]


def _text(value) -> str:
    return value or ""  # an order without a picked address or contact reads ""


# What a row of the list reads, in the order _summary() takes it.
_O, _C = m.Order, m.Customer
_COLUMNS = (_O.id, _O.number, _C.name, _C.company, _O.status, _O.deadline_text, _O.deadline_date,
            _O.deadline_start, _O.deadline_end, _O.payment_method, _O.payment_status, _O.total,
            _O.amount_due, _O.currency, _O.updated_at, _O.received,
            # where to deliver and whom to call: the order's picks (migration 0012), by primary key
            fn.COALESCE(fn.NULLIF(m.CustomerContact.phone, ""), _C.phone), m.CustomerAddress.text)
_CONVERT = (*(column.python_value for column in _COLUMNS[:-2]), _text, _text)


def _summary(values) -> OrderSummary:
    (id_, number, name, company, status, text, date, start, end, method, paid, total, due, currency,
     updated, received, phone, address) = (convert(v) for convert, v in zip(_CONVERT, values))
    return OrderSummary(id=id_, number=number, customer=name, company=company, status=status,
                        deadline=Deadline(text, date, start, end), payment_method=method,
                        payment_status=paid, total=total, amount_due=due, currency=currency,
                        updated_at=updated, received=received, phone=phone, address=address)


def _fetch(query) -> list[tuple]:
    """Run a compiled query and return raw rows. Why not Peewee's row objects: building two
    models per row cost 10-25 ms a page against 0.6 ms for the query itself (measured, 64 rows)."""
    sql, params = query.sql()
    return m.db.execute_sql(sql, params).fetchall()


def _raw(value) -> Value:
    """A key value exactly as the database returned it, compared without any conversion."""
    return Value(value, converter=_as_is)


def _as_is(value):
    return value


def _beyond(exprs: tuple, values: tuple, forward: bool):
    """Rows strictly after (forward) or before the key `values`, written so that an index range
    scan on the first key serves it: a >= x AND (a > x OR (b >= y AND (b > y OR id > z)))."""
    head, value = exprs[0], _raw(values[0])
    strict = head > value if forward else head < value
    if len(exprs) == 1:
        return strict
    loose = head >= value if forward else head <= value
    return loose & (strict | _beyond(exprs[1:], values[1:], forward))


def _customers_matching(needle: str):
    return m.Customer.select(m.Customer.id).where(
        m.Customer.name.contains(needle) | m.Customer.company.contains(needle))


def _filter(query: OrderQuery, *, text: bool = True):
    """The WHERE condition of the query (None when it has none); without its text part if not `text`."""
    conditions = []
    needle = query.text.strip() if text else ""
    if needle:  # the matching ids: from the number index, and the matching customers' orders
        ids = (m.Order.select(m.Order.id).where(m.Order.number.contains(needle))
               + m.Order.select(m.Order.id).where(m.Order.customer.in_(_customers_matching(needle))))
        conditions.append(m.Order.id.in_(ids))
    if query.statuses:
        conditions.append(m.Order.status.in_(query.statuses))
    if query.open_only:
        conditions.append(m.Order.status.in_(domain.OPEN_STATUSES))  # as the deadline queries: orders_due
    if query.payment_statuses:
        conditions.append(m.Order.payment_status.in_(query.payment_statuses))
    if query.due is not None:
        conditions.append(due_condition(query.due))
    if query.customer.strip():
        conditions.append(m.Order.customer.in_(customers_matching(query.customer.strip())))
    if not conditions:
        return None
    condition = conditions[0]
    for more in conditions[1:]:
        condition &= more
    return condition


def _check(query: OrderQuery) -> None:
    if query.sort not in SORTS:
        raise ValueError(f"unknown sort {query.sort!r}")


def _ids(query: OrderQuery, *, forward: bool, after: tuple | None = None, text: bool = True):
    """SELECT orders.id in the query's order (reversed when not forward), optionally after a key;
    without the text filter if not `text`."""
    exprs = _key_exprs(query.sort)
    ascending = forward != query.descending
    q = m.Order.select(m.Order.id)
    if query.sort == "customer":
        q = q.join(m.Customer)
    condition = _filter(query, text=text)
    if after is not None:
        past = _beyond(exprs, after, ascending)
        condition = past if condition is None else condition & past
    if condition is not None:
        q = q.where(condition)
    return q.order_by(*[e.asc() if ascending else e.desc() for e in exprs])


def _walk(query: OrderQuery, *, forward: bool, after: tuple | None, skip: int, limit: int) -> list[int] | None:
    """The ids of the text-filtered page found among the next WALK rows of the sort index (in
    `forward` order), or None when the walk did not fill the page and the list goes on."""
    needle = query.text.strip().translate(_ASCII_LOWER)
    customers = {row[0] for row in _fetch(_customers_matching(query.text.strip()))}
    window = _ids(query, forward=forward, after=after, text=False).limit(WALK)
    rows = _fetch(window.select_extend(m.Order.number, m.Order.customer))
    found = [id_ for id_, number, customer in rows
             if customer in customers or needle in number.translate(_ASCII_LOWER)]
    if len(found) >= skip + limit or len(rows) < WALK:
        return found[skip:skip + limit]
    return None


def _rows(query: OrderQuery, ids_query) -> Page:
    """The page's rows by id (the deferred join), in the query's order, with their raw keys."""
    exprs = _key_exprs(query.sort)
    rows = _fetch(m.Order.select(*_COLUMNS, *exprs).join(m.Customer)
                  .switch(m.Order).join(m.CustomerContact, JOIN.LEFT_OUTER, on=m.Order.contact == m.CustomerContact.id)
                  .switch(m.Order).join(m.CustomerAddress, JOIN.LEFT_OUTER, on=m.Order.address == m.CustomerAddress.id)
                  .where(m.Order.id.in_(ids_query))
                  .order_by(*[e.desc() if query.descending else e.asc() for e in exprs]))
    width = len(_COLUMNS)
    summaries = list_extras.add_extras(query.lens, [_summary(r[:width]) for r in rows])
    return Page(tuple(summaries), tuple(tuple(r[width:]) for r in rows))


@operation(read_only=True)
def fetch_page(query: OrderQuery = OrderQuery(), *, offset: int = 0, limit: int = 100,
               after: tuple | None = None, before: tuple | None = None,
               total: int | None = None) -> Page:
    """One page of the list: the `limit` rows after the key `after`, or before the key `before`,
    or from position `offset`. `total` (count_orders of this query, if the caller has it) lets
    a far offset be counted from the end. Raises ValueError (unknown sort)."""
    _check(query)
    if limit <= 0:
        return Page((), ())
    offset = max(0, offset)
    if query.text.strip() and (after is not None or before is not None or offset < 4 * limit):
        ids = _walk(query, forward=before is None, after=after if before is None else before,
                    skip=0 if after is not None or before is not None else offset, limit=limit)
        if ids is not None:
            return _rows(query, ids)
    if after is not None:
        return _rows(query, _ids(query, forward=True, after=after).limit(limit))
    if before is not None:
        return _rows(query, _ids(query, forward=False, after=before).limit(limit))
    if total is not None and offset > total // 2:
        if offset >= total:
            return Page((), ())
        end = min(total, offset + limit)  # rows [offset, end) are [total-end, total-offset) reversed
        ids = _ids(query, forward=False).offset(total - end).limit(end - offset)
    else:
        ids = _ids(query, forward=True).offset(offset).limit(limit)
    return _rows(query, ids)


@operation(read_only=True)
def fetch_pages(query: OrderQuery, requests: list[dict], *, limit: int = 100,
                total: int | None = None) -> list[Page]:
    """Several pages on one connection: each request is fetch_page's offset=/after=/before=."""
    return [fetch_page(query, limit=limit, total=total, **how) for how in requests]


@operation(read_only=True)
def list_orders(query: OrderQuery = OrderQuery(), *, offset: int = 0, limit: int = 100,
                after: tuple | None = None) -> list[OrderSummary]:
    """One page of order rows, in the query's order (ties broken by id, so pages are stable).
    Raises ValueError (unknown sort)."""
    return list(fetch_page(query, offset=offset, limit=limit, after=after).rows)


@operation(read_only=True)
def count_orders(query: OrderQuery = OrderQuery()) -> int:
    _check(query)
    q = m.Order.select()
    condition = _filter(query)
    return (q.where(condition) if condition is not None else q).count()


@operation(read_only=True)
def position_of(query: OrderQuery, number: str) -> int | None:
    """Where order `number` stands in the query's list (0-based), None if the query excludes it."""
    _check(query)
    found = m.Order.select(m.Order.id)
    condition = _filter(query)
    if condition is not None:
        found = found.where(condition)
    found = found.where(m.Order.number == number)
    keys = _fetch(m.Order.select(*_key_exprs(query.sort)).join(m.Customer).where(m.Order.id.in_(found)))
    if not keys:
        return None
    return _ids(query, forward=False, after=tuple(keys[0])).order_by().count()


@dataclass(frozen=True)
class FirstScreen:
    """What a list shows first: how many orders match `query`, the first `limit` of them, and the
    change counter they are as of (services.changes: a watcher started later reloads if it moved)."""

    query: OrderQuery
    limit: int
    count: int
    page: Page
    changes: int


@operation(read_only=True)
def first_screen(query: OrderQuery = OrderQuery(), *, limit: int = PAGE_ROWS) -> FirstScreen:
    """The desk reads its home list's first screen this way before it loads its screens (cli/desk.py),
    so that the list's first frame has its rows (issue 7)."""
    count = count_orders(query)
    page = fetch_page(query, limit=limit) if count else Page((), ())
    return FirstScreen(query, limit, count, page, changes.seen())


@dataclass(frozen=True)
class Totals:
    """What the listed orders add up to, per currency: how many, their amount due and their balance."""

    count: int = 0
    by_currency: tuple[tuple[str, int, Decimal, Decimal], ...] = ()  # (currency, orders, amount, balance)


@operation(read_only=True)
def totals(query: OrderQuery = OrderQuery()) -> Totals:
    """Count, amount due and balance of every order the query lists: one aggregate query, no rows
    loaded. Raises ValueError (unknown sort)."""
    _check(query)
    money = m.Order.total.python_value
    q = (m.Order.select(m.Order.currency, fn.COUNT(m.Order.id), fn.SUM(m.DUE), fn.SUM(m.BALANCE))
         .group_by(m.Order.currency).order_by(m.Order.currency))
    condition = _filter(query)
    rows = _fetch(q.where(condition) if condition is not None else q)
    found = tuple((currency, count, money(amount or 0), money(balance or 0))
                  for currency, count, amount, balance in rows)
    return Totals(sum(r[1] for r in found), found)
