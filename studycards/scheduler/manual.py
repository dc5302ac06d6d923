"""Schedules set by hand, as Anki's browser sets them: forget (the card is new again) and set
due date (a review card due so many study days ahead). Each is a change the log keeps beside
the answers (`model.ManualChange`), so that a replay of the log makes it again where it was made:
answers before a forget count for nothing after it, the answers after it start from new.

Pure: the days a range gives a card are picked from the card and the day, never at random.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, timedelta

from studycards.errors import DueDaysError
from studycards.model import CardState, ManualChange, Schedule, Sm2

MAX_DAYS = 36500  # a hundred years, the longest interval a deck allows
MOST_DIGITS = 6


@dataclass(frozen=True, slots=True)
class DueDays:
    """What a user asked for in the set-due dialog: due in `low` to `high` study days (one
    number: both the same); `reset_interval` (a `!`): the interval becomes those days too."""

    low: int
    high: int
    reset_interval: bool = False

    def pick(self, card_id: int, today: date) -> int:
        """The days for one card: a range spreads cards over it, each card's by a hash of
        the card and the day, so the same request gives the same answer (and tests can
        know it)."""
        span = self.high - self.low + 1
        seed = hashlib.blake2b(f"{card_id}:{today.toordinal()}".encode(), digest_size=8)
        return self.low + int.from_bytes(seed.digest()) % span


def parse_due_days(text: str) -> DueDays:
    """Anki's syntax for a due date: `0` today, `3` in three days, `3-7` in three to seven
    days, and a `!` at the end to set the interval to the days as well."""
    body = text.strip()
    reset_interval = body.endswith("!")
    first, dash, second = body.removesuffix("!").partition("-")
    numbers = [first.strip(), *([second.strip()] if dash else [])]
    if not all(
        number.isascii() and number.isdecimal() and len(number) <= MOST_DIGITS for number in numbers
    ):
        raise DueDaysError(text, "days as 0 (today), 3, or a range 3-7, with ! to set the interval")
    low, high = int(numbers[0]), int(numbers[-1])
    if high > MAX_DAYS:
        raise DueDaysError(text, f"at most {MAX_DAYS} days")
    if low > high:
        raise DueDaysError(text, f"a range goes from fewer days to more ({high}-{low}?)")
    return DueDays(low, high, reset_interval)


def forget(schedule: Schedule) -> Schedule:
    """The card new again, as if never answered: FSRS's memory starts afresh, and so do its
    lapses (as Anki's forget with "reset lapse counts"): kept, they would have FSRS walk a new
    card through the relearning steps, as one that lapsed, instead of the learning steps."""
    return Schedule()


def set_due(schedule: Schedule, today: date, days: int, reset_interval: bool) -> Schedule:
    """A review card due `days` study days after `today`. A card that was in review (or
    relearning after a lapse) keeps its interval unless `reset_interval`; a new or learning
    card gets `days` (at least one) as its interval, and counts as past SM-2's first two
    repetitions, so that its next pass multiplies that interval as it would any review's."""
    keeps = not reset_interval and (
        schedule.state is CardState.REVIEW
        or (schedule.state is CardState.LEARNING and schedule.lapses > 0)
    )
    sm2 = schedule.sm2
    if not keeps:
        sm2 = Sm2(max(sm2.reps, 2), sm2.ease, min(max(days, 1), MAX_DAYS))
    due = today + timedelta(days=days)
    # FSRS times a review from the last one: a card never answered is taken as reviewed one
    # interval before it is due
    last_day = schedule.last_day or due - timedelta(days=sm2.interval)
    return replace(
        schedule, sm2=sm2, state=CardState.REVIEW, due=due, step=0, redrill_at=None,
        last_day=last_day,
    )  # fmt: skip


def changed(schedule: Schedule, change: ManualChange) -> Schedule:
    """The schedule a change made by hand leaves."""
    if change.days is None:
        return forget(schedule)
    return set_due(schedule, change.day, change.days, change.reset_interval)
