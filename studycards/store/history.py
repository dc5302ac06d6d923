"""The review log read whole, for evaluation: every answer of the cards of some decks, in
each card's order. Plain sqlite3, one query on the reviews' card index."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from typing import NamedTuple

from studycards.store.db import rows_in


class HistoryRow(NamedTuple):
    """One answer as the log keeps it: the SM-2 grade given, when, and on which study day."""

    card_id: int
    reviewed_at: int  # ms since the epoch
    day: int  # study-day ordinal, by the card's deck's rollover hour then
    grade: int  # SM-2 quality: 1, 3, 4 or 5


# A card's last answer: the latest by time (answers pulled from Anki join out of id order).
LAST_ANSWER = (
    "SELECT id FROM reviews WHERE card_id = {card} ORDER BY reviewed_at DESC, id DESC LIMIT 1"
)
# Whether a card's schedule was set by hand (a forget, a due date) at or after the moment `at`:
# then its schedule is that change's, not what its last answer left.
CHANGED_SINCE = (
    "EXISTS (SELECT 1 FROM manual_changes m WHERE m.card_id = {card} AND m.made_at >= {at})"
)
_SELECT = "SELECT r.card_id, r.reviewed_at, r.day, r.grade FROM reviews r"
_ORDER = " ORDER BY r.card_id, r.reviewed_at, r.id"


def review_history(conn: sqlite3.Connection, deck_ids: Collection[int] | None) -> list[HistoryRow]:
    """Every answer of the cards in `deck_ids` (all cards for None), card by card, in order."""
    if deck_ids is None:
        return [HistoryRow._make(row) for row in conn.execute(_SELECT + _ORDER)]
    sql = _SELECT + " JOIN cards c ON c.id = r.card_id WHERE c.deck_id IN ({marks})" + _ORDER
    rows = [HistoryRow._make(row) for row in rows_in(conn, sql, list(deck_ids))]
    rows.sort(key=lambda row: row.card_id)  # a card is in one chunk, in its order
    return rows
