"""A card's schedule as a fold of its review log: every answer applied again, in order, by the
deck's scheduler. Switching a deck's scheduler, answers brought in from elsewhere and
evaluation all rebuild schedules this way; undo needs none of it (each answer keeps the
schedule it found)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from studycards.model import DeckSettings, Grade, Schedule
from studycards.scheduler.states import answer


@dataclass(frozen=True, slots=True)
class Answer:
    """What the log keeps of one answer that a replay needs."""

    grade: Grade
    at: datetime
    day: date  # the study day it counted for, as its deck's rollover hour made it then


def replay(answers: Iterable[Answer], settings: DeckSettings) -> Schedule:
    """The schedule `answers` (oldest first) leave a new card with under `settings`."""
    schedule = Schedule()
    for given in answers:
        schedule = answer(schedule, given.grade, given.at, given.day, settings)
    return schedule
