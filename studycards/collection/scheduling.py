"""Schedules rebuilt from the review log: `reschedule` after a deck changes scheduler (or its
settings), and FSRS's memory after its weights change. Each is one transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from studycards.model import Schedule
from studycards.scheduler.replay import replay
from studycards.store.cards import deck_schedules, set_schedules
from studycards.store.db import opened
from studycards.store.decks import deck_tree
from studycards.store.reviews import answers_by_card
from studycards.store.rows import schedule_from


def reschedule(db_path: Path, deck: str | None = None) -> int:
    """Every answered card of `deck` (and its children; all decks for None) scheduled as its
    deck's scheduler, with its settings now, makes of its answers: due dates move. Returns
    how many cards were rescheduled."""
    with opened(db_path) as conn:
        schedules = _replayed(conn, deck)
        set_schedules(conn, {card_id: after for card_id, (_, after) in schedules.items()})
    return len(schedules)


def refresh_memory(db_path: Path, deck: str | None = None) -> int:
    """FSRS's memory of every answered card of `deck` recomputed from its answers with its
    deck's weights now; due dates stay (as in Anki, until the user reschedules)."""
    with opened(db_path) as conn:
        schedules = _replayed(conn, deck)
        set_schedules(
            conn,
            {
                card_id: replace(before, memory=after.memory)
                for card_id, (before, after) in schedules.items()
            },
        )
    return len(schedules)


def _replayed(conn: sqlite3.Connection, deck: str | None) -> dict[int, tuple[Schedule, Schedule]]:
    """Each answered card's schedule as stored and as its replay gives it."""
    decks = deck_tree(conn, deck)
    stored = deck_schedules(conn, list(decks))
    return {
        card_id: (
            schedule_from(stored[card_id]),
            replay(answers, decks[stored[card_id].deck_id]),
        )
        for card_id, answers in answers_by_card(conn, list(decks)).items()
    }
