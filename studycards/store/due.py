"""The due queue: which cards show on a study day, within each deck's daily limits. A
session's queue, the deck overview's counts and tomorrow's outlook all ask it, and every one
of its reads walks the index ix_cards_deck_queue_due in its own order, with a LIMIT."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import NamedTuple

from studycards.model import (
    CardState,
    DeckCounts,
    DeckSettings,
    Outlook,
    Scheduler,
    deck_ancestors,
)
from studycards.scheduler.day import next_day_start, study_day
from studycards.scheduler.queue import QueuedCard, ReviewQueue
from studycards.scheduler.states import left_today, within_limit
from studycards.store.decks import deck_settings_by_id
from studycards.store.reviews import answered_today
from studycards.store.rows import ScheduledRow, schedule_from, to_ms

_ORDER = "ORDER BY due, buried_until, redrill_at, id"  # the index's own order: no sorting


def shows_today(queue: CardState) -> str:
    """SQL condition: a card of deck :deck in `queue` that shows on study day :today, which
    ends at :until (ms).

    It is in that queue, due (for reviews; for learning cards, their step ends today) and not
    buried. Every column is in the index ix_cards_deck_queue_due, so neither counting nor
    fetching reads a table row.
    """
    due = {
        CardState.REVIEW: " AND due <= :today",
        CardState.LEARNING: " AND (redrill_at IS NULL OR redrill_at < :until)",
    }.get(queue, "")
    return (
        f"deck_id = :deck AND queue = {int(queue)}{due}"
        " AND (buried_until IS NULL OR buried_until <= :today)"
    )


def count_showing(
    conn: sqlite3.Connection, deck_id: int, queue: CardState, day: Day, limit: int = -1
) -> int:
    """Cards of one deck and queue that show on `day`, counted up to `limit` (-1: all)."""
    return int(conn.execute(count_sql(queue), day.params(deck_id, limit)).fetchone()[0])


def count_sql(queue: CardState) -> str:
    """The count of `count_showing`: from the index alone (its parameters :deck, :today,
    :until and :limit)."""
    return f"SELECT count(*) FROM (SELECT 1 FROM cards WHERE {shows_today(queue)} LIMIT :limit)"


def fetch_sql(queue: CardState) -> str:
    """The fetch of `fetch_showing`: in the index's own order, so with no sorting step."""
    return (
        f"SELECT {', '.join(ScheduledRow._fields)} FROM cards"
        f" WHERE {shows_today(queue)} {_ORDER} LIMIT :limit"
    )


def fetch_showing(
    conn: sqlite3.Connection, deck_id: int, state: CardState, day: Day, limit: int
) -> list[QueuedCard]:
    """Cards of one deck and queue that show on `day`, in the index's order, up to `limit`."""
    rows = conn.execute(fetch_sql(state), day.params(deck_id, limit))
    return [
        QueuedCard(row.id, row.deck_id, schedule_from(row)) for row in map(ScheduledRow._make, rows)
    ]


class Day(NamedTuple):
    """A deck's study day as the due queue's SQL takes it."""

    ordinal: int
    until: int  # when it ends, in ms since the epoch

    @classmethod
    def of(cls, now: datetime, rollover_hour: int, later: int = 0) -> Day:
        """The study day `later` days after the one `now` falls in."""
        ahead = timedelta(days=later)
        today = study_day(now, rollover_hour) + ahead
        return cls(today.toordinal(), to_ms(next_day_start(now, rollover_hour) + ahead))

    def params(self, deck_id: int, limit: int) -> dict[str, int]:
        """The parameters of `count_sql` and `fetch_sql` for one deck on this day."""
        return {"deck": deck_id, "today": self.ordinal, "until": self.until, "limit": limit}


