"""`studycards decks` on a 100,000-card collection: the counts query, and the whole command.

The collection comes from collection.py (a deck tree with a realistic mix of states).

Usage: python benchmarks/bench_decks.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from collection import build
from timing import whole_process

from studycards.store.db import connect
from studycards.store.due import deck_overview


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
        decks = (sys.executable, "-m", "studycards", "--collection", str(db_path), "decks")
        whole = [whole_process(*decks) for _ in range(5)]
    print(f"decks: {len(rows)}; due-count plan: {plan[0][-1]}")
    print(
        f"counts query: first {cold * 1000:.1f} ms, median {statistics.median(warm) * 1000:.1f} ms"
        "   [target: < 50 ms]"
    )
    print(f"`studycards decks` whole process: median of 5 {statistics.median(whole):.2f} s"
          "   [target: < 0.5 s]")  # fmt: skip


if __name__ == "__main__":
    main()
