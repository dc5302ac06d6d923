"""The `reviews` table, the log of answers: answering a card (its new schedule and the log
entry, in one transaction), undoing an answer, and what the log says (history, counts)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from studycards.errors import StudycardsError
from studycards.model import (
    LEECH,
    CardState,
    Grade,
    LeechAction,
    PastAnswer,
    ReviewLog,
    Schedule,
    SyncedAnswer,
    with_tag,
    without_tag,
)
from studycards.scheduler.day import study_day
from studycards.scheduler.replay import Answer, with_memory
from studycards.scheduler.states import answer, is_leech
from studycards.store.cards import SET_SCHEDULE, card_row
from studycards.store.db import rows_in, write_transaction
from studycards.store.history import CHANGED_SINCE, review_history
from studycards.store.rows import (
    SCHEDULE_COLUMNS,
    SUSPENDED,
    from_ms,
    schedule_columns,
    schedule_from,
    settings_from,
    to_ms,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from studycards.store.tables import ReviewRow


def answer_card(
    session: Session,
    card_id: int,
    grade: Grade,
    now: datetime,
    duration_ms: int,
    today: date | None = None,
) -> ReviewLog:
    """Apply one answer at `now`, for study day `today` (None: `now`'s), and log it, in the
    session's transaction."""
    from studycards.store.tables import DeckRow, ReviewRow

    row = card_row(session, card_id)
    deck = session.get(DeckRow, row.deck_id)
    assert deck is not None  # the foreign key guarantees it
    settings = settings_from(deck)
    today = today or study_day(now, settings.rollover_hour)
    before = schedule_from(row)
    before = with_memory(before, lambda: _answers(session, card_id), settings.parameters)
    after = answer(before, grade, now, today, settings)
    for column, value in schedule_columns(after).items():
        setattr(row, column, value)
    row.queue = int(after.state)
    leech = after.lapses > before.lapses and is_leech(after.lapses, settings.leech_threshold)
    if leech:
        row.tags = with_tag(row.tags, LEECH)
        if settings.leech_action == LeechAction.SUSPEND:
            row.queue = SUSPENDED
    log = ReviewRow(
        card_id=card_id,
        reviewed_at=to_ms(now),
        day=today.toordinal(),
        grade=int(grade),
        duration_ms=duration_ms,
        **schedule_columns(before, "before_"),
        **schedule_columns(after, "after_"),
    )
    session.add(log)
    session.flush()
    assert log.id is not None
    return ReviewLog(log.id, card_id, now, grade, before, after, duration_ms, leech)


def undo_answer(session: Session, review_id: int) -> ReviewLog:
    """Put the card back as it was before that answer and delete the answer from the log."""
    from studycards.store.tables import DeckRow, ReviewRow

    log = session.get(ReviewRow, review_id)
    if log is None:
        raise StudycardsError(f"no answer with id {review_id} to undo")
    if log.anki_id is not None:
        raise StudycardsError(
            f"card #{log.card_id}'s answer is in Anki's review log too (synced since):"
            " this answer stays"
        )
    if _answered_after(session, log):
        raise StudycardsError(
            f"card #{log.card_id} has an answer after this one (pulled from Anki since):"
            " this answer stays"
        )
    if _changed_after(session, log):
        raise StudycardsError(
            f"card #{log.card_id} was forgotten or given a due date since: this answer stays"
        )
    row = card_row(session, log.card_id)
    before = schedule_from(log, "before_")
    for column, value in schedule_columns(before).items():
        setattr(row, column, value)
    row.queue = int(before.state)
    deck = session.get(DeckRow, row.deck_id)
    assert deck is not None  # the foreign key guarantees it
    if log.before_lapses < deck.leech_threshold <= log.after_lapses:  # it made the leech
        row.tags = without_tag(row.tags, LEECH)
    undone = _log_from(log)
    session.delete(log)
    return undone


def _answered_after(session: Session, log: ReviewRow) -> bool:
    """Whether the card has an answer later than `log`: undoing `log` would then put back a
    schedule that the later answer has moved on from."""
    from sqlalchemy import text

    later = session.execute(
        text(
            "SELECT 1 FROM reviews WHERE card_id = :card AND (reviewed_at > :at"
            " OR (reviewed_at = :at AND id > :id)) LIMIT 1"
        ),
        {"card": log.card_id, "at": log.reviewed_at, "id": log.id},
    )
    return later.first() is not None


def _changed_after(session: Session, log: ReviewRow) -> bool:
    """Whether the card's schedule was set by hand after `log`: undoing `log` would put back
    a schedule that the change replaced."""
    from sqlalchemy import text

    changed = session.execute(
        text(f"SELECT {CHANGED_SINCE.format(card=':card', at=':at')}"),
        {"card": log.card_id, "at": log.reviewed_at},
    )
    return bool(changed.scalar())


def card_answers(conn: sqlite3.Connection, card_id: int) -> list[Answer]:
    """One card's answers since it was last forgotten, oldest first: what its FSRS memory is
    made of."""
    return _as_answers(conn.execute(_ONE_CARDS_ANSWERS, {"card": card_id}))


def _answers(session: Session, card_id: int) -> list[Answer]:
    """One card's answers since it was last forgotten, oldest first (`card_answers`)."""
    from sqlalchemy import text

    return _as_answers(session.execute(text(_ONE_CARDS_ANSWERS), {"card": card_id}))


# A card's answers since it was last forgotten (`replay.since_forgotten`, in SQL): a memory
# is made of those alone
_ONE_CARDS_ANSWERS = (
    "SELECT grade, reviewed_at, day FROM reviews WHERE card_id = :card AND reviewed_at >"
    " coalesce((SELECT max(made_at) FROM manual_changes WHERE card_id = :card AND days IS NULL),"
    " -1 << 63) ORDER BY reviewed_at, id"
)


def _as_answers(rows: Iterable[Any]) -> list[Answer]:
    return [_answer(grade, reviewed_at, day) for grade, reviewed_at, day in rows]


def _answer(grade: int, reviewed_at: int, day: int) -> Answer:
    """A log row's columns as a replay takes them."""
    return Answer(Grade(grade), from_ms(reviewed_at) or datetime.min, date.fromordinal(day))


def past_answers(conn: sqlite3.Connection, card_id: int) -> list[PastAnswer]:
    """One card's answers, oldest first, as its history shows them."""
    rows = conn.execute(
        "SELECT reviewed_at, grade, after_interval, duration_ms FROM reviews"
        " WHERE card_id = ? ORDER BY reviewed_at, id",
        (card_id,),
    )
    return [
        PastAnswer(from_ms(at) or datetime.min, Grade(grade), interval, duration)
        for at, grade, interval, duration in rows
    ]


def review_count(conn: sqlite3.Connection, card_ids: Sequence[int]) -> int:
    """How many reviews these cards have: the history a prune of them deletes."""
    sql = "SELECT count(*) FROM reviews WHERE card_id IN ({marks})"
    return sum(count for (count,) in rows_in(conn, sql, card_ids))


def answered_today(conn: sqlite3.Connection, today: date) -> dict[tuple[int, int], int]:
    """(deck id, state before) -> first answers today of new and review cards."""
    rows = conn.execute(
        "SELECT c.deck_id, r.before_state, count(*) FROM reviews r JOIN cards c"
        " ON c.id = r.card_id WHERE r.day = ? AND r.before_state IN (?, ?) GROUP BY 1, 2",
        (today.toordinal(), CardState.NEW, CardState.REVIEW),
    )
    return {(deck_id, state): count for deck_id, state, count in rows}


def answers_by_card(conn: sqlite3.Connection, deck_ids: Sequence[int]) -> dict[int, list[Answer]]:
    """Every answered card of these decks with its answers, oldest first: what replays need."""
    answers: dict[int, list[Answer]] = {}
    for row in review_history(conn, deck_ids):
        answers.setdefault(row.card_id, []).append(_answer(row.grade, row.reviewed_at, row.day))
    return answers


class LoggedAnswer(NamedTuple):
    """An answer of a card's log, or one to join it (`review_id` None), e.g. pulled from Anki."""

    review_id: int | None
    answer: Answer
    duration_ms: int
    anki_id: int | None


def logged_answers(
    conn: sqlite3.Connection, card_ids: Sequence[int]
) -> dict[int, list[LoggedAnswer]]:
    """The logs of these cards, each oldest first."""
    sql = (
        "SELECT card_id, id, grade, reviewed_at, day, duration_ms, anki_id FROM reviews"
        " WHERE card_id IN ({marks}) ORDER BY card_id, reviewed_at, id"
    )
    logs: dict[int, list[LoggedAnswer]] = {}
    for card_id, review_id, grade, reviewed_at, day, duration, anki_id in rows_in(
        conn, sql, card_ids
    ):
        answered = _answer(grade, reviewed_at, day)
        logs.setdefault(card_id, []).append(LoggedAnswer(review_id, answered, duration, anki_id))
    return logs


def known_anki_ids(conn: sqlite3.Connection) -> set[int]:
    """Anki's ids of the answers pulled from it already."""
    return {anki_id for (anki_id,) in conn.execute(
        "SELECT anki_id FROM reviews WHERE anki_id IS NOT NULL"
    )}  # fmt: skip


def answers_for_anki(conn: sqlite3.Connection, in_anki: set[int]) -> list[SyncedAnswer]:
    """The answers Anki's log (whose ids are `in_anki`) lacks, each given an id of Anki's (its
    time in milliseconds, moved on past ids taken) and the id kept, in one transaction: an
    answer sent is known by that id when Anki's log comes back, so it is never pulled twice."""
    with write_transaction(conn):
        taken = known_anki_ids(conn) | in_anki
        missing: list[int] = []
        given: list[tuple[int, int]] = []
        for review_id, anki_id, reviewed_at in conn.execute(
            "SELECT id, anki_id, reviewed_at FROM reviews ORDER BY reviewed_at, id"
        ):
            if anki_id is None:
                anki_id = reviewed_at
                while anki_id in taken:
                    anki_id += 1
                taken.add(anki_id)
                given.append((anki_id, review_id))
            elif anki_id in in_anki:
                continue
            missing.append(review_id)
        conn.executemany("UPDATE reviews SET anki_id = ? WHERE id = ?", given)
    sql = (
        "SELECT r.anki_id, c.key, r.reviewed_at, r.grade, r.duration_ms, r.before_state,"
        " r.before_interval, r.before_lapses, r.after_state, r.after_interval, r.after_ease,"
        " r.after_redrill_at FROM reviews r JOIN cards c ON c.id = r.card_id"
        " WHERE r.id IN ({marks})"
    )
    return [SyncedAnswer._make(row) for row in rows_in(conn, sql, missing)]


def rewrite_logs(
    conn: sqlite3.Connection,
    logs: Mapping[int, Sequence[tuple[LoggedAnswer, Schedule, Schedule]]],
    schedules: Mapping[int, Schedule],
) -> None:
    """Cards' logs as replayed (each answer with the schedule before and after it, the new
    ones added) and each card's schedule as the replay left it (what its last answer left,
    or a change made by hand after it), in the caller's write transaction (in which it read
    the logs)."""
    steps = ", ".join(f"{when}_{name} = :{when}_{name}" for when in ("before", "after")
                      for name in SCHEDULE_COLUMNS)  # fmt: skip
    columns = ["card_id", "reviewed_at", "day", "grade", "duration_ms", "anki_id"]
    columns += [f"{when}_{name}" for when in ("before", "after") for name in SCHEDULE_COLUMNS]
    insert = f"INSERT INTO reviews ({', '.join(columns)}) VALUES (:{', :'.join(columns)})"
    updates: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for card_id, log in logs.items():
        for logged, before, after in log:
            values = schedule_columns(before, "before_") | schedule_columns(after, "after_")
            if logged.review_id is not None:
                updates.append(values | {"id": logged.review_id})
                continue
            inserts.append(values | {
                "card_id": card_id,
                "reviewed_at": to_ms(logged.answer.at),
                "day": logged.answer.day.toordinal(),
                "grade": int(logged.answer.grade),
                "duration_ms": logged.duration_ms,
                "anki_id": logged.anki_id,
            })  # fmt: skip
    conn.executemany(f"UPDATE reviews SET {steps} WHERE id = :id", updates)
    conn.executemany(insert, inserts)
    conn.executemany(
        SET_SCHEDULE,
        [schedule_columns(schedule) | {"id": card_id} for card_id, schedule in schedules.items()],
    )


def _log_from(row: ReviewRow) -> ReviewLog:
    assert row.id is not None
    return ReviewLog(
        id=row.id,
        card_id=row.card_id,
        reviewed_at=from_ms(row.reviewed_at) or datetime.min,
        grade=Grade(row.grade),
        before=schedule_from(row, "before_"),
        after=schedule_from(row, "after_"),
        duration_ms=row.duration_ms,
    )
