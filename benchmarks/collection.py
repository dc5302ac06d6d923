"""A large collection for the benchmarks, built through the store's own write path.

Cards are spread over a small deck tree, then given a realistic mix of states: most in review
with due days around today, some being re-drilled, the rest new; plus a day's review log.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime
from pathlib import Path

from corpus import answer
from sqlmodel import Session

from studycards.model import CardDraft, SourceFile
from studycards.scheduler.day import study_day
from studycards.store.cards import write_files
from studycards.store.db import engine
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
                back=answer(rng).replace("\\n", "\n"),
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
            "UPDATE cards SET state = 1, queue = 1, last_day = ?, redrill_at = ? WHERE id % 50 = 7",
            (today, to_ms(now)),
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
