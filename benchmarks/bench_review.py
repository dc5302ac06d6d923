"""The review TUI on a 100,000-card collection: cold start to the first card, keypress to the
next card, and the memory of a session.

Cold start is the whole process, from launch to the first card painted: interpreter, imports,
opening the collection, building the session queue, rendering (a headless run that exits
there). The keypress
figure runs from the grade key reaching the review screen to the next card painted (the answer
committed to SQLite in between), over 60 answers; the pilot's own waits are not counted.

With `fsrs`, every deck is scheduled by FSRS (each button's preview and each answer run
py-fsrs); else by SM-2 (which keeps FSRS's memory up beside it).

Usage: python benchmarks/bench_review.py [N] [sm2|fsrs]
"""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from collection import build

FIRST_CARD = """
import asyncio, os, sys, time
from datetime import datetime
from pathlib import Path
from studycards.tui.app import make_app
from studycards.tui.screens.review import ReviewScreen

show = ReviewScreen.on_card_ready

def first_card(self, message):  # print the time since launch once the card is painted
    show(self, message)
    self.call_after_refresh(lambda: (print(time.time() - float(sys.argv[2])), os._exit(0)))

ReviewScreen.on_card_ready = first_card

async def main():
    app = make_app(Path(sys.argv[1]), lambda: datetime.now().astimezone(), deck="Medicine")
    async with app.run_test(size=(100, 30)) as pilot:
        await asyncio.sleep(30)

asyncio.run(main())
"""

ANSWERS = """
import asyncio, resource, statistics, sys, time
from datetime import datetime
from pathlib import Path
from studycards.tui.app import make_app
from studycards.tui.screens.review import ReviewScreen

pressed, painted = [], []
grade, show = ReviewScreen.action_grade, ReviewScreen.on_card_ready

def timed_grade(self, quality):  # the key has reached the screen
    pressed.append(time.perf_counter())
    grade(self, quality)

def timed_show(self, message):  # the next card is set; stamp once it is painted
    show(self, message)
    self.call_after_refresh(lambda: painted.append(time.perf_counter()))

ReviewScreen.action_grade, ReviewScreen.on_card_ready = timed_grade, timed_show

async def main():
    app = make_app(Path(sys.argv[1]), lambda: datetime.now().astimezone(), deck="Medicine")
    async with app.run_test(size=(100, 30)) as pilot:
        while getattr(app.screen, "card", None) is None:
            await pilot.pause(0.002)
        await app.workers.wait_for_complete()
        for number in range(60):
            await pilot.press("space")
            shown = len(painted)
            await pilot.press("34"[number % 2])
            while len(painted) == shown:
                await pilot.pause(0.001)
        latencies = [done - start for start, done in zip(pressed, painted[1:])]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(statistics.median(latencies), max(latencies), rss)

asyncio.run(main())
"""


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    scheduler = sys.argv[2] if len(sys.argv) > 2 else "sm2"
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp, "collection.sqlite")
        build(db_path, count, datetime.now().astimezone())
        conn = sqlite3.connect(db_path)
        with conn:
            conn.execute("UPDATE decks SET scheduler = ?", (scheduler,))
        conn.close()
        cold = []
        for _ in range(5):
            launch = (sys.executable, "-c", FIRST_CARD, str(db_path), repr(time.time()))
            printed = subprocess.run(launch, check=True, capture_output=True, text=True).stdout
            cold.append(float(printed))
        out = subprocess.run(
            (sys.executable, "-c", ANSWERS, str(db_path)),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    median, worst, rss = map(float, out.split())
    print(f"{count:,}-card collection, session on the 'Medicine' deck tree, {scheduler}")
    print(f"cold start to first card (whole process): median of 5 {statistics.median(cold):.2f} s"
          "   [target: < 0.8 s]")  # fmt: skip
    print(f"grade key to next card: median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms"
          " over 60 answers   [target: median < 50 ms]")  # fmt: skip
    print(f"peak memory of the session: {rss:.0f} MB RSS   [target: < 200 MB]")


if __name__ == "__main__":
    main()
