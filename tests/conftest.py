"""Shared fixtures: every test gets its own config and data folders and a real database file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from notedesk import config
from notedesk.services.types import CustomerData, Deadline, LineData, OrderInput, Payment
from notedesk.store.connection import close_database, open_database


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Point config, data and the clerk at the test's own folder; freeze nothing by default."""
    monkeypatch.setenv("NOTEDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("NOTEDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NOTEDESK_CLERK", "li")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    monkeypatch.delenv("NOTEDESK_DB", raising=False)
    monkeypatch.delenv("NOTEDESK_NOW", raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('timezone = "Asia/Shanghai"\n')
    config.reload()
    yield
    config.reload()


@pytest.fixture
def db_url(tmp_path) -> str:
    """A fresh SQLite file. (issue 5 parametrises this over PostgreSQL too.)"""
    return str(tmp_path / "desk.db")


@pytest.fixture
def database(db_url):
    """The models bound to a fresh, migrated database."""
    database = open_database(db_url)
    yield database
    close_database()


def sample_order(number: str | None = "SO-2026-00042", **overrides) -> OrderInput:
    """A realistic order, the one DESIGN §9 shows."""
    fields = dict(
        number=number,
        status="confirmed",
        currency="CNY",
        customer=CustomerData(name="王芳", company="芳华服饰有限公司", phone="13800138000",
                              email="wangfang@example.cn", address="上海市浦东新区世纪大道100号",
                              preferences="只接受顺丰快递"),
        lines=(LineData(product="T恤", spec="红色 / XL", quantity=200, unit_price=Decimal("35.00")),),
        deadline=Deadline(text="请在2026年12月1日前交付,上午9点至11点送达", date=dt.date(2026, 12, 1),
                          start=dt.time(9), end=dt.time(11)),
        payment=Payment(method="cod", status="unpaid", amount_due=Decimal("7000.00")),
        notes={"requirements": "红色T恤200件,XL码", "special": "胸前印LOGO"},
        created_at=dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.timezone.utc),
    )
    fields.update(overrides)
    return OrderInput(**fields)
