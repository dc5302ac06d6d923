"""Stats as Rich renderables, shared by `studycards stats` and the TUI's stats screen: tables,
bars and a year's calendar drawn with block characters (no Textual here: the CLI loads it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich.table import Table
from rich.text import Text

from studycards.model import DayOfReviews, Retention, Stats
from studycards.text import plural

_SPARKS = "▁▂▃▄▅▆▇█"
_SHADES = "·░▒▓█"  # a day of the calendar: none, then quarters of the busiest day
_BAR_WIDTH = 40
_WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def distributions(stats: Stats) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    """The distributions with something to show, titled: intervals, then ease (SM-2 decks) or
    FSRS's memory."""
    every = (
        ("Intervals (cards in review)", stats.intervals),
        ("Ease (SM-2 decks)", stats.ease),
        ("Difficulty (FSRS decks)", stats.difficulty),
        ("Stability (FSRS decks)", stats.stability),
        ("Retrievability today (FSRS decks)", stats.retrievability),
    )
    return [(title, rows) for title, rows in every if rows]


def today_line(today: DayOfReviews, cards: int) -> str:
    """Today's studying in one line (`cards` the distinct cards answered): the stats and the
    deck list's last line say it alike."""
    if not today.answers:
        return "Today: nothing studied yet."
    correct = 100 * (today.answers - today.again) / today.answers
    return (
        f"Today: {plural(cards, 'card')} studied, {plural(today.answers, 'answer')} in"
        f" {duration(today.time_ms)}; Again {today.again} ({correct:.1f}% correct)"
    )


def duration(ms: int) -> str:
    minutes = ms / 60_000
    return f"{minutes:.0f} min" if minutes < 90 else f"{minutes / 60:.1f} h"


def states_table(stats: Stats) -> Table:
    states = stats.states
    table = Table("New", "Learning", "Young", "Mature", "Suspended", "Buried", title="Cards")
    counts = (states.new, states.learning, states.young, states.mature, states.suspended,
              states.buried)  # fmt: skip
    table.add_row(*(str(count) for count in counts))
    return table


def retention_table(rows: Sequence[Retention]) -> Table:
    """Anki's true retention table: pass rate (and answers) of young and mature reviews."""
    table = Table("", "Young", "Mature", "Total", title="True retention")
    for row in rows:
        total = (row.young_passed + row.mature_passed, row.young_failed + row.mature_failed)
        table.add_row(
            row.period,
            _rate(row.young_passed, row.young_failed),
            _rate(row.mature_passed, row.mature_failed),
            _rate(*total),
        )
    return table


def _rate(passed: int, failed: int) -> str:
    answered = passed + failed
    return "—" if not answered else f"{100 * passed / answered:.1f}% of {answered}"


def sparkline(values: Sequence[int]) -> Text:
    top = max(values) or 1
    return Text(
        "".join(_SPARKS[min(len(_SPARKS) - 1, value * len(_SPARKS) // (top + 1))]
                if value else " " for value in values),
        style="cyan",
    )  # fmt: skip


def year_calendar(days: Sequence[DayOfReviews]) -> Text:
    """A year as weeks (columns) of weekdays (rows), shaded by the day's answers."""
    first = days[0].day - timedelta(days=days[0].day.weekday())  # the Monday of its week
    weeks = (days[-1].day - first).days // 7 + 1
    grid = [[" "] * weeks for _ in range(7)]
    top = max(day.answers for day in days) or 1
    for day in days:
        shade = 0 if not day.answers else 1 + min(3, 4 * (day.answers - 1) // top)
        grid[day.day.weekday()][(day.day - first).days // 7] = _SHADES[shade]
    lines = [f"{label:<4}" + "".join(row) for label, row in zip(_WEEKDAYS, grid, strict=True)]
    return Text("\n".join(lines), style="green")


def bars(rows: Sequence[tuple[str, int]]) -> Table:
    top = max(count for _, count in rows) or 1
    table = Table(show_header=False, box=None, padding=(0, 1))
    for label, count in rows:
        table.add_row(label, Text("█" * round(_BAR_WIDTH * count / top), style="cyan"), str(count))
    return table
