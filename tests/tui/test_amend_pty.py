"""Issue 15's "Done means", in the real desk at 80x24 in a pseudo-terminal, typed in bursts as a clerk's
terminal sends them: open an order of 500 T-shirts, `a`, the reason, quantity 800 and spec 蓝色,
ctrl+s; the detail shows 800, the new total, and the timeline 500 → 800 linked to the log entry."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pty_desk import DeskInPty

from conftest import sample_order
from notedesk.services import orders
from notedesk.services.types import Deadline, LineData

N = "SO-2026-00042"
REASON = "客户来电：数量改为800件"


@pytest.fixture
def desk(database, db_url):
    orders.create_order(sample_order(N, lines=(LineData("T恤", 500, Decimal("35.00"), "白色 / L"),),
                                     deadline=Deadline()))  # not overdue: no reminder toast over the timeline
    desk = DeskInPty("--db", db_url.removeprefix("sqlite:///"), size=(80, 24))
    desk.wait_for(N, "? Help", timeout=30)
    yield desk
    desk.kill()


def test_done_means_amend_500_t_shirts_to_800_blue_with_the_reason(desk):
    desk.press("enter")  # the only order: its detail
    desk.wait_for("17,500.00", "a Amend")
    desk.write(b"a" + REASON.encode() + b"\t\t" + "蓝色".encode() + b"\t800\x13")  # one burst, ctrl+s at its end
    screen = desk.wait_for("28,000.00", "Amended: 3 changes.", timeout=30)
    assert "800" in screen and "蓝色" in screen
    desk.press("end")  # the log and the timeline, at the bottom of the detail
    stored = orders.get_order(N)
    entry = stored.communications[0]
    assert (stored.lines[0].quantity, stored.lines[0].spec, entry.text) == (800, "蓝色", REASON)
    screen = desk.wait_for(f"#{entry.id} ", "line 1 quantity: 500 → 800", f"see log entry #{entry.id}",
                           timeout=30)
    assert REASON in screen and "changed: line 1 spec 白色 / L → 蓝色" in screen  # the log entry lists its changes
    desk.press("ctrl+q")
    assert desk.finish() == 0
