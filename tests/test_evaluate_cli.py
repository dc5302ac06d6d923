"""`studycards evaluate` through its entry point: a synthetic log from a known memory model,
a real collection answered through the library, and the user's errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from benchmarks.synthetic_revlog import simulate, write_revlog
from studycards.cli.main import app
from studycards.collection.reviewing import StudySession
from studycards.model import Grade
from tests.conftest import rows, study

runner = CliRunner()
HEADER = "card_id,review_time,review_rating,review_state,review_duration\n"


def invoke(db_path, now, *args: str):
    return runner.invoke(app, ["--collection", str(db_path), *args], obj={"clock": lambda: now})


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A learner whose memory is FSRS-6 (parameters of its own), reviewing on SM-2's schedule."""
    path = tmp_path_factory.mktemp("revlog") / "revlog.csv"
    return write_revlog(path, simulate(cards=400, days=240, seed=7))


def test_fsrs_predicts_a_forgetting_curve_learner_better_than_sm2(synthetic, db_path, now):
    result = invoke(db_path, now, "evaluate", "--revlog", str(synthetic), "--timezone", "UTC",
                    "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"scored", "models"}
    assert list(report["models"]) == ["sm2", "fsrs_default", "fsrs_fitted", "average"]
    assert all(set(m) == {"log_loss", "rmse_bins", "auc"} for m in report["models"].values())
    assert report["scored"] > 1000
    sm2, default, fitted = (report["models"][m] for m in ("sm2", "fsrs_default", "fsrs_fitted"))
    for fsrs in (default, fitted):
        assert fsrs["log_loss"] < sm2["log_loss"]
        assert fsrs["rmse_bins"] < sm2["rmse_bins"]
        assert fsrs["auc"] > sm2["auc"]
    assert fitted["rmse_bins"] < default["rmse_bins"]  # the learner's own parameters show
    assert not db_path.exists()  # a review log needs no collection


def test_the_table_shows_every_model(synthetic, db_path, now):
    result = invoke(db_path, now, "evaluate", "--revlog", str(synthetic), "--timezone", "UTC")
    assert result.exit_code == 0, result.output
    for label in ("SM-2", "default parameters", "fitted per fold", "average recall", "RMSE(bins)"):
        assert label in result.output


def test_study_days_follow_the_time_zone_and_the_hour_they_start(tmp_path, db_path, now):
    # Each card: noon UTC on day 0, then 23:30 UTC on day 3 and 02:00 UTC on day 4
    day = 20_000 * 86_400_000
    times = (day + 43_200_000, day + 3 * 86_400_000 + 84_600_000, day + 4 * 86_400_000 + 7_200_000)
    text = HEADER + "".join(f"{card},{t},3,2,1\n" for card in range(1, 8) for t in times)
    path = tmp_path / "r.csv"
    path.write_text(text)

    def tested(*options: str) -> int:
        result = invoke(db_path, now, "evaluate", "--revlog", str(path), "--json", *options)
        assert result.exit_code == 0, result.output
        return int(json.loads(result.stdout)["scored"])

    # days from 4 am UTC: 23:30 and 02:00 are one study day, 7 scored reviews, 5 * (7 // 6)
    assert tested("--timezone", "UTC") == 5
    # from midnight: two study days, 14 scored, 5 * (14 // 6) tested
    assert tested("--timezone", "UTC", "--day-starts", "0") == 10
    # Tokyo (UTC+9), days from 10 am: 08:30 and 11:00 local fall on two study days
    assert tested("--timezone", "Asia/Tokyo", "--day-starts", "10") == 10
    assert tested("--timezone", "Asia/Tokyo", "--day-starts", "4") == 5


def test_bad_ratings_are_skipped_and_counted(tmp_path, db_path, now):
    text = HEADER + "".join(f"{c},{d * 86_400_000},3,2,1\n" for c in range(1, 5) for d in range(4))
    path = tmp_path / "r.csv"
    path.write_text(text + "1,999999999999,0,4,0\n2,999999999999,9,4,0\n")
    result = invoke(db_path, now, "evaluate", "--revlog", str(path), "--timezone", "UTC", "--json")
    assert result.exit_code == 0, result.output
    assert "skipped 2 rows with a rating outside 1-4" in result.stderr


def test_a_malformed_log_names_the_line(tmp_path, db_path, now):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + "1,1000,3,0,1\n1,later,3,2,1\n")
    result = invoke(db_path, now, "evaluate", "--revlog", str(path))
    assert result.exit_code == 1
    assert f"{path}:3: review_time is not a whole number" in result.stderr


