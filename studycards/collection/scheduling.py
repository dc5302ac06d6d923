"""Schedules rebuilt from the review log (the answers, and the schedules set by hand between
them): `reschedule` after a deck changes scheduler (or its settings), and FSRS's memory after
its weights change. Each is one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from studycards.model import DeckSettings, ManualChange, Schedule
from studycards.scheduler.replay import Answer, memory_of, replay, since_forgotten
from studycards.store.cards import deck_schedules, set_schedules
from studycards.store.db import opened
from studycards.store.decks import deck_tree
from studycards.store.manual import manual_changes
from studycards.store.reviews import answers_by_card
from studycards.store.rows import schedule_from


def reschedule(db_path: Path, deck: str | None = None) -> int:
    """Every answered card of `deck` (and its children; all decks for None) scheduled as its
    deck's scheduler, with its settings now, makes of its answers: due dates move. Returns
    how many cards were rescheduled."""
    with opened(db_path) as conn:
        schedules = {
            card_id: replay(answers, settings, changes)
            for card_id, _, answers, changes, settings in _answered(conn, deck)
        }
        set_schedules(conn, schedules)
    return len(schedules)


def refresh_memory(db_path: Path, deck: str | None = None) -> int:
    """FSRS's memory of every answered card of `deck` recomputed from its answers with its
    deck's weights now (those since it was last forgotten); due dates stay (as in Anki, until
    the user reschedules)."""
    with opened(db_path) as conn:
        schedules = {
            card_id: replace(
                stored, memory=memory_of(since_forgotten(answers, changes), settings.parameters)
            )
            for card_id, stored, answers, changes, settings in _answered(conn, deck)
        }
        set_schedules(conn, schedules)
    return len(schedules)


def _answered(
    conn: sqlite3.Connection, deck: str | None
) -> Iterator[tuple[int, Schedule, list[Answer], list[ManualChange], DeckSettings]]:
    """Each answered card of `deck`: its schedule as stored, its answers, the changes made to
    it by hand, its deck's settings."""
    decks = deck_tree(conn, deck)
    stored = deck_schedules(conn, list(decks))
    answered = answers_by_card(conn, list(decks))
    changed = manual_changes(conn, list(answered))
    for card_id, answers in answered.items():
        row = stored[card_id]
        yield card_id, schedule_from(row), answers, changed.get(card_id, []), decks[row.deck_id]
