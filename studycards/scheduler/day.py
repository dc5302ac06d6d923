"""Study days and learning steps: the scheduler's only notions of time.

A study day runs from the rollover hour (4 am by default, as in Anki) to the same hour the next
day, in the user's local time, so a late-night session still counts as the day it began.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from studycards.model import DeckSettings

_STEP = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def study_day(now: datetime, rollover_hour: int = 4) -> date:
    """The study day `now` falls in; `now` must carry the user's local UTC offset."""
    if now.tzinfo is None:
        raise ValueError("study_day needs an aware datetime in the user's local time zone")
    return (now - timedelta(hours=rollover_hour)).date()


def study_days(decks: Mapping[int, DeckSettings], now: datetime) -> dict[int, date]:
    """Deck id -> the study day `now` falls in for that deck (each rolls over at its hour)."""
    return {deck_id: study_day(now, deck.rollover_hour) for deck_id, deck in decks.items()}


def next_day_start(now: datetime, rollover_hour: int = 4) -> datetime:
    """When the study day after `now`'s begins: a learning step ending then or later waits for
    that day (a step of a day or more), out of today's session and counts."""
    return datetime.combine(study_day(now, rollover_hour) + timedelta(days=1), time(rollover_hour),
                            now.tzinfo)  # fmt: skip


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """Learning steps written as in Anki, e.g. '1m 10m' or '30s 5m 1h'."""
    steps = []
    for token in text.split():
        match = _STEP.fullmatch(token)
        if match is None:
            raise ValueError(f"learning step {token!r} is not a number with s, m, h or d")
        try:
            steps.append(timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2)]))
        except OverflowError:  # over a billion days, or a float's range
            raise ValueError(f"learning step {token!r} is too long") from None
    return tuple(steps)


def format_steps(steps: tuple[timedelta, ...]) -> str:
    """The inverse of parse_steps, in the largest whole unit of each step."""
    tokens = []
    for step in steps:
        seconds = step.total_seconds()
        unit = next(u for u in "dhms" if seconds % _UNIT_SECONDS[u] == 0 or u == "s")
        value = seconds / _UNIT_SECONDS[unit]
        tokens.append(f"{value:g}{unit}")
    return " ".join(tokens)
