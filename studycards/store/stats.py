"""What the stats are made of, read in a few grouped queries over indexes (migrations 8 and
9), never the cards' text nor the log's rows: answers per study day and tally, the days with
answers, cards by state, due days, intervals, ease and memory. `deck_ids` None:
every card (no filter); otherwise those decks' cards."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, NamedTuple

from studycards.model import MATURE_DAYS, CardState
from studycards.store.rows import SUSPENDED


class AnswerGroup(NamedTuple):
    """Answers of one study day alike in kind, interval class and Again."""

    day: int  # ordinal
    tally: int  # reviews.tally (migration 9): kind * 8 + daily * 4 + mature * 2 + again
    answers: int
    time_ms: int

    @property
    def kind(self) -> int:
        """What the card was: 0 new, 1 learning, 2 review, 3 relearning (after a lapse)."""
        return self.tally >> 3

    @property
    def daily(self) -> bool:
        """The card's interval before the answer was a day or more (true retention's)."""
        return bool(self.tally & 4)

    @property
    def mature(self) -> bool:
        """... 21 days or more."""
        return bool(self.tally & 2)

    @property
    def again(self) -> bool:
        return bool(self.tally & 1)


def answer_groups(
    conn: sqlite3.Connection, deck_ids: Sequence[int] | None, since: int
) -> list[AnswerGroup]:
    """The answers of study days `since` (an ordinal) and later, grouped."""
    source, values = _answers(deck_ids)
    rows = conn.execute(
        f"SELECT r.day, r.tally, count(*), sum(r.duration_ms) {source} AND r.day >= ?"
        " GROUP BY 1, 2",
        (*values, since),
    )
    return [AnswerGroup._make(row) for row in rows]


def answered_days(
    conn: sqlite3.Connection, deck_ids: Sequence[int] | None, before: int
) -> list[int]:
    """Every study day before `before` (an ordinal) with an answer, oldest first: with the days
    of `answer_groups` since, the streaks. Those are not read again here, as a deck's
    distinct days cost a sort of its every answer (as much again as its groups); and when the
    day index holds no older answer at all, no deck's cards are walked."""
    older = "SELECT 1 FROM reviews INDEXED BY ix_reviews_day_tally WHERE day < ? LIMIT 1"
    if conn.execute(older, (before,)).fetchone() is None:
        return []
    source, values = _answers(deck_ids)
    sql = f"SELECT DISTINCT r.day {source} AND r.day < ? ORDER BY 1"
    return [day for (day,) in conn.execute(sql, (*values, before))]


def cards_answered_on(conn: sqlite3.Connection, deck_ids: Sequence[int] | None, day: int) -> int:
    """Cards answered on the study day `day`: that day's answers, read by day, and for decks
    the deck of each one's card (not a look at every card of the decks)."""
    where, values = _decks("c.deck_id IN ({})", deck_ids)
    cards = "" if deck_ids is None else " CROSS JOIN cards c ON c.id = r.card_id"
    (count,) = conn.execute(
        "SELECT count(DISTINCT r.card_id) FROM reviews r INDEXED BY ix_reviews_day_tally"
        f"{cards} WHERE r.day = ? {where}",
        (day, *values),
    ).fetchone()
    return int(count)


def _answers(deck_ids: Sequence[int] | None) -> tuple[str, tuple[Any, ...]]:
    """The answers (`r`) of every card, through the day-and-tally index, or of these decks'
    cards, through their cards' (one walk of each card's answers, never a probe per answer):
    a FROM clause ending in a WHERE that more conditions join with AND."""
    if deck_ids is None:
        return "FROM reviews r INDEXED BY ix_reviews_day_tally WHERE 1", ()
    return (
        "FROM cards c INDEXED BY ix_cards_browse JOIN reviews r INDEXED BY"
        " ix_reviews_card_day_tally ON r.card_id = c.id"
        f" WHERE c.deck_id IN ({', '.join('?' * len(deck_ids))})",
        tuple(deck_ids),
    )


def due_days(
    conn: sqlite3.Connection, deck_ids: Sequence[int] | None, until: int
) -> list[tuple[int, int]]:
    """(due day, cards) of the cards in review or learning due by `until`, not suspended."""
    where, values = _decks("deck_id IN ({})", deck_ids)
    return conn.execute(
        f"SELECT due, count(*) FROM cards INDEXED BY ix_cards_browse WHERE state IN"
        f" ({CardState.LEARNING}, {CardState.REVIEW}) AND queue != {SUSPENDED} AND due <= ?"
        f" {where} GROUP BY due",
        (until, *values),
    ).fetchall()


def state_counts(
    conn: sqlite3.Connection, deck_ids: Sequence[int] | None, today: int
) -> list[tuple[int, bool, bool, bool, int]]:
    """(state, suspended, buried, mature, cards) groups."""
    where, values = _decks("deck_id IN ({})", deck_ids)
    return conn.execute(
        f"SELECT state, queue = {SUSPENDED}, coalesce(buried_until >= ?, 0),"
        f" interval >= {MATURE_DAYS}, count(*) FROM cards INDEXED BY ix_cards_browse"
        f" WHERE 1 {where} GROUP BY 1, 2, 3, 4",
        (today, *values),
    ).fetchall()


def review_spread(
    conn: sqlite3.Connection, deck_ids: Sequence[int] | None
) -> list[tuple[int, int, float, int]]:
    """(deck, interval, ease, cards) of the cards in review."""
    where, values = _decks("deck_id IN ({})", deck_ids)
    return conn.execute(
        "SELECT deck_id, interval, ease, count(*) FROM cards INDEXED BY ix_cards_browse"
        f" WHERE state = {CardState.REVIEW} {where} GROUP BY 1, 2, 3",
        values,
    ).fetchall()


def memories(
    conn: sqlite3.Connection, deck_ids: Sequence[int]
) -> list[tuple[int, float, float, int | None, int]]:
    """(deck, stability, difficulty, last answer's day, cards) of these decks' cards with an
    FSRS memory."""
    where, values = _decks("deck_id IN ({})", deck_ids)
    return conn.execute(
        "SELECT deck_id, stability, difficulty, last_day, count(*) FROM cards INDEXED BY"
        f" ix_cards_browse WHERE stability IS NOT NULL {where} GROUP BY 1, 2, 3, 4",
        values,
    ).fetchall()


def _decks(condition: str, deck_ids: Sequence[int] | None) -> tuple[str, tuple[Any, ...]]:
    """` AND condition` over these decks' ids (bound), or nothing for every deck."""
    if deck_ids is None:
        return "", ()
    return f"AND {condition.format(', '.join('?' * len(deck_ids)))}", tuple(deck_ids)
