"""SM-2's same-day rule, learning steps and daily limits, over plain values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycards.model import CardState, DeckSettings, Grade, Schedule, Sm2
from studycards.scheduler.states import answer, is_redrill, preview, within_limit

STEPS = (timedelta(minutes=1), timedelta(minutes=10))
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
DECK = DeckSettings("Deck", learning_steps=STEPS)


def test_good_on_a_new_card_schedules_tomorrow():
    after = answer(Schedule(), Grade.GOOD, NOW, TODAY, DECK)
    assert after.state is CardState.REVIEW
    assert after.sm2 == Sm2(reps=1, ease=2.5, interval=1)
    assert after.due == TODAY + timedelta(days=1)
    assert after.redrill_at is None and after.last_day == TODAY


def test_again_then_redrills_only_walk_the_steps_until_a_four():
    first = answer(Schedule(), Grade.AGAIN, NOW, TODAY, DECK)
    assert first.state is CardState.LEARNING
    assert first.sm2 == Sm2(reps=0, ease=2.5, interval=1)  # the first answer sets SM-2 state
    assert first.redrill_at == NOW + STEPS[0]
    assert is_redrill(first, TODAY)

    later = NOW + timedelta(minutes=2)
    hard = answer(first, Grade.HARD, later, TODAY, DECK)
    assert hard.sm2 == first.sm2 and hard.due == first.due  # re-drills never touch SM-2
    assert (hard.state, hard.step, hard.redrill_at) == (CardState.LEARNING, 1, later + STEPS[1])

    again = answer(hard, Grade.AGAIN, later, TODAY, DECK)
    assert (again.step, again.redrill_at) == (0, later + STEPS[0])

    cleared = answer(again, Grade.GOOD, later, TODAY, DECK)
    assert cleared.state is CardState.REVIEW
    assert cleared.sm2 == first.sm2
    assert cleared.due == TODAY + timedelta(days=1)
    assert cleared.redrill_at is None


def test_hard_first_answer_passes_sm2_but_still_comes_back_today():
    review = Schedule(Sm2(reps=2, ease=2.5, interval=6), CardState.REVIEW, TODAY, 0, None,
                      TODAY - timedelta(days=6))  # fmt: skip
    after = answer(review, Grade.HARD, NOW, TODAY, DECK)
    assert after.sm2 == Sm2(reps=3, ease=2.36, interval=15)  # ceil(6 * 2.36 = 14.16)
    assert after.due == TODAY + timedelta(days=15)
    assert after.state is CardState.LEARNING and after.redrill_at == NOW + STEPS[0]


def test_a_lapse_counts_only_for_cards_in_review():
    review = Schedule(Sm2(reps=3, ease=2.5, interval=15), CardState.REVIEW, TODAY)
    assert answer(review, Grade.AGAIN, NOW, TODAY, DECK).lapses == 1
    assert answer(Schedule(), Grade.AGAIN, NOW, TODAY, DECK).lapses == 0


def test_a_learning_card_left_from_yesterday_is_a_first_answer_today():
    yesterday = answer(
        Schedule(), Grade.AGAIN, NOW - timedelta(days=1), TODAY - timedelta(days=1), DECK
    )
    assert not is_redrill(yesterday, TODAY)
    after = answer(yesterday, Grade.GOOD, NOW, TODAY, DECK)
    assert after.sm2 == Sm2(reps=1, ease=2.5, interval=1)  # SM-2 moved on: a new day's answer


def test_no_steps_means_the_card_can_show_again_at_once():
    assert (
        answer(
            Schedule(), Grade.AGAIN, NOW, TODAY, DeckSettings("Deck", learning_steps=())
        ).redrill_at
        == NOW
    )


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        answer(Schedule(), Grade.GOOD, NOW.replace(tzinfo=None), TODAY, DECK)


def test_limits():
    assert within_limit(50, 20, 5) == 15
    assert within_limit(3, 20, 5) == 3
    assert within_limit(50, 20, 25) == 0


schedules = st.lists(st.sampled_from(list(Grade)), max_size=12).map(lambda grades: _replay(grades))


def _replay(grades: list[Grade]) -> Schedule:
    schedule = Schedule()
    for day, grade in enumerate(grades):
        schedule = answer(
            schedule, grade, NOW + timedelta(days=day), TODAY + timedelta(days=day), DECK
        )
    return schedule


@given(schedules)
def test_preview_is_exactly_what_answering_does(schedule):
    shown = preview(schedule, NOW + timedelta(days=20), TODAY + timedelta(days=20), DECK)
    for grade, outcome in shown.items():
        assert outcome == answer(
            schedule, grade, NOW + timedelta(days=20), TODAY + timedelta(days=20), DECK
        )


@given(schedules, st.lists(st.sampled_from(list(Grade)), min_size=1, max_size=8))
def test_same_day_redrills_never_change_sm2_and_end_on_a_four(schedule, grades):
    day, moment = TODAY + timedelta(days=30), NOW + timedelta(days=30)
    first = answer(schedule, grades[0], moment, day, DECK)
    current = first
    for grade in grades[1:]:
        if current.state is not CardState.LEARNING:
            break
        current = answer(current, grade, moment, day, DECK)
        assert (current.sm2, current.due) == (first.sm2, first.due)
    if current.state is CardState.REVIEW:
        assert current.redrill_at is None
