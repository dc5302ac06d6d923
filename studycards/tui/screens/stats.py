"""The stats screen (`t` on the deck list): the figures of `studycards stats`, with Textual's
sparklines for answers per day and the due forecast. Read in a thread worker."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Sparkline, Static

from studycards.collection.stats import collection_stats
from studycards.model import Clock, Stats
from studycards.text import plural, printable
from studycards.tui.charts import (
    bars,
    distributions,
    retention_table,
    states_table,
    today_line,
    year_calendar,
)
from studycards.tui.messages import StatsLoaded, reported


class StatsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "app.pop_screen", "Back"),
        Binding("a", "all_decks", "All decks"),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self, db_path: Path, clock: Clock, deck: str | None) -> None:
        """`deck`: its stats and its children's (None: the whole collection)."""
        super().__init__()
        self.db_path, self.clock, self.deck = db_path, clock, deck

    def compose(self) -> ComposeResult:
        yield Static("Stats", id="stats-title")
        yield VerticalScroll(id="stats")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    def action_refresh(self) -> None:
        self._load()

    def action_all_decks(self) -> None:
        self.deck = None
        self._load()

    @work(thread=True, exclusive=True, group="stats", description="read the stats")
    def _load(self) -> None:
        with reported(self, "Stats not read"):
            self.post_message(StatsLoaded(collection_stats(self.db_path, self.clock(), self.deck)))

    async def on_stats_loaded(self, message: StatsLoaded) -> None:
        stats, where = message.stats, self.deck or "all decks"
        self.query_one("#stats-title", Static).update(
            Text(printable(f"Stats of {where} · study day {stats.today}"))
        )
        body = self.query_one("#stats", VerticalScroll)
        await body.remove_children()
        await body.mount_all(_sections(stats))


def _sections(stats: Stats) -> list[Widget]:
    """The screen's parts, top to bottom, as the CLI prints them."""
    streak = f"Streak: {plural(stats.streak, 'day')} in a row (longest {stats.longest_streak})"
    answers = [day.answers for day in stats.days[-30:]]
    parts: list[Widget] = [
        Static(f"{today_line(stats.days[-1], stats.cards_today)}\n{streak}", classes="stats-line"),
        Static(states_table(stats)),
        Static(retention_table(stats.retention)),
        Static(f"Answers per day, last 30 days (most {max(answers)})", classes="stats-heading"),
        Sparkline(answers, classes="stats-sparkline"),
        Static("Answers per day, last 365 days", classes="stats-heading"),
        Static(year_calendar(stats.days)),
        Static(
            f"Due in the next 30 days: today {stats.forecast[0]}, tomorrow {stats.forecast[1]},"
            f" next 7 days {sum(stats.forecast[:7])}, in all {sum(stats.forecast)}",
            classes="stats-heading",
        ),
        Sparkline(list(stats.forecast), classes="stats-sparkline"),
    ]
    for title, rows in distributions(stats):
        parts += [Static(title, classes="stats-heading"), Static(bars(rows))]
    return parts
