"""Import speed: 10,000 new records, then the same files unchanged, then every one of them
edited, each a whole process.

Prints, from one run on this machine:
- the bare single-process `frontmatter.load` loop over the same files (the yardstick),
- `studycards import` of the new files (records/s and its ratio to the bare loop),
- `studycards import` again with nothing changed (whole process),
- the unchanged-file skip itself, timed inside a process after its imports,
- `studycards import` after a line is added to every answer (every card's text updated).

Usage: python benchmarks/bench_import.py [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import write_corpus
from timing import whole_process

BARE_LOOP = """
import sys, frontmatter
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    frontmatter.load(path)
"""

SKIP_ONLY = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from studycards.collection.importing import ImportTarget, import_sources
start = time.perf_counter()
summary = import_sources(Path(sys.argv[2]), [ImportTarget((Path(sys.argv[1]),))],
                         datetime.now(timezone.utc))
elapsed = time.perf_counter() - start
assert summary.files_unchanged == summary.files, summary
print(elapsed)
"""


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rounds = 3
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp, "corpus")
        write_corpus(corpus, count)
        cli = (sys.executable, "-m", "studycards")
        bare, first, again, skip, edited = [], [], [], [], []
        for round_ in range(rounds):
            db = Path(tmp, f"collection-{round_}.sqlite")
            bare.append(whole_process(sys.executable, "-c", BARE_LOOP, str(corpus)))
            first.append(whole_process(*cli, "--collection", str(db), "import", str(corpus)))
            again.append(whole_process(*cli, "--collection", str(db), "import", str(corpus)))
            out = subprocess.run(
                (sys.executable, "-c", SKIP_ONLY, str(corpus), str(db)),
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            skip.append(float(out))
            for path in corpus.rglob("*.md"):
                with path.open("a", encoding="utf-8") as file:
                    file.write(f"Edited in round {round_}.\n")
            edited.append(whole_process(*cli, "--collection", str(db), "import", str(corpus)))
    bare_s, first_s = statistics.median(bare), statistics.median(first)
    again_s, skip_s = statistics.median(again), statistics.median(skip)
    print(f"median of {rounds} rounds, {count} seed-shaped records")
    print(f"bare frontmatter.load loop (1 process): {bare_s:.2f} s, {count / bare_s:,.0f} files/s")
    print(
        f"import {count} new records (whole process): {first_s:.2f} s, "
        f"{count / first_s:,.0f} records/s, {first_s / bare_s:.2f}x the bare loop"
        "   [target: >= 2,500/s and <= 1.3x]"
    )
    print(f"re-import unchanged (whole process): {again_s:.2f} s   [target: < 1.0 s]")
    print(
        f"unchanged skip itself (after imports): {skip_s * 1000:.0f} ms, "
        f"{count / skip_s:,.0f} files/s   [target: >= 40,000 files/s]"
    )
    print(f"re-import every file edited (whole process): {statistics.median(edited):.2f} s")


if __name__ == "__main__":
    main()
