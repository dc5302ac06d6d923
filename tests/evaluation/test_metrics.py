"""srs-benchmark's metrics against small cases computed by hand."""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycards.evaluation.items import Item
from studycards.evaluation.metrics import (
    auc,
    delta_t_bin,
    lapses_bin,
    log_loss,
    reviews_bin,
    rmse_bins,
)


def item(delta_t: int, reviews: int, lapses: int, label: int) -> Item:
    return Item(0, 0, 0, delta_t, label, reviews, lapses)


def test_log_loss_is_the_mean_cross_entropy():
    # -(ln 0.8 + ln 0.6) / 2
    assert log_loss([1, 0], [0.8, 0.4]) == pytest.approx(0.3669845847)


def test_log_loss_clips_at_machine_epsilon():
    assert log_loss([1], [0.0]) == pytest.approx(-math.log(sys.float_info.epsilon))
    assert log_loss([0], [1.0]) == pytest.approx(36.04365338911715)
    assert log_loss([1, 0], [1.0, 0.0]) == pytest.approx(2.220446049250313e-16)


def test_auc_averages_ties():
    # pairs (recalled, forgotten): 0.5>0.1, 0.5=0.5 (half), 0.9>0.1, 0.9>0.5: 3.5 of 4
    assert auc([0, 0, 1, 1], [0.1, 0.5, 0.5, 0.9]) == 0.875
    assert auc([1, 0, 1, 0], [0.7, 0.7, 0.7, 0.7]) == 0.5
    assert auc([0, 1], [0.9, 0.1]) == 0.0


def test_auc_is_undefined_with_one_label():
    assert auc([1, 1], [0.2, 0.9]) is None
    assert auc([0], [0.2]) is None


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 5)), min_size=2, max_size=40))
def test_auc_counts_pairs(pairs):
    labels = [label for label, _ in pairs]
    scores = [score / 5 for _, score in pairs]
    positives = [s for label, s in zip(labels, scores, strict=True) if label]
    negatives = [s for label, s in zip(labels, scores, strict=True) if not label]
    if not positives or not negatives:
        assert auc(labels, scores) is None
        return
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    assert auc(labels, scores) == pytest.approx(wins / (len(positives) * len(negatives)))


@pytest.mark.parametrize(
    ("delta_t", "expected"),
    [(1, 2.48), (3, 2.48), (4, 8.98), (13, 8.98), (14, 32.5), (47, 32.5), (48, 117.65)],
)
def test_delta_t_bins(delta_t, expected):
    assert delta_t_bin(delta_t) == expected


@pytest.mark.parametrize(("reviews", "expected"), [(1, 2), (2, 4), (3, 4), (4, 7), (6, 7), (7, 13)])
def test_review_count_bins(reviews, expected):
    assert reviews_bin(reviews) == expected


@pytest.mark.parametrize(("lapses", "expected"), [(0, 0), (1, 2), (2, 3), (3, 5), (5, 5), (6, 9)])
def test_lapse_bins(lapses, expected):
    assert lapses_bin(lapses) == expected


def test_rmse_bins_weighs_each_bin_by_its_reviews():
    items = [
        item(1, 2, 0, 1),  # bin (2.48, 4, 0) ...
        item(3, 2, 0, 0),  # ... with this one: mean label 0.5, mean p 0.8, two reviews
        item(5, 2, 0, 1),  # bin (8.98, 4, 0): 1 - 0.6
        item(1, 3, 1, 1),  # bin (2.48, 4, 2): 1 - 0.5
    ]
    # sqrt((2 * 0.3^2 + 0.4^2 + 0.5^2) / 4)
    assert rmse_bins(items, [0.9, 0.7, 0.6, 0.5]) == pytest.approx(math.sqrt(0.1475))


def test_rmse_bins_forgives_what_evens_out_inside_a_bin():
    items = [item(2, 2, 0, 1), item(2, 2, 0, 0)]
    assert rmse_bins(items, [0.5, 0.5]) == 0.0
    assert rmse_bins(items, [1.0, 0.0]) == 0.0  # only the bin's means count
