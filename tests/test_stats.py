"""`studycards stats`: the figures from a real collection answered over several days, and the
command's output."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from textual.widgets import Static

from studycards.collection.importing import ImportTarget, import_sources
from studycards.collection.stats import _streaks, collection_stats
from studycards.model import CardStates, DeckSettings, Grade
from studycards.tui.app import make_app
from studycards.tui.screens.stats import StatsScreen
from tests.conftest import rows, study
from tests.test_cli import invoke
from tests.tui.conftest import settle


def test_a_week_of_study_in_figures(db_path, seeds, now):
    start = now - timedelta(days=6)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", DeckSettings("Oncology"))], start)
    study(db_path, start, Grade.GOOD, Grade.EASY, Grade.GOOD, Grade.AGAIN)  # 4 new cards
    study(db_path, start + timedelta(days=1), Grade.GOOD)  # the lapsed one, relearning
    study(db_path, now, Grade.GOOD, Grade.GOOD)  # reviews due first, else new cards

    stats = collection_stats(db_path, now)

    assert stats.today == now.date()
    today, first = stats.days[-1], stats.days[-7]
    assert (first.day, first.new, first.again) == (start.date(), 4, 1)
    assert (today.answers, today.time_ms, stats.cards_today) == (2, 12_000, 2)
    ((new, reviewed),) = rows(
        db_path,
        "SELECT sum(before_state = 0), sum(before_state = 2) FROM reviews WHERE day = ?",
        now.date().toordinal(),
    )
    assert (today.new, today.review) == (new, reviewed)
    assert stats.days[-6].learning + stats.days[-6].relearn == 1
    assert len(stats.days) == 365 and sum(day.answers for day in stats.days) == 7
    assert (stats.streak, stats.longest_streak) == (1, 2)
    assert stats.states == CardStates(
        new=rows(db_path, "SELECT count(*) FROM cards WHERE state = 0")[0][0],
        learning=rows(db_path, "SELECT count(*) FROM cards WHERE state = 1")[0][0],
        young=rows(db_path, "SELECT count(*) FROM cards WHERE state = 2")[0][0],
    )
    due = rows(db_path, "SELECT count(*) FROM cards WHERE state IN (1, 2)")[0][0]
    assert sum(stats.forecast) == due
    assert sum(count for _, count in stats.intervals) == stats.states.young
    assert stats.ease and not stats.difficulty  # an SM-2 deck
    assert stats.retention[0].period == "Today"


def test_true_retention_counts_reviews_of_day_old_cards(db_path, seeds, now):
    start = now - timedelta(days=30)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", DeckSettings("Oncology"))], start)
    study(db_path, start, *[Grade.EASY] * 6)  # straight to review, 4 days
    later = start + timedelta(days=10)
    study(db_path, later, Grade.GOOD, Grade.AGAIN, Grade.GOOD)

    retention = {row.period: row for row in collection_stats(db_path, now).retention}

    month = retention["Last month"]
    assert (month.young_passed, month.young_failed, month.mature_passed) == (2, 1, 0)
    assert retention["Today"].young_passed == retention["Last week"].young_failed == 0


def test_streaks_reach_back_past_the_year_shown(db_path, seeds, tmp_path, now):
    """Days answered over a year ago (before the days shown) still make the longest streak,
    for one deck as for the collection; a deck counts its own cards' answers alone."""
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", DeckSettings("Oncology"))], now)
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.md").write_text("---\nquestion: Q?\nanswer: A.\nsubject: Other\n---\n")
    import_sources(db_path, [ImportTarget((other,))], now)
    today = collection_stats(db_path, now).today.toordinal()
    days = {"Oncology": (-366, -365, -364, -363, 0), "Other": (-370, -369, -368, -367, -1)}
    conn = sqlite3.connect(db_path)
    with conn:
        for deck, ago in days.items():
            conn.executemany(
                "INSERT INTO reviews (card_id, reviewed_at, day, grade, duration_ms,"
                " before_state, before_reps, before_ease, before_interval, before_step,"
                " before_lapses, after_state, after_reps, after_ease, after_interval,"
                " after_step, after_lapses) SELECT c.id, 0, ?, 4, 1000, 2, 1, 2.5, 3, 0, 0, 2,"
                " 2, 2.5, 6, 0, 0 FROM cards c JOIN decks d ON d.id = c.deck_id"
                " WHERE d.name = ? LIMIT 1",
                [(today + day, deck) for day in ago],
            )
    conn.close()
    figures = {
        deck: (stats.streak, stats.longest_streak, stats.cards_today)
        for deck in (None, "Oncology", "Other")
        for stats in (collection_stats(db_path, now, deck),)
    }
    assert figures == {None: (2, 8, 1), "Oncology": (1, 4, 1), "Other": (1, 4, 0)}


def test_streaks():
    assert _streaks([], 100) == (0, 0)
    assert _streaks([90, 91, 92, 98, 99], 100) == (2, 3)  # yesterday ends the current run
    assert _streaks([90, 91, 92, 97], 100) == (0, 3)
    assert _streaks([100], 100) == (1, 1)


def test_the_stats_command(db_path, seeds, now):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", DeckSettings("Oncology"))], now)
    study(db_path, now, Grade.GOOD, Grade.AGAIN)

    result = invoke(db_path, now, "stats")

    assert result.exit_code == 0, result.output
    for line in (
        "Today: 2 cards studied, 2 answers in 0 min; Again 1 (50.0% correct)",
        "True retention",
        "Due in the next 30 days",
        "Streak: 1 day in a row",
    ):
        assert line in result.output  # fmt: skip
    deck = invoke(db_path, now, "stats", "--deck", "oncology")
    assert deck.exit_code == 0 and "Stats of deck Oncology" in deck.output
    missing = invoke(db_path, now, "stats", "--deck", "Nope")
    assert missing.exit_code == 1


async def test_the_deck_list_says_what_was_studied_today(db_path, seeds, now):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", DeckSettings("Oncology"))], now)
    study(db_path, now, Grade.GOOD, Grade.AGAIN, Grade.EASY)
    app = make_app(db_path, lambda: now)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        hint = str(app.screen.query_one("#deck-hint", Static).render())
        assert hint.startswith(
            "Today: 3 cards studied, 3 answers in 0 min; Again 1 (66.7% correct)"
        )
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("a")
        await settle(pilot)
        title = str(app.screen.query_one("#stats-title", Static).render())
        assert title == f"Stats of all decks · study day {now.date()}"
