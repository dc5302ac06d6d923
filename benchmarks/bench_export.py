"""Export of 10,000 cards to an Anki package, side by side with Anki's own engine.

Each figure is a whole process, as a user waits for it:
- Anki: open a collection holding the same 10,000 notes (the studycards export imported into
  it) and call `Collection.export_anki_package` (its default modern format);
- studycards, first export: Markdown rendered and cached (the cache is emptied before each
  of these rounds);
- studycards, again: the HTML comes from the cache.
Every process runs with Python's bytecode cache, as an installed package has it (a cache
folder of the run's own, filled by an untimed run of each), whatever PYTHONDONTWRITEBYTECODE
says: without it, each studycards process compiled its ~25 modules from source (some 30 ms)
while Anki's came compiled from site-packages.
The .apkg sizes are printed beside each other. Answers are seed-sized (about 1.4 KB), or
twice that with --long.

Usage: python benchmarks/bench_export.py [N] [--long]
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
from contextlib import closing
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


def _answer_size(db: Path) -> float:
    """The mean length of the cards' answers (their Markdown), in characters."""
    with closing(sqlite3.connect(db)) as conn:
        size: float = conn.execute("SELECT avg(length(back)) FROM cards").fetchone()[0]
    return size


def _compiled(root: Path) -> dict[str, str]:
    """The timed processes' environment: bytecode cached under `root`, as installed."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(root / "pycache")}


def _spread(times: list[float]) -> str:
    return f" ({min(times):.2f}-{max(times):.2f})"


def main() -> None:
    args = [arg for arg in sys.argv[1:] if arg != "--long"]
    scale = 2 if "--long" in sys.argv[1:] else 1
    count = int(args[0]) if args else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_corpus(root / "notes", count, scale=scale)
        db = root / "collection.sqlite"
        import_sources(db, [ImportTarget((root / "notes",))], datetime.now().astimezone())
        export = (sys.executable, "-m", "studycards", "--collection", str(db), "export", "--force")
        ours, theirs = root / "studycards.apkg", root / "anki.apkg"
        env = _compiled(root)
        whole_process(*export, "-o", str(ours), env=env)  # the package Anki's collection imports
        anki_path = root / "anki.anki2"
        col = Collection(str(anki_path))
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(ours), options=ImportAnkiPackageOptions())
        )
        notes = col.note_count()
        col.close()
        anki_export = (sys.executable, "-c", ANKI_EXPORT, str(anki_path), str(theirs))
        whole_process(*anki_export, env=env)  # untimed: its bytecode cached
        anki, first, cached = [], [], []
        for _ in range(ROUNDS):  # interleaved: a noisy machine's drift reaches all three alike
            anki.append(whole_process(*anki_export, env=env))
            forget_html(db)
            first.append(whole_process(*export, "-o", str(ours), env=env))
            cached.append(whole_process(*export, "-o", str(ours), env=env))
        anki_s, cached_s = statistics.median(anki), statistics.median(cached)
        first_s = statistics.median(first)
        answer_kb = _answer_size(db) / 1e3
        sizes = ours.stat().st_size / 1e6, theirs.stat().st_size / 1e6
    print(
        f"{count} cards, answers of {answer_kb:.1f} KB on average ({notes} notes in Anki's"
        f" collection); whole processes, medians of {ROUNDS}"
    )
    print(f"Anki export_anki_package:        {anki_s:.2f} s{_spread(anki)}, {sizes[1]:.1f} MB")
    print(
        f"studycards export, first:        {first_s:.2f} s{_spread(first)}"
        f" = {first_s / anki_s:.2f}x Anki   [target: <= 1.5x]"
    )
    print(
        f"studycards export, HTML cached:  {cached_s:.2f} s{_spread(cached)}"
        f" = {cached_s / anki_s:.2f}x Anki, {sizes[0]:.1f} MB   [target: <= 1.0x]"
    )


if __name__ == "__main__":
    main()