def test_too_little_history_says_so(tmp_path, db_path, now):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + "1,0,3,0,1\n1,86400000,3,2,1\n1,864000000,3,2,1\n")
    result = invoke(db_path, now, "evaluate", "--revlog", str(path), "--timezone", "UTC")
    assert result.exit_code == 1
    assert "too little history to evaluate: 2 scored reviews" in result.stderr


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--day-starts", "24"], "--day-starts takes an hour from 0 to 23"),
        (["--deck", "Medicine"], "--deck chooses cards of the collection"),
    ],
)
def test_option_mistakes_are_errors(tmp_path, db_path, now, options, problem):
    path = tmp_path / "r.csv"
    path.write_text(HEADER)
    result = invoke(db_path, now, "evaluate", "--revlog", str(path), *options)
    assert result.exit_code == 1
    assert problem in result.stderr


def test_the_collections_own_answers_are_evaluated(db_path, seeds, now):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    grades = [Grade.GOOD, Grade.AGAIN, Grade.HARD, Grade.GOOD, Grade.EASY, Grade.GOOD]
    answered = 0
    for offset in (0, 1, 7, 9, 22, 30, 58, 80, 150):
        moment = now + timedelta(days=offset)
        session = StudySession(db_path, None, moment)
        for _ in range(40):
            card = session.next_card(moment)
            if card is None:
                break
            session.answer(card.queued, grades[answered % len(grades)], moment, 1000)
            answered += 1
            moment += timedelta(minutes=15)
        session.close()
    days = rows(db_path, "SELECT count(DISTINCT card_id || '-' || day) FROM reviews")[0][0]
    scored = days - 6  # a card's first day is never scored
    result = invoke(db_path, now, "evaluate", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["scored"] == scored - (scored - scored // 6 * 5)
    assert all(report["models"][m] is not None for m in report["models"])

    medicine = invoke(db_path, now, "evaluate", "--deck", "medicine", "--json")
    assert medicine.exit_code == 0, medicine.output
    assert 0 < json.loads(medicine.stdout)["scored"] < report["scored"]


def test_an_empty_collection_has_too_little_history(db_path, seeds, now):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    result = invoke(db_path, now, "evaluate")
    assert result.exit_code == 1
    assert "too little history to evaluate: 0 scored reviews" in result.stderr


def test_without_the_optimize_extra_the_other_models_are_still_scored(
    synthetic, db_path, now, monkeypatch
):
    monkeypatch.setitem(__import__("sys").modules, "fsrs_rs_python", None)  # import fails
    result = invoke(db_path, now, "evaluate", "--revlog", str(synthetic), "--timezone", "UTC",
                    "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    models = json.loads(result.stdout)["models"]
    assert models["fsrs_fitted"] is None
    assert models["sm2"] is not None and models["fsrs_default"] is not None
    assert "fsrs_fitted needs the optimize extra" in result.stderr


def test_evaluate_has_help():
    result = runner.invoke(app, ["evaluate", "--help"])
    assert result.exit_code == 0
    for option in ("--deck", "--revlog", "--timezone", "--day-starts", "--json"):
        assert option in result.output


def test_reviews_eight_thousand_years_apart_are_scored(tmp_path, db_path, now):
    """The first and the last times a log may hold: FSRS's day count does not overflow."""
    lines = ["1,0,3,0,1", "1,253402041600000,3,2,1", "2,0,3,0,1"]
    lines += [f"2,{day * 86_400_000},{1 if day == 4 else 3},2,1" for day in range(1, 8)]
    path = tmp_path / "far.csv"
    path.write_text("card_id,review_time,review_rating,review_state,review_duration\n"
                    + "\n".join(lines) + "\n")  # fmt: skip
    result = invoke(db_path, now, "evaluate", "--revlog", str(path), "--timezone", "UTC",
                    "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scored"] > 0


def test_a_forgotten_card_is_evaluated_from_the_forget_on(db_path, seeds, now):
    from studycards.collection.card_actions import forget
    from studycards.collection.evaluating import collection_histories
    from studycards.store.db import opened

    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    for days in (0, 1, 7):
        study(db_path, now + timedelta(days=days), Grade.GOOD)  # card 1 each day
    forget(db_path, [1], now + timedelta(days=8))
    study(db_path, now + timedelta(days=9), Grade.GOOD)
    with opened(db_path) as conn:
        (card,) = [history for history in collection_histories(conn, None) if history.card == 1]
    assert len(card.answers) == 1
