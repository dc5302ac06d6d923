"""`studycards decks` on a 100,000-card collection: the counts query, and the whole command.

The collection is built through the store's own write path (no question files needed), spread
over a small deck tree, then given a realistic mix of states: most cards in review with due
days around today, some being re-drilled, the rest new; plus a day's worth of review log.

Usage: python benchmarks/bench_decks.py [N]
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from studycards.model import CardDraft, SourceFile
from studycards.scheduler.day import study_day
from studycards.store.cards import write_files
from studycards.store.db import connect, engine
from studycards.store.queries import deck_overview
from studycards.store.rows import to_ms

DECKS = ["Medicine", "Medicine::Oncology", "Medicine::Cardiology", "Biology", "Chemistry",
         "Languages::Spanish", "Languages::German", "History"]  # fmt: skip
PER_FILE = 1000


def build(db_path: Path, count: int, now: datetime) -> None:
    rng = random.Random(4)
    db = engine(db_path)
    for first in range(0, count, PER_FILE):
        cards = tuple(
            CardDraft(
                key=f"id:{number}",
                deck=DECKS[number % len(DECKS)],
                front=f"Question {number}: what does {rng.random():.6f} stand for?",
                back=f"Answer {number}. " * 20,
                source=f"/bench/file-{first}.md",
                tags=("bench",),
            )
            for number in range(first, min(first + PER_FILE, count))
        )
        with Session(db) as session, session.begin():
            write_files(
                session, [SourceFile(f"/bench/file-{first}.md", "x", cards)], to_ms(now), {}
            )
    db.dispose()
    today = study_day(now).toordinal()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE cards SET state = 2, queue = 2, reps = 3, interval = 10,"
            " due = ? + (abs(random()) % 60) - 20 WHERE id % 10 < 7",
            (today,),
        )
        conn.execute(
            "UPDATE cards SET state = 1, queue = 1, last_day = ? WHERE id % 50 = 7", (today,)
        )
        conn.execute(
            "INSERT INTO reviews (card_id, reviewed_at, day, grade, duration_ms,"
            " before_state, before_reps, before_ease, before_interval, before_step,"
            " before_lapses, after_state, after_reps, after_ease, after_interval, after_step,"
            " after_lapses) SELECT id, ?, ?, 4, 5000, 2, 2, 2.5, 6, 0, 0, 2, 3, 2.5, 15, 0, 0"
            " FROM cards WHERE id % 100 = 1",
            (to_ms(now), today),
        )
    conn.close()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    now = datetime.now().astimezone().replace(hour=12)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp, "collection.sqlite")
        started = time.perf_counter()
        build(db_path, count, now)
        print(f"built a {count:,}-card collection in {time.perf_counter() - started:.1f} s")
        conn = connect(db_path)
        started = time.perf_counter()
        rows = deck_overview(conn, now)
        cold = time.perf_counter() - started
        warm = []
        for _ in range(20):
            started = time.perf_counter()
            deck_overview(conn, now)
            warm.append(time.perf_counter() - started)
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM cards"
            " WHERE deck_id = 1 AND queue = 2 AND due <= 1"
        ).fetchall()
        conn.close()
        whole = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(
                (sys.executable, "-m", "studycards", "--collection", str(db_path), "decks"),
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            whole.append(time.perf_counter() - started)
    print(f"decks: {len(rows)}; due-count plan: {plan[0][-1]}")
    print(
        f"counts query: first {cold * 1000:.1f} ms, median {statistics.median(warm) * 1000:.1f} ms"
        "   [target: < 50 ms]"
    )
    print(f"`studycards decks` whole process: median of 5 {statistics.median(whole):.2f} s"
          "   [target: < 0.5 s]")  # fmt: skip


if __name__ == "__main__":
    main()
