"""`studycards unsuspend` and `unbury`: by card id or for a whole deck, schedules kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studycards.collection.reviewing import StudySession
from tests.conftest import rows
from tests.test_cli import invoke


@pytest.fixture
def held(db_path: Path, seeds: Path, now) -> Path:
    """Cards 1-3 suspended (card 1 after a review), cards 4-5 buried until tomorrow."""
    assert invoke(db_path, now, "import", str(seeds), "--deck", "Oncology").exit_code == 0
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE cards SET state = 2, reps = 1, interval = 1 WHERE id = 1")
        conn.execute("UPDATE cards SET queue = -1 WHERE id <= 3")
        tomorrow = now.date().toordinal() + 1
        conn.execute("UPDATE cards SET buried_until = ? WHERE id IN (4, 5)", (tomorrow,))
    conn.close()
    return db_path


def test_unsuspend_by_id_puts_cards_back_in_their_state(held: Path, now):
    result = invoke(held, now, "unsuspend", "1", "2", "6")
    assert result.exit_code == 0, result.output
    assert "unsuspended 2 cards: #1 #2" in result.output
    assert "not suspended: #6" in result.output
    assert rows(held, "SELECT id, queue, state, reps FROM cards WHERE id <= 3") == [
        (1, 2, 2, 1),
        (2, 0, 0, 0),
        (3, -1, 0, 0),
    ]
    listing = invoke(held, now, "cards").output
    assert listing.count("suspended") == 1


def test_unsuspend_and_unbury_a_whole_deck(held: Path, now):
    result = invoke(held, now, "unsuspend", "--deck", "Oncology")
    assert result.exit_code == 0, result.output
    assert "unsuspended 3 cards: #1 #2 #3" in result.output
    result = invoke(held, now, "unbury", "--deck", "Oncology")
    assert "unburied 2 cards: #4 #5" in result.output
    assert rows(
        held, "SELECT count(*) FROM cards WHERE queue = -1 OR buried_until IS NOT NULL"
    ) == [(0,)]
    session = StudySession(held, "Oncology", now)
    try:
        assert session.queue.counts() == (5, 0, 0)  # card 1 is a review due later
    finally:
        session.close()
    assert "no card was buried" in invoke(held, now, "unbury", "--deck", "Oncology").output


def test_unbury_by_id_and_clear_errors(held: Path, now):
    result = invoke(held, now, "unbury", "4")
    assert result.exit_code == 0 and "unburied 1 card: #4" in result.output
    unknown = invoke(held, now, "unsuspend", "2", "99")
    assert unknown.exit_code == 1
    assert "99" in unknown.output
    assert rows(held, "SELECT queue FROM cards WHERE id = 2") == [(-1,)]  # all or nothing
    nothing = invoke(held, now, "unbury")
    assert nothing.exit_code == 1 and "name the cards by id" in nothing.output
    assert invoke(held, now, "unsuspend", "--deck", "Nope").exit_code == 1


def test_both_commands_have_help(db_path: Path, now):
    for command in ("unsuspend", "unbury"):
        result = invoke(db_path, now, command, "--help")
        assert result.exit_code == 0 and "[CARD_ID]..." in result.output, command


def test_releasing_from_no_collection_creates_none(tmp_path: Path, now):
    missing = tmp_path / "nowhere" / "collection.sqlite"
    for command in ("unsuspend", "unbury"):
        result = invoke(missing, now, command, "1")
        assert result.exit_code == 1 and "no collection yet" in result.output, command
    assert not missing.parent.exists()
