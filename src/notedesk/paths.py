"""Where notedesk keeps its files: config, the default database, the demo database."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "notedesk"


def config_dir() -> Path:
    return Path(os.environ.get("NOTEDESK_CONFIG_DIR") or platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    return Path(os.environ.get("NOTEDESK_DATA_DIR") or platformdirs.user_data_dir(APP))


def config_file() -> Path:
    return config_dir() / "config.toml"


def default_database() -> Path:
    return data_dir() / "notedesk.db"


def demo_database() -> Path:
    return data_dir() / "demo.db"
