"""`studycards stats` and the TUI's stats screen: a deck's (or the collection's) progress, read
in a few grouped queries and folded here, so that 1,000,000 answers cost one pass in SQLite."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from studycards.model import (
    CardState,
    CardStates,
    DayOfReviews,
    DeckSettings,
    Retention,
    Scheduler,
    Stats,
)
from studycards.scheduler.day import study_day
from studycards.scheduler.fsrs import forgetting_curve
from studycards.store import stats as store
from studycards.store.db import opened
from studycards.store.decks import deck_settings_by_id, deck_tree

YEAR = 365
FORECAST_DAYS = 30
RETENTION_PERIODS = (
    ("Today", 0, 1),
    ("Yesterday", 1, 1),
    ("Last week", 0, 7),
    ("Last month", 0, 30),
    ("Last year", 0, YEAR),
)  # fmt: skip  (label, ago, days)
_KINDS = ("new", "learning", "review", "relearn")
# Bucket edges (a value goes to the last edge at or below it) and their labels
_DAY_EDGES = (0, 1, 2, 3, 7, 14, 30, 90, 180, 365)
_DAY_LABELS = ("<1d", "1d", "2d", "3-6d", "1-2w", "2-4w", "1-3m", "3-6m", "6-12m", "1y+")
_EASE_EDGES = (0.0, 1.5, 1.7, 1.9, 2.1, 2.3, 2.5, 2.7, 2.9)
_EASE_LABELS = ("<1.5", "1.5", "1.7", "1.9", "2.1", "2.3", "2.5", "2.7", "2.9+")
_DIFFICULTY_EDGES = tuple(float(edge) for edge in range(1, 10))
_DIFFICULTY_LABELS = tuple(f"{edge}-{edge + 1}" for edge in range(1, 10))
_RECALL_EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
_RECALL_LABELS = ("<50%", "50%", "60%", "70%", "80%", "85%", "90%", "95%+")


def collection_stats(db_path: Path, now: datetime, deck: str | None = None) -> Stats:
    """The stats of `deck` and its children (None: the whole collection) as of `now`."""
    with opened(db_path) as conn:
        decks = deck_tree(conn, deck)
        every = deck is None or len(decks) == len(deck_settings_by_id(conn))
        deck_ids = None if every else list(decks)
        today = _today(decks.values(), now)
        first = today - timedelta(days=YEAR - 1)
        fsrs = [deck_id for deck_id, d in decks.items() if d.scheduler == Scheduler.FSRS]
        groups = store.answer_groups(conn, deck_ids, first.toordinal())
        older = store.answered_days(conn, deck_ids, first.toordinal())
        cards_today = store.cards_answered_on(conn, deck_ids, today.toordinal())
        due = store.due_days(conn, deck_ids, (today + timedelta(FORECAST_DAYS - 1)).toordinal())
        states = store.state_counts(conn, deck_ids, today.toordinal())
        spread = store.review_spread(conn, deck_ids)
        memories = store.memories(conn, fsrs) if fsrs else []
    streak, longest = _streaks(older + sorted({group.day for group in groups}), today.toordinal())
    curves = {deck_id: forgetting_curve(decks[deck_id].parameters) for deck_id in fsrs}
    recall = [
        (curves[deck_id](today.toordinal() - (last_day or today.toordinal()), stability), n)
        for deck_id, stability, _, last_day, n in memories
    ]
    return Stats(
        today=today,
        cards_today=cards_today,
        days=_days(groups, first),
        retention=_retention(groups, today),
        forecast=_forecast(due, today),
        streak=streak,
        longest_streak=longest,
        states=_states(states),
        intervals=_buckets(((ivl, n) for _, ivl, _, n in spread), _DAY_EDGES, _DAY_LABELS),
        ease=_buckets(
            ((ease, n) for deck_id, _, ease, n in spread if deck_id not in curves),
            _EASE_EDGES,
            _EASE_LABELS,
        ),
        difficulty=_buckets(
            ((d, n) for _, _, d, _, n in memories), _DIFFICULTY_EDGES, _DIFFICULTY_LABELS
        ),
        stability=_buckets(((s, n) for _, s, _, _, n in memories), _DAY_EDGES, _DAY_LABELS),
        retrievability=_buckets(recall, _RECALL_EDGES, _RECALL_LABELS),
    )


def studied_today(db_path: Path, now: datetime) -> tuple[DayOfReviews, int]:
    """Today's answers in the whole collection, and the cards they answered: the deck list's
    last line (two index reads, not the whole stats)."""
    with opened(db_path) as conn:
        today = _today(deck_settings_by_id(conn).values(), now)
        groups = store.answer_groups(conn, None, today.toordinal())
        cards = store.cards_answered_on(conn, None, today.toordinal())
    return _days(groups, today, 1)[0], cards


def _today(decks: Iterable[DeckSettings], now: datetime) -> date:
    """Decks roll over at their own hours: the latest study day any of them is in."""
    return max((study_day(now, deck.rollover_hour) for deck in decks), default=study_day(now))


def _days(
    groups: Iterable[store.AnswerGroup], first: date, count: int = YEAR
) -> tuple[DayOfReviews, ...]:
    """`count` study days from `first` on, with their answers by kind."""
    counts: dict[int, Counter[str]] = {}
    for group in groups:
        day = counts.setdefault(group.day, Counter())
        day[_KINDS[group.kind]] += group.answers
        day["again"] += group.answers if group.again else 0
        day["time_ms"] += group.time_ms or 0
    start = first.toordinal()
    return tuple(
        DayOfReviews(date.fromordinal(ordinal), **counts.get(ordinal, Counter()))
        for ordinal in range(start, start + count)
    )


def _retention(groups: Sequence[store.AnswerGroup], today: date) -> tuple[Retention, ...]:
    """Anki's true retention table: review answers to cards of a day's interval or more."""
    reviews = [g for g in groups if g.kind == _KINDS.index("review") and g.daily]
    rows = []
    for label, ago, length in RETENTION_PERIODS:
        last = today.toordinal() - ago
        tally: Counter[str] = Counter()
        for group in reviews:
            if last - length < group.day <= last:
                age = "mature" if group.mature else "young"
                tally[f"{age}_{'failed' if group.again else 'passed'}"] += group.answers
        rows.append(Retention(label, **tally))
    return tuple(rows)


def _forecast(due: Iterable[tuple[int, int]], today: date) -> tuple[int, ...]:
    """Cards due on each of the next days; the overdue ones are today's."""
    counts = [0] * FORECAST_DAYS
    for day, cards in due:
        counts[max(0, day - today.toordinal())] += cards
    return tuple(counts)


