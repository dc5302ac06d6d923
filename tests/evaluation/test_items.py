"""Which reviews are scored, with what features, and the time-series split."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycards.evaluation.items import Answer, History, Item, scored_items, time_series_split


def history(card: int, *answers: tuple[int, int], start: int = 0) -> History:
    """Answers as (day, rating), an hour apart from `start`."""
    return History(
        card,
        tuple(
            Answer(start + n * 3_600_000, day, rating) for n, (day, rating) in enumerate(answers)
        ),
    )


def test_only_first_of_day_reviews_a_day_or_more_later_are_scored():
    card = history(7, (10, 3), (10, 1), (11, 1), (11, 3), (15, 3), (15, 2))
    assert scored_items([card]) == [
        Item(0, 2, 2 * 3_600_000, delta_t=1, label=0, reviews=2, lapses=0),
        Item(0, 4, 4 * 3_600_000, delta_t=4, label=1, reviews=3, lapses=1),
    ]


def test_a_new_cards_first_again_and_same_day_agains_are_no_lapses():
    card = history(1, (1, 1), (1, 1), (2, 3), (2, 1), (5, 3))
    assert [(item.reviews, item.lapses) for item in scored_items([card])] == [(2, 0), (3, 0)]


def test_items_are_in_time_order_across_cards():
    late = history(1, (1, 3), (3, 3), start=1_000)
    early = history(2, (1, 3), (2, 3), start=0)
    assert [(item.history, item.index) for item in scored_items([late, early])] == [
        (1, 1),
        (0, 1),
    ]


def test_the_split_is_scikit_learns_time_series_split():
    # 14 reviews: segments of 14 // 6 = 2, the remainder in the first (training-only) one
    folds = time_series_split(14)
    assert [(fold.start, fold.end) for fold in folds] == [
        (4, 6),
        (6, 8),
        (8, 10),
        (10, 12),
        (12, 14),
    ]
    assert [(fold.start, fold.end) for fold in time_series_split(6)] == [
        (1, 2),
        (2, 3),
        (3, 4),
        (4, 5),
        (5, 6),
    ]


def test_fewer_reviews_than_segments_cannot_be_split():
    with pytest.raises(ValueError, match="5 scored reviews"):
        time_series_split(5)


@given(st.integers(6, 100_000))
def test_the_folds_are_equal_contiguous_and_end_at_the_last(count):
    folds = time_series_split(count)
    size = count // 6
    assert all(fold.end - fold.start == size for fold in folds)
    assert all(a.end == b.start for a, b in itertools.pairwise(folds))
    assert folds[-1].end == count
    assert size <= folds[0].start < size + 6
