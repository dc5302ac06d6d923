"""`studycards evaluate` on a synthetic 50,000-review log: 4,000 cards over a year, a learner
whose memory follows FSRS-6 (parameters of its own), reviewing on SM-2's schedule.

Times the library call (reading the CSV, five folds fitted with fsrs-rs, every model
predicted and scored), its parts, and the whole command as a user runs it; prints the scores.

Usage: python benchmarks/bench_evaluate.py [REVIEWS] [CARDS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from synthetic_revlog import simulate, write_revlog
from timing import whole_process

from studycards.collection.evaluating import evaluate_revlog, histories
from studycards.evaluation.fitting import fit_parameters
from studycards.evaluation.items import Answer, scored_items, time_series_split
from studycards.evaluation.scoring import evaluate
from studycards.scheduler.day import study_day


def main() -> None:
    reviews = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    cards = int(sys.argv[2]) if len(sys.argv) > 2 else 4_000
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        rows = simulate(cards, days=365, seed=2024, limit=reviews)
        path = write_revlog(Path(folder) / "revlog.csv", rows)
        made = time.perf_counter() - started
        print(f"log: {len(rows)} reviews of {len({row[0] for row in rows})} cards ({made:.1f} s)")

        started = time.perf_counter()
        evaluation = evaluate_revlog(path, "UTC", 4)
        total = time.perf_counter() - started
        print(f"evaluate (library, all five folds fitted): {total:.2f} s")

        parsed = histories(
            (card, Answer(at, study_day(datetime.fromtimestamp(at / 1000, UTC)).toordinal(), r))
            for card, at, r, _, _ in rows
        )
        items = scored_items(parsed)
        started = time.perf_counter()
        evaluate(parsed, fit=None)
        print(f"  of which scoring without fitting: {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        for fold in time_series_split(len(items)):
            fit_parameters(parsed, items[: fold.start])
        print(f"  of which fitting the five folds (fsrs-rs): {time.perf_counter() - started:.2f} s")

        command = [sys.executable, "-m", "studycards", "evaluate", "--revlog", str(path)]
        seconds = whole_process(*command, "--timezone", "UTC")
        print(f"studycards evaluate --revlog (whole process): {seconds:.2f} s")

    print(f"scored reviews: {evaluation.scored}")
    print(f"{'model':<14}{'log loss':>10}{'RMSE(bins)':>12}{'AUC':>8}")
    for name, score in evaluation.scores.items():
        if score is None:
            print(f"{name:<14}{'—':>10}{'—':>12}{'—':>8}")
            continue
        auc = "—" if score.auc is None else f"{score.auc:.4f}"
        print(f"{name:<14}{score.log_loss:>10.4f}{score.rmse_bins:>12.4f}{auc:>8}")


if __name__ == "__main__":
    main()
