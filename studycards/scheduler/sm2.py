"""SuperMemo's 1987 SM-2 algorithm, exactly, over quality grades q in 0..5.

The spec (Wozniak, "Optimization of learning", 1990, section 3.2):
  I(1) = 1, I(2) = 6, I(n) = I(n-1) * EF for n > 2;
  EF' = EF + (0.1 - (5-q) * (0.08 + (5-q) * 0.02)), EF never below 1.3, a new item starts at 2.5;
  q < 3 starts the repetitions again from I(1) "without changing the E-Factor".

Where the spec is ambiguous we read it as follows:
- EF on a failed grade (q < 3): unchanged. Step 6 says so in as many words; step 4 ("after each
  repetition modify the E-Factor") is read as applying to successful repetitions only.
- I(n) uses the E-Factor just updated by this repetition, and the previous interval as it was
  stored (a whole number of days); the product is rounded up, as the issue asks.
- After a failure the next interval is I(1) = 1 day and the repetition count restarts at 0, so
  the following successful answers walk I(1), I(2), I(3)... again.
- E-Factors are kept to two decimals: every change the formula can make is a multiple of 0.02, so
  this only removes binary floating-point drift (2.6 * 10 must be 26 days, not 27).

The same-day rule (repeat items graded below 4 until they score 4 or more) lives in `queue.py`.
"""

from __future__ import annotations

import math

from studycards.model import Sm2

MIN_EASE = 1.3
PASS = 3  # q >= 3 is a successful repetition
FIRST_INTERVAL = 1
SECOND_INTERVAL = 6


def next_ease(ease: float, q: int) -> float:
    """EF' from the spec's formula, floored at 1.3."""
    miss = 5 - q
    return max(MIN_EASE, round(ease + (0.1 - miss * (0.08 + miss * 0.02)), 2))


def review(state: Sm2, q: int) -> Sm2:
    """The SM-2 state after one graded repetition."""
    if not 0 <= q <= 5:
        raise ValueError(f"SM-2 quality must be 0..5, got {q}")
    if q < PASS:
        return Sm2(reps=0, ease=state.ease, interval=FIRST_INTERVAL)
    ease = next_ease(state.ease, q)
    reps = state.reps + 1
    if reps == 1:
        interval = FIRST_INTERVAL
    elif reps == 2:
        interval = SECOND_INTERVAL
    else:
        interval = math.ceil(round(state.interval * ease, 6))
    return Sm2(reps=reps, ease=ease, interval=interval)
