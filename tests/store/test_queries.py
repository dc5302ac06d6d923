"""Deck overview and card listing on a real collection, driven through real answers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from studycards.collection.importing import ImportTarget, import_sources
from studycards.errors import DeckNotFoundError
from studycards.model import CardState, DeckSettings, Grade
from studycards.store.cards import card_listing
from studycards.store.db import connect, engine
from studycards.store.due import count_sql, deck_overview, fetch_sql
from studycards.store.reviews import answer_card


def make_notes(folder: Path, count: int, subject: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"{subject}-{number}.md").write_text(
            f"---\nquestion: {subject} question {number}?\nanswer: Answer {number}.\n"
            f"subject: {subject}\n---\n"
        )


@pytest.fixture
def collection(db_path, tmp_path, now):
    make_notes(tmp_path / "notes", 30, "Medicine::Oncology")
    make_notes(tmp_path / "notes", 4, "Medicine")
    limited = DeckSettings("Biology", new_per_day=3, reviews_per_day=2)
    make_notes(tmp_path / "bio", 5, "Biology")
    import_sources(db_path, [ImportTarget((tmp_path / "notes",))], now)
    import_sources(db_path, [ImportTarget((tmp_path / "bio",), "Biology", limited)], now)
    return db_path


def answer_all(db_path: Path, deck: str, grade: Grade, now, limit: int) -> list[int]:
    conn = connect(db_path)
    ids = [card.id for card in card_listing(conn, now, deck) if card.deck == deck][:limit]
    conn.close()
    with Session(engine(db_path)) as session, session.begin():
        for ident in ids:
            answer_card(session, ident, grade, now, 3000)
    return ids


def counts(db_path: Path, now) -> dict[str, tuple[int, int, int, int, int]]:
    conn = connect(db_path)
    try:
        return {
            d.name: (d.depth, d.cards, d.new, d.learning, d.due) for d in deck_overview(conn, now)
        }
    finally:
        conn.close()


def test_new_cards_capped_by_the_daily_limit_and_parents_sum_children(collection, now):
    assert counts(collection, now) == {
        "Biology": (0, 5, 3, 0, 0),
        "Medicine": (0, 34, 24, 0, 0),  # own 4 + Oncology's 20 (the default limit)
        "Medicine::Oncology": (1, 30, 20, 0, 0),
    }


def test_answers_move_cards_between_new_learning_and_due(collection, now):
    answer_all(collection, "Biology", Grade.AGAIN, now, 2)  # 2 new introduced, both re-drilled
    answer_all(collection, "Medicine", Grade.GOOD, now, 4)  # due tomorrow
    today = counts(collection, now)
    assert today["Biology"] == (0, 5, 1, 2, 0)  # 3 allowed - 2 introduced = 1 more new today
    assert today["Medicine"][2:] == (20, 0, 0)

    tomorrow = counts(collection, now + timedelta(days=1))
    assert tomorrow["Medicine"][2:] == (20, 0, 4)
    assert tomorrow["Biology"][2:] == (3, 2, 0)  # yesterday's re-drills are still learning


def test_review_limit_caps_due_counts(collection, now):
    answer_all(collection, "Biology", Grade.GOOD, now, 3)
    assert counts(collection, now + timedelta(days=1))["Biology"][4] == 2  # 3 due, limit 2


def test_study_day_follows_the_rollover_hour(collection, now):
    answer_all(collection, "Medicine", Grade.GOOD, now, 4)
    tomorrow_3am = (now + timedelta(days=1)).replace(hour=3)
    tomorrow_5am = tomorrow_3am.replace(hour=5)
    assert counts(collection, tomorrow_3am)["Medicine"][4] == 0  # still "today" until 4 am
    assert counts(collection, tomorrow_5am)["Medicine"][4] == 4


def test_card_listing_includes_children_and_sorts_by_due(collection, now):
    answer_all(collection, "Medicine", Grade.GOOD, now, 1)
    conn = connect(collection)
    listing = card_listing(conn, now, "Medicine")
    assert len(listing) == 34
    assert listing[0].state is CardState.REVIEW and listing[0].due is not None
    assert {card.deck for card in listing} == {"Medicine", "Medicine::Oncology"}
    with pytest.raises(DeckNotFoundError, match="no deck named 'Physics'"):
        card_listing(conn, now, "Physics")
    conn.close()


@pytest.mark.parametrize("queue", list(CardState))
def test_the_due_queue_reads_only_its_index_in_its_order(collection, queue):
    """EXPLAIN on the very statements the deck counts and the session run."""
    conn = connect(collection)
    params = {"deck": 1, "today": 740000, "until": 10**12, "limit": 20}

    def plan(sql: str) -> str:
        return " ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))

    assert "USING COVERING INDEX ix_cards_deck_queue_due" in plan(count_sql(queue))
    fetching = plan(fetch_sql(queue))
    assert "USING INDEX ix_cards_deck_queue_due" in fetching
    assert "TEMP B-TREE" not in fetching  # no sorting step
    conn.close()
