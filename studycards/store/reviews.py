"""Answering, undoing, suspending and burying cards: each a short transaction of its own."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from studycards.errors import CardNotFoundError, StudycardsError
from studycards.model import Card, Grade, ReviewLog
from studycards.scheduler.day import study_day
from studycards.scheduler.queue import answer
from studycards.store.rows import (
    SQLITE_INTEGERS,
    SUSPENDED,
    draft_from,
    from_day,
    from_ms,
    schedule_columns,
    schedule_from,
    settings_from,
    to_day,
    to_ms,
)
from studycards.store.tables import CardRow, DeckRow, ReviewRow


def _card_and_deck(session: Session, card_id: int) -> tuple[CardRow, DeckRow]:
    row = session.get(CardRow, card_id) if card_id in SQLITE_INTEGERS else None
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
    """Apply one answer at `now` and log it, in the session's transaction."""
    row, deck = _card_and_deck(session, card_id)
    settings = settings_from(deck)
    today = study_day(now, settings.rollover_hour)
    before = schedule_from(row)
    after = answer(before, grade, now, today, settings.learning_steps)
    for column, value in schedule_columns(after).items():
        setattr(row, column, value)
    row.queue = int(after.state)
    log = ReviewRow(
        card_id=card_id,
        reviewed_at=to_ms(now),
        day=today.toordinal(),
        grade=int(grade),
        duration_ms=duration_ms,
        **schedule_columns(before, "before_"),
        **schedule_columns(after, "after_"),
    )
    session.add(log)
    session.flush()
    assert log.id is not None
    return ReviewLog(log.id, card_id, now, grade, before, after, duration_ms)


def undo_answer(session: Session, review_id: int) -> ReviewLog:
    """Put the card back as it was before that answer and delete the answer from the log."""
    log = session.get(ReviewRow, review_id)
    if log is None:
        raise StudycardsError(f"no answer with id {review_id} to undo")
    row, _ = _card_and_deck(session, log.card_id)
    before = schedule_from(log, "before_")
    for column, value in schedule_columns(before).items():
        setattr(row, column, value)
    row.queue = int(before.state)
    undone = _log_from(log)
    session.delete(log)
    return undone


def suspend_card(session: Session, card_id: int) -> None:
    """Take a card out of every session until it is unsuspended; its schedule is kept."""
    row, _ = _card_and_deck(session, card_id)
    row.queue = SUSPENDED


def bury_card(session: Session, card_id: int, until: date) -> None:
    """Hide a card until the study day `until`; its schedule is kept."""
    row, _ = _card_and_deck(session, card_id)
    row.buried_until = to_day(until)


def unsuspend_card(session: Session, card_id: int) -> bool:
    """Put a suspended card back in its state's queue; False if it was not suspended."""
    row, _ = _card_and_deck(session, card_id)
    if row.queue != SUSPENDED:
        return False
    row.queue = row.state
    return True


def unbury_card(session: Session, card_id: int) -> date | None:
    """Show a buried card again; returns the study day it was buried until (None: it was not)."""
    row, _ = _card_and_deck(session, card_id)
    until = from_day(row.buried_until)
    row.buried_until = None
    return until


def review_history(session: Session, card_id: int) -> list[ReviewLog]:
    """A card's answers, oldest first."""
    rows = session.scalars(
        select(ReviewRow).where(ReviewRow.card_id == card_id).order_by(ReviewRow.id)
    )
    return [_log_from(row) for row in rows]


def _log_from(row: ReviewRow) -> ReviewLog:
    assert row.id is not None
    return ReviewLog(
        id=row.id,
        card_id=row.card_id,
        reviewed_at=from_ms(row.reviewed_at) or datetime.min,
        grade=Grade(row.grade),
        before=schedule_from(row, "before_"),
        after=schedule_from(row, "after_"),
        duration_ms=row.duration_ms,
    )
