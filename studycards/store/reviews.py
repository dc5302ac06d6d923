"""Answering cards: the new schedule and its review log entry, written together."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from studycards.errors import StudycardsError
from studycards.model import Card, Grade, ReviewLog
from studycards.scheduler.day import study_day
from studycards.scheduler.queue import answer
from studycards.store.rows import (
    draft_from,
    from_ms,
    schedule_columns,
    schedule_from,
    settings_from,
    to_ms,
)
from studycards.store.tables import CardRow, DeckRow, ReviewRow


class CardNotFoundError(StudycardsError):
    def __init__(self, card_id: int) -> None:
        super().__init__(f"no card with id {card_id} in this collection")


def _card_and_deck(session: Session, card_id: int) -> tuple[CardRow, DeckRow]:
    row = session.get(CardRow, card_id)
    if row is None:
        raise CardNotFoundError(card_id)
    deck = session.get(DeckRow, row.deck_id)
    assert deck is not None  # the foreign key guarantees it
    return row, deck


def load_card(session: Session, card_id: int) -> Card:
    row, deck = _card_and_deck(session, card_id)
    return Card(id=card_id, draft=draft_from(row, deck.name), schedule=schedule_from(row))


def answer_card(
    session: Session, card_id: int, grade: Grade, now: datetime, duration_ms: int
) -> ReviewLog:
    """Apply one answer at `now` in the session's transaction; the caller commits it."""
    row, deck = _card_and_deck(session, card_id)
    settings = settings_from(deck)
    today = study_day(now, settings.rollover_hour)
    before = schedule_from(row)
    after = answer(before, grade, now, today, settings.learning_steps)
    for column, value in schedule_columns(after).items():
        setattr(row, column, value)
    session.add(
        ReviewRow(
            card_id=card_id,
            reviewed_at=to_ms(now),
            day=today.toordinal(),
            grade=int(grade),
            duration_ms=duration_ms,
            **schedule_columns(before, "before_"),
            **schedule_columns(after, "after_"),
        )
    )
    return ReviewLog(card_id, now, grade, before, after, duration_ms)


def review_history(session: Session, card_id: int) -> list[ReviewLog]:
    """A card's answers, oldest first."""
    rows = session.scalars(
        select(ReviewRow).where(ReviewRow.card_id == card_id).order_by(ReviewRow.id)
    )
    return [
        ReviewLog(
            card_id=row.card_id,
            reviewed_at=from_ms(row.reviewed_at) or datetime.min,
            grade=Grade(row.grade),
            before=schedule_from(row, "before_"),
            after=schedule_from(row, "after_"),
            duration_ms=row.duration_ms,
        )
        for row in rows
    ]
