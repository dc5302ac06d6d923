"""Custom study on a 100,000-card collection: from asking for a session to its first card
(the queue built and the first card read, as the review screen's worker does), for each kind
of custom study, beside today's ordinary session.

The collection comes from collection.py (a deck tree with a realistic mix of states and a day
of answers; a tenth of those made Again here, for "forgotten"). Each figure is the median of 5
runs. A session holds at most 9,999 cards (as Anki's filtered decks): `chemotherapy` matches
94% of the cards, `is:review` 70%, `--ahead 7` a third.

Usage: python benchmarks/bench_custom_study.py [N]
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from collection import build

from studycards.collection.reviewing import StudySession
from studycards.model import Chosen, Cram, CustomStudy, ExtraNew, Forgotten, ReviewAhead


def first_card(db_path: Path, now: datetime, plan: CustomStudy | None) -> tuple[float, int]:
    """Seconds to the first card, and the session's size."""
    started = time.perf_counter()
    session = StudySession(db_path, None, now, plan)
    session.next_card(now)
    took = time.perf_counter() - started
    size = sum(session.queue.counts())
    session.close()
    return took, size


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    now = datetime.now().astimezone().replace(hour=12)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp, "collection.sqlite")
        build(db_path, count, now)
        with sqlite3.connect(db_path) as conn:
            conn.execute("UPDATE reviews SET grade = 1 WHERE card_id % 1000 = 1")
        plans: list[tuple[str, CustomStudy | None]] = [
            ("today's queue", None),
            ("--extra-new 100", ExtraNew(100)),
            ("--ahead 7", ReviewAhead(7)),
            ("--forgotten 7", Forgotten(7)),
            ("--cram chemotherapy", Cram("chemotherapy")),
            ("--cram is:review", Cram("is:review")),
            ("--cram deck:Biology is:due", Cram("deck:Biology is:due")),
            ("1,000 cards chosen", Chosen(tuple(range(1, 100_000, 100)))),
        ]
        print(f"{count:,} cards; to the first card, median of 5:")
        for label, plan in plans:
            runs = [first_card(db_path, now, plan) for _ in range(5)]
            took = statistics.median(run[0] for run in runs)
            print(f"  {label:28} {took * 1000:7.0f} ms   ({runs[0][1]:,} cards)")


if __name__ == "__main__":
    main()
