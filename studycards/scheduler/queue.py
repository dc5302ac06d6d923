"""The order cards show in during one review session. Pure: the caller gives `now`.

Order: a re-drill whose learning step has passed; then reviews, most overdue first; then new
cards, oldest first. When only re-drills are left, the next one shows at once (learn ahead)
rather than making the user wait out its step. The card just shown is never shown again
straight away while any other card is waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from studycards.model import CardState, Schedule


@dataclass(frozen=True, slots=True)
class QueuedCard:
    id: int
    deck_id: int
    schedule: Schedule


@dataclass(slots=True)
class ReviewQueue:
    """Today's cards of one session: re-drills, reviews due and new cards within the limits."""

    learning: list[QueuedCard] = field(default_factory=list)
    reviews: list[QueuedCard] = field(default_factory=list)
    new: list[QueuedCard] = field(default_factory=list)
    last_shown: int | None = None

    def counts(self) -> tuple[int, int, int]:
        """(new, learning, review) cards still to show."""
        return len(self.new), len(self.learning), len(self.reviews)

    def next_card(self, now: datetime) -> QueuedCard | None:
        learning = sorted(self.learning, key=lambda card: _redrill_time(card, now))
        ready = [card for card in learning if _redrill_time(card, now) <= now]
        later = [card for card in learning if _redrill_time(card, now) > now]
        ordered = [*ready, *self.reviews[:1], *self.new[:1], *later]
        fresh = [card for card in ordered if card.id != self.last_shown]
        return next(iter(fresh or ordered), None)

    def shown(self, card: QueuedCard) -> None:
        self.last_shown = card.id

    def settle(self, card_id: int, after: Schedule, day_ends: datetime) -> None:
        """After an answer: the card leaves the queue, or comes back later as a re-drill if
        its step ends before the study day does (`day_ends`)."""
        queued = self.drop(card_id)
        today = after.redrill_at is None or after.redrill_at < day_ends
        if queued is not None and after.state is CardState.LEARNING and today:
            self.learning.append(replace(queued, schedule=after))

    def drop(self, card_id: int) -> QueuedCard | None:
        """Take a card out of the session (answered, suspended, buried)."""
        for cards in (self.learning, self.reviews, self.new):
            for index, card in enumerate(cards):
                if card.id == card_id:
                    return cards.pop(index)
        return None

    def copy(self) -> ReviewQueue:
        """A snapshot to return to on undo."""
        return ReviewQueue(list(self.learning), list(self.reviews), list(self.new), self.last_shown)


def _redrill_time(card: QueuedCard, now: datetime) -> datetime:
    """When a learning card may show again; one without a time (never written by studycards,
    but possible in a hand-edited collection) may show now."""
    return card.schedule.redrill_at or now
