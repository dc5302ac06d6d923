"""What the browser does to cards it found, outside any review session: bury, forget, set due
date, and import a card's file again after an edit. (Suspend and unsuspend, unbury: in
`reviewing`, which the CLI shares.)

Forget and set due date change a schedule by hand: each change is logged beside the answers,
so that a replay of the card's log (`reschedule`, `anki pull`, `anki sync`) makes it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from studycards.model import CardDraft, ManualChange
from studycards.scheduler.day import study_days
from studycards.scheduler.manual import parse_due_days
from studycards.store.db import opened
from studycards.store.decks import deck_settings_by_id
from studycards.store.manual import change_by_hand

if TYPE_CHECKING:
    from studycards.collection.importing import ImportSummary

__all__ = ["bury", "forget", "parse_due_days", "reimport", "set_due"]  # the dialog checks days


def bury(db_path: Path, card_ids: Iterable[int], now: datetime) -> list[int]:
    """Hide cards until their deck's next study day, schedules kept, in one transaction;
    the cards buried (one buried already is left as it is)."""
    from studycards.store.cards import bury_card, card_row
    from studycards.store.db import writing
    from studycards.store.rows import from_day

    with opened(db_path) as conn:
        today = study_days(deck_settings_by_id(conn), now)
    buried: list[int] = []
    with writing(db_path) as session:
        for card_id in dict.fromkeys(card_ids):
            row = card_row(session, card_id)
            until = from_day(row.buried_until)
            if until is None or until <= today[row.deck_id]:
                bury_card(session, card_id, today[row.deck_id] + timedelta(days=1))
                buried.append(card_id)
    return buried


def forget(db_path: Path, card_ids: Iterable[int], now: datetime) -> list[int]:
    """Make cards new again, their answers kept in the log (Anki's Forget); the cards changed
    (a card new already is left as it is)."""

    def forgotten(card_id: int, today: date) -> ManualChange:
        return ManualChange(now, today)

    with opened(db_path) as conn:
        return change_by_hand(conn, list(card_ids), forgotten, now)


def set_due(db_path: Path, card_ids: Iterable[int], days: str, now: datetime) -> list[int]:
    """Make cards review cards due `days` study days from their deck's today, in Anki's
    syntax (`0`, `3`, `3-7`, a `!` to set the interval too: `parse_due_days`; a range gives
    each card its own days). Raises `DueDaysError` for days that cannot be read, before
    anything is written; returns the cards changed."""
    asked = parse_due_days(days)

    def due(card_id: int, today: date) -> ManualChange:
        return ManualChange(now, today, asked.pick(card_id, today), asked.reset_interval)

    with opened(db_path) as conn:
        return change_by_hand(conn, list(card_ids), due, now)


def reimport(db_path: Path, card: CardDraft, now: datetime) -> ImportSummary:
    """Import a card's source file again (after an edit), into the card's deck, as a review
    session's re-import does; a file that fails raises its `SourceError`."""
    from studycards.collection.importing import ImportTarget, import_sources

    summary = import_sources(db_path, [ImportTarget((Path(card.source),), card.deck)], now)
    if summary.failed:
        raise summary.failed[0]
    return summary
