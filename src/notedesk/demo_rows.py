"""The rows of demo orders: Faker values made once and combined at random into stored-format tuples.

`RowBuilder.order()` appends one order's rows (lines, instalments, notes with revisions, the
communication log, events) to per-table lists, in the form the models store (naive UTC text times,
money as text), ready for executemany. It is the hot loop of `notedesk demo --orders 100000`, so it
picks with one random() call (`FastRandom`, `_bag`) and formats times with str().
"""

from __future__ import annotations

import datetime as dt
import random

from notedesk import demo_phrases as ph
from notedesk import domain
from notedesk.store import models as m
from notedesk.store.bulk import FIELDS

CLERKS = ("li", "wang", "zhang", "chen", "liu", "sarah", "tom")
WORK_START, WORK_END = 9 * 60, 18 * 60  # calls are logged in working hours, local time
UTC = dt.UTC

def _stamp(moment: dt.datetime) -> str:
    """Naive UTC as the models store it (UTCDateTimeField); demo times have no microseconds."""
    return str(moment)


def _bag(values, weights) -> tuple:
    """Each value repeated by its weight: a weighted pick is then one choice()."""
    return tuple(v for v, w in zip(values, weights) for _ in range(w))


_STATUS_OLD = _bag(("delivered", "cancelled"), (9, 1))
# A deadline more than a week past is mostly done with; the last week's are where the overdue ones are.
_STATUS_LONG_PAST = _bag(("delivered", "cancelled", "in_production", "shipped", "on_hold"), (16, 1, 1, 1, 1))
_STATUS_PAST = _bag(("delivered", "shipped", "in_production", "confirmed", "on_hold", "cancelled"), (9, 3, 4, 2, 1, 1))
_STATUS_OPEN = _bag(("new", "confirmed", "in_production", "on_hold", "shipped", "cancelled"), (5, 6, 6, 1, 1, 1))
_METHODS = _bag(domain.PAYMENT_METHODS, (6, 5, 3, 4, 2))
_PREPAID = _bag(domain.PAYMENT_STATUSES, (7, 3, 10))
_OTHER_PAY = _bag(domain.PAYMENT_STATUSES, (5, 1, 4))
_VIA = _bag(domain.PAYMENT_VIA, (2, 5, 4, 3, 1, 1))
_LINE_COUNT = _bag((1, 2, 3), (10, 7, 3))
_LOG_COUNT = _bag(range(1, 11), (4, 8, 10, 12, 14, 14, 12, 10, 8, 8))  # about 5.6 entries an order
_CHANNELS_ZH = _bag(domain.CHANNELS, (7, 3, 6, 2, 2))
_CHANNELS_EN = _bag(domain.CHANNELS, (7, 8, 1, 2, 2))


