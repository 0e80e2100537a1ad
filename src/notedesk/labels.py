"""What a clerk reads for a stored code or a date: status, payment, channel, note kind and deadline
group labels, weekdays, and deadlines written the way each interface language writes them.

The one place for these (screens, widgets and the command line import from here), so a word is
translated once and reads the same everywhere. No Textual or Rich here: plain strings.

Dates: Chinese `12月1日 周二 09:00–11:00`, English `Tue 1 Dec 09:00–11:00`; the year only when it is
not the current one. Month and weekday names come from the catalog, not strftime (%a/%b follow the
process locale, which under LANG=C is English whatever the interface language).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from notedesk.domain import NOTE_KINDS
from notedesk.i18n import _, language, ngettext


def status_label(status: str, *, short: bool = False) -> str:
    """新建/已确认/生产中/已发货/已交付/已取消/暂停; `short` for narrow columns ('producing')."""
    if short and status == "in_production":
        return _("producing")
    return {
        "new": _("new"), "confirmed": _("confirmed"), "in_production": _("in production"),
        "shipped": _("shipped"), "delivered": _("delivered"), "cancelled": _("cancelled"),
        "on_hold": _("on hold"),
    }.get(status, status)


def method_label(method: str, *, short: bool = False) -> str:
    """预付款/货到付款/分期付款/月结/其他; `short` writes cash on delivery as 'COD'."""
    if method == "cod":
        return _("COD") if short else _("cash on delivery")
    return {"prepaid": _("prepaid"), "instalments": _("instalments"), "on_account": _("on account"),
            "other": _("other")}.get(method, method)


def payment_status_label(status: str, *, short: bool = False) -> str:
    """未付款/部分付款/已付款; `short` writes 'partial' for 'partly paid'."""
    if short and status == "partial":
        return _("partial")
    return {"unpaid": _("unpaid"), "partial": _("partly paid"), "paid": _("paid")}.get(status, status)


def via_label(via: str) -> str:
    """How money came (domain.PAYMENT_VIA): 现金/转账/微信/支付宝/支票/其他."""
    return {"cash": _("cash"), "transfer": _("bank transfer"), "wechat": _("WeChat Pay"), "alipay": _("Alipay"),
            "cheque": _("cheque"), "other": _("other")}.get(via, via)


def balance_label(balance: Decimal, currency: str = "") -> str:
    """'balance 3,500.00' / '余额 3,500.00'; 'overpaid 50.00' / '多付 50.00' when negative."""
    if balance < 0:
        return _("overpaid {amount}").format(amount=money(-balance, currency))
    return _("balance {amount}").format(amount=money(balance, currency))


def channel_label(channel: str) -> str:
    return {"phone": _("phone"), "email": _("email"), "wechat": _("WeChat"), "visit": _("visit"),
            "other": _("other")}.get(channel, channel)


def note_kind_label(kind: str) -> str:
    """The four notes (and the communication log) as their editor tabs name them."""
    return {"requirements": _("Requirements"), "special": _("Special"), "delivery": _("Delivery"),
            "payment": _("Payment"), "communication": _("Communication")}.get(kind, kind)


def source_label(source: str) -> str:
    """Where a search hit was found, in a short word (a column 8 cells wide at 80 columns)."""
    return {"number": _("Number"), "customer": _("Customer"), "requirements": _("Req."),
            "special": _("Special"), "delivery": _("Delivery"), "payment": _("Payment"),
            "communication": _("Log"), "attachment": _("File")}.get(source, source)


def group_label(group: str, *, short: bool = False) -> str:
    """已逾期/今天/明天/本周/以后/无交期; `short` writes 'No date' for 'No deadline'."""
    if short and group == "none":
        return _("No date")
    return {"overdue": _("Overdue"), "today": _("Today"), "tomorrow": _("Tomorrow"),
            "this_week": _("This week"), "later": _("Later"), "none": _("No deadline")}.get(group, group)


def _field_names() -> dict[str, str]:
    return {
        "created": _("order created"), "status": _("status"), "deadline": _("deadline"), "payment": _("payment"),
        "attachment": _("attachment"), "customer": _("customer"), "name": _("name"), "company": _("company"),
        "phone": _("phone number"), "email": _("email address"), "address": _("address"),
        "contact": _("contact"), "currency": _("currency"), "amount_due": _("amount due"),
        "lines": _("lines"), "product": _("product"), "spec": _("spec"), "quantity": _("quantity"),
        "unit_price": _("unit price"), "method": _("payment method"), "preferences": _("preferences"),
        "instalments": _("instalments"), "payments": _("payments received"), "number": _("order number"),
        "notes": _("notes"), "date": _("date"), "start": _("start"), "end": _("end"), "text": _("text"),
        "kind": _("kind"), "channel": _("channel"), "due": _("due date"), "amount": _("amount"),
        "communications": _("log entries"), "at": _("time"), "clerk": _("clerk"), "paid": _("paid"),
        "follow_up": _("follow-up"), "follow_ups": _("follow-ups"),
        "received": _("received"), "payment_status": _("payment status"),
        **{kind: note_kind_label(kind) for kind in ("requirements", "special", "delivery")},
    }


def event_field(field: str) -> str:
    """What the timeline calls a changed field: 'status' / '状态'; a path of the exchange format
    ('lines.2.quantity', 'customer.phone') reads 'line 2 quantity' / '第2行 数量'."""
    whole = {"payment.method": _("payment method"), "payment.amount_due": _("amount due"),
             "payment_status": _("payment status"), "total": _("total"),
             "customer.address": _("delivery address")}  # what an amend records (services.amend)
    if field in whole:
        return whole[field]
    if field.startswith("slip.") and field[5:] in NOTE_KINDS:  # services.notes.set_on_slip
        return _("{note} printed on the delivery slip").format(note=note_kind_label(field[5:]))
    names = _field_names()
    parts = field.split(".")
    if parts[0] == "lines" and len(parts) in (2, 3) and parts[1].isdigit():  # one line of the order
        if len(parts) == 2:
            return _("line {n}").format(n=parts[1])
        return _("line {n} {field}").format(n=parts[1], field=names.get(parts[2], parts[2]))
    words: list[str] = []
    for n, part in enumerate(parts):
        if part.isdigit() and n and parts[n - 1] in ("lines", "instalments", "payments", "communications"):
            words[-1] = _("{what} {n}").format(what=names.get(parts[n - 1], parts[n - 1]), n=part)
        else:
            words.append(names.get(part, part))
    return " ".join(words)


def field_path(where: str) -> str:
    """Where a value was wrong ('SO-2026-00042 lines.1.quantity', 'order 3 deadline.date') with the
    field paths in the interface language; order numbers and words it does not know stay. English
    keeps the paths as the exchange format writes them (what a script or an import file says)."""
    if language() == "en":
        return where
    names = _field_names()

    def known(token: str) -> bool:
        return all(part in names or part.isdigit() for part in token.split(".")) and not token.isdigit()

    where = re.sub(r"\[(\d+)\]", r".\1", where)  # an import file's 'lines[0].quantity'
    return " ".join(event_field(token) if known(token) else token for token in where.split(" "))


def money_field(field: str) -> bool:
    """Whether a changed field (an amend's path) holds an amount, stored plain ('17500.00')."""
    return field in ("total", "payment.amount_due") or field.endswith(".unit_price")


def money_value(value: str) -> str:
    """A stored plain amount as amounts print ('17,500.00'); anything else as it is."""
    try:
        return money(Decimal(value))
    except ArithmeticError:
        return value


def event_value(field: str, value: str) -> str:
    """An old or new value as the timeline shows it: status codes as labels, a stored deadline
    ('2026-12-25 09:00–11:00') as a date in the interface language, a payment ('cod/unpaid 7000.00')
    as its labels and the amount; anything else as stored."""
    if not value:
        return value
    if field in ("status", "created"):
        return status_label(value)
    if field.startswith("slip."):
        return {"yes": _("yes"), "no": _("no")}.get(value, value)
    if field == "payment.method":
        return method_label(value)
    if field == "payment_status":
        return payment_status_label(value)
    if money_field(field):
        return money_value(value)
    if field == "deadline":
        found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?(?:–(\d{2}):(\d{2}))?", value)
        if found is None:
            return value
        y, mo, d, h1, m1, h2, m2 = found.groups()
        try:
            date = dt.date(int(y), int(mo), int(d))
            first = dt.time(int(h1), int(m1)) if h1 else None
            second = dt.time(int(h2), int(m2)) if h2 else None
        except ValueError:
            return value
        # one time alone was stored without saying whether it starts or ends the window: shown bare
        window = format_window(first, second) if second else (f"{first:%H:%M}" if first else "")
        return f"{format_date(date)} {window}".rstrip()
    if field == "payment_status":
        return payment_status_label(value)
    if field == "received":
        try:
            return money(Decimal(value))
        except ArithmeticError:
            return value
    if field == "payment":
        terms = re.fullmatch(r"([a-z_]+)(?: (-?[\d.]+))?((?: \d{4}-\d{2}-\d{2}:-?[\d.]+)*)", value)
        if terms is not None:  # method, amount due, schedule (services.orders.describe_payment since 0005)
            method, amount, schedule = terms.groups()
            words = [method_label(method)]
            try:
                words += [money(Decimal(amount))] if amount is not None else []
                words += [f"{day} {money(Decimal(each))}" for day, each in
                          (item.split(":") for item in schedule.split())]
            except ArithmeticError:
                return value
            return " · ".join(words)
        found = re.fullmatch(r"([a-z_]+)/([a-z_]+)(?: (-?[\d.]+))?", value)  # before 0005: with the status
        if found is None:
            return value
        method, status, amount = found.groups()
        words = [method_label(method), payment_status_label(status)]
        if amount is not None:
            try:
                words.append(money(Decimal(amount)))
            except ArithmeticError:
                words.append(amount)
        return " · ".join(words)
    return value


def labelled(label: str, value: str) -> str:
    """'Deadline: not understood' / '交期：没看懂' (the colon each language writes)."""
    return _("{label}: {value}").format(label=label, value=value)


def sentences(first: str, second: str) -> str:
    """Two sentences, the first one given without its full stop: 'A. B' / 'A。B'."""
    return _("{first}. {second}").format(first=first, second=second)


def os_problem(exc: OSError) -> str:
    """An operating-system error in the interface language for the usual causes ('no such file or
    folder' / '没有这个文件或文件夹'); the system's own words otherwise (C-library text is English),
    and in English, where they already read well."""
    import errno

    if language() == "en":
        return exc.strerror or str(exc)
    words = {
        errno.ENOENT: _("no such file or folder"), errno.EACCES: _("permission denied"),
        errno.EPERM: _("operation not permitted"), errno.ENOSPC: _("no space left on the disk"),
        errno.EEXIST: _("exists already"), errno.EISDIR: _("is a folder"), errno.ENOTDIR: _("not a folder"),
        errno.EROFS: _("read-only file system"), errno.ENAMETOOLONG: _("file name too long"),
    }
    return words.get(exc.errno or -1) or exc.strerror or str(exc)


def weekday(date: dt.date) -> str:
    """The short weekday in the interface language: 'Tue' / '周二'."""
    return (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))[date.weekday()]


