"""The models' recall predictions for scored reviews: SM-2, FSRS, and the average recall.

Each walks a card's history once, in order, up to its last review to predict, folding every
review into the model's memory (same-day ones too, where the model has a use for them).
"""

from __future__ import annotations

from collections.abc import Sequence

from studycards.evaluation.items import History, Item
from studycards.model import Grade, Memory, Sm2
from studycards.scheduler import fsrs
from studycards.scheduler.fsrs import GRADES
from studycards.scheduler.sm2 import review

SM2_RETENTION = 0.9  # srs-benchmark's SM-2 baseline: p = 0.9 ** (delta_t / interval)
SM2_MAX_INTERVAL = 36500  # srs-benchmark's s_max; studycards' own default maximum interval


def _by_history(items: Sequence[Item]) -> dict[int, dict[int, int]]:
    """For each history, which of its answers to predict: answer index -> position in items."""
    wanted: dict[int, dict[int, int]] = {}
    for position, item in enumerate(items):
        wanted.setdefault(item.history, {})[item.index] = position
    return wanted


def sm2_predictions(histories: Sequence[History], items: Sequence[Item]) -> list[float]:
    """srs-benchmark's SM-2 baseline (`models/sm2.py`, `process_untrainable`): the interval
    SM-2 had scheduled before the review, from the card's first-of-day answers only (as
    studycards' same-day rule feeds SM-2), then p = 0.9 ** (delta_t / interval)."""
    predictions = [0.0] * len(items)
    for number, wanted in _by_history(items).items():
        state = Sm2()
        last_day: int | None = None
        last = max(wanted)
        for index, answer in enumerate(histories[number].answers[: last + 1]):
            if last_day is not None and answer.day <= last_day:
                continue  # a same-day re-drill: SM-2 does not see it
            if index in wanted:
                item = items[wanted[index]]
                predictions[wanted[index]] = SM2_RETENTION ** (item.delta_t / state.interval)
            state = review(state, GRADES[answer.rating])
            if state.interval > SM2_MAX_INTERVAL:
                state = Sm2(state.reps, state.ease, SM2_MAX_INTERVAL)
            last_day = answer.day
    return predictions


def fsrs_predictions(
    histories: Sequence[History], items: Sequence[Item], parameters: tuple[float, ...]
) -> list[float]:
    """FSRS's recall probability before each review, its memory folded from every earlier
    review of the card (same-day ones through FSRS's short-term formula), as srs-benchmark's
    FSRS-6 reads a history; `parameters` () are the library's defaults."""
    predictions = [0.0] * len(items)
    for number, wanted in _by_history(items).items():
        memory: Memory | None = None
        last_day: int | None = None
        last = max(wanted)
        for index, answer in enumerate(histories[number].answers[: last + 1]):
            elapsed = 0 if last_day is None else max(0, answer.day - last_day)
            if index in wanted:
                assert memory is not None  # a scored review is never a card's first
                predictions[wanted[index]] = fsrs.recall_probability(memory, elapsed, parameters)
            if index < last:
                grade: Grade = GRADES[answer.rating]
                memory = fsrs.next_memory(memory, grade, elapsed, parameters)
            last_day = answer.day if last_day is None else max(last_day, answer.day)
    return predictions


def average_predictions(train: Sequence[Item], items: Sequence[Item]) -> list[float]:
    """srs-benchmark's AVG baseline (`baseline`): the training part's mean recall, for all."""
    mean = sum(item.label for item in train) / len(train)
    return [mean] * len(items)
