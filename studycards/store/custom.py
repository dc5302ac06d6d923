"""Custom study in the collection: the cards of a session beyond today's due queue (reviews
ahead, cards forgotten lately, a search, cards picked by id), and a cram's own log of answers.

A session over chosen cards leaves out suspended cards and cards buried for today, and holds
at most `MOST_CARDS`, the soonest due first, as Anki's filtered decks do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from studycards.errors import StudycardsError
from studycards.model import (
    CardState,
    Chosen,
    Cram,
    DeckSettings,
    Forgotten,
    Grade,
    PastAnswer,
    ReviewAhead,
)
from studycards.scheduler.day import study_days
from studycards.scheduler.queue import QueuedCard, ReviewQueue
from studycards.search import And, Is, Node, Not, Status, parse_query
from studycards.store.cards import card_row
from studycards.store.db import rows_in
from studycards.store.rows import SUSPENDED, ScheduledRow, from_ms, schedule_from, to_ms
from studycards.store.search import search_cards

if TYPE_CHECKING:
    from sqlmodel import Session

ChosenCards = ReviewAhead | Forgotten | Cram | Chosen
MOST_CARDS = 9999  # Anki's largest filtered deck: a session, not the whole collection
_LAST = date.max.toordinal()  # where a new card (no due day) sorts among due days


def custom_queue(
    conn: sqlite3.Connection,
    deck: str | None,
    decks: dict[int, DeckSettings],
    now: datetime,
    plan: ChosenCards,
) -> ReviewQueue:
    """The session of `plan` over `deck` and its children (`decks`, by id; None: every deck).
    Cards left out are left out before the cap, so the cap counts only cards to study."""
    days = study_days(decks, now)
    match plan:
        case ReviewAhead(ahead):
            review = f"queue = {int(CardState.REVIEW)} AND due <= :today + :ahead"
            ids = _soonest(conn, days, review, {"ahead": ahead})
        case Forgotten(within):
            answered_again = (
                "EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = cards.id"
                f" AND r.grade = {int(Grade.AGAIN)} AND r.day > :today - :within)"
            )
            ids = _soonest(conn, days, answered_again, {"within": within})
        case Cram(query):
            found = search_cards(conn, _studiable_matches(query), now, deck, limit=MOST_CARDS)
            ids = [card.id for card in found]
        case Chosen(card_ids):
            ids = list(card_ids)
    return ReviewQueue.of(_studiable(conn, ids, days)[:MOST_CARDS])


def requeued(
    conn: sqlite3.Connection, queue: ReviewQueue, decks: dict[int, DeckSettings], now: datetime
) -> ReviewQueue:
    """The cards still in a session's `queue`, read again (those suspended or buried since
    left out), each in its state's list."""
    days = study_days(decks, now)
    ids = [card.id for card in (*queue.learning, *queue.reviews, *queue.new)]
    return ReviewQueue.of(_studiable(conn, ids, days))


def _soonest(
    conn: sqlite3.Connection, days: dict[int, date], condition: str, params: dict[str, int]
) -> list[int]:
    """The cards of these decks meeting the SQL `condition` (over `cards`, with `params` and
    :today, the deck's study day), neither suspended nor buried, the soonest due first (new
    cards last), at most `MOST_CARDS`."""
    sql = (
        f"SELECT ifnull(due, {_LAST}), id FROM cards WHERE deck_id = :deck"
        f" AND queue != {SUSPENDED} AND (buried_until IS NULL OR buried_until <= :today)"
        f" AND {condition} ORDER BY 1, id LIMIT {MOST_CARDS}"
    )
    found = [
        row
        for deck_id, today in days.items()
        for row in conn.execute(sql, {**params, "deck": deck_id, "today": today.toordinal()})
    ]
    return [card_id for _, card_id in sorted(found)[:MOST_CARDS]]


def _studiable_matches(query: str) -> Node:
    """A cram's search, less the cards it leaves out, so that the cap counts only the rest."""
    kept: tuple[Node, ...] = (Not(Is(Status.SUSPENDED)), Not(Is(Status.BURIED)))
    parsed = parse_query(query)
    return And(kept if parsed is None else (parsed, *kept))


def _studiable(
    conn: sqlite3.Connection, card_ids: Sequence[int], days: dict[int, date]
) -> list[QueuedCard]:
    """Those of `card_ids` in the session's decks that are neither suspended nor buried."""
    sql = (
        f"SELECT {', '.join(ScheduledRow._fields)}, queue, buried_until FROM cards"
        " WHERE id IN ({marks})"
    )
    cards: list[QueuedCard] = []
    for *columns, queue, buried_until in rows_in(conn, sql, list(dict.fromkeys(card_ids))):
        row = ScheduledRow._make(columns)
        today = days.get(row.deck_id)
        if today is None or queue == SUSPENDED:
            continue
        if buried_until is not None and buried_until > today.toordinal():
            continue
        cards.append(QueuedCard(row.id, row.deck_id, schedule_from(row)))
    return cards


def crammed_answers(conn: sqlite3.Connection, card_id: int) -> list[PastAnswer]:
    """One card's crammed answers, oldest first, as its history shows them (the interval is
    the card's, which a cram leaves as it was)."""
    rows = conn.execute(
        "SELECT a.reviewed_at, a.grade, c.interval, a.duration_ms FROM cram_answers a"
        " JOIN cards c ON c.id = a.card_id WHERE a.card_id = ? ORDER BY a.reviewed_at, a.id",
        (card_id,),
    )
    return [
        PastAnswer(from_ms(at) or datetime.min, Grade(grade), interval, duration, crammed=True)
        for at, grade, interval, duration in rows
    ]


def log_cram(
    session: Session, card_id: int, grade: Grade, now: datetime, today: date, duration_ms: int
) -> int:
    """Log a cram's answer (the card's schedule stays as it is); its id, for undo. A card gone
    since (pruned) raises `CardNotFoundError`, as an answer to it does."""
    from studycards.store.tables import CramAnswerRow

    card_row(session, card_id)

    row = CramAnswerRow(
        card_id=card_id,
        reviewed_at=to_ms(now),
        day=today.toordinal(),
        grade=int(grade),
        duration_ms=duration_ms,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def undo_cram(session: Session, answer_id: int) -> None:
    """Take a cram's answer out of its log."""
    from studycards.store.tables import CramAnswerRow

    row = session.get(CramAnswerRow, answer_id)
    if row is None:
        raise StudycardsError(f"no crammed answer with id {answer_id} to undo")
    session.delete(row)
