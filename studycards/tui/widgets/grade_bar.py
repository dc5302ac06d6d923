"""The four answer buttons, each labelled with what it would do to the card."""

from __future__ import annotations

from datetime import date, datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from studycards.collection.reviewing import ShownCard
from studycards.model import CardState, Grade, Schedule

NAMES = {Grade.AGAIN: "Again", Grade.HARD: "Hard", Grade.GOOD: "Good", Grade.EASY: "Easy"}
KEYS = {Grade.AGAIN: "1", Grade.HARD: "2", Grade.GOOD: "3", Grade.EASY: "4"}


def describe(outcome: Schedule, now: datetime, today: date) -> str:
    """When the card would show next: a re-drill delay today, else the days until it is due."""
    if outcome.state is CardState.LEARNING and outcome.redrill_at is not None:
        minutes = max(0.0, (outcome.redrill_at - now).total_seconds() / 60)
        if minutes < 1:
            return "<1m"
        return f"{minutes:.0f}m" if minutes < 60 else f"{minutes / 60:.0f}h"
    days = (outcome.due - today).days if outcome.due else 0
    if days < 30:
        return f"{days}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


class GradeBar(Horizontal):
    """Again / Hard / Good / Easy on keys 1-4."""

    class Chosen(Message):
        def __init__(self, grade: Grade) -> None:
            super().__init__()
            self.grade = grade

    def compose(self) -> ComposeResult:
        for grade in Grade:
            button = Button(NAMES[grade], id=f"grade-{KEYS[grade]}", classes=grade.name.lower())
            button.can_focus = False  # keys 1-4 answer; focus stays on the card
            yield button

    def label(self, card: ShownCard) -> None:
        """Each button with the interval it would give, from the scheduler's own preview."""
        for grade, outcome in card.outcomes.items():
            when = describe(outcome, card.at, card.today)
            self.query_one(
                f"#grade-{KEYS[grade]}", Button
            ).label = f"{KEYS[grade]} {NAMES[grade]} · {when}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        grade = next(g for g in Grade if event.button.id == f"grade-{KEYS[g]}")
        self.post_message(self.Chosen(grade))
