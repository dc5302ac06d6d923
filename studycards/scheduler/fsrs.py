"""FSRS-6 through py-fsrs (`fsrs`), over study days: a pure adapter, no clock, no randomness.

py-fsrs counts the days since a card's last review in whole 24-hour periods of real time; Anki
and srs-benchmark count study days (a review at 23:00 and one at 09:00 the next morning are a
day apart). So py-fsrs is handed each study day's start as the moment of the review, and the
minutes of a learning step are added to the real time here. Intervals are not fuzzed: the same
card, day and answer always give the same due day, and a button's preview never lies.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from studycards.model import CardState, DeckSettings, Grade, Memory, Schedule, Sm2

if TYPE_CHECKING:
    import fsrs

Weights = tuple[float, ...] | None  # FSRS's 21 weights; () or None for the library's defaults
RATINGS = {Grade.AGAIN: 1, Grade.HARD: 2, Grade.GOOD: 3, Grade.EASY: 4}  # FSRS's ratings
GRADES = {rating: grade for grade, rating in RATINGS.items()}  # an FSRS (or Anki) rating's button
SM2_RETENTION = 0.9  # what an SM-2 interval is taken to have aimed at (Anki's default)
_S_MIN = 0.001  # FSRS-6's floor on stability


def answer(
    schedule: Schedule, grade: Grade, now: datetime, today: date, settings: DeckSettings
) -> Schedule:
    """The schedule after one answer under FSRS: learning and relearning steps as Anki takes
    them (a learning card that has lapsed relearns), then FSRS's interval for the deck's
    desired retention. `sm2.interval` keeps the days scheduled, `sm2.reps` the passes in a row,
    so that listings, stats and a switch back to SM-2 carry on from them."""
    from fsrs import Card, Rating, State

    if schedule.state is CardState.NEW:
        state, step = State.Learning, 0
    elif schedule.state is CardState.REVIEW:
        state, step = State.Review, None
    else:
        state, step = (State.Relearning if schedule.lapses else State.Learning), schedule.step
    memory = _starting_memory(schedule, settings.parameters)
    card = Card(
        card_id=1,  # unused, but py-fsrs would read the clock for a missing one
        state=state,
        step=step,
        stability=memory.stability if memory else None,
        difficulty=memory.difficulty if memory else None,
        due=_start_of(today),
        last_review=_start_of(schedule.last_day) if schedule.last_day else None,
    )
    after, _ = _scheduler(settings).review_card(card, Rating(RATINGS[grade]), _start_of(today))
    assert after.stability is not None and after.difficulty is not None
    wait = after.due - _start_of(today)
    memory = Memory(after.stability, after.difficulty)
    lapsed = grade is Grade.AGAIN and schedule.state is CardState.REVIEW
    lapses = schedule.lapses + lapsed
    reps = 0 if grade is Grade.AGAIN else schedule.sm2.reps + (schedule.last_day != today)
    if after.state is State.Review:
        sm2 = Sm2(reps, schedule.sm2.ease, wait.days)
        return Schedule(sm2, CardState.REVIEW, today + wait, 0, None, today, lapses, memory)
    sm2 = Sm2(reps, schedule.sm2.ease, schedule.sm2.interval)
    due = schedule.due or today
    step = after.step or 0
    return Schedule(sm2, CardState.LEARNING, due, step, now + wait, today, lapses, memory)


def next_memory(
    memory: Memory | None, grade: Grade, elapsed_days: int, parameters: Weights
) -> Memory:
    """FSRS's memory after one answer `elapsed_days` study days after the previous one (0: the
    same day, FSRS's short-term formula), whichever scheduler set the interval."""
    from fsrs import Card, Rating, State

    last = _ORIGIN
    card = Card(
        card_id=1,
        state=State.Review if memory else State.Learning,
        step=None if memory else 0,
        stability=memory.stability if memory else None,
        difficulty=memory.difficulty if memory else None,
        due=last,
        last_review=last if memory else None,
    )
    moment = last + timedelta(days=max(0, elapsed_days))  # < 0: a day back (a time zone crossed)
    after, _ = _memory_scheduler(parameters).review_card(card, Rating(RATINGS[grade]), moment)
    assert after.stability is not None and after.difficulty is not None
    return Memory(after.stability, after.difficulty)


