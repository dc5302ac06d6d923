"""A review history as srs-benchmark reads it: which reviews are scored, with the features its
RMSE(bins) groups them by, and its time-series split.

Followed from open-spaced-repetition/srs-benchmark (`other.py`, `create_features_helper`):
- a review is scored when it is the card's first of a study day and at least one day after
  the card's previous review (`df[df["delta_t"] > 0]`); the label is `rating > 1` (`y`);
  same-day reviews stay in the history (`t_history` holds their 0) and feed the models;
- `i`, the review count of RMSE(bins), is 1 + the card's reviews on a later day than the one
  before, this one included (`(elapsed_days > 0).cumsum() + 1`): the study days it was seen;
- lapses (`count_lapse`) are earlier reviews rated Again that were at least a day after the
  one before (`t != "0" and r == "1"`): a new card's first Again and same-day Agains are not;
- the split is scikit-learn's `TimeSeriesSplit(n_splits=5)` over the scored reviews in time
  order (`sort_values(by=["review_th"])`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

AGAIN = 1  # FSRS's rating for a lapse; ratings run 1 (Again) to 4 (Easy)
SPLITS = 5  # srs-benchmark's n_splits: five folds scored, six segments


@dataclass(frozen=True, slots=True)
class Answer:
    """One review of a card: when (ms since the epoch), on which study day, with what rating."""

    at: int
    day: int  # study-day ordinal: days between reviews count study days, as in Anki
    rating: int  # FSRS rating 1..4


@dataclass(frozen=True, slots=True)
class History:
    """A card's reviews in time order."""

    card: int
    answers: tuple[Answer, ...]


@dataclass(frozen=True, slots=True)
class Item:
    """A scored review: where it sits (history and answer index), what it is scored on."""

    history: int  # index into the histories evaluated
    index: int  # index into that history's answers
    at: int
    delta_t: int  # study days since the card's previous review, >= 1
    label: int  # 1: recalled (rating > 1)
    reviews: int  # srs-benchmark's `i`
    lapses: int


def scored_items(histories: Sequence[History]) -> list[Item]:
    """Every scored review of `histories`, in time order (ties: card, then answer order)."""
    items: list[Item] = []
    for number, history in enumerate(histories):
        last_day: int | None = None
        days = lapses = 0
        for index, answer in enumerate(history.answers):
            if last_day is not None and answer.day > last_day:
                days += 1
                delta_t = answer.day - last_day
                label = int(answer.rating > AGAIN)
                items.append(Item(number, index, answer.at, delta_t, label, days, lapses))
                lapses += answer.rating == AGAIN
            elif last_day is None:
                days = 1
            last_day = answer.day if last_day is None else max(last_day, answer.day)
    items.sort(key=lambda item: (item.at, item.history, item.index))
    return items


@dataclass(frozen=True, slots=True)
class Fold:
    """One fold: the scored reviews it trains on (`[0, start)`) and scores (`[start, end)`)."""

    start: int
    end: int


def time_series_split(count: int, splits: int = SPLITS) -> list[Fold]:
    """scikit-learn's `TimeSeriesSplit(n_splits)` over `count` reviews in time order: six equal
    segments of `count // 6`, the remainder going to the first (training-only) one; fold k
    trains on everything before segment k and scores segment k."""
    if count < splits + 1:
        raise ValueError(f"{count} scored reviews cannot be split in {splits + 1} segments")
    size = count // (splits + 1)
    first = count - splits * size
    return [Fold(first + k * size, first + (k + 1) * size) for k in range(splits)]