def _month(n: int) -> str:
    return (_("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun"), _("Jul"), _("Aug"), _("Sep"),
            _("Oct"), _("Nov"), _("Dec"))[n - 1]


def format_date(date: dt.date, *, today: dt.date | None = None, with_weekday: bool = True) -> str:
    """'Tue 1 Dec' / '12月1日 周二'; with the year ('Tue 1 Dec 2027' / '2027年12月1日 周二') when it is
    not the year of `today` (or `today` is not given)."""
    this_year = today is not None and date.year == today.year
    if language() == "zh":
        day = f"{date.month}月{date.day}日" if this_year else f"{date.year}年{date.month}月{date.day}日"
        return f"{day} {weekday(date)}" if with_weekday else day
    day = f"{date.day} {_month(date.month)}" + ("" if this_year else f" {date.year}")
    return f"{weekday(date)} {day}" if with_weekday else day


def format_window(start: dt.time | None, end: dt.time | None) -> str:
    """'09:00–11:00', 'by 15:00' / '15:00前', 'from 09:00' / '09:00起', or '' without a time."""
    if start and end:
        return f"{start:%H:%M}–{end:%H:%M}"
    if end:
        return _("by {time}").format(time=f"{end:%H:%M}")
    return _("from {time}").format(time=f"{start:%H:%M}") if start else ""


