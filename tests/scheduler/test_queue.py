"""The order a session shows its cards in, tested on the queue itself: re-drills whose step has
passed, then reviews, then new cards; learning ahead when only re-drills wait; never the same
card twice in a row while another waits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from studycards.model import CardState, Schedule
from studycards.scheduler.queue import QueuedCard, ReviewQueue

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def learning(card_id: int, minutes: float) -> QueuedCard:
    """A re-drill that may show again `minutes` from NOW (negative: already due)."""
    at = NOW + timedelta(minutes=minutes)
    return QueuedCard(card_id, 1, Schedule(state=CardState.LEARNING, redrill_at=at))


def review(card_id: int, due: date = date(2026, 11, 20)) -> QueuedCard:
    return QueuedCard(card_id, 1, Schedule(state=CardState.REVIEW, due=due))


def new(card_id: int) -> QueuedCard:
    return QueuedCard(card_id, 1, Schedule())


def shown_in_order(queue: ReviewQueue) -> list[int]:
    """Every card's id as a session shows them, each answered and gone at once."""
    order = []
    while (card := queue.next_card(NOW)) is not None:
        queue.shown(card)
        order.append(card.id)
        queue.drop(card.id)
    return order


def test_ready_redrills_then_reviews_then_new_then_redrills_learned_ahead():
    queue = ReviewQueue(
        learning=[learning(1, 5), learning(2, -1), learning(3, -10)],
        reviews=[review(4), review(5)],
        new=[new(6)],
    )
    assert shown_in_order(queue) == [3, 2, 4, 5, 6, 1]


def test_the_card_just_shown_waits_while_another_is_there():
    queue = ReviewQueue(learning=[learning(1, -5)], reviews=[review(2)])
    first = queue.next_card(NOW)
    assert first is not None and first.id == 1
    queue.shown(first)
    second = queue.next_card(NOW)
    assert second is not None and second.id == 2  # 1 is ready, but was just shown
    queue.shown(second)
    queue.drop(2)
    again = queue.next_card(NOW)
    assert again is not None and again.id == 1  # alone now: shown again at once


def test_settle_brings_a_failed_card_back_as_a_redrill_and_clears_a_passed_one():
    queue = ReviewQueue(reviews=[review(1), review(2)])
    failed = Schedule(state=CardState.LEARNING, redrill_at=NOW + timedelta(minutes=1))
    queue.settle(1, failed, NOW + timedelta(hours=12))
    queue.settle(
        2, Schedule(state=CardState.REVIEW, due=date(2026, 12, 1)), NOW + timedelta(hours=12)
    )
    assert queue.counts() == (0, 1, 0)
    assert queue.learning[0].id == 1 and queue.learning[0].schedule == failed


def test_a_copy_is_untouched_by_what_the_queue_does_next():
    queue = ReviewQueue(reviews=[review(1)], new=[new(2)])
    before = queue.copy()
    queue.drop(1)
    queue.shown(new(2))
    assert before.counts() == (1, 0, 1) and before.last_shown is None


@given(
    st.lists(st.floats(-60, 60), max_size=5),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_every_card_shows_exactly_once_when_each_is_answered(minutes, reviews, news):
    cards = [learning(n, m) for n, m in enumerate(minutes)]
    queue = ReviewQueue(
        learning=list(cards),  # the queue takes cards out of its own lists
        reviews=[review(100 + n) for n in range(reviews)],
        new=[new(200 + n) for n in range(news)],
    )
    order = shown_in_order(queue)
    assert sorted(order) == sorted(
        [c.id for c in cards] + [100 + n for n in range(reviews)] + [200 + n for n in range(news)]
    )
    ready = [c.id for c in sorted(cards, key=lambda c: c.schedule.redrill_at or NOW)]
    assert [i for i in order if i < 100] == ready  # re-drills by when they may show


def test_a_card_whose_step_ends_on_a_later_day_leaves_todays_session():
    queue = ReviewQueue(learning=[QueuedCard(1, 1, Schedule())])
    tomorrow = Schedule(state=CardState.LEARNING, redrill_at=NOW + timedelta(days=1))
    queue.settle(1, tomorrow, NOW + timedelta(hours=18))
    assert queue.next_card(NOW + timedelta(hours=2)) is None
