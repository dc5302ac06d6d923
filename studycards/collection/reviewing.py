"""One review session over a deck and its children: the queue, answers, undo, suspend, bury;
and taking suspensions and burials back outside a session (`unsuspend`, `unbury`).

Knows nothing of the screen. Reads go through the stdlib connection so that the first card
shows fast; writes go through SQLModel sessions, one short transaction (and commit) each, so
an answer is on disk before the next card is shown. A store failure leaves as a `StoreError`
with the session as it was: the card answered stays the card to answer.
"""

from __future__ import annotations

import functools
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from studycards.errors import StudycardsError
from studycards.model import (
    CardDraft,
    CardListing,
    CustomStudy,
    ExtraNew,
    Grade,
    LeechAction,
    Outlook,
    ReviewLog,
    Schedule,
    reschedules,
)
from studycards.scheduler.day import next_day_start, study_day, study_days
from studycards.scheduler.queue import CRAM_DELAYS, QueuedCard, ReviewQueue
from studycards.scheduler.replay import with_memory
from studycards.scheduler.states import preview
from studycards.store.cards import card_listing, card_text
from studycards.store.db import connect, opened, transaction, translated
from studycards.store.decks import deck_tree
from studycards.store.due import load_queue, outlook
from studycards.store.reviews import card_answers

if TYPE_CHECKING:
    from studycards.store.db import Transaction, Writer


UNDO_STEPS = 100  # how far back `u` goes in a session


@dataclass(frozen=True, slots=True)
class ShownCard:
    """A card ready to show: its place in the queue, its text and what each button does."""

    queued: QueuedCard
    text: CardDraft
    outcomes: dict[Grade, Schedule]  # what each button would do, previewed at `at`
    at: datetime
    today: date  # the study day of the card's deck at `at`
    counts: tuple[int, int, int]  # new, learning, review still to show, this card included
    crammed: bool = False  # a cram's card: no button moves its schedule

    def cram_delay(self, grade: Grade) -> timedelta | None:
        """In a cram, how soon `grade` shows the card again (None: it leaves the session)."""
        return CRAM_DELAYS.get(grade)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    reviewed: int  # answers: a card answered Again, then Good, counts twice
    again: int
    seconds: float
    outlook: Outlook
    cards: int  # distinct cards answered

    @property
    def again_rate(self) -> float:
        return self.again / self.reviewed if self.reviewed else 0.0


@dataclass(slots=True)
class _Done:
    """One step `undo` can take back: an answer (with its log entry), a suspend or a bury."""

    card_id: int
    queue_before: ReviewQueue
    take_back: Callable[[Transaction], object]  # restores the card in the collection
    log: ReviewLog | None = None


