"""`studycards stats` on 100,000 cards and 1,000,000 answers: the library call (what the TUI's
stats screen waits for) and the whole command, for the collection and for one deck.

The collection comes from collection.py; ten answers per card are spread over the last year
(kinds, grades and intervals mixed), and a tenth of the cards get an FSRS memory.

Usage: python benchmarks/bench_stats.py [CARDS] [ANSWERS_PER_CARD]
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
from timing import whole_process

from studycards.collection.stats import collection_stats
from studycards.scheduler.day import study_day


def add_history(db_path: Path, per_card: int, now: datetime) -> int:
    today = study_day(now).toordinal()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("DELETE FROM reviews")
    conn.execute("BEGIN")
    for nth in range(per_card):
        conn.execute(
            "INSERT INTO reviews (card_id, reviewed_at, day, grade, duration_ms, before_state,"
            " before_reps, before_ease, before_interval, before_step, before_lapses,"
            " after_state, after_reps, after_ease, after_interval, after_step, after_lapses)"
            " SELECT id, 0, ? - (id * 7 + ? * 37) % 365, iif((id + ?) % 9 = 0, 1, 4),"
            " 4000 + id % 5000, (id + ?) % 3, 1, 2.5, (id * 13 + ?) % 60, 0, (id + ?) % 4 = 0,"
            " 2, 2, 2.5, 10, 0, 0 FROM cards",
            (today, nth, nth, nth, nth, nth),
        )
    conn.execute("UPDATE cards SET stability = 3 + id % 90, difficulty = 1 + id % 9,"
                 " last_day = ? - id % 40 WHERE id % 10 = 3", (today,))  # fmt: skip
    conn.execute("UPDATE decks SET scheduler = 'fsrs' WHERE name = 'Biology'")
    conn.execute("COMMIT")
    (answers,) = conn.execute("SELECT count(*) FROM reviews").fetchone()
    conn.close()
    return int(answers)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    per_card = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp, "collection.sqlite")
        build(db_path, count, now)
        answers = add_history(db_path, per_card, now)
        print(f"{count:,} cards, {answers:,} answers")
        for deck in (None, "Medicine"):
            calls = []
            for _ in range(5):
                started = time.perf_counter()
                collection_stats(db_path, now, deck)
                calls.append(time.perf_counter() - started)
            command = [sys.executable, "-m", "studycards", "--collection", str(db_path), "stats"]
            command += ["--deck", deck] if deck else []
            whole = [whole_process(*command) for _ in range(5)]
            what = f"deck {deck} (and children)" if deck else "the whole collection"
            print(
                f"{what}: library {statistics.median(calls) * 1000:.0f} ms"
                f" (first {calls[0] * 1000:.0f})   [TUI screen target: < 500 ms]; whole"
                f" `studycards stats` {statistics.median(whole):.2f} s   [target: < 1.0 s]"
            )


if __name__ == "__main__":
    main()
