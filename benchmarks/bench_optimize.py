"""`studycards optimize` on a collection whose log holds 50,000 answers: 4,000 cards over a
year of a synthetic learner (memory by FSRS-6 with weights of its own, intervals by SM-2).

Times the whole command as a user runs it: reading the log, fitting with fsrs-rs, scoring the
weights before and after, storing them and recomputing every answered card's memory.

Usage: python benchmarks/bench_optimize.py [REVIEWS] [CARDS]
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from collection import build
from synthetic_revlog import LEARNER, simulate
from timing import whole_process

from studycards.model import Schedule
from studycards.scheduler.fsrs import GRADES
from studycards.store.rows import schedule_columns


def main() -> None:
    reviews = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    cards = int(sys.argv[2]) if len(sys.argv) > 2 else 4_000
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder, "collection.sqlite")
        build(db_path, cards, datetime.now().astimezone())
        log = simulate(cards, days=365, seed=2024, limit=reviews)
        columns = schedule_columns(Schedule(), "before_") | schedule_columns(Schedule(), "after_")
        conn = sqlite3.connect(db_path)
        with conn:
            conn.execute("DELETE FROM reviews")
            conn.executemany(
                f"INSERT INTO reviews (card_id, reviewed_at, day, grade, duration_ms,"
                f" {', '.join(columns)}) VALUES (?, ?, ?, ?, ?, {', '.join('?' * len(columns))})",
                [
                    (card, at, _day(at), int(GRADES[rating]), duration, *columns.values())
                    for card, at, rating, _, duration in log
                ],
            )
        conn.close()
        command = (sys.executable, "-m", "studycards", "--collection", str(db_path), "optimize")
        seconds = whole_process(*command)
        conn = sqlite3.connect(db_path)
        weights = {json.loads(w)[20] if w != "[]" else None for (w,) in
                   conn.execute("SELECT parameters FROM decks")}  # fmt: skip
        conn.close()
    print(f"{len(log):,} answers of {cards:,} cards")
    print(f"studycards optimize (whole process): {seconds:.2f} s   [target: < 5 s]")
    print(f"fitted decay (w20): {weights}; the learner's {LEARNER[20]}, FSRS's default 0.1542")


def _day(ms: int) -> int:
    return (datetime.fromtimestamp(ms / 1000, UTC) - timedelta(hours=4)).date().toordinal()


if __name__ == "__main__":
    main()