@dataclass
class StudySession:
    """Today's session over `deck` (None: every deck), or with `plan` a custom study of it."""

    db_path: Path
    deck: str | None
    started: datetime
    plan: CustomStudy | None = None
    queue: ReviewQueue = field(init=False)
    _done: deque[_Done] = field(init=False, default_factory=lambda: deque(maxlen=UNDO_STEPS))
    _answers: list[ReviewLog] = field(init=False, default_factory=list)  # for the summary
    _engine: Writer | None = field(init=False, default=None)
    _engine_lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        with translated(self.db_path):
            self._conn = connect(self.db_path, create=False)
            try:
                self.decks = deck_tree(self._conn, self.deck)
                self.queue = self._load_queue(self.started)
            except BaseException:
                self._conn.close()
                raise

    def _load_queue(self, now: datetime) -> ReviewQueue:
        from studycards.store.custom import custom_queue

        match self.plan:
            case None | ExtraNew():
                extra = self.plan.count if self.plan else 0
                return load_queue(self._conn, self.decks, now, extra)
            case _:
                return custom_queue(self._conn, self.deck, self.decks, now, self.plan)

    def refresh(self, now: datetime) -> None:
        """Read the queue again after cards changed outside the session (in the browser): one
        suspended, buried, forgotten or set due there leaves the session or moves in it.
        Today's queue is read anew; a custom study keeps its cards still to show, each read
        again. Undo starts afresh: its steps hold the queue as it was."""
        from studycards.store.custom import requeued

        with translated(self.db_path):
            if self.plan is None or isinstance(self.plan, ExtraNew):
                self.queue = self._load_queue(now)
            else:
                self.queue = requeued(self._conn, self.queue, self.decks, now)
        self._done.clear()

    @property
    def crams(self) -> bool:
        """Whether answers are only logged, schedules kept (a cram)."""
        return not reschedules(self.plan)

    def next_card(self, now: datetime) -> ShownCard | None:
        """The card to show now, or None when the session is over."""
        queued = self.queue.next_card(now)
        if queued is None:
            return None
        self.queue.shown(queued)
        return self.show(queued, now)

    def show(self, queued: QueuedCard, now: datetime) -> ShownCard:
        settings = self.decks[queued.deck_id]
        today = study_day(now, settings.rollover_hour)
        with translated(self.db_path):
            text = card_text(self._conn, queued.id)
            if self.crams:  # every button leaves the schedule as it is
                outcomes = dict.fromkeys(Grade, queued.schedule)
            else:
                schedule = with_memory(
                    queued.schedule,
                    lambda: card_answers(self._conn, queued.id),
                    settings.parameters,
                )
                outcomes = preview(schedule, now, today, settings)
        counts = self.queue.counts()
        return ShownCard(queued, text, outcomes, now, today, counts, self.crams)

    def answer(
        self,
        card: QueuedCard,
        grade: Grade,
        now: datetime,
        duration_ms: int,
        today: date | None = None,
    ) -> LeechAction | None:
        """Commit the answer, then move the queue on. `today`: the study day the answer counts
        for, the one its buttons were previewed on (`ShownCard.today`) even when the day has
        rolled over since; None: the day of `now`. What was done if the answer made the card a
        leech (tagged, and suspended unless its deck's `leech_action` is "tag"), else None.
        A cram's answer is only logged, and Again or Hard show the card again shortly."""
        from studycards.store.reviews import answer_card, undo_answer

        if self.crams:
            self._cram(card, grade, now, duration_ms, today)
            return None
        with self._write() as session:
            log = answer_card(session, card.id, grade, now, duration_ms, today)
        undo = functools.partial(undo_answer, review_id=log.id)
        self._did(_Done(card.id, self.queue.copy(), undo, log))
        settings = self.decks[card.deck_id]
        if log.leech and settings.leech_action == LeechAction.SUSPEND:
            self.queue.drop(card.id)
        else:
            self.queue.settle(card.id, log.after, next_day_start(now, settings.rollover_hour))
        return settings.leech_action if log.leech else None

    def _cram(
        self, card: QueuedCard, grade: Grade, now: datetime, duration_ms: int, today: date | None
    ) -> None:
        from studycards.store.custom import log_cram, undo_cram

        today = today or study_day(now, self.decks[card.deck_id].rollover_hour)
        with self._write() as session:
            answer_id = log_cram(session, card.id, grade, now, today, duration_ms)
        log = ReviewLog(answer_id, card.id, now, grade, card.schedule, card.schedule, duration_ms)
        undo = functools.partial(undo_cram, answer_id=answer_id)
        self._did(_Done(card.id, self.queue.copy(), undo, log))
        self.queue.crammed(card.id, grade, now)

    def undo(self, now: datetime) -> ShownCard | None:
        """Take back this session's last answer, suspend or bury and show that card again
        (None: nothing to take back)."""
        if not self._done:
            return None
        done = self._done[-1]
        with self._write() as session:
            done.take_back(session)
        self._done.pop()
        if done.log is not None:  # the last answer given, as every later step is undone
            self._answers.pop()
        self.queue = done.queue_before
        card = next(
            c for c in (*self.queue.learning, *self.queue.reviews, *self.queue.new)
            if c.id == done.card_id
        )  # fmt: skip
        self.queue.shown(card)
        return self.show(card, now)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    def suspend(self, card: QueuedCard) -> None:
        from studycards.store.cards import suspend_card, unsuspend_card

        with self._write() as session:
            suspend_card(session, card.id)
        self._drop(card, functools.partial(unsuspend_card, card_id=card.id))

    def bury(self, card: QueuedCard, now: datetime) -> None:
        """Hide the card until tomorrow's study day."""
        from studycards.store.cards import bury_card, unbury_card

        today = study_day(now, self.decks[card.deck_id].rollover_hour)
        with self._write() as session:
            bury_card(session, card.id, today + timedelta(days=1))
        self._drop(card, functools.partial(unbury_card, card_id=card.id))

    def _drop(self, card: QueuedCard, take_back: Callable[[Transaction], object]) -> None:
        self._did(_Done(card.id, self.queue.copy(), take_back))
        self.queue.drop(card.id)

    def _did(self, done: _Done) -> None:
        """Keep a step for undo (the oldest goes past `UNDO_STEPS`: each holds a copy of the
        queue) and an answer for the summary."""
        self._done.append(done)
        if done.log is not None:
            self._answers.append(done.log)

    def reimport(self, card: ShownCard, now: datetime) -> ShownCard:
        """Import the card's source file again (after an edit) and show the card's new text."""
        from studycards.collection.card_actions import reimport

        reimport(self.db_path, card.text, now)
        return self.show(card.queued, now)

    def summary(self, now: datetime) -> SessionSummary:
        logs = self._answers
        again = sum(log.grade is Grade.AGAIN for log in logs)
        seconds = (now - self.started).total_seconds()
        cards = len({log.card_id for log in logs})
        with translated(self.db_path):
            ahead = outlook(self._conn, self.decks, now)
        return SessionSummary(len(logs), again, seconds, ahead, cards)

    def warm_up(self) -> None:
        """Load SQLModel and map the tables ahead of the first answer, so that the first grade
        is as quick as the others (call from a thread; it touches no data)."""
        from studycards.store.tables import map_tables

        map_tables()
        self._writer_engine()

    def close(self) -> None:
        self._conn.close()
        if self._engine is not None:
            self._engine.dispose()

    def _writer_engine(self) -> Writer:
        with self._engine_lock:
            if self._engine is None:
                from studycards.store.db import engine

                self._engine = engine(self.db_path)
            return self._engine

    @contextmanager
    def _write(self) -> Iterator[Transaction]:
        """One transaction, committed on leaving: an answer is on disk before anything else."""
        with transaction(self.db_path, self._writer_engine()) as session:
            yield session


