"""The migrations since schema 5 (FSRS's columns, Anki's review ids, the search index, the
stats' tally, the leech settings) on a large collection, and what migration 6 leaves for later:
an answered card's memory, computed from its answers when it is next shown.

A 100,000-card collection with ten answers per card (1,000,000 in the review log), made as
schema 5 left collections (migration 6's columns dropped), then opened: the whole migration
runs in that one `connect`, as on a user's first run of this version. Then the first card of a
review session is shown (its memory computed from its ten answers for the previews).

Usage: python benchmarks/bench_migration.py [CARDS] [ANSWERS_PER_CARD]
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from collection import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' downgrade
from studycards.collection.reviewing import StudySession
from studycards.model import Grade
from studycards.store.db import connect
from studycards.store.rows import to_ms
from tests.conftest import downgrade


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    per_card = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp, "collection.sqlite")
        build(db_path, count, now)
        conn = sqlite3.connect(db_path, isolation_level=None)
        conn.execute("DELETE FROM reviews")
        conn.execute("BEGIN")
        for nth in range(per_card):  # a review every few days, grades mostly Good
            conn.execute(
                "INSERT INTO reviews (card_id, reviewed_at, day, grade, duration_ms,"
                " before_state, before_reps, before_ease, before_interval, before_step,"
                " before_lapses, after_state, after_reps, after_ease, after_interval,"
                " after_step, after_lapses) SELECT id, ?, ?, CASE WHEN (id + ?) % 7 = 0"
                " THEN 1 ELSE 4 END, 5000, 2, 2, 2.5, 6, 0, 0, 2, 3, 2.5, 15, 0, 0 FROM cards",
                (to_ms(now), 739000 + nth * (1 + nth), nth),
            )
        conn.execute("COMMIT")
        downgrade(conn, 5)  # as schema 5 left collections: every later migration still to run
        answers = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        conn.close()
        started = time.perf_counter()
        connect(db_path).close()
        took = time.perf_counter() - started
        session = StudySession(db_path, "Medicine", now)
        queued = session.queue.next_card(now)
        assert queued is not None and queued.schedule.memory is None
        started = time.perf_counter()
        shown = session.show(queued, now)
        show_s = time.perf_counter() - started
        assert shown.outcomes[Grade.GOOD].memory is not None
        session.close()
    print(f"{count:,} cards, {answers:,} answers: migrations 6-10 took {took * 1000:.0f} ms")
    print(f"showing a card answered before it (memory from its answers): {show_s * 1000:.1f} ms")


if __name__ == "__main__":
    main()
