"""Reviews made in Anki come back: `studycards anki pull`. Anki's answers to studycards' cards
(found through the note GUIDs the export gave them) join each card's log, and the card's
schedule becomes the replay of the whole log by its deck's scheduler, SM-2 or FSRS; one
transaction for all of it. Anki's files are only read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from studycards.export.identity import note_guid
from studycards.scheduler.day import study_day
from studycards.scheduler.fsrs import GRADES  # Anki's eases 1-4 are FSRS's ratings
from studycards.scheduler.replay import Answer, replay_log
from studycards.sources.anki_reviews import read_anki_reviews
from studycards.store.cards import card_keys
from studycards.store.db import opened, write_transaction
from studycards.store.decks import deck_settings_by_id
from studycards.store.manual import manual_changes
from studycards.store.reviews import LoggedAnswer, known_anki_ids, logged_answers, rewrite_logs

_ANSWERS = {0, 1, 2}  # learn, review, relearn; 4/5 are reschedulings by hand
_PREVIEW = 3  # Anki logs a filtered deck's answers so only when they do not reschedule


@dataclass(slots=True)
class PullSummary:
    source: Path  # the file read (a profile folder's newest backup, say)
    read: int = 0  # reviews in Anki's log
    added: int = 0  # answers new to the collection
    rescheduled: int = 0  # cards whose schedule was replayed with them
    already: int = 0  # answers pulled before
    unknown: int = 0  # answers to notes that are not studycards cards
    other_cards: int = 0  # answers to cards added to a studycards note in Anki (a reverse)
    previews: int = 0  # answers in Anki's filtered decks that do not reschedule
    manual: int = 0  # Anki's manual reschedulings (set due date, forget): not answers
    unreadable: int = 0  # rows no Anki writes (a time out of range, text for a number)


def pull_from_anki(db_path: Path, path: Path) -> PullSummary:
    """Bring the answers made in Anki (the package, collection or profile at `path`) into the
    collection and replay the schedules of the cards they answered (with the changes made to
    them by hand in studycards, each where it was made).

    Everything from reading which answers are known to writing the replayed logs happens under
    the collection's write lock: an answer given meanwhile in a review waits for the pull, then
    applies to the card as the pull left it; none is lost or overwritten."""
    log = read_anki_reviews(path)
    summary = PullSummary(log.source, len(log.reviews), unreadable=log.unreadable)
    with opened(db_path) as conn, write_transaction(conn):
        cards = {note_guid(key): (card_id, deck_id) for card_id, key, deck_id in card_keys(conn)}
        decks = deck_settings_by_id(conn)
        known = known_anki_ids(conn)
        pulled: dict[int, list[LoggedAnswer]] = {}
        deck_of: dict[int, int] = {}
        for review in log.reviews:
            card = cards.get(review.guid) if review.guid is not None else None
            if card is None:
                summary.unknown += 1
            elif review.template != 0:  # studycards' note type has one card
                summary.other_cards += 1
            elif review.kind == _PREVIEW:
                summary.previews += 1
            elif review.kind not in _ANSWERS or review.ease not in GRADES:
                summary.manual += 1
            elif review.id in known:
                summary.already += 1
            else:
                card_id, deck_id = card
                at = datetime.fromtimestamp(review.id / 1000, UTC).astimezone()
                day = study_day(at, decks[deck_id].rollover_hour)
                answer = Answer(GRADES[review.ease], at, day)
                pulled.setdefault(card_id, []).append(
                    LoggedAnswer(None, answer, max(0, review.duration_ms), review.id)
                )
                deck_of[card_id] = deck_id
                known.add(review.id)
        logs = logged_answers(conn, list(pulled))
        changes = manual_changes(conn, list(pulled))
        replayed = {}
        schedules = {}
        for card_id, new in pulled.items():
            merged = sorted([*logs.get(card_id, []), *new], key=_when)
            steps, schedules[card_id] = replay_log(
                [logged.answer for logged in merged],
                decks[deck_of[card_id]],
                changes.get(card_id, []),
            )
            replayed[card_id] = [
                (logged, *step) for logged, step in zip(merged, steps, strict=True)
            ]
        rewrite_logs(conn, replayed, schedules)
    summary.added = sum(len(new) for new in pulled.values())
    summary.rescheduled = len(pulled)
    return summary


def _when(logged: LoggedAnswer) -> tuple[datetime, int]:
    """Answers in time order; a tie keeps the log's order, then Anki's."""
    return logged.answer.at, logged.review_id or 0
