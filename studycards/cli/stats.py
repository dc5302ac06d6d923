"""`studycards stats` printed: tables and small charts drawn with block characters, in the
order of Anki's stats screen. No logic of its own beyond laying the figures out."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from studycards.cli.render import out
from studycards.model import DayOfReviews, Stats
from studycards.text import plural
from studycards.tui.charts import (
    bars,
    distributions,
    duration,
    retention_table,
    sparkline,
    states_table,
    today_line,
    year_calendar,
)


def print_stats(stats: Stats, deck: str | None) -> None:
    where = f"deck {deck}" if deck else "all decks"
    out.print(Text(f"Stats of {where}, study day {stats.today}", style="bold"))
    out.print(today_line(stats.days[-1], stats.cards_today))
    out.print(f"Streak: {plural(stats.streak, 'day')} in a row (longest {stats.longest_streak})")
    out.print(states_table(stats))
    out.print(retention_table(stats.retention))
    out.print(Text("Answers per day, last 30 days", style="bold"))
    _answers(stats.days[-30:])
    out.print(Text("Answers per day, last 365 days", style="bold"))
    out.print(year_calendar(stats.days))
    out.print(Text("Due in the next 30 days", style="bold"))
    _forecast(stats.forecast)
    for title, rows in distributions(stats):
        out.print(Text(title, style="bold"))
        out.print(bars(rows))


def _answers(days: Sequence[DayOfReviews]) -> None:
    counts = [day.answers for day in days]
    out.print(f"{sparkline(counts)}  most {max(counts)} a day")
    totals = Table("New", "Learning", "Review", "Relearn", "Again", "Time")
    totals.add_row(
        *(str(sum(getattr(day, kind) for day in days))
          for kind in ("new", "learning", "review", "relearn", "again")),
        duration(sum(day.time_ms for day in days)),
    )  # fmt: skip
    out.print(totals)


def _forecast(due: Sequence[int]) -> None:
    out.print(f"{sparkline(due)}  most {max(due)} a day")
    out.print(
        f"today {due[0]} (overdue included), tomorrow {due[1]}, next 7 days {sum(due[:7])},"
        f" next 30 days {sum(due)}"
    )
