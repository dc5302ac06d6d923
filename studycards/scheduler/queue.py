"""The order cards show in during one review session. Pure: the caller gives `now`.

Order: a re-drill whose learning step has passed; then reviews, most overdue first; then new
cards, oldest first. When only re-drills are left, the next one shows at once (learn ahead)
rather than making the user wait out its step. The card just shown is never shown again
straight away while any other card is waiting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from studycards.model import CardState, Grade, Schedule

# A cram (an answer that moves no schedule) shows a card Again or Hard again after these
# delays, as Anki's preview of a filtered deck does; Good and Easy take it out of the session.
CRAM_DELAYS = {Grade.AGAIN: timedelta(minutes=1), Grade.HARD: timedelta(minutes=10)}


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

    @classmethod
    def of(cls, cards: Iterable[QueuedCard]) -> ReviewQueue:
        """A session over chosen cards, each in its state's list."""
        queue = cls()
        lists = {CardState.NEW: queue.new, CardState.LEARNING: queue.learning}
        for card in cards:
            lists.get(card.schedule.state, queue.reviews).append(card)
        queue.sort()
        return queue

    def sort(self) -> None:
        """Reviews most overdue first, new cards oldest first (learning cards go by time)."""
        self.reviews.sort(key=lambda card: (card.schedule.due or date.min, card.id))
        self.new.sort(key=lambda card: card.id)

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

    def crammed(self, card_id: int, grade: Grade, now: datetime) -> None:
        """After a cram answer: the card leaves the session, or shows again after its grade's
        delay (in the learning list, which orders by that time)."""
        queued = self.drop(card_id)
        delay = CRAM_DELAYS.get(grade)
        if queued is not None and delay is not None:
            again = replace(queued.schedule, redrill_at=now + delay)
            self.learning.append(replace(queued, schedule=again))

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
