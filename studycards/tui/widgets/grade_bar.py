"""The four answer buttons, each labelled with what it would do to the card."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from studycards.collection.reviewing import ShownCard
from studycards.model import CardState, Grade, Schedule


class GradeKey(NamedTuple):
    """A grade, the key that gives it and its button's name."""

    grade: Grade
    key: str
    name: str


# The one key-to-grade table: the review screen's bindings and the buttons both read it.
GRADE_KEYS = (
    GradeKey(Grade.AGAIN, "1", "Again"),
    GradeKey(Grade.HARD, "2", "Hard"),
    GradeKey(Grade.GOOD, "3", "Good"),
    GradeKey(Grade.EASY, "4", "Easy"),
)


def describe(outcome: Schedule, now: datetime, today: date) -> str:
    """When the card would show next: a re-drill delay today, else the days until it is due."""
    if outcome.state is CardState.LEARNING and outcome.redrill_at is not None:
        minutes = max(0.0, (outcome.redrill_at - now).total_seconds() / 60)
        if minutes < 1:
            return "<1m"
        if minutes < 60:
            return f"{minutes:.0f}m"
        return f"{minutes / 60:.0f}h" if minutes < 24 * 60 else f"{minutes / (24 * 60):.0f}d"
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
        for grade, key, name in GRADE_KEYS:
            button = Button(name, id=f"grade-{key}", classes=grade.name.lower())
            button.can_focus = False  # keys 1-4 answer; focus stays on the card
            yield button

    def label(self, card: ShownCard) -> None:
        """Each button with the interval it would give, from the scheduler's own preview; in
        a cram, how soon the card shows again, or "done"."""
        for grade, key, name in GRADE_KEYS:
            if card.crammed:
                delay = card.cram_delay(grade)
                when = "done" if delay is None else f"{delay.total_seconds() / 60:.0f}m"
            else:
                when = describe(card.outcomes[grade], card.at, card.today)
            self.query_one(f"#grade-{key}", Button).label = f"{key} {name} · {when}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        grade = next(g.grade for g in GRADE_KEYS if event.button.id == f"grade-{g.key}")
        self.post_message(self.Chosen(grade))
