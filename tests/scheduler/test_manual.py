"""Schedules set by hand: the due-date syntax, forget, set due date, and replays that make
them again where they were made."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycards.errors import DueDaysError
from studycards.model import CardState, DeckSettings, Grade, ManualChange, Schedule, Scheduler, Sm2
from studycards.scheduler.manual import (
    MAX_DAYS,
    DueDays,
    forget,
    parse_due_days,
    set_due,
)
from studycards.scheduler.replay import Answer, memory_of, replay, replay_log, since_forgotten

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
SM2 = DeckSettings("Deck")
FSRS = DeckSettings("Deck", scheduler=Scheduler.FSRS)


def given_on(days_ago: int, grade: Grade = Grade.GOOD) -> Answer:
    return Answer(grade, NOW - timedelta(days=days_ago), TODAY - timedelta(days=days_ago))


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("0", DueDays(0, 0)),
        ("3", DueDays(3, 3)),
        (" 3-7 ", DueDays(3, 7)),
        ("3 - 7!", DueDays(3, 7, True)),
        ("10!", DueDays(10, 10, True)),
    ],
)
def test_anki_due_date_syntax(text, parsed):
    assert parse_due_days(text) == parsed


@pytest.mark.parametrize("text", ["", "-1", "7-3", "3d", "1.5", "!", "3-", "99999999", "36501"])
def test_days_that_cannot_be_read_say_so(text):
    with pytest.raises(DueDaysError, match="not a due date"):
        parse_due_days(text)


@given(st.text(max_size=20))
def test_any_text_parses_or_raises_due_days_error(text):
    try:
        parsed = parse_due_days(text)
    except DueDaysError:
        return
    assert 0 <= parsed.low <= parsed.high <= MAX_DAYS


@given(st.integers(0, 100), st.integers(0, 100), st.integers(1, 10**9))
def test_a_range_picks_the_same_day_in_it_for_the_same_card_and_day(low, extra, card_id):
    asked = DueDays(low, low + extra)
    picked = asked.pick(card_id, TODAY)
    assert low <= picked <= low + extra
    assert asked.pick(card_id, TODAY) == picked


def test_a_range_spreads_cards_over_it():
    assert len({DueDays(3, 7).pick(card_id, TODAY) for card_id in range(100)}) == 5


def test_forget_makes_a_card_new_as_if_never_answered():
    lapsed = replay([given_on(20), given_on(19), given_on(10, Grade.AGAIN)], SM2)
    assert lapsed.lapses == 1 and lapsed.memory is not None
    assert forget(lapsed) == Schedule()


def test_set_due_on_a_new_card_gives_it_the_days_as_interval():
    due = set_due(replay([], SM2), TODAY, 10, reset_interval=False)
    assert due.state is CardState.REVIEW and due.due == TODAY + timedelta(days=10)
    assert due.sm2 == Sm2(reps=2, ease=2.5, interval=10)
    # its next pass multiplies that interval, under SM-2 and FSRS alike
    later = NOW + timedelta(days=10)
    assert replay([], SM2, [ManualChange(NOW, TODAY, 10)]) == due
    for deck in (SM2, FSRS):
        passed = replay([Answer(Grade.GOOD, later, TODAY + timedelta(days=10))], deck,
                        [ManualChange(NOW, TODAY, 10)])  # fmt: skip
        assert passed.state is CardState.REVIEW and passed.sm2.interval > 10


def test_set_due_keeps_a_review_cards_interval_unless_told_with_a_bang():
    review = replay([given_on(20), given_on(19)], SM2)
    assert review.sm2.interval == 6
    kept = set_due(review, TODAY, 3, reset_interval=False)
    assert kept.sm2 == review.sm2 and kept.due == TODAY + timedelta(days=3)
    assert set_due(review, TODAY, 3, reset_interval=True).sm2.interval == 3
    assert set_due(review, TODAY, 0, reset_interval=True).sm2.interval == 1  # due today


def test_a_replay_starts_from_new_at_a_forget_and_applies_the_answers_after_it():
    before = [given_on(30), given_on(29), given_on(23)]
    after = [given_on(5, Grade.HARD), given_on(4)]
    forgot = ManualChange(NOW - timedelta(days=10), TODAY - timedelta(days=10))
    for deck in (SM2, FSRS):
        assert replay([*before, *after], deck, [forgot]) == replay(after, deck)
        steps, last = replay_log([*before, *after], deck, [forgot])
        assert steps[3][0] == forget(steps[2][1]) and last == steps[-1][1]
    assert since_forgotten([*before, *after], [forgot]) == after
    assert memory_of(since_forgotten(before, [forgot]), ()) is None


def test_a_change_after_the_last_answer_is_the_cards_schedule():
    answers = [given_on(30), given_on(29)]
    due = ManualChange(NOW - timedelta(days=1), TODAY - timedelta(days=1), 40, True)
    steps, last = replay_log(answers, SM2, [due])
    assert steps == replay_log(answers, SM2)[0]
    assert last.due == TODAY + timedelta(days=39) and last.sm2.interval == 40


@given(
    st.lists(st.sampled_from(list(Grade)), max_size=10),
    st.lists(st.sampled_from(list(Grade)), max_size=10),
    st.sampled_from([SM2, FSRS]),
)
def test_whatever_came_before_a_forget_the_replay_is_that_of_the_answers_after_it(
    before, after, deck
):
    answers = [given_on(40 - 2 * n, grade) for n, grade in enumerate([*before, *after])]
    forgot_on = 40 - 2 * len(before) + 1  # between the last answer before and the first after
    forgot = ManualChange(NOW - timedelta(days=forgot_on), TODAY - timedelta(days=forgot_on))
    assert replay(answers, deck, [forgot]) == replay(answers[len(before) :], deck)
