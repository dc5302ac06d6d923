"""What a review session reads: its queue, a card's text, and what tomorrow holds.

Plain sqlite3 like queries.py (the first card must show before SQLModel has even loaded);
every fetch walks the index ix_cards_deck_queue_due in its own order, with a LIMIT.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from studycards.errors import CardNotFoundError
from studycards.model import CardDraft, CardState, DeckSettings
from studycards.scheduler.day import study_day
from studycards.scheduler.queue import left_today
from studycards.scheduler.session import QueuedCard, ReviewQueue
from studycards.store.queries import (
    answered_today,
    count_showing,
    shows_today,
)
from studycards.store.rows import SCHEDULE_COLUMNS, SQLITE_INTEGERS, draft_from, schedule_from

_Scheduled = namedtuple("_Scheduled", ("id", "deck_id", *SCHEDULE_COLUMNS))
_Text = namedtuple(
    "_Text", "key front back context title subject tags url date related source deck"
)  # fmt: skip
_ORDER = "ORDER BY due, buried_until, id"  # the index's own order: no sorting step


def load_queue(
    conn: sqlite3.Connection, decks: dict[int, DeckSettings], now: datetime
) -> ReviewQueue:
    """Today's re-drills, due reviews and new cards of `decks`, within each deck's limits."""
    queue = ReviewQueue()
    done: dict[tuple[int, int], int] = {}
    for hour in {settings.rollover_hour for settings in decks.values()}:
        done |= answered_today(conn, study_day(now, hour))
    for deck_id, settings in decks.items():
        today = study_day(now, settings.rollover_hour).toordinal()
        new_left = left_today(settings.new_per_day, done.get((deck_id, CardState.NEW), 0))
        reviews_left = left_today(
            settings.reviews_per_day, done.get((deck_id, CardState.REVIEW), 0)
        )
        queue.learning += _fetch(conn, deck_id, CardState.LEARNING, today, -1)
        queue.reviews += _fetch(conn, deck_id, CardState.REVIEW, today, reviews_left)
        queue.new += _fetch(conn, deck_id, CardState.NEW, today, new_left)
    queue.reviews.sort(key=lambda card: (card.schedule.due or date.min, card.id))
    queue.new.sort(key=lambda card: card.id)
    return queue


def _fetch(
    conn: sqlite3.Connection, deck_id: int, state: CardState, today: int, limit: int
) -> list[QueuedCard]:
    sql = (
        f"SELECT {', '.join(_Scheduled._fields)} FROM cards"
        f" WHERE {shows_today(state)} {_ORDER} LIMIT :limit"
    )
    rows = conn.execute(sql, {"deck": deck_id, "today": today, "limit": limit})
    return [
        QueuedCard(row.id, row.deck_id, schedule_from(row)) for row in map(_Scheduled._make, rows)
    ]


def card_text(conn: sqlite3.Connection, card_id: int) -> CardDraft:
    """The text of one card, by primary key."""
    if card_id not in SQLITE_INTEGERS:
        raise CardNotFoundError(card_id)
    fields = ", ".join(f"c.{name}" for name in _Text._fields[:-1])
    row = conn.execute(
        f"SELECT {fields}, d.name FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?",
        (card_id,),
    ).fetchone()
    if row is None:
        raise CardNotFoundError(card_id)
    text = _Text._make(row)
    return draft_from(text, text.deck)


@dataclass(frozen=True, slots=True)
class Outlook:
    """What the days ahead hold for a set of decks."""

    due_tomorrow: int
    new_tomorrow: int
    next_due: date | None


def outlook(conn: sqlite3.Connection, decks: dict[int, DeckSettings], now: datetime) -> Outlook:
    due = new = 0
    next_due: date | None = None
    for deck_id, settings in decks.items():
        today = study_day(now, settings.rollover_hour)
        tomorrow = (today + timedelta(days=1)).toordinal()
        due += count_showing(conn, deck_id, CardState.REVIEW, tomorrow, settings.reviews_per_day)
        due += count_showing(conn, deck_id, CardState.LEARNING, tomorrow)
        new += count_showing(conn, deck_id, CardState.NEW, tomorrow, settings.new_per_day)
        first = conn.execute(
            "SELECT min(due) FROM cards WHERE deck_id = ? AND queue = ? AND due > ?",
            (deck_id, CardState.REVIEW, today.toordinal()),
        ).fetchone()[0]
        if first is not None:
            candidate = date.fromordinal(first)
            next_due = candidate if next_due is None else min(next_due, candidate)
    return Outlook(due, new, next_due)