class FastRandom(random.Random):
    """random.Random with choice/randint/randrange by one random() call: several times faster than the
    exact versions, and the tiny bias does not matter for demo data."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))

    def sample(self, population, k):
        picked = []
        while len(picked) < k:
            item = self.choice(population)
            if item not in picked:
                picked.append(item)
        return picked


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _time(hour) -> str | None:
    return None if hour is None else f"{hour:02d}:00:00"


class Pool:
    """Faker values made once, combined at random afterwards."""

    def __init__(self, seed: int):
        from faker import Faker  # only the demo needs it; it takes ~0.4 s to import

        fake = Faker(["zh_CN", "en_US"])
        fake.seed_instance(seed)
        zh, en = fake["zh_CN"], fake["en_US"]
        self.zh_names = [zh.name() for _ in range(400)]
        self.en_names = [en.name() for _ in range(300)]
        self.zh_companies = [zh.company() for _ in range(200)]
        self.en_companies = [en.company() for _ in range(150)]
        local = random.Random(seed)  # addresses from a table, not Faker's (its provinces and cities mix)
        self.zh_addresses = [china_address(local) for _ in range(300)]
        self.en_addresses = [en.address().replace("\n", ", ") for _ in range(200)]
        self.zh_emails = [zh.free_email() for _ in range(300)]
        self.en_domains = [en.domain_name() for _ in range(150)]


class _Customer:
    __slots__ = ("id", "zh", "name", "company", "phone", "address", "preference", "currency", "address_id",
                 "contact_id")


class RowBuilder:
    """Makes the rows of one order at a time into per-table lists."""

    def __init__(self, rng: FastRandom, pool: Pool, now: dt.datetime, tz: dt.tzinfo, ids: dict,
                 serials: dict[int, int]):
        self.rng, self.pool, self.now, self.tz = rng, pool, now, tz
        self.today = now.astimezone(tz).date()
        self.ids = ids  # next id per model
        self.serials = serials  # year -> last order number used
        self.rows: dict = {model: [] for model in FIELDS}

    def take(self) -> dict:
        rows, self.rows = self.rows, {model: [] for model in FIELDS}
        return rows

    def _id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def number(self, year: int) -> str:
        self.serials[year] = self.serials.get(year, 0) + 1
        return f"SO-{year}-{self.serials[year]:05d}"

    def customers(self, count: int, at: dt.datetime) -> list[_Customer]:
        rng, pool, stamp, phones, made = self.rng, self.pool, _stamp(at), set(), []
        for _ in range(count):
            c = _Customer()
            c.id, c.zh = self._id(m.Customer), rng.random() < 0.65
            while True:
                c.phone = (f"1{rng.choice('3589')}{rng.randrange(10 ** 9):09d}" if c.zh else
                           f"+1 {rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}")
                if c.phone not in phones:
                    phones.add(c.phone)
                    break
            if c.zh:
                c.name, c.address = rng.choice(pool.zh_names), rng.choice(pool.zh_addresses)
                c.company = rng.choice(pool.zh_companies) if rng.random() < 0.8 else ""
                email, c.preference, c.currency = rng.choice(pool.zh_emails), rng.choice(ph.PREFERENCES_ZH), "CNY"
            else:
                c.name, c.address = rng.choice(pool.en_names), rng.choice(pool.en_addresses)
                c.company = rng.choice(pool.en_companies) if rng.random() < 0.85 else ""
                first, _, last = c.name.partition(" ")
                email = f"{first.lower()}.{last.lower().replace(' ', '')}@{rng.choice(pool.en_domains)}"
                c.preference, c.currency = rng.choice(ph.PREFERENCES_EN), rng.choice(("USD", "USD", "EUR"))
            clerk = rng.choice(CLERKS)
            self.rows[m.Customer].append((c.id, stamp, stamp, clerk, c.name, c.company, c.phone, email, c.preference))
            c.contact_id, c.address_id = self._id(m.CustomerContact), self._id(m.CustomerAddress)
            self.rows[m.CustomerContact].append((c.contact_id, stamp, stamp, clerk, c.id, 0, c.name, c.phone, ""))
            self.rows[m.CustomerAddress].append((c.address_id, stamp, stamp, clerk, c.id, 0, "", c.address))
            made.append(c)
        return made

    def _status(self, date: dt.date | None, age: int) -> str:
        rng = self.rng
        if date is None:
            return rng.choice(("new", "confirmed", "on_hold", "in_production"))
        if age > 120:
            return rng.choice(_STATUS_OLD)
        if date < self.today:
            return rng.choice(_STATUS_LONG_PAST if (self.today - date).days > 7 else _STATUS_PAST)
        return rng.choice(_STATUS_OPEN)

    def _payment(self, oid: int, stamp: str, clerk: str, status: str, total: int, created: dt.date,
                 date: dt.date | None) -> tuple[str, str, str | None, int, str]:
        """Method, status, amount due (None: the total), instalments and received; the payments received
        as rows, the status following from them as services.settlement has it."""
        rng, closed = self.rng, status in ("delivered", "shipped")
        method = rng.choice(_METHODS)
        k = 0
        received = 0
        if method == "instalments":
            k = rng.choice((2, 3))
            first = total * 3 // 10
            amounts = [first] + [(total - first) // (k - 1)] * (k - 1)
            amounts[-1] += total - sum(amounts)
            due, paying = created, True
            for pos, amount in enumerate(amounts):
                lucky = due < self.today and rng.random() < 0.85
                paying = paying and lucky  # payments cover instalments in date order
                if paying:
                    received += amount
                    self._paid(oid, clerk, amount, due)
                self.rows[m.Instalment].append((stamp, stamp, clerk, oid, pos, due.isoformat(), _money(amount),
                                                int(paying)))
                due = (date or created) + dt.timedelta(days=15 + 30 * pos)
        else:
            if method == "cod":
                pay_status = "paid" if status == "delivered" and rng.random() < 0.8 else "unpaid"
            elif method == "prepaid":
                pay_status = "paid" if closed else rng.choice(_PREPAID)
            else:
                pay_status = rng.choice(_OTHER_PAY)
            received = {"paid": total, "unpaid": 0, "partial": total * 3 // 10}[pay_status]
            if received:
                self._paid(oid, clerk, received, min(created + dt.timedelta(days=oid % 5), self.today),
                           "cash" if method == "cod" else None)
        pay_status = "unpaid" if received <= 0 else "paid" if received >= total else "partial"
        return method, pay_status, None, k, _money(received)

    def _paid(self, oid: int, clerk: str, amount: int, day: dt.date, via: str | None = None) -> None:
        """A payment row (not drawing from the random stream: the demo's other data stays as it was)."""
        at = _stamp(dt.datetime(day.year, day.month, day.day, 3, oid % 60))  # 11:xx in China
        via = via or _VIA[oid % len(_VIA)]
        self.rows[m.Payment].append((at, at, clerk, oid, _money(amount), via, at, "", clerk))

    def _working(self, moment: dt.datetime, created: dt.datetime) -> dt.datetime | None:
        """`moment` (naive UTC) moved into working hours, 09:00-18:00 local on Monday to Friday: its time
        of day scaled into them, a weekend's to the Friday before; not before `created` (then the
        first working minute after it) nor after now (then None)."""
        tz, local = self.tz, moment.replace(tzinfo=UTC).astimezone(self.tz)
        day, minute = local.date(), local.hour * 60 + local.minute
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        minute = WORK_START + minute * (WORK_END - WORK_START) // 1440
        moved = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)
        if moved < created.replace(tzinfo=UTC):
            start = created.replace(tzinfo=UTC).astimezone(tz) + dt.timedelta(minutes=1 + local.minute % 30)
            day, minute = start.date(), start.hour * 60 + start.minute
            if minute >= WORK_END or day.weekday() >= 5:
                day, minute = day + dt.timedelta(days=1), WORK_START + local.minute % 30
            if minute < WORK_START:
                minute = WORK_START + local.minute % 30
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            moved = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)
        if moved > self.now:
            return None
        return moved.astimezone(UTC).replace(tzinfo=None)

    def order(self, created_local: dt.datetime, c: _Customer) -> None:
        rng, pool, zh = self.rng, self.pool, c.zh
        oid, clerk = self._id(m.Order), rng.choice(CLERKS)
        created = created_local.astimezone(UTC).replace(tzinfo=None)
        stamp, created_day = _stamp(created), created_local.date()
        latest = (self.now.replace(tzinfo=None) - created).total_seconds() // 60  # minutes until now

        total, items = 0, []
        for pos, product in enumerate(rng.sample(ph.PRODUCTS, rng.choice(_LINE_COUNT))):
            qty, price = rng.choice(ph.QUANTITIES), rng.randrange(*product[7], 50)
            if c.currency != "CNY":
                price = max(100, price // 35 * 5)
            total += qty * price
            spec, colour = ph.spec(rng, product, zh)
            items.append((product, qty, colour))
            self.rows[m.OrderLine].append((stamp, stamp, clerk, oid, pos, product[0] if zh else product[1].capitalize(),
                                           spec, qty, _money(price)))

        age = (self.today - created_day).days
        window = None
        if rng.random() < 0.07:
            date, text = None, rng.choice(ph.UNSCHEDULED_ZH if zh else ph.UNSCHEDULED_EN)
        else:
            if age > 45:
                date = created_day + dt.timedelta(days=rng.randint(3, 30))
            else:
                date = max(created_day + dt.timedelta(days=1), self.today + dt.timedelta(days=rng.randint(-10, 35)))
            window = rng.choice(ph.WINDOWS) if rng.random() < 0.6 else None
            text = ph.deadline_text(rng, zh, date, window)
        status = self._status(date, age)
        method, pay_status, amount_due, k, received = self._payment(oid, stamp, clerk, status, total, created_day,
                                                                    date)

        # conversations: from the order's creation until the deadline has passed (never after now)
        span = min(latest, max(2 * 1440, ((date - created_day).days + 2) * 1440 if date else 20 * 1440))
        count = rng.choice(_LOG_COUNT)
        minutes = sorted(rng.randrange(1, max(2, int(span))) for _ in range(count))
        # logged in working hours (a call at 04:07 was the issue 20 example): each moved into the
        # working day it falls on, in order; one with no working hour left before now is not logged
        times = sorted(t for t in (self._working(created + dt.timedelta(minutes=minute), created)
                                    for minute in minutes) if t is not None)
        previous, cid = None, self.ids[m.Communication]
        comms, rand, choice = self.rows[m.Communication], rng.random, rng.choice
        names, channels = (pool.zh_names, _CHANNELS_ZH) if zh else (pool.en_names, _CHANNELS_EN)
        for n in range(len(minutes)):  # the random draws as before, whatever is logged
            who = choice(CLERKS)
            contact = c.name if rand() < 0.8 else choice(names)
            if previous and rand() < 0.04:
                words, corrects = ph.correction_text(rng, zh), previous
            else:
                words, corrects = ph.log_text(rng, zh), None
            channel = choice(channels)
            if n >= len(times):
                continue
            last = times[n]
            s = str(last)
            comms.append((cid, s, s, who, oid, s, channel, contact, who, words, corrects))
            previous, cid = cid, cid + 1
        last = times[-1] if times else created
        self.ids[m.Communication] = cid

        bodies = (ph.requirements(rng, zh, items), ph.special(rng, zh),
                  ph.delivery(rng, zh, c.address, c.name, c.phone, c.preference),
                  ph.payment_note(rng, zh, method, _money(total), c.currency, k, c.company))
        for kind, body in zip(domain.NOTE_KINDS, bodies):
            nid, author, edited = self._id(m.Note), clerk, created
            version = 2 if rng.random() < 0.3 else 1
            if version == 2:  # a first draft, completed later by a colleague
                draft = body.split("\n")[0] if "\n" in body else body[:max(1, len(body) // 2)]
                self.rows[m.NoteRevision].append((stamp, stamp, clerk, nid, 1, draft))
                author = rng.choice(CLERKS)
                edited = created + dt.timedelta(minutes=rng.randrange(1, max(2, int(latest))))
                edited = min(edited, created + dt.timedelta(days=3))
            es = _stamp(edited)
            self.rows[m.NoteRevision].append((es, es, author, nid, version, body))
            self.rows[m.Note].append((nid, stamp, es, author, oid, kind, body, version))
            last = max(last, edited)

        self.rows[m.Event].append((stamp, stamp, clerk, oid, "created", "", "new", ""))
        if status != "new":
            ms = _stamp(created + dt.timedelta(minutes=(last - created) // dt.timedelta(minutes=2)))
            self.rows[m.Event].append((ms, ms, rng.choice(CLERKS), oid, "status", "new", status, ""))
        start, end = (window[0], window[1]) if window else (None, None)
        self.rows[m.Order].append((
            oid, stamp, _stamp(last), clerk, self.number(created_local.year), c.id, c.name, c.company, status,
            c.currency, 1,
            _money(total), text, date.isoformat() if date else None, _time(start), _time(end), method, pay_status,
            amount_due, received, c.address_id, c.contact_id,
        ))


# Cities in their provinces (Faker's zh_CN addresses join any province to any city: 海南省呼和浩特市):
# (province, city, districts, postcode prefix); the four municipalities have no province before them.
CITIES = (
    ("北京市", "", ("朝阳区", "海淀区", "东城区", "丰台区"), "100"),
    ("上海市", "", ("浦东新区", "徐汇区", "闵行区", "静安区"), "200"),
    ("天津市", "", ("和平区", "南开区", "河西区"), "300"),
    ("重庆市", "", ("渝中区", "江北区", "沙坪坝区"), "400"),
    ("广东省", "广州市", ("天河区", "越秀区", "番禺区"), "510"),
    ("广东省", "深圳市", ("南山区", "福田区", "宝安区"), "518"),
    ("广东省", "东莞市", ("南城街道", "长安镇", "虎门镇"), "523"),
    ("浙江省", "杭州市", ("西湖区", "萧山区", "余杭区"), "310"),
    ("浙江省", "宁波市", ("鄞州区", "海曙区"), "315"),
    ("江苏省", "南京市", ("鼓楼区", "江宁区"), "210"),
    ("江苏省", "苏州市", ("工业园区", "吴中区"), "215"),
    ("福建省", "厦门市", ("思明区", "湖里区"), "361"),
    ("福建省", "福州市", ("鼓楼区", "仓山区"), "350"),
    ("山东省", "青岛市", ("市南区", "黄岛区"), "266"),
    ("山东省", "济南市", ("历下区", "槐荫区"), "250"),
    ("四川省", "成都市", ("武侯区", "锦江区", "高新区"), "610"),
    ("湖北省", "武汉市", ("江汉区", "洪山区", "武昌区"), "430"),
    ("河南省", "郑州市", ("金水区", "二七区"), "450"),
    ("陕西省", "西安市", ("雁塔区", "未央区"), "710"),
    ("海南省", "海口市", ("龙华区", "美兰区"), "570"),
    ("内蒙古自治区", "呼和浩特市", ("新城区", "赛罕区"), "010"),
    ("广西壮族自治区", "南宁市", ("青秀区", "西乡塘区"), "530"),
)
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "新华路", "胜利路", "文化路", "青年路",
           "工业园路", "科技路", "滨江大道", "创业大道")


def china_address(rng: random.Random) -> str:
    """'浙江省杭州市西湖区文化路88号3栋502室 310012': the city in its province, the postcode of the city."""
    province, city, districts, postcode = rng.choice(CITIES)
    street = f"{rng.choice(STREETS)}{rng.randint(1, 399)}号"
    if rng.random() < 0.6:
        street += f"{rng.randint(1, 12)}栋{rng.randint(1, 25)}{rng.randint(1, 6):02d}室"
    return f"{province}{city}{rng.choice(districts)}{street} {postcode}{rng.randrange(1000):03d}"


def created_times(rng: random.Random, n: int, now: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
    """Order creation times in business hours, oldest first, spread so no year exceeds 5-digit numbers."""
    span = max(60, n // 80)
    local_now = now.astimezone(tz)
    times = []
    for _ in range(n):
        day = local_now.date() - dt.timedelta(days=rng.randrange(1, span + 1) if n > 1 else 1)
        minute = rng.randrange(8 * 60, 19 * 60)
        times.append(dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz))
    return sorted(times)


