"""A card's schedule as a fold of its review log: every answer applied again, in order, by the
deck's scheduler, and every schedule set by hand (a forget, a due date: `manual.py`) made again
where it was made. Switching a deck's scheduler, answers brought in from elsewhere and
evaluation all rebuild schedules this way; undo needs none of it (each answer keeps the
schedule it found)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from studycards.model import CardState, DeckSettings, Grade, ManualChange, Memory, Schedule
from studycards.scheduler.fsrs import Weights, next_memory
from studycards.scheduler.manual import changed
from studycards.scheduler.states import answer


@dataclass(frozen=True, slots=True)
class Answer:
    """What the log keeps of one answer that a replay needs."""

    grade: Grade
    at: datetime
    day: date  # the study day it counted for, as its deck's rollover hour made it then


def memory_of(answers: Iterable[Answer], parameters: Weights) -> Memory | None:
    """FSRS's memory after `answers` (oldest first), whichever scheduler timed them: what a
    card answered before memories were kept (schema 5) has as its memory."""
    memory, last_day = None, None
    for given in answers:
        elapsed = (given.day - last_day).days if last_day else 0
        memory, last_day = next_memory(memory, given.grade, elapsed, parameters), given.day
    return memory


def with_memory(
    schedule: Schedule, answers: Callable[[], Iterable[Answer]], parameters: Weights
) -> Schedule:
    """`schedule` with FSRS's memory: one stored before memories were kept (schema 5) has
    none, and gets it from the card's `answers` (read only then)."""
    if schedule.memory is not None or schedule.state is CardState.NEW:
        return schedule
    return replace(schedule, memory=memory_of(answers(), parameters))


def since_forgotten(answers: Sequence[Answer], changes: Iterable[ManualChange]) -> Sequence[Answer]:
    """The answers given after the card was last forgotten (all of them if it never was):
    what its FSRS memory is made of."""
    forgotten = max((change.at for change in changes if change.days is None), default=None)
    if forgotten is None:
        return answers
    return [given for given in answers if given.at > forgotten]


def replay(
    answers: Iterable[Answer], settings: DeckSettings, changes: Iterable[ManualChange] = ()
) -> Schedule:
    """The schedule `answers` (oldest first) and `changes` leave a new card with under
    `settings`."""
    return replay_log(answers, settings, changes)[1]


def replay_log(
    answers: Iterable[Answer], settings: DeckSettings, changes: Iterable[ManualChange] = ()
) -> tuple[list[tuple[Schedule, Schedule]], Schedule]:
    """The schedule before and after each of `answers` (oldest first), from a new card (what
    the log keeps beside each answer, once answers from elsewhere have joined it), and the
    card's schedule at the end. A change made by hand applies between the answers given
    before it and those after (one made at the very moment of an answer comes after it),
    and may be the last thing done."""
    pending = sorted(changes, key=lambda change: change.at)
    steps = []
    schedule = Schedule()
    for given in answers:
        while pending and pending[0].at < given.at:
            schedule = changed(schedule, pending.pop(0))
        after = answer(schedule, given.grade, given.at, given.day, settings)
        steps.append((schedule, after))
        schedule = after
    for change in pending:
        schedule = changed(schedule, change)
    return steps, schedule
