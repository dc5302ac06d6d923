"""Fitting FSRS's parameters to review histories with fsrs-rs (`fsrs-rs-python`), the Rust
optimizer Anki uses. An optional dependency (the `optimize` extra): loaded only here.

Training items are built as Anki and fsrs-rs-python's `examples/train_csv.py` build them:
each card's reviews become `FSRSReview(rating, delta_t)` (delta_t in study days, 0 for the
first and for same-day reviews), and every review at least a day after the one before ends
one `FSRSItem`: the card's reviews up to and including it. Items go in time order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from studycards.errors import OptimizerMissingError
from studycards.evaluation.items import History, Item, scored_items

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSReview

DECIMALS = 4


def require_optimizer() -> None:
    """Raise `OptimizerMissingError` unless fsrs-rs can be loaded: `optimize` says so before
    it reads any history, not once there is enough of it to fit."""
    try:
        import fsrs_rs_python  # noqa: F401
    except ImportError:
        raise OptimizerMissingError from None


def fit_parameters(
    histories: Sequence[History], items: Sequence[Item] | None = None
) -> tuple[float, ...]:
    """FSRS parameters fitted to `histories`: to the reviews `items` (scored items of these
    histories, say a fold's training part), or to every long-term review for None. With too
    little to learn from, fsrs-rs answers with its defaults."""
    try:
        from fsrs_rs_python import FSRS, FSRSItem
    except ImportError:
        raise OptimizerMissingError from None
    if items is None:
        items = scored_items(histories)
    reviews: dict[int, list[FSRSReview]] = {}
    training = []
    for item in items:
        if item.history not in reviews:
            reviews[item.history] = _reviews(histories[item.history])
        training.append(FSRSItem(reviews[item.history][: item.index + 1]))
    if not training:
        return ()
    # fsrs-rs works in 32-bit floats: 0.8, an upper bound, comes back as 0.80000001, which
    # py-fsrs refuses; four decimals (as Anki keeps them) give the bound itself back.
    return tuple(round(weight, DECIMALS) for weight in FSRS([]).compute_parameters(training))


def _reviews(history: History) -> list[FSRSReview]:
    """A card's reviews as fsrs-rs takes them: rating and study days since the previous one."""
    from fsrs_rs_python import FSRSReview

    reviews = []
    last_day: int | None = None
    for answer in history.answers:
        delta_t = 0 if last_day is None else max(0, answer.day - last_day)
        reviews.append(FSRSReview(answer.rating, delta_t))
        last_day = answer.day if last_day is None else max(last_day, answer.day)
    return reviews
