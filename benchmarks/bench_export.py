"""Export of 10,000 cards to an Anki package, side by side with Anki's own engine.

Each figure is a whole process, as a user waits for it:
- Anki: open a collection holding the same 10,000 notes (the studycards export imported into
  it) and call `Collection.export_anki_package` (its default modern format);
- studycards, first export: Markdown rendered (on every core) and cached (the cache is
  emptied before each of these rounds);
- studycards, again: the HTML comes from the cache.
The .apkg sizes are printed beside each other.

Usage: python benchmarks/bench_export.py [N]
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from corpus import write_corpus
from timing import whole_process

from studycards.collection.importing import ImportTarget, import_sources

ANKI_EXPORT = """
import sys
from anki.collection import Collection, ExportAnkiPackageOptions
col = Collection(sys.argv[1])
col.export_anki_package(out_path=sys.argv[2], options=ExportAnkiPackageOptions(), limit=None)
col.close()
"""


ROUNDS = 5


def forget_html(db: Path) -> None:
    """Empty the HTML cache, so that the next export renders every card again."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM html_cache")
    conn.close()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_corpus(root / "notes", count)
        db = root / "collection.sqlite"
        import_sources(db, [ImportTarget((root / "notes",))], datetime.now().astimezone())
        export = (sys.executable, "-m", "studycards", "--collection", str(db), "export", "--force")
        ours = root / "studycards.apkg"
        first = []
        for _ in range(ROUNDS):
            forget_html(db)
            first.append(whole_process(*export, "-o", str(ours)))
        cached = [whole_process(*export, "-o", str(ours)) for _ in range(ROUNDS)]

        anki_path = root / "anki.anki2"
        col = Collection(str(anki_path))
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(ours), options=ImportAnkiPackageOptions())
        )
        notes = col.note_count()
        col.close()
        theirs = root / "anki.apkg"
        anki = [
            whole_process(sys.executable, "-c", ANKI_EXPORT, str(anki_path), str(theirs))
            for _ in range(ROUNDS)
        ]
        anki_s, cached_s = statistics.median(anki), statistics.median(cached)
        first_s = statistics.median(first)
        sizes = ours.stat().st_size / 1e6, theirs.stat().st_size / 1e6
    print(
        f"{count} cards ({notes} notes in Anki's collection); whole processes, medians of {ROUNDS}"
    )
    print(f"Anki export_anki_package:        {anki_s:.2f} s, {sizes[1]:.1f} MB")
    print(
        f"studycards export, first:        {first_s:.2f} s = {first_s / anki_s:.2f}x Anki"
        "   [target: <= 3.0x]"
    )
    print(
        f"studycards export, HTML cached:  {cached_s:.2f} s = {cached_s / anki_s:.2f}x Anki,"
        f" {sizes[0]:.1f} MB   [target: <= 1.5x]"
    )


if __name__ == "__main__":
    main()