def recall_probability(memory: Memory, elapsed_days: int, parameters: Weights) -> float:
    """FSRS's chance of recall `elapsed_days` (whole study days, as FSRS counts them) after the
    last review: its forgetting curve."""
    from fsrs import Card, State

    start = _ORIGIN
    card = Card(
        card_id=1,
        state=State.Review,
        stability=memory.stability,
        difficulty=memory.difficulty,
        last_review=start,
        due=start,
    )
    moment = start + timedelta(days=max(0, elapsed_days))
    return _memory_scheduler(parameters).get_card_retrievability(card, moment)


def forgetting_curve(parameters: Weights) -> Callable[[float, float], float]:
    """FSRS-6's chance of recall after `elapsed` days of a memory of `stability`, as a plain
    function: the stats screen asks it of every card, too many for a py-fsrs card each."""
    decay, factor = _curve(parameters or _default_parameters())

    def recall(elapsed: float, stability: float) -> float:
        return float((1 + factor * max(0.0, elapsed) / max(stability, _S_MIN)) ** decay)

    return recall


def _curve(w: Sequence[float]) -> tuple[float, float]:
    """The forgetting curve's exponent and factor (recall is 90% after `stability` days)."""
    decay = -w[20]
    return decay, 0.9 ** (1 / decay) - 1


def memory_from_sm2(sm2: Sm2, parameters: Weights) -> Memory:
    """A memory for a card with an SM-2 state but no history to replay: the stability whose
    forgetting curve reaches `SM2_RETENTION` at the SM-2 interval, the difficulty its ease
    implies (the fsrs-rs conversion that Anki uses when it switches a card to FSRS)."""
    w = parameters or _default_parameters()
    decay, factor = _curve(w)
    stability = max(sm2.interval, _S_MIN) * factor / (SM2_RETENTION ** (1 / decay) - 1)
    curve = math.exp(w[8]) * stability ** -w[9] * math.expm1((1 - SM2_RETENTION) * w[10])
    difficulty = 11 - (sm2.ease - 1) / curve
    return Memory(stability, min(10.0, max(1.0, difficulty)))


def parameter_problem(parameters: tuple[float, ...]) -> str | None:
    """What is wrong with a set of FSRS weights (count, bounds), as py-fsrs says; None if
    nothing."""
    from fsrs import Scheduler

    try:
        Scheduler(parameters=parameters, enable_fuzzing=False)
    except ValueError as err:
        return " ".join(str(err).split())
    return None


def _starting_memory(schedule: Schedule, parameters: Weights) -> Memory | None:
    """The card's memory; one in review without one (no history) starts from its SM-2 state."""
    if schedule.memory is None and schedule.state is CardState.REVIEW:
        return memory_from_sm2(schedule.sm2, parameters)
    return schedule.memory


def _start_of(day: date) -> datetime:
    """A study day as the moment py-fsrs takes a review at: day differences stay exact."""
    return datetime.combine(day, time(), UTC)


_ORIGIN = _start_of(date.min)  # a memory's own clock: any gap of days up to 9999 fits after it


def _default_parameters() -> tuple[float, ...]:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return tuple(DEFAULT_PARAMETERS)


def _scheduler(settings: DeckSettings) -> fsrs.Scheduler:
    return _cached_scheduler(
        settings.parameters,
        settings.desired_retention,
        settings.learning_steps,
        settings.relearning_steps,
        settings.maximum_interval,
    )


def _memory_scheduler(parameters: Weights) -> fsrs.Scheduler:
    """py-fsrs's scheduler for the memory and the forgetting curve alone: steps, retention
    and the longest interval play no part in them."""
    return _cached_scheduler(parameters, 0.9, (), (), 36500)


@lru_cache(maxsize=64)
def _cached_scheduler(
    parameters: Weights,
    desired_retention: float,
    learning_steps: tuple[timedelta, ...],
    relearning_steps: tuple[timedelta, ...],
    maximum_interval: int,
) -> fsrs.Scheduler:
    """py-fsrs's scheduler for these settings, built once (it checks its parameters)."""
    from fsrs import Scheduler

    return Scheduler(
        parameters=parameters or _default_parameters(),
        desired_retention=desired_retention,
        learning_steps=learning_steps,
        relearning_steps=relearning_steps,
        maximum_interval=maximum_interval,
        enable_fuzzing=False,
    )