def _streaks(days: Sequence[int], today: int) -> tuple[int, int]:
    """Days in a row with answers: the run that reaches today (or yesterday, today's answers
    may still come), and the longest run."""
    longest = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous == day - 1 else 1
        longest, previous = max(longest, run), day
    current = run if previous is not None and previous >= today - 1 else 0
    return current, longest


def _states(groups: Iterable[tuple[int, bool, bool, bool, int]]) -> CardStates:
    tally: Counter[str] = Counter()
    for state, suspended, buried, mature, count in groups:
        if suspended:
            tally["suspended"] += count
        elif buried:
            tally["buried"] += count
        elif state == CardState.REVIEW:
            tally["mature" if mature else "young"] += count
        else:
            tally["learning" if state == CardState.LEARNING else "new"] += count
    return CardStates(**tally)


def _buckets(
    values: Iterable[tuple[float, int]], edges: Sequence[float], labels: Sequence[str]
) -> tuple[tuple[str, int], ...]:
    """How many cards fall in each bucket, from (value, cards) pairs: the last edge at or
    below a value names its bucket (below the first counts in the first); empty for none."""
    counts: Counter[int] = Counter()
    for value, cards in values:
        counts[max(0, bisect_right(edges, value) - 1)] += cards
    if not counts:
        return ()
    return tuple((label, counts[index]) for index, label in enumerate(labels))
