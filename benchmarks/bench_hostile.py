"""The hostile batch: every bounded attack of issue 9 (items 10-12, 14) beside good files.

Builds a folder of good seed-shaped records and one file per attack, imports it with the real
`studycards import` (a whole process), and prints its wall time, its peak memory (the largest
process of the run, parsing workers included), and what each hostile file came to.

Usage: python benchmarks/bench_hostile.py [GOOD_FILES]
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_corpus

LAUGHS = (
    "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join(['*' + chr(97 + level)] * 9)}]\n"
        for level in range(8)
    )
    + "question: Boom?\nanswer: Yes.\n---\n"
)

HOSTILE = {
    "nbsp-body.md": "---\nquestion: Blank?\nanswer: Yes.\n---\n" + "\u00a0" * 40 + "x\n",
    "long-heading.md": "# " + " \t" * 50_000 + "x\n\ntext\n",
    "bad-date.md": "---\ndate: 2020-13-45\nquestion: When?\nanswer: Never.\n---\n",
    "huge-int.md": "---\nid: " + "9" * 4_400 + "\nquestion: Big?\nanswer: Yes.\n---\n",
    "billion-laughs.md": LAUGHS,
    "tiny-sections.md": "h\n\nx\n\n" * (16 * 1024 * 1024 // 6 - 1),
    "controls.md": '---\nquestion: "Sep\\x1fNul\\0?"\nanswer: "Esc\\e[31m red"\n---\n',
}


def build(folder: Path, good: int) -> None:
    write_corpus(folder / "good", good)
    bad = folder / "hostile"
    bad.mkdir()
    for name, text in HOSTILE.items():
        (bad / name).write_text(text, encoding="utf-8")
    os.mkfifo(bad / "fifo.md")
    (bad / "zero.md").symlink_to("/dev/zero")


def main(good: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, good)
        collection = folder / "collection.sqlite"
        command = [sys.executable, "-m", "studycards", "-c", str(collection), "import"]
        started = time.perf_counter()
        run = subprocess.run(
            [*command, str(folder / "good"), str(folder / "hostile")],
            capture_output=True,
            text=True,
            timeout=600,
        )
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        conn = sqlite3.connect(collection)
        stored = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
        conn.close()
        print(f"hostile batch: {good} good files + {len(HOSTILE) + 2} hostile ones")
        print(f"  whole import: {elapsed:.2f} s, peak memory {peak_mb:.0f} MB")
        print(f"  exit status: {run.returncode}")
        print(f"  cards stored: {stored}")
        for line in run.stderr.splitlines()[-20:]:
            print(f"  {line.replace(str(folder), '')[:150]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
