"""srs-benchmark's metrics: log loss, RMSE(bins) and AUC, over pooled fold predictions.

Followed from open-spaced-repetition/srs-benchmark (`utils.py`: `evaluate`, `rmse_matrix`):
log loss is scikit-learn's `log_loss` (p clipped to [eps, 1 - eps], eps the float64 machine
epsilon); AUC is `roc_auc_score` (tied scores share their average rank; undefined when only
one label occurs); RMSE(bins) groups reviews by binned delta_t, review count and lapses, and
takes the review-weighted root mean square of (mean label - mean p) over the groups.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

from studycards.evaluation.items import Item

EPS = sys.float_info.epsilon


def log_loss(labels: Sequence[int], probabilities: Sequence[float]) -> float:
    """Mean binary cross-entropy: how surprised the model is by what happened, on average."""
    total = 0.0
    for label, p in zip(labels, probabilities, strict=True):
        p = min(max(p, EPS), 1 - EPS)
        total -= math.log(p) if label else math.log(1 - p)
    return total / len(labels)


def auc(labels: Sequence[int], probabilities: Sequence[float]) -> float | None:
    """ROC AUC: the chance a recalled review got a higher p than a forgotten one, ties
    counting half (Mann-Whitney U over average ranks). None when only one label occurs."""
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return None
    order = sorted(range(len(probabilities)), key=probabilities.__getitem__)
    rank_sum = 0.0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and probabilities[order[end + 1]] == probabilities[order[start]]:
            end += 1
        average_rank = (start + end) / 2 + 1  # ranks from 1
        rank_sum += average_rank * sum(labels[order[k]] for k in range(start, end + 1))
        start = end + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def _exponent(value: float, base: float) -> int:
    return math.floor(math.log(value) / math.log(base))


def delta_t_bin(delta_t: float) -> float:
    """srs-benchmark's delta_t bin: 2.48 * 3.62^floor(log_3.62 delta_t), to 2 decimals."""
    return round(2.48 * 3.62 ** _exponent(delta_t, 3.62), 2)


def reviews_bin(reviews: int) -> float:
    """srs-benchmark's review-count (`i`) bin: 1.99 * 1.89^floor(log_1.89 i), rounded."""
    return round(1.99 * 1.89 ** _exponent(reviews, 1.89))


def lapses_bin(lapses: int) -> float:
    """srs-benchmark's lapse bin: 0 for none, else 1.65 * 1.73^floor(log_1.73 lapses)."""
    return round(1.65 * 1.73 ** _exponent(lapses, 1.73)) if lapses else 0


def bin_of(item: Item) -> tuple[float, float, float]:
    """The RMSE(bins) group of a scored review."""
    return delta_t_bin(item.delta_t), reviews_bin(item.reviews), lapses_bin(item.lapses)


def rmse_bins(items: Sequence[Item], probabilities: Sequence[float]) -> float:
    """Root mean square of (mean label - mean p) over the bins, each weighted by its reviews:
    calibration where reviews are alike, which one good average cannot fake."""
    sums: dict[tuple[float, float, float], list[float]] = {}
    for item, p in zip(items, probabilities, strict=True):
        group = sums.setdefault(bin_of(item), [0.0, 0.0, 0.0])
        group[0] += item.label
        group[1] += p
        group[2] += 1
    squares = sum(count * (labels / count - ps / count) ** 2 for labels, ps, count in sums.values())
    return math.sqrt(squares / len(items))
