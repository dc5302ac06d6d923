"""`studycards anki pull` of 100,000 answers made in Anki to 10,000 studycards cards.

The cards are exported to Anki's own engine (the `anki` package), ten answers per card are
written into its review log over 300 days, and Anki packs the collection as a `.colpkg`
(zstd-compressed, its modern format). Times the whole pull as a user runs it, then a second
pull of the same file (every answer known already).

Usage: python benchmarks/bench_pull.py [CARDS] [ANSWERS_PER_CARD]
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from collection import build
from timing import whole_process

from studycards.collection.exporting import export_anki


def answer_in_anki(col: Collection, per_card: int, now: datetime) -> int:
    """Every card of the Anki collection answered `per_card` times, 30 days apart, written
    into its review log as one change (which a sync then sends); how many answers."""
    rng = random.Random(12)
    start_ms = int((now - timedelta(days=300)).timestamp() * 1000)
    rows = [
        (start_ms + nth * 30 * 86_400_000 + number * 7, card_id, -1,
         rng.choices((1, 2, 3, 4), (0.1, 0.1, 0.7, 0.1))[0], 1, 0, 2500, 6000, 1)
        for number, card_id in enumerate(col.find_cards(""))
        for nth in range(per_card)
    ]  # fmt: skip
    insert = "INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    col.db.transact(lambda: col.db.executemany(insert, rows))  # marks the collection changed
    return len(rows)


def main() -> None:
    cards = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    per_card = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        db_path = root / "collection.sqlite"
        build(db_path, cards, now - timedelta(days=400))
        export_anki(db_path, root / "deck.apkg", now)
        col = Collection(str(root / "phone.anki2"))
        col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(root / "deck.apkg"), options=ImportAnkiPackageOptions()
        ))  # fmt: skip
        answers = answer_in_anki(col, per_card, now)
        col.export_collection_package(str(root / "phone.colpkg"), include_media=False,
                                      legacy=False)  # fmt: skip
        pull = (sys.executable, "-m", "studycards", "--collection", str(db_path), "anki", "pull",
                str(root / "phone.colpkg"))  # fmt: skip
        first = whole_process(*pull)
        again = whole_process(*pull)
    print(f"{cards:,} cards, {answers:,} answers made in Anki (.colpkg)")
    print(f"studycards anki pull (whole process): {first:.2f} s")
    print(f"the same pull again (every answer known): {again:.2f} s")


if __name__ == "__main__":
    main()
