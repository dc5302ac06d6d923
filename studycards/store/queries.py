"""Fast read paths on a plain sqlite3 connection (no SQLModel import needed, see db.py).

Every query filters through an index: cards by (deck_id, state, due) or source, reviews by day.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from studycards.errors import DeckNotFoundError
from studycards.model import CardState, DeckSettings
from studycards.scheduler.day import study_day
from studycards.scheduler.queue import within_limit
from studycards.store.rows import settings_from

_CHUNK = 900


def source_digests(conn: sqlite3.Connection) -> dict[str, tuple[str, int]]:
    """Every imported file's path -> (digest, number of cards it gave)."""
    return {path: (digest, cards) for path, digest, cards in conn.execute(
        "SELECT path, digest, cards FROM sources"
    )}  # fmt: skip


def source_card_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many stored cards name each source file (read from the source index alone)."""
    return dict(conn.execute("SELECT source, count(*) FROM cards GROUP BY source").fetchall())


def cards_of_sources(conn: sqlite3.Connection, paths: Sequence[str]) -> list[tuple[int, str, str]]:
    """(id, front, source) of the cards that came from `paths`."""
    found: list[tuple[int, str, str]] = []
    for start in range(0, len(paths), _CHUNK):
        chunk = paths[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found += conn.execute(
            f"SELECT id, front, source FROM cards WHERE source IN ({marks})", chunk
        ).fetchall()
    return found


_DeckColumns = namedtuple(
    "_DeckColumns", "name new_per_day reviews_per_day learning_steps rollover_hour"
)


def deck_settings(conn: sqlite3.Connection) -> dict[str, DeckSettings]:
    """Every deck's stored limits and timing, by name."""
    rows = conn.execute(f"SELECT {', '.join(_DeckColumns._fields)} FROM decks")
    return {row.name: settings_from(row) for row in map(_DeckColumns._make, rows)}


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """One row of the deck overview; a parent's counts include its children's."""

    name: str
    depth: int
    cards: int
    new: int  # new cards that may still be introduced today
    learning: int  # cards being re-drilled (SM-2 same-day rule)
    due: int  # reviews due today, within the daily review limit


def deck_overview(conn: sqlite3.Connection, now: datetime) -> list[DeckCounts]:
    """Counts for every deck, in tree order (parents first, then children by name)."""
    decks = conn.execute(
        "SELECT id, name, new_per_day, reviews_per_day, rollover_hour FROM decks"
    ).fetchall()
    totals = dict(conn.execute("SELECT deck_id, count(*) FROM cards GROUP BY deck_id").fetchall())
    done: dict[tuple[int, int], int] = {}
    for hour in {deck[4] for deck in decks}:
        done |= _answered_today(conn, study_day(now, hour))
    own: dict[str, tuple[int, int, int, int]] = {}
    for deck_id, name, new_limit, review_limit, hour in decks:
        today = study_day(now, hour).toordinal()
        new_waiting = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM cards WHERE deck_id = ? AND state = ? LIMIT ?)",
            (deck_id, CardState.NEW, new_limit),
        ).fetchone()[0]
        learning = conn.execute(
            "SELECT count(*) FROM cards WHERE deck_id = ? AND state = ?",
            (deck_id, CardState.LEARNING),
        ).fetchone()[0]
        due_waiting = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM cards"
            " WHERE deck_id = ? AND state = ? AND due <= ? LIMIT ?)",
            (deck_id, CardState.REVIEW, today, review_limit),
        ).fetchone()[0]
        own[name] = (
            totals.get(deck_id, 0),
            within_limit(new_waiting, new_limit, done.get((deck_id, CardState.NEW), 0)),
            learning,
            within_limit(due_waiting, review_limit, done.get((deck_id, CardState.REVIEW), 0)),
        )
    return _roll_up(own)


def _answered_today(conn: sqlite3.Connection, today: date) -> dict[tuple[int, int], int]:
    """(deck id, state before) -> first answers today of new and review cards."""
    rows = conn.execute(
        "SELECT c.deck_id, r.before_state, count(*) FROM reviews r JOIN cards c"
        " ON c.id = r.card_id WHERE r.day = ? AND r.before_state IN (?, ?) GROUP BY 1, 2",
        (today.toordinal(), CardState.NEW, CardState.REVIEW),
    )
    return {(deck_id, state): count for deck_id, state, count in rows}


def _roll_up(own: dict[str, tuple[int, int, int, int]]) -> list[DeckCounts]:
    """Add each deck's counts into all of its `Parent::` decks."""
    summed: dict[str, list[int]] = {}
    for name, counts in own.items():
        parts = name.split("::")
        for depth in range(1, len(parts) + 1):
            total = summed.setdefault("::".join(parts[:depth]), [0, 0, 0, 0])
            for index, value in enumerate(counts):
                total[index] += value
    return [
        DeckCounts(name, name.count("::"), *counts)
        for name, counts in sorted(summed.items(), key=lambda item: item[0].split("::"))
    ]


@dataclass(frozen=True, slots=True)
class CardListing:
    """A card as the `cards` listing shows it."""

    id: int
    deck: str
    front: str
    state: CardState
    due: date | None
    interval: int
    ease: float
    reps: int


def card_listing(conn: sqlite3.Connection, deck: str | None = None) -> list[CardListing]:
    """Cards of `deck` and its children (all cards without a deck), soonest due first."""
    names = dict(conn.execute("SELECT id, name FROM decks").fetchall())
    if deck is not None:
        names = {
            deck_id: name
            for deck_id, name in names.items()
            if name == deck or name.startswith(f"{deck}::")
        }
        if not names:
            raise DeckNotFoundError(deck)
    listing: list[CardListing] = []
    for deck_id, name in names.items():
        rows = conn.execute(
            "SELECT id, front, state, due, interval, ease, reps FROM cards WHERE deck_id = ?",
            (deck_id,),
        )
        for card_id, front, state, due, interval, ease, reps in rows:
            due_day = None if due is None else date.fromordinal(due)
            listing.append(
                CardListing(card_id, name, front, CardState(state), due_day, interval, ease, reps)
            )
    listing.sort(key=lambda card: (card.due is None, card.due or date.min, card.deck, card.id))
    return listing
