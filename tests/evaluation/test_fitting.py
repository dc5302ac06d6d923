"""Fitting FSRS with fsrs-rs: items as Anki builds them, parameters py-fsrs accepts."""

from __future__ import annotations

import pytest

from benchmarks.synthetic_revlog import simulate
from studycards.collection.evaluating import histories
from studycards.evaluation.fitting import fit_parameters
from studycards.evaluation.items import Answer, scored_items
from studycards.model import Memory
from studycards.scheduler import fsrs

pytest.importorskip("fsrs_rs_python")


def learner_histories():
    rows = simulate(cards=200, days=200, seed=3)
    return histories(
        (card, Answer(at, at // 86_400_000, rating)) for card, at, rating, _, _ in rows
    )


def test_fitted_parameters_are_21_that_the_scheduler_accepts():
    cards = learner_histories()
    parameters = fit_parameters(cards)
    assert len(parameters) == 21
    assert all(round(weight, 4) == weight for weight in parameters)
    assert 0 < fsrs.recall_probability(Memory(5.0, 5.0), 3, parameters) < 1
    assert parameters == fit_parameters(cards)  # seeded: the same history, the same fit


def test_one_item_per_long_term_review_in_time_order(monkeypatch):
    import fsrs_rs_python

    built: list[list[tuple[int, int]]] = []

    class Recorder:
        def __init__(self, parameters):
            pass

        def compute_parameters(self, items):
            built.extend(items)
            return [0.5] * 21

    monkeypatch.setattr(fsrs_rs_python, "FSRS", Recorder)
    monkeypatch.setattr(fsrs_rs_python, "FSRSItem", list)
    monkeypatch.setattr(fsrs_rs_python, "FSRSReview", lambda rating, delta_t: (rating, delta_t))
    cards = histories(
        [(1, Answer(0, 10, 1)), (1, Answer(1, 10, 3)), (1, Answer(5, 12, 3)), (1, Answer(6, 12, 2)),
         (1, Answer(9, 20, 4)), (2, Answer(2, 11, 3)), (2, Answer(7, 14, 3))]
    )  # fmt: skip
    fit_parameters(cards)
    assert built == [
        [(1, 0), (3, 0), (3, 2)],  # card 1 on day 12 (time 5)
        [(3, 0), (3, 3)],  # card 2 on day 14 (time 7)
        [(1, 0), (3, 0), (3, 2), (2, 0), (4, 8)],  # card 1 on day 20 (time 9)
    ]
    assert len(built) == len(scored_items(cards))