@dataclass(frozen=True, slots=True)
class Released:
    """What `unsuspend` or `unbury` did: the cards put back, and those that were not held."""

    done: tuple[int, ...]
    not_held: tuple[int, ...]


def suspend(db_path: Path, card_ids: Iterable[int]) -> None:
    """Take cards out of every session (the browser's suspend), schedules kept."""
    from studycards.store.cards import suspend_card
    from studycards.store.db import writing

    with writing(db_path) as session:
        for card_id in card_ids:
            suspend_card(session, card_id)


def unsuspend(
    db_path: Path, card_ids: Iterable[int], now: datetime, deck: str | None = None
) -> Released:
    """Put suspended cards back in their sessions, schedules as they were: those named by id,
    and every suspended card of `deck` and its children."""
    from studycards.store.cards import unsuspend_card

    def release(session: Transaction, card_id: int, days: dict[int, date]) -> bool:
        return unsuspend_card(session, card_id)

    return _release(db_path, card_ids, deck, now, lambda card: card.suspended, release)


def unbury(
    db_path: Path, card_ids: Iterable[int], now: datetime, deck: str | None = None
) -> Released:
    """Show buried cards again today: those named by id, and every buried card of `deck`."""
    from studycards.store.cards import unbury_card

    def release(session: Transaction, card_id: int, days: dict[int, date]) -> bool:
        deck_id, until = unbury_card(session, card_id)
        return until is not None and until > days[deck_id]

    return _release(db_path, card_ids, deck, now, lambda card: card.buried, release)


def _release(
    db_path: Path,
    card_ids: Iterable[int],
    deck: str | None,
    now: datetime,
    held: Callable[[CardListing], bool],
    release: Callable[[Transaction, int, dict[int, date]], bool],
) -> Released:
    """One transaction over the cards named and the held cards of `deck`: all or none."""
    from studycards.store.db import writing

    wanted = list(card_ids)
    if not wanted and deck is None:
        raise StudycardsError("name the cards by id (`studycards cards` lists them) or a deck")
    with opened(db_path) as conn:  # never creates a collection: there is nothing to release
        days = study_days(deck_tree(conn, None), now)
        if deck is not None:
            wanted += [card.id for card in card_listing(conn, now, deck) if held(card)]
    done: list[int] = []
    not_held: list[int] = []
    with writing(db_path) as session:
        for card_id in dict.fromkeys(wanted):
            (done if release(session, card_id, days) else not_held).append(card_id)
    return Released(tuple(done), tuple(not_held))
