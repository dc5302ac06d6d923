"""Shared fixtures: a real SQLite collection in tmp_path, a fixed clock, the data/ seeds."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
LOCAL = timezone(timedelta(hours=1))  # a fixed "user time zone", so days never depend on CI


@pytest.fixture
def now() -> datetime:
    """Tuesday 24 Nov 2026, 10:00 local: well inside the study day that began at 4 am."""
    return datetime(2026, 11, 24, 10, 0, tzinfo=LOCAL)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collection.sqlite"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of data/, free to edit."""
    folder = tmp_path / "notes"
    shutil.copytree(DATA, folder)
    return folder


def rows(db_path: Path, sql: str, *args: object) -> list[tuple]:
    """Query the collection file directly, as a second process would see it."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()
