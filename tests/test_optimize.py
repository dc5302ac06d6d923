"""`studycards optimize`: FSRS's weights fitted to a collection's own answers, given to its
decks (memories recomputed, due dates kept), or kept with the reason."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.synthetic_revlog import LEARNER, simulate
from studycards.collection.importing import ImportTarget, import_sources
from studycards.collection.reviewing import StudySession
from studycards.model import Grade, Schedule
from studycards.scheduler.fsrs import GRADES
from studycards.store.rows import schedule_columns
from tests.conftest import rows
from tests.test_evaluate_cli import invoke

CARDS = 250


@pytest.fixture
def learned(tmp_path, db_path, now):
    """A collection of 250 cards whose log holds 240 days of a synthetic learner's answers
    (memory by FSRS with weights of its own, intervals by SM-2)."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for number in range(CARDS):
        (notes / f"q{number}.md").write_text(
            f"---\nquestion: Question {number}?\nanswer: Answer {number}.\n---\n"
        )
    import_sources(db_path, [ImportTarget((notes,), "Learned")], now)
    conn = sqlite3.connect(db_path)
    ids = [card_id for (card_id,) in conn.execute("SELECT id FROM cards ORDER BY id")]
    columns = schedule_columns(Schedule(), "before_") | schedule_columns(Schedule(), "after_")
    with conn:
        conn.executemany(
            f"INSERT INTO reviews (card_id, reviewed_at, day, grade, duration_ms,"
            f" {', '.join(columns)}) VALUES (?, ?, ?, ?, ?, {', '.join('?' * len(columns))})",
            [
                (ids[card - 1], at, _day(at), int(GRADES[rating]), duration, *columns.values())
                for card, at, rating, _, duration in simulate(cards=CARDS, days=240, seed=11)
            ],
        )
        conn.execute("UPDATE cards SET state = 2, queue = 2, reps = 3, interval = 9, due = ?",
                     (now.date().toordinal() + 3,))  # fmt: skip
    conn.close()
    return db_path


def _day(ms: int) -> int:
    return (datetime.fromtimestamp(ms / 1000, UTC) - timedelta(hours=4)).date().toordinal()


def test_fitted_weights_go_to_the_deck_and_recompute_memories_not_due_dates(learned, now):
    due = rows(learned, "SELECT id, due FROM cards ORDER BY id")
    result = invoke(learned, now, "optimize", "--deck", "learned")
    assert result.exit_code == 0, result.output
    assert "before" in result.output and "fitted" in result.output
    assert "fitted weights given to deck Learned and its children" in result.output
    [(stored,)] = rows(learned, "SELECT parameters FROM decks WHERE name = 'Learned'")
    weights = json.loads(stored)
    assert len(weights) == 21
    assert weights[:4] != [0.212, 1.2931, 2.3065, 8.2956]  # not FSRS's defaults
    assert abs(weights[20] - LEARNER[20]) < abs(0.1542 - LEARNER[20])  # nearer the learner's
    assert rows(learned, "SELECT count(*) FROM cards WHERE stability IS NULL") == [(0,)]
    assert rows(learned, "SELECT id, due FROM cards ORDER BY id") == due
    checked = invoke(learned, now, "check")  # nothing for a repair to undo
    assert checked.exit_code == 0, checked.output

    again = invoke(learned, now, "optimize")  # fitted already: nothing better to take
    assert again.exit_code == 0, again.output
    assert (
        "kept" in again.output
        and json.loads(rows(learned, "SELECT parameters FROM decks WHERE name = 'Learned'")[0][0])
        == weights
    )


def test_too_little_history_keeps_the_defaults_and_says_why(db_path, seeds, now):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology")], now)
    for day in (0, 3):
        session = StudySession(db_path, None, now + timedelta(days=day))
        while (shown := session.next_card(now + timedelta(days=day))) is not None:
            session.answer(shown.queued, Grade.GOOD, now + timedelta(days=day), 1000)
        session.close()
    result = invoke(db_path, now, "optimize")
    assert result.exit_code == 0, result.output
    assert "weights of every deck kept:" in result.output
    assert "fitting needs 400" in result.output
    assert rows(db_path, "SELECT DISTINCT parameters FROM decks") == [("[]",)]


def test_without_the_optimize_extra_it_says_so(learned, now, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "fsrs_rs_python", None)  # import fails
    result = invoke(learned, now, "optimize")
    assert result.exit_code == 1
    assert "needs the optimize extra" in result.stderr
    assert rows(learned, "SELECT DISTINCT parameters FROM decks") == [("[]",)]


def test_without_the_optimize_extra_it_says_so_before_any_history(db_path, seeds, now, monkeypatch):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology")], now)
    monkeypatch.setitem(__import__("sys").modules, "fsrs_rs_python", None)  # import fails
    result = invoke(db_path, now, "optimize")
    assert result.exit_code == 1
    assert "needs the optimize extra" in result.stderr
