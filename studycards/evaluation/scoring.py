"""Every model scored on one history: srs-benchmark's five time-series folds, pooled.

Followed from open-spaced-repetition/srs-benchmark (`other.py`: `process`, `baseline`,
`process_untrainable`): the models that learn (FSRS fitted, the average) learn on each fold's
earlier part and predict its segment; those that do not (SM-2, FSRS's defaults) predict every
scored segment as it is; the predictions of the five segments are pooled, then scored once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from studycards.errors import NotEnoughHistoryError, OptimizerMissingError
from studycards.evaluation.fitting import fit_parameters
from studycards.evaluation.items import SPLITS, History, Item, scored_items, time_series_split
from studycards.evaluation.metrics import auc, log_loss, rmse_bins
from studycards.evaluation.models import average_predictions, fsrs_predictions, sm2_predictions
from studycards.model import Evaluation, Optimization, Score

MODELS = ("sm2", "fsrs_default", "fsrs_fitted", "average")
Fitter = Callable[[Sequence[History], Sequence[Item]], tuple[float, ...]]
ENOUGH_TO_FIT = 400  # scored reviews; fewer fit noise (Anki asks for some hundreds too)
FITTED_NEEDS = "fsrs_fitted needs the optimize extra: pip install -e '.[optimize]'"


def score(items: Sequence[Item], probabilities: Sequence[float]) -> Score:
    """The three metrics of one model's pooled predictions."""
    labels = [item.label for item in items]
    return Score(
        log_loss(labels, probabilities), rmse_bins(items, probabilities), auc(labels, probabilities)
    )


def evaluate(
    histories: Sequence[History], fit: Fitter | None = fit_parameters, skipped: int = 0
) -> Evaluation:
    """Scores of every model on `histories` (fsrs_fitted None where `fit` cannot run)."""
    items = scored_items(histories)
    if len(items) < SPLITS + 1:
        raise NotEnoughHistoryError(len(items), SPLITS + 1)
    folds = time_series_split(len(items))
    tested = items[folds[0].start :]
    scores: dict[str, Score | None] = {
        "sm2": score(tested, sm2_predictions(histories, tested)),
        "fsrs_default": score(tested, fsrs_predictions(histories, tested, ())),
    }
    notes: list[str] = []
    try:
        fitted = _fitted_predictions(histories, items, fit) if fit else None
    except OptimizerMissingError:
        fitted = None
    if fitted is None:
        notes.append(FITTED_NEEDS)
    scores["fsrs_fitted"] = score(tested, fitted) if fitted is not None else None
    average = [
        p
        for fold in folds
        for p in average_predictions(items[: fold.start], items[fold.start : fold.end])
    ]
    scores["average"] = score(tested, average)
    return Evaluation(len(tested), scores, skipped, tuple(notes))


def _fitted_predictions(
    histories: Sequence[History], items: Sequence[Item], fit: Fitter
) -> list[float]:
    """FSRS with parameters fitted on each fold's earlier part, predicting its segment."""
    predictions: list[float] = []
    for fold in time_series_split(len(items)):
        parameters = fit(histories, items[: fold.start])
        predictions += fsrs_predictions(histories, items[fold.start : fold.end], parameters)
    return predictions


def optimize(
    histories: Sequence[History], current: tuple[float, ...], fit: Fitter = fit_parameters
) -> Optimization:
    """FSRS weights fitted to the whole of `histories`, scored against `current` on the same
    reviews. Too few reviews, or weights that predict worse: `current` stays (`kept` says
    why), as Anki keeps a deck's weights then."""
    items = scored_items(histories)
    if not items:
        return Optimization(0, None, None, current, "no review a day or more after another yet")
    before = score(items, fsrs_predictions(histories, items, current))
    if len(items) < ENOUGH_TO_FIT:
        kept = f"{len(items)} reviews a day or more apart; fitting needs {ENOUGH_TO_FIT}"
        return Optimization(len(items), before, None, current, kept)
    fitted = fit(histories, items)
    if fitted == current:
        return Optimization(len(items), before, before, current, "they are already these")
    after = score(items, fsrs_predictions(histories, items, fitted))
    if after.log_loss > before.log_loss:
        kept = "the fitted weights predict your history worse than the present ones"
        return Optimization(len(items), before, after, current, kept)
    return Optimization(len(items), before, after, fitted)
