"""FSRS through py-fsrs over study days: checked against fsrs-rs (Anki's own FSRS engine) for
the memory, against the forgetting curve for the intervals, and step by step for Anki's
learning and relearning steps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studycards.model import CardState, DeckSettings, Grade, Memory, Schedule, Scheduler, Sm2
from studycards.scheduler import fsrs
from studycards.scheduler.states import answer

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
DECK = DeckSettings("Deck", scheduler=Scheduler.FSRS)
rust = pytest.importorskip("fsrs_rs_python", reason="the optimize extra (fsrs-rs) checks these")

grades = st.sampled_from(list(Grade))
gaps = st.integers(min_value=0, max_value=400)  # study days between answers


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(grades, gaps), min_size=1, max_size=12))
def test_the_memory_is_what_fsrs_rs_computes_from_the_same_answers(answers):
    """The same ratings and day gaps give fsrs-rs's memory (it works in 32-bit floats)."""
    memory = None
    reviews = []
    for index, (grade, gap) in enumerate(answers):
        elapsed = 0 if index == 0 else gap
        memory = fsrs.next_memory(memory, grade, elapsed, ())
        reviews.append(rust.FSRSReview(fsrs.RATINGS[grade], elapsed))
    expected = rust.FSRS(rust.DEFAULT_PARAMETERS).memory_state(rust.FSRSItem(reviews))
    assert memory is not None
    assert memory.stability == pytest.approx(expected.stability, rel=2e-3)
    assert memory.difficulty == pytest.approx(expected.difficulty, rel=2e-3)


def test_an_sm2_card_without_history_starts_from_its_ease_and_interval_as_in_anki():
    memory = fsrs.memory_from_sm2(Sm2(reps=4, ease=2.3, interval=37), ())
    expected = rust.FSRS(rust.DEFAULT_PARAMETERS).memory_state_from_sm2(2.3, 37, 0.9)
    assert memory.stability == pytest.approx(37)  # at 90% retention, the interval itself
    assert memory.difficulty == pytest.approx(expected.difficulty, rel=1e-4)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0.1, max_value=5000),
    st.floats(min_value=1, max_value=10),
    st.sampled_from([0.7, 0.8, 0.9, 0.95, 0.99]),
)
def test_a_review_interval_is_the_whole_day_nearest_the_desired_retention(
    stability, difficulty, retention
):
    deck = DeckSettings("Deck", scheduler=Scheduler.FSRS, desired_retention=retention)
    card = Schedule(Sm2(3, 2.5, 10), CardState.REVIEW, TODAY, last_day=TODAY - timedelta(days=10),
                    memory=Memory(stability, difficulty))  # fmt: skip
    after = answer(card, Grade.GOOD, NOW, TODAY, deck)
    assert after.state is CardState.REVIEW and after.memory is not None
    interval = after.sm2.interval
    assert after.due == TODAY + timedelta(days=interval)
    assert 1 <= interval <= deck.maximum_interval
    before, beyond = (
        fsrs.recall_probability(after.memory, interval + days, ()) for days in (-1, 1)
    )
    if 1 < interval < deck.maximum_interval:
        assert before >= retention >= beyond  # the exact day, rounded, lies between


def test_new_card_walks_the_learning_steps_then_graduates():
    first = answer(Schedule(), Grade.GOOD, NOW, TODAY, DECK)
    assert (first.state, first.step, first.redrill_at) == (
        CardState.LEARNING,
        1,
        NOW + DECK.learning_steps[1],
    )
    later = NOW + timedelta(minutes=10)
    graduated = answer(first, Grade.GOOD, later, TODAY, DECK)
    assert graduated.state is CardState.REVIEW
    assert (
        graduated.due == TODAY + timedelta(days=graduated.sm2.interval)
        and graduated.sm2.interval >= 1
    )
    assert answer(Schedule(), Grade.EASY, NOW, TODAY, DECK).state is CardState.REVIEW


def test_a_lapse_relearns_through_the_relearning_steps():
    card = Schedule(Sm2(3, 2.5, 20), CardState.REVIEW, TODAY, last_day=TODAY - timedelta(days=20),
                    memory=Memory(20.0, 5.0))  # fmt: skip
    lapsed = answer(card, Grade.AGAIN, NOW, TODAY, DECK)
    assert (lapsed.state, lapsed.lapses, lapsed.step) == (CardState.LEARNING, 1, 0)
    assert lapsed.redrill_at == NOW + DECK.relearning_steps[0]
    assert lapsed.memory is not None and lapsed.memory.stability < 20
    relearned = answer(lapsed, Grade.GOOD, NOW + timedelta(minutes=10), TODAY, DECK)
    assert relearned.state is CardState.REVIEW and relearned.lapses == 1


def test_days_elapsed_are_study_days_not_24_hours():
    """23:00 and 09:00 the next morning are a day apart, as Anki counts them."""
    evening = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    first = answer(Schedule(), Grade.EASY, evening, TODAY, DECK)
    morning = evening + timedelta(hours=10)
    second = answer(first, Grade.GOOD, morning, TODAY + timedelta(days=1), DECK)
    assert second.memory == fsrs.next_memory(first.memory, Grade.GOOD, 1, ())


def test_sm2_decks_keep_fsrs_memory_and_cap_intervals_at_the_maximum():
    """Thirteen Easy answers in a row overflowed the date before the cap."""
    deck = DeckSettings("Deck")
    card, day = Schedule(), TODAY
    for _ in range(13):
        card = answer(card, Grade.EASY, datetime.combine(day, NOW.timetz()), day, deck)
        assert card.due is not None
        day = card.due
    assert card.sm2.interval == deck.maximum_interval == 36500
    assert card.memory is not None and card.memory.stability > 1000


def test_weights_out_of_bounds_are_named():
    assert fsrs.parameter_problem(tuple(rust.DEFAULT_PARAMETERS)) is None
    assert "Expected 21 parameters" in (fsrs.parameter_problem((0.1, 0.2)) or "")
    assert "parameters[0]" in (fsrs.parameter_problem((-5.0, *rust.DEFAULT_PARAMETERS[1:])) or "")


@pytest.mark.parametrize("deck", [DECK, DeckSettings("Deck")])
def test_a_study_day_earlier_than_the_last_one_counts_as_the_same_day(deck):
    """Flying west across time zones can put an answer on the study day before the last one."""
    first = answer(Schedule(), Grade.GOOD, NOW, TODAY + timedelta(days=1), deck)
    back = answer(first, Grade.GOOD, NOW + timedelta(hours=1), TODAY, deck)
    assert back.memory == fsrs.next_memory(first.memory, Grade.GOOD, 0, ())
