"""The `manual_changes` table: schedules set by hand (forget, set due date), logged beside the
answers so that every replay of a card's log makes them again (`scheduler/manual.py`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime

from studycards.errors import CardNotFoundError
from studycards.model import ManualChange
from studycards.scheduler.day import study_day
from studycards.scheduler.manual import changed
from studycards.store.cards import SET_SCHEDULE
from studycards.store.db import rows_in, write_transaction
from studycards.store.decks import deck_settings_by_id
from studycards.store.rows import (
    ScheduledRow,
    from_ms,
    schedule_columns,
    schedule_from,
    to_day,
    to_ms,
)

_INSERT = (
    "INSERT INTO manual_changes (card_id, made_at, day, days, reset_interval)"
    " VALUES (?, ?, ?, ?, ?)"
)


def manual_changes(
    conn: sqlite3.Connection, card_ids: Sequence[int]
) -> dict[int, list[ManualChange]]:
    """The changes made by hand to these cards, each card's oldest first (cards without any
    are left out)."""
    sql = (
        "SELECT card_id, made_at, day, days, reset_interval FROM manual_changes"
        " WHERE card_id IN ({marks}) ORDER BY card_id, made_at, id"
    )
    changes: dict[int, list[ManualChange]] = {}
    for card_id, made_at, day, days, reset_interval in rows_in(conn, sql, card_ids):
        made = ManualChange(from_ms(made_at) or datetime.min, date.fromordinal(day), days,
                            bool(reset_interval))  # fmt: skip
        changes.setdefault(card_id, []).append(made)
    return changes


def change_by_hand(
    conn: sqlite3.Connection,
    card_ids: Sequence[int],
    change: Callable[[int, date], ManualChange],
    now: datetime,
) -> list[int]:
    """Give each card the schedule `change(card id, its deck's study day now)` makes of its
    own, and log the change, in one transaction (an unknown id changes nothing and raises
    `CardNotFoundError`). A suspended card stays suspended, a buried one buried. Returns the
    cards whose schedule changed; the others (a new card forgotten) log nothing."""
    rollover = {deck_id: deck.rollover_hour for deck_id, deck in deck_settings_by_id(conn).items()}
    sql = f"SELECT {', '.join(ScheduledRow._fields)} FROM cards WHERE id IN ({{marks}})"
    done: list[int] = []
    with write_transaction(conn):
        found = {row[0]: ScheduledRow._make(row) for row in rows_in(conn, sql, card_ids)}
        for card_id in dict.fromkeys(card_ids):
            scheduled = found.get(card_id)
            if scheduled is None:
                raise CardNotFoundError(card_id)
            made = change(card_id, study_day(now, rollover[scheduled.deck_id]))
            before = schedule_from(scheduled)
            after = changed(before, made)
            if after == before:
                continue
            conn.execute(SET_SCHEDULE, schedule_columns(after) | {"id": card_id})
            conn.execute(_INSERT, (card_id, to_ms(made.at), to_day(made.day), made.days,
                                   made.reset_interval))  # fmt: skip
            done.append(card_id)
    return done


def last_forgotten(conn: sqlite3.Connection) -> dict[int, int]:
    """Card id -> when (ms) it was last forgotten, for the cards ever forgotten."""
    return dict(
        conn.execute(
            "SELECT card_id, max(made_at) FROM manual_changes WHERE days IS NULL GROUP BY card_id"
        ).fetchall()
    )
