"""SM-2 against hand-computed sequences, and its invariants as properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studycards.model import Sm2
from studycards.scheduler.sm2 import MIN_EASE, next_ease, review


def run(grades: list[int]) -> list[tuple[int, float, int]]:
    state, seen = Sm2(), []
    for q in grades:
        state = review(state, q)
        seen.append((state.reps, state.ease, state.interval))
    return seen


def test_ease_formula_for_every_grade():
    # EF' = EF + (0.1 - (5-q)(0.08 + (5-q)0.02)), by hand from EF = 2.5
    assert [next_ease(2.5, q) for q in range(6)] == [1.7, 1.96, 2.18, 2.36, 2.5, 2.6]
    assert next_ease(1.3, 3) == MIN_EASE


def test_all_good_sequence():
    # q=4 leaves EF at 2.5: 1, 6, ceil(6*2.5)=15, ceil(15*2.5)=38, ceil(38*2.5)=95
    assert run([4, 4, 4, 4, 4]) == [
        (1, 2.5, 1), (2, 2.5, 6), (3, 2.5, 15), (4, 2.5, 38), (5, 2.5, 95),
    ]  # fmt: skip


def test_easy_hard_and_a_lapse():
    # 5: EF 2.6, I=1 | 5: EF 2.7, I=6 | 3: EF 2.56, I=ceil(6*2.56)=ceil(15.36)=16
    # 1: lapse, EF unchanged (our reading), reps 0, I=1 | 4: EF 2.56, reps 1, I=1
    # 4: reps 2, I=6 | 5: EF 2.66, I=ceil(6*2.66)=ceil(15.96)=16
    assert run([5, 5, 3, 1, 4, 4, 5]) == [
        (1, 2.6, 1), (2, 2.7, 6), (3, 2.56, 16), (0, 2.56, 1), (1, 2.56, 1), (2, 2.56, 6),
        (3, 2.66, 16),
    ]  # fmt: skip


def test_repeated_hard_grades_floor_the_ease():
    # q=3 costs 0.14 a time: 2.36, 2.22, ... 1.38, then floored at 1.3
    eases = [ease for _, ease, _ in run([3] * 10)]
    assert eases[:3] == [2.36, 2.22, 2.08]
    assert eases[-1] == MIN_EASE
    intervals = [interval for *_, interval in run([3] * 10)]
    assert intervals[:5] == [
        1,
        6,
        13,
        26,
        47,
    ]  # ceil(6*2.08=12.48), ceil(13*1.94=25.22), ceil(26*1.8=46.8)


def test_interval_rounds_up_without_float_drift():
    # EF 2.6 exactly: 10 * 2.6 must be 26, not ceil(26.000000000000004) = 27
    assert review(Sm2(reps=3, ease=2.5, interval=10), 5).interval == 26


def test_quality_outside_zero_to_five_is_refused():
    with pytest.raises(ValueError):
        review(Sm2(), 6)


grades = st.integers(0, 5)


def replay(sequence: list[int]) -> Sm2:
    state = Sm2()
    for q in sequence:
        state = review(state, q)
    return state


states = st.lists(grades, max_size=30).map(replay)  # every state SM-2 can actually reach


@given(states, grades)
def test_ease_never_below_floor_and_interval_at_least_one(state, q):
    after = review(state, q)
    assert after.ease >= MIN_EASE
    assert after.interval >= 1


@given(states, st.integers(3, 5))
def test_a_pass_never_shortens_the_interval(state, q):
    assert review(state, q).interval >= state.interval


EASE_CHANGE = {5: 0.1, 4: 0.0, 3: -0.14}  # the spec's formula for the passing grades


@given(states, grades)
def test_a_pass_moves_the_ease_by_the_spec_and_a_failure_leaves_it(state, q):
    after = review(state, q)
    if q < 3:
        assert (after.reps, after.ease, after.interval) == (0, state.ease, 1)
    else:
        assert after.ease == max(MIN_EASE, round(state.ease + EASE_CHANGE[q], 2))
        assert after.reps == state.reps + 1


@given(st.lists(grades, max_size=40))
def test_any_grade_sequence_keeps_the_invariants(sequence):
    state = Sm2()
    for q in sequence:
        after = review(state, q)
        assert after.ease >= MIN_EASE and after.interval >= 1
        assert after.reps == (0 if q < 3 else state.reps + 1)
        state = after
