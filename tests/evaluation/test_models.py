"""Each model's predictions for scored reviews."""

from __future__ import annotations

import pytest

from studycards.errors import OptimizerMissingError
from studycards.evaluation import scoring
from studycards.evaluation.items import scored_items
from studycards.evaluation.models import (
    average_predictions,
    fsrs_predictions,
    sm2_predictions,
)
from studycards.model import Grade
from studycards.scheduler import fsrs
from tests.evaluation.test_items import history


def test_sm2_predicts_from_the_interval_it_had_scheduled():
    # Good on day 0: interval 1; Good on day 1 (p = 0.9): interval 6; the same-day Again on
    # day 1 is a re-drill SM-2 never sees; day 10 is 9 days after: p = 0.9 ** (9 / 6)
    card = history(1, (0, 3), (1, 3), (1, 1), (10, 3))
    items = scored_items([card])
    assert sm2_predictions([card], items) == pytest.approx([0.9, 0.9**1.5])


def test_sm2_restarts_after_a_lapse():
    card = history(1, (0, 3), (1, 3), (7, 1), (9, 3))
    items = scored_items([card])
    assert sm2_predictions([card], items) == pytest.approx([0.9, 0.9, 0.9**2])


def test_fsrs_folds_every_review_through_the_adapter():
    card = history(1, (0, 1), (0, 3), (2, 3), (9, 4))
    items = scored_items([card])
    memory = fsrs.next_memory(None, Grade.AGAIN, 0, ())
    memory = fsrs.next_memory(memory, Grade.GOOD, 0, ())
    first = fsrs.recall_probability(memory, 2, ())
    memory = fsrs.next_memory(memory, Grade.GOOD, 2, ())
    second = fsrs.recall_probability(memory, 7, ())
    assert fsrs_predictions([card], items, ()) == [first, second]


def test_fsrs_predictions_of_a_subset_are_those_of_the_whole():
    cards = [history(n, (0, 3), (1, 3), (4, 2), (12, 1), (13, 3), start=n) for n in range(3)]
    items = scored_items(cards)
    whole = fsrs_predictions(cards, items, ())
    assert fsrs_predictions(cards, items[2:5], ()) == whole[2:5]


def test_the_average_is_the_training_parts_recall():
    cards = [history(1, (0, 3), (1, 3), (2, 1), (3, 3), (4, 3))]
    items = scored_items(cards)
    assert average_predictions(items[:3], items[3:]) == [2 / 3]


def test_without_the_optimizer_the_fitted_model_is_left_out_and_said_so():
    cards = [history(n, *[(day, 3) for day in range(0, 20, 3)], start=n) for n in range(4)]

    def missing(histories, items):
        raise OptimizerMissingError

    evaluation = scoring.evaluate(cards, fit=missing)
    assert evaluation.scores["fsrs_fitted"] is None
    assert list(evaluation.scores) == ["sm2", "fsrs_default", "fsrs_fitted", "average"]
    assert "optimize" in evaluation.notes[0]
    assert evaluation.scored == 24 - 24 // 6 * 1  # 24 scored, the first segment trains only


def test_each_fold_fits_on_the_reviews_before_its_segment():
    cards = [history(n, *[(day, 3) for day in range(0, 30, 2)], start=n) for n in range(2)]
    seen: list[int] = []

    def fit(histories, items):
        seen.append(len(items))
        return ()

    evaluation = scoring.evaluate(cards, fit=fit)
    assert seen == [8, 12, 16, 20, 24]  # 28 scored: segments of 4, the first of 8
    assert evaluation.scores["fsrs_fitted"] == evaluation.scores["fsrs_default"]