def format_deadline(deadline, *, today: dt.date | None = None, with_weekday: bool = True) -> str:
    """A deadline (anything with date/start/end, and text for the clerk's words) as one line:
    'Tue 1 Dec 09:00–11:00' / '12月1日 周二 09:00–11:00'; an unscheduled one as the clerk's words."""
    if deadline.date is None:
        return getattr(deadline, "text", "") or ""
    date = format_date(deadline.date, today=today, with_weekday=with_weekday)
    return f"{date} {format_window(deadline.start, deadline.end)}".rstrip()


def span(delta: dt.timedelta) -> str:
    """'2 days', '3 hours', '1 minute' / '2天', '3小时', '1分钟' (rounded down)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes >= 1440:
        return ngettext("{n} day", "{n} days", minutes // 1440).format(n=minutes // 1440)
    if minutes >= 60:
        return ngettext("{n} hour", "{n} hours", minutes // 60).format(n=minutes // 60)
    return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


def relative(deadline, now: dt.datetime, tz: dt.tzinfo) -> str:
    """'overdue by 2 days', 'today', 'tomorrow', 'in 5 days' (localised); '' when unscheduled."""
    from notedesk.deadlines import due_at  # the grammar module owns what "due" means

    if deadline.date is None:
        return ""
    due = due_at(deadline.date, deadline.end, tz)
    if now >= due:
        return _("overdue by {span}").format(span=span(now - due))
    days = (deadline.date - now.astimezone(tz).date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in {n} day", "in {n} days", days).format(n=days)


def unread_words(parsed) -> str:
    """'not understood: 国庆节, tomorow' / '没看懂：国庆节、tomorow'; '' when everything was read."""
    if not getattr(parsed, "unread", ()):
        return ""
    return _("not understood: {words}").format(words=_(", ").join(parsed.unread))


def deadline_remarks(parsed) -> list[str]:
    """What a clerk should double-check in a reading: words not understood, a date more than six
    months ahead (a year typed wrong?), working days counted without the holiday calendar."""
    remarks = [unread_words(parsed)] if getattr(parsed, "unread", ()) else []
    flags = getattr(parsed, "flags", ())
    if "far_ahead" in flags:
        remarks.append(_("more than six months ahead: check the year"))
    if "weekdays_only" in flags:
        from notedesk.deadline_grammar.calendars import known_years

        first, last = known_years()
        remarks.append(_("working days counted Monday to Friday: China's holiday calendar is known for "
                         "{first}-{last} only").format(first=first, last=last))
    return remarks


def describe(deadline, now: dt.datetime, tz: dt.tzinfo) -> str:
    """The live preview of a typed deadline: '→ Tue 1 Dec 09:00–11:00, in 5 days' /
    '→ 12月1日 周二 09:00–11:00，5天后'; 'unscheduled' / '未排期' without a date."""
    if deadline.date is None:
        return _("unscheduled")
    when = format_deadline(deadline, today=now.astimezone(tz).date())
    return _("→ {when}, {relative}").format(when=when, relative=relative(deadline, now, tz))


def money(amount: Decimal | None, currency: str = "", *, missing: str = "") -> str:
    """An amount the one way every screen, sheet and command shows it: `28,000.00`, with the currency
    after it when given (`28,000.00 CNY`); `missing` for none. The exchange format writes `28000.00`
    (data, not display: exchange_json)."""
    if amount is None:
        return missing
    return f"{amount:,.2f} {currency}".rstrip()
