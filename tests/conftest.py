"""Shared fixtures: a real SQLite collection in tmp_path, a fixed clock, the data/ seeds."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import studycards.cli.main as cli_main
from studycards.collection.reviewing import StudySession
from studycards.model import Grade

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
LOCAL = timezone(timedelta(hours=1))  # a fixed "user time zone", so days never depend on CI


HAS_TERMINAL = cli_main.has_terminal  # the real one, for the test of its refusal


@pytest.fixture(autouse=True)
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's `review` runs the TUI only on a terminal, which tests have not: they stand in
    for one (and replace the app's `run`, or test the refusal by undoing this)."""
    monkeypatch.setattr(cli_main, "has_terminal", lambda: True)


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


def study(db_path: Path, now: datetime, *grades: Grade, duration_ms: int = 6000) -> list:
    """Answer a session's next cards at `now`, one per grade (cards answered Again come back
    last: they are not reached); the cards shown."""
    session = StudySession(db_path, None, now)
    shown = []
    for grade in grades:
        card = session.next_card(now)
        assert card is not None
        session.answer(card.queued, grade, now, duration_ms)
        shown.append(card)
    session.close()
    return shown


def rows(db_path: Path, sql: str, *args: object) -> list[tuple]:
    """Query the collection file directly, as a second process would see it."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


# The columns each migration added, by the schema version it made: what `downgrade` drops.
_ADDED_COLUMNS = {
    2: [("cards", "title")],
    4: [("decks", "sources")],
    6: [
        ("decks", column)
        for column in (
            "scheduler", "desired_retention", "maximum_interval", "parameters", "relearning_steps"
        )
    ]
    + [("cards", "stability"), ("cards", "difficulty")]
    + [
        ("reviews", f"{when}_{what}")
        for when in ("before", "after")
        for what in ("stability", "difficulty")
    ],
    7: [("reviews", "anki_id")],
    9: [("reviews", "tally")],
    10: [("decks", "leech_threshold"), ("decks", "leech_action")],
}  # fmt: skip


def downgrade(old: sqlite3.Connection, version: int) -> None:
    """Turn a current collection into one as schema `version` left it (its later migrations'
    columns dropped), for a test of what the later migrations do to it."""
    if version < 12:
        old.execute("DROP TABLE IF EXISTS manual_changes")
    if version < 11:
        old.execute("DROP TABLE IF EXISTS cram_answers")
    if version < 9:  # an index goes before its columns
        old.execute("DROP INDEX IF EXISTS ix_reviews_day_tally")
        old.execute("DROP INDEX IF EXISTS ix_reviews_card_day_tally")
        old.execute("CREATE INDEX ix_reviews_card_id ON reviews (card_id)")
    if version < 8:  # the search index, its view and triggers
        for kind, name in old.execute(
            "SELECT type, name FROM sqlite_master WHERE name LIKE 'card_search%'"
            " AND type IN ('trigger', 'view')"
        ).fetchall():
            old.execute(f"DROP {kind} {name}")
        old.execute("DROP TABLE IF EXISTS card_search")
        old.execute("DROP INDEX IF EXISTS ix_cards_browse")
    if version < 7:
        old.execute("DROP INDEX IF EXISTS ix_reviews_anki_id")
    for made, columns in _ADDED_COLUMNS.items():
        if made > version:
            for table, column in columns:
                old.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    old.execute(f"PRAGMA user_version={version}")