def _answered_today(
    conn: sqlite3.Connection, decks: dict[int, DeckSettings], now: datetime
) -> dict[tuple[int, int], int]:
    """First answers today per (deck, state before), each deck's day by its rollover hour."""
    done: dict[tuple[int, int], int] = {}
    for hour in {settings.rollover_hour for settings in decks.values()}:
        done |= answered_today(conn, study_day(now, hour))
    return done


def load_queue(
    conn: sqlite3.Connection, decks: dict[int, DeckSettings], now: datetime, extra_new: int = 0
) -> ReviewQueue:
    """Today's re-drills, due reviews and new cards of `decks`, within each deck's limits, and
    `extra_new` new cards more (the oldest of those the limits leave out)."""
    queue = ReviewQueue()
    beyond: list[QueuedCard] = []
    done = _answered_today(conn, decks, now)
    for deck_id, settings in decks.items():
        today = Day.of(now, settings.rollover_hour)
        new_left = left_today(settings.new_per_day, done.get((deck_id, CardState.NEW), 0))
        reviews_left = left_today(
            settings.reviews_per_day, done.get((deck_id, CardState.REVIEW), 0)
        )
        queue.learning += fetch_showing(conn, deck_id, CardState.LEARNING, today, -1)
        queue.reviews += fetch_showing(conn, deck_id, CardState.REVIEW, today, reviews_left)
        fresh = fetch_showing(conn, deck_id, CardState.NEW, today, new_left + extra_new)
        queue.new += fresh[:new_left]
        beyond += fresh[new_left:]
    queue.new += sorted(beyond, key=lambda card: card.id)[:extra_new]
    queue.sort()
    return queue


def deck_overview(conn: sqlite3.Connection, now: datetime) -> list[DeckCounts]:
    """Counts for every deck, in tree order (parents first, then children by name)."""
    decks = deck_settings_by_id(conn)
    totals = dict(conn.execute("SELECT deck_id, count(*) FROM cards GROUP BY deck_id").fetchall())
    done = _answered_today(conn, decks, now)
    own: dict[str, tuple[int, int, int, int]] = {}
    for deck_id, deck in decks.items():
        today = Day.of(now, deck.rollover_hour)
        new_waiting = count_showing(conn, deck_id, CardState.NEW, today, deck.new_per_day)
        learning = count_showing(conn, deck_id, CardState.LEARNING, today)
        due_waiting = count_showing(conn, deck_id, CardState.REVIEW, today, deck.reviews_per_day)
        own[deck.name] = (
            totals.get(deck_id, 0),
            within_limit(new_waiting, deck.new_per_day, done.get((deck_id, CardState.NEW), 0)),
            learning,
            within_limit(
                due_waiting, deck.reviews_per_day, done.get((deck_id, CardState.REVIEW), 0)
            ),
        )
    schedulers = {deck.name: deck.scheduler for deck in decks.values()}
    return _roll_up(own, schedulers)


def _roll_up(
    own: dict[str, tuple[int, int, int, int]], schedulers: dict[str, Scheduler]
) -> list[DeckCounts]:
    """Add each deck's counts into all of its `Parent::` decks."""
    summed: dict[str, list[int]] = {}
    for name, counts in own.items():
        for deck in deck_ancestors(name):
            total = summed.setdefault(deck, [0, 0, 0, 0])
            for index, value in enumerate(counts):
                total[index] += value
    return [
        DeckCounts(
            name, name.count("::"), cards, new, learning, due, schedulers.get(name, Scheduler.SM2)
        )
        for name, (cards, new, learning, due) in sorted(
            summed.items(), key=lambda item: item[0].split("::")
        )
    ]


def outlook(conn: sqlite3.Connection, decks: dict[int, DeckSettings], now: datetime) -> Outlook:
    """Reviews and new cards of `decks` that tomorrow's study day holds, and the next due day."""
    due = new = 0
    next_due: date | None = None
    for deck_id, settings in decks.items():
        today = study_day(now, settings.rollover_hour)
        tomorrow = Day.of(now, settings.rollover_hour, later=1)
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
