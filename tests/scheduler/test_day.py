from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from studycards.scheduler.day import format_steps, parse_steps, study_day

LOCAL = timezone(timedelta(hours=-5))


def test_study_day_rolls_over_at_the_local_hour():
    assert study_day(datetime(2026, 11, 24, 3, 59, tzinfo=LOCAL)) == date(2026, 11, 23)
    assert study_day(datetime(2026, 11, 24, 4, 0, tzinfo=LOCAL)) == date(2026, 11, 24)
    assert study_day(datetime(2026, 11, 24, 23, 0, tzinfo=LOCAL), 0) == date(2026, 11, 24)
    # the same instant in UTC is already the 25th, but the user's day is the 24th
    assert study_day(datetime(2026, 11, 25, 4, 30, tzinfo=UTC).astimezone(LOCAL)) == date(
        2026, 11, 24
    )


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        study_day(datetime(2026, 11, 24, 12))


def test_steps_round_trip():
    steps = parse_steps("1m 10m 1.5h 2d 30s")
    assert steps == (
        timedelta(minutes=1), timedelta(minutes=10), timedelta(minutes=90),
        timedelta(days=2), timedelta(seconds=30),
    )  # fmt: skip
    assert parse_steps(format_steps(steps)) == steps
    assert format_steps(parse_steps("1m 10m")) == "1m 10m"


def test_bad_step_is_refused():
    with pytest.raises(ValueError, match=r"learning step .10. is not"):
        parse_steps("1m 10 minutes")
