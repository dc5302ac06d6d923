"""`cards --search` on a 100,000-card collection: the library call for a first page of 50
rows, for representative queries, and indexing the cards anew (as migration 8 does).

The collection comes from collection.py (a deck tree with a realistic mix of states; every
card tagged `bench`, one in a hundred also `rare` here). Each figure is the median of 7 calls,
each opening the collection as the CLI does.

Usage: python benchmarks/bench_search.py [N]
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

from studycards.collection.browsing import search_cards

QUERIES = [
    "chemotherapy",
    "chemo",
    "metastasis lymphoma",
    '"immune response"',
    "deck:medicine",
    "deck:Languages::Spanish",
    "tag:bench",
    "tag:rare",
    "is:due",
    "is:new",
    "prop:ivl>=10",
    "prop:due<=3",
    "rated:1",
    "deck:medicine -is:new prop:ivl>=10 -tag:rare",
    "(chemotherapy or surgery) -deck:biology",
    "-(cancer or tumour)",
    "cancer -is:due -tag:rare",
]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    now = datetime.now().astimezone().replace(hour=12)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp, "collection.sqlite")
        started = time.perf_counter()
        build(db_path, count, now)
        conn = sqlite3.connect(db_path)
        with conn:
            conn.execute("UPDATE cards SET tags = 'bench rare' WHERE id % 100 = 3")
        conn.close()
        print(f"build {count} cards: {time.perf_counter() - started:.1f} s")
        for query in QUERIES:
            times = []
            for _ in range(7):
                started = time.perf_counter()
                page = search_cards(db_path, query, now, limit=50)
                times.append(time.perf_counter() - started)
            total = len(search_cards(db_path, query, now))
            median = statistics.median(times) * 1000
            print(f"{query:48} first {len(page):2} of {total:6}: {median:6.1f} ms")
        conn = sqlite3.connect(db_path)
        started = time.perf_counter()
        with conn:  # what migration 8 does to an older collection on its first opening
            conn.execute("INSERT INTO card_search(card_search) VALUES ('rebuild')")
        conn.close()
        print(f"indexing {count} cards anew: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
