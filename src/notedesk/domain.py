"""The desk's vocabulary: order statuses, note kinds, channels, payment methods, statuses and ways of paying.

Codes, not words: they are what the database stores and `--format json` prints. The words a clerk
reads for each code live in `notedesk.labels`. The store, the services, the screens and the command
line all take the codes from here, so none of them has to import another layer to know them.
"""

from __future__ import annotations

STATUSES = ("new", "confirmed", "in_production", "shipped", "delivered", "cancelled", "on_hold")
CLOSED_STATUSES = ("delivered", "cancelled")
OPEN_STATUSES = tuple(s for s in STATUSES if s not in CLOSED_STATUSES)  # IN (…) reads orders_due (0002)
NOTE_KINDS = ("requirements", "special", "delivery", "payment")
CHANNELS = ("phone", "email", "wechat", "visit", "other")
PAYMENT_METHODS = ("prepaid", "cod", "instalments", "on_account", "other")
PAYMENT_STATUSES = ("unpaid", "partial", "paid")
FOLLOW_UP_STATES = ("open", "snoozed", "done")  # snoozed: open again at its new due time
FOLLOW_UP_PENDING = ("open", "snoozed")
# How money was received (services.payments). A negative amount of any of them is a refund.
PAYMENT_VIA = ("cash", "transfer", "wechat", "alipay", "cheque", "other")
