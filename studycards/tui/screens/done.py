"""The end of a session: what was done, and what tomorrow holds."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from studycards.collection.reviewing import SessionSummary
from studycards.text import plural


def describe(summary: SessionSummary) -> str:
    """The summary as a few plain lines."""
    minutes, seconds = divmod(round(summary.seconds), 60)
    outlook = summary.outlook
    lines = []
    if summary.reviewed:
        cards, answers = summary.cards, summary.reviewed
        repeats = f" ({answers} answers)" if answers != cards else ""  # Again brings cards back
        lines.append(
            f"Reviewed {plural(cards, 'card')}{repeats} in "
            f"{minutes}m {seconds:02d}s · again {summary.again_rate:.0%}"
        )
    new = f"up to {outlook.new_tomorrow} new" if outlook.new_tomorrow else "no new cards"
    lines.append(f"Tomorrow: {plural(outlook.due_tomorrow, 'review')} and {new}")
    if outlook.next_due is not None:
        lines.append(f"Next review due {outlook.next_due:%a %d %b %Y}")
    return "\n".join(lines)


class DoneScreen(Screen[str]):
    """Dismisses with "undo" (take back the last answer, suspend or bury) or "back"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,q,escape", "back", "Back"),
        Binding("u", "undo", "Undo"),
    ]

    def __init__(self, summary: SessionSummary, title: str | None = None) -> None:
        """`title`: what was done (None: the day's studying)."""
        super().__init__()
        self.summary = summary
        self.heading = title or "Congratulations, you are done for today."

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="done"):
            yield Static(Content(self.heading), id="done-title")
            yield Static(describe(self.summary), id="done-summary")
        yield Footer()

    def action_back(self) -> None:
        self.dismiss("back")

    def action_undo(self) -> None:
        self.dismiss("undo")
