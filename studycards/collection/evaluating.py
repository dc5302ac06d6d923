"""`studycards evaluate` and `optimize`: the user's review history (the collection's log, or
a review log file), read into per-card histories; every model scored on it, or FSRS's weights
fitted to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studycards.collection.scheduling import refresh_memory
from studycards.errors import StudycardsError
from studycards.evaluation.fitting import require_optimizer
from studycards.evaluation.items import Answer, History
from studycards.evaluation.scoring import evaluate, optimize
from studycards.model import Evaluation, Grade, Optimization
from studycards.scheduler.day import study_day
from studycards.scheduler.fsrs import RATINGS
from studycards.sources.revlog import read_revlog
from studycards.store.db import opened
from studycards.store.decks import deck_tree, set_parameters
from studycards.store.history import review_history
from studycards.store.manual import last_forgotten


def evaluate_collection(db_path: Path, deck: str | None = None) -> Evaluation:
    """Every model scored on the collection's own answers (of `deck` and its children)."""
    with opened(db_path) as conn:
        deck_ids = None if deck is None else list(deck_tree(conn, deck))
        return evaluate(collection_histories(conn, deck_ids))


def optimize_decks(db_path: Path, deck: str | None = None) -> Optimization:
    """FSRS weights fitted to the answers of `deck` and its children (every deck for None) and
    given to each of those decks, whose cards' memories are then recomputed with them (due
    dates stay: `reschedule` moves them). Weights that would not predict better are not
    taken. The present weights are the decks' own, or FSRS's defaults where they differ."""
    require_optimizer()
    with opened(db_path) as conn:
        decks = deck_tree(conn, deck)
        weights = {settings.parameters or () for settings in decks.values()}
        current = weights.pop() if len(weights) == 1 else ()
        result = optimize(collection_histories(conn, list(decks)), current)
        if result.kept is None:
            set_parameters(conn, list(decks), result.parameters)
    if result.kept is None:
        refresh_memory(db_path, deck)
    return result


def collection_histories(
    conn: sqlite3.Connection, deck_ids: Collection[int] | None
) -> list[History]:
    """The answers of the cards of `deck_ids` (every card for None), as histories: a card
    forgotten (in the browser) starts its history again there, as Anki's FSRS reads a reset."""
    forgotten = last_forgotten(conn)
    rows = review_history(conn, deck_ids)
    return histories(
        (row.card_id, Answer(row.reviewed_at, row.day, RATINGS[Grade(row.grade)]))
        for row in rows
        if row.reviewed_at > forgotten.get(row.card_id, -1)
    )


def evaluate_revlog(path: Path, timezone: str | None = None, day_starts: int = 4) -> Evaluation:
    """Every model scored on a review log in the FSRS optimizer's CSV format; study days in
    `timezone` (an IANA name; None: this computer's), starting at `day_starts` o'clock."""
    if not 0 <= day_starts <= 23:
        raise StudycardsError(f"--day-starts takes an hour from 0 to 23, not {day_starts}")
    zone = _zone(timezone)
    revlog = read_revlog(path)
    answers = []
    for row in revlog.rows:
        moment = datetime.fromtimestamp(row.review_time / 1000, zone).astimezone(zone)
        day = study_day(moment, day_starts).toordinal()
        answers.append((row.card_id, Answer(row.review_time, day, row.rating)))
    return evaluate(histories(answers), skipped=revlog.skipped)


def histories(answers: Iterable[tuple[int, Answer]]) -> list[History]:
    """Answers grouped by card, each card's in time order (file order breaks ties)."""
    cards: dict[int, list[Answer]] = {}
    for card_id, answer in answers:
        cards.setdefault(card_id, []).append(answer)
    return [
        History(card_id, tuple(sorted(card, key=lambda answer: answer.at)))
        for card_id, card in cards.items()
    ]


def _zone(name: str | None) -> tzinfo | None:
    """The IANA time zone named, or None for the local one (`astimezone()` finds it)."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise StudycardsError(
            f"unknown time zone {name!r}: give an IANA name such as Europe/Paris or UTC"
        ) from None
