"""One answer applied to a card's schedule by its deck's scheduler (FSRS's own rules are in
`fsrs.py`; SM-2's, with its same-day rule, here), and daily limits.

The same-day rule (SM-2 step 7): every card graded below 4 comes back in the same session until
it scores at least 4. Only the first answer of a study day feeds SM-2 (repetitions, E-Factor,
interval, due day); the re-drills that follow only walk the deck's learning steps (the delays
before the card shows again) and clear the card from today's queue once it scores 4 or 5.

Re-drill steps: Again goes back to the first step; Hard, on a re-drill, moves on to the next
step (staying on the last); a first answer below 4 always starts at the first step.

A review card answered before it is due (review ahead, study now) grows from the days since
its last answer rather than from its interval, as Anki's early reviews do.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from studycards.model import CardState, DeckSettings, Grade, Schedule, Scheduler, Sm2
from studycards.scheduler import fsrs
from studycards.scheduler.sm2 import PASS, review


def is_leech(lapses: int, threshold: int) -> bool:
    """Whether a lapse that leaves a card at `lapses` makes it a leech, as Anki counts: at the
    threshold, then again every half threshold more."""
    return lapses >= threshold and (lapses - threshold) % max(1, threshold // 2) == 0


CLEARS_TODAY = 4  # SM-2 step 7: grades of 4 and 5 end the day's re-drills


def is_redrill(schedule: Schedule, today: date) -> bool:
    """True when the card already had its first answer of `today`: a re-drill after failing
    the day's bar, or a review card that a custom study shows again the same day. Only that
    first answer feeds SM-2."""
    return schedule.state is not CardState.NEW and schedule.last_day == today


def answer(
    schedule: Schedule, grade: Grade, now: datetime, today: date, settings: DeckSettings
) -> Schedule:
    """The schedule after one answer at `now`, on study day `today`, by the deck's scheduler."""
    if now.tzinfo is None:
        raise ValueError("answer needs an aware datetime")
    if settings.scheduler is Scheduler.FSRS:
        return fsrs.answer(schedule, grade, now, today, settings)
    return _sm2_answer(schedule, grade, now, today, settings)


def _sm2_answer(
    schedule: Schedule, grade: Grade, now: datetime, today: date, settings: DeckSettings
) -> Schedule:
    """SM-2 with its same-day rule. FSRS's memory is kept up beside it (it costs microseconds),
    so that a switch to FSRS starts from the card's whole history."""
    elapsed = (today - schedule.last_day).days if schedule.last_day else 0
    memory = fsrs.next_memory(schedule.memory, grade, elapsed, settings.parameters)
    redrill = is_redrill(schedule, today)
    if redrill:
        sm2, due, lapses = schedule.sm2, schedule.due, schedule.lapses
    else:
        sm2 = review(_grown_since(schedule, today), grade)
        sm2 = replace(sm2, interval=min(sm2.interval, settings.maximum_interval))
        due = today + timedelta(days=sm2.interval)
        lapses = schedule.lapses + (grade < PASS and schedule.state is CardState.REVIEW)
    if grade >= CLEARS_TODAY:
        return Schedule(sm2, CardState.REVIEW, due, 0, None, today, lapses, memory)
    steps = settings.learning_steps
    if grade is Grade.AGAIN or not redrill or schedule.state is not CardState.LEARNING:
        step = 0
    else:
        step = min(schedule.step + 1, max(len(steps) - 1, 0))
    delay = steps[step] if steps else timedelta(0)
    return Schedule(sm2, CardState.LEARNING, due, step, now + delay, today, lapses, memory)


def _grown_since(schedule: Schedule, today: date) -> Sm2:
    """The SM-2 state an answer grows from: a review card answered before it is due (review
    ahead, study now) grows from the days since its last answer, not from the interval it was
    given, as Anki's early reviews do; else the state as it is."""
    sm2, last = schedule.sm2, schedule.last_day
    if schedule.state is not CardState.REVIEW or last is None or not schedule.due:
        return sm2
    if today >= schedule.due:
        return sm2
    return replace(sm2, interval=max(1, min(sm2.interval, (today - last).days)))


def preview(
    schedule: Schedule, now: datetime, today: date, settings: DeckSettings
) -> dict[Grade, Schedule]:
    """What each button would do, through the very code that answers: the buttons never lie."""
    return {grade: answer(schedule, grade, now, today, settings) for grade in Grade}


def left_today(limit: int, done_today: int) -> int:
    """How many more cards a daily limit allows today."""
    return max(0, limit - done_today)


def within_limit(waiting: int, limit: int, done_today: int) -> int:
    """How many of `waiting` cards today may still show under a daily limit."""
    return min(waiting, left_today(limit, done_today))
