"""A synthetic review log from a known memory model, for `evaluate`'s benchmark and tests.

The learner's memory follows FSRS-6 with parameters of its own (not the defaults: it forgets
new cards faster and keeps old ones longer), and cards come back on SM-2's schedule, the way
studycards schedules them, answered mostly on the due day, sometimes days late. Answers below
Good are re-drilled the same day until Good, as SM-2's same-day rule asks. So FSRS (which knows
the shape of the forgetting curve) should predict recall better than SM-2's fixed 0.9 at the
interval, and fitted parameters better than the defaults.
"""

from __future__ import annotations

import csv
import heapq
import random
from pathlib import Path

from studycards.model import Grade, Memory, Sm2
from studycards.scheduler.fsrs import GRADES, RATINGS, next_memory, recall_probability
from studycards.scheduler.sm2 import review

# FSRS-6 defaults (fsrs 6.3.2) with slower-growing first stabilities and a steeper decay.
LEARNER = (
    0.1, 0.6, 1.5, 6.0, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.3,
)  # fmt: skip
HEADER = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
EPOCH_DAY = 20_000  # days since 1970: the log starts in October 2024
DAY_MS = 86_400_000


def simulate(
    cards: int, days: int = 365, seed: int = 2024, limit: int | None = None
) -> list[tuple[int, int, int, int, int]]:
    """Review-log rows (card_id, review_time ms, rating, state, duration ms), in time order:
    `cards` cards introduced over the first 80% of `days`, at most `limit` rows."""
    rng = random.Random(seed)
    queue = [(rng.randrange(max(1, days * 8 // 10)), card) for card in range(1, cards + 1)]
    heapq.heapify(queue)
    memory: dict[int, Memory] = {}
    sm2: dict[int, Sm2] = {}
    last: dict[int, int] = {}
    rows: list[tuple[int, int, int, int, int]] = []
    while queue:
        day, card = heapq.heappop(queue)
        if day >= days:
            continue
        moment = (EPOCH_DAY + day) * DAY_MS + rng.randrange(8 * 3600, 22 * 3600) * 1000
        if card in memory:
            elapsed = day - last[card]
            recalled = rng.random() < recall_probability(memory[card], elapsed, LEARNER)
            rating = rng.choices((2, 3, 4), (0.12, 0.78, 0.10))[0] if recalled else 1
            state = 2
        else:
            elapsed = 0
            rating = rng.choices((1, 2, 3, 4), (0.3, 0.15, 0.45, 0.10))[0]
            state = 0
        rows.append((card, moment, rating, state, rng.randrange(2000, 15000)))
        memory[card] = next_memory(memory.get(card), GRADES[rating], elapsed, LEARNER)
        sm2[card] = review(sm2.get(card, Sm2()), GRADES[rating])
        last[card] = day
        while rating < RATINGS[Grade.GOOD]:  # re-drilled today until Good
            moment += rng.randrange(60, 900) * 1000
            rating = 1 if rng.random() < 0.2 else 3
            rows.append((card, moment, rating, 1, rng.randrange(2000, 15000)))
            memory[card] = next_memory(memory[card], GRADES[rating], 0, LEARNER)
        late = 0 if rng.random() < 0.7 else rng.randint(1, sm2[card].interval // 2 + 3)
        heapq.heappush(queue, (day + sm2[card].interval + late, card))
    rows.sort(key=lambda row: row[1])
    return rows[:limit]


def write_revlog(path: Path, rows: list[tuple[int, int, int, int, int]]) -> Path:
    """`rows` as a CSV review log in the FSRS optimizer's format."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path
