"""The review TUI through Textual's pilot, on a real collection file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, HelpPanel, Static

from studycards.model import Grade
from studycards.tui.app import make_app
from studycards.tui.screens.deck_list import DeckListScreen
from studycards.tui.screens.done import DoneScreen
from studycards.tui.screens.review import ReviewScreen
from tests.conftest import rows
from tests.tui.conftest import settle


def question(app) -> str:
    """The front of the card on screen (what is drawn is checked by the snapshots)."""
    return app.screen.card.text.front


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_deck_list_shows_counts_and_enter_starts_a_session(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert [str(cell) for cell in table.get_row_at(0)] == ["Oncology", "6", "0", "0"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "6 new" in status(app)
        assert "primary goals" in question(app)


async def test_reveal_then_grade_commits_and_moves_on(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = question(app)
        await pilot.press("3")  # grading before the answer shows does nothing
        await settle(pilot)
        assert rows(collection, "SELECT count(*) FROM reviews") == [(0,)]
        assert app.screen.check_action("reveal", ())
        await pilot.press("space")
        assert app.screen.has_class("revealed")
        assert not app.screen.check_action("reveal", ())  # "Show answer" leaves the footer
        clock.advance(seconds=7)
        await pilot.press("3")
        await settle(pilot)
        assert rows(collection, "SELECT grade, duration_ms, after_interval FROM reviews") == [
            (4, 7000, 1)
        ]
        assert question(app) != first
        assert "5 new" in status(app)


async def test_each_button_gives_its_grade(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in "1234":
            await pilot.press("space", key)
            await settle(pilot)
            clock.advance(minutes=1)
    grades = [grade for (grade,) in rows(collection, "SELECT grade FROM reviews ORDER BY id")]
    assert grades[:4] == [1, 3, 4, 5]


async def test_a_click_on_a_button_gives_the_grade_of_its_key(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await pilot.click("#grade-2")
        await settle(pilot)
    assert rows(collection, "SELECT grade FROM reviews") == [(3,)]  # 2: Hard, SM-2's 3


async def test_failed_card_comes_back_after_the_others_then_at_once(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        failed = question(app)
        await pilot.press("space", "1")  # Again: back in 1 minute
        await settle(pilot)
        assert question(app) != failed  # another card first
        assert "1 learning" in status(app)
        for _ in range(5):  # answer the five others Good
            assert question(app) != failed
            await pilot.press("space", "3")
            await settle(pilot)
        assert question(app) == failed  # only the re-drill is left: it shows at once
        await pilot.press("space", "3")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
    [(card_id,)] = rows(collection, "SELECT id FROM cards WHERE key = 'id:176440'")
    logs = rows(collection, "SELECT grade, after_reps, after_interval, after_state FROM reviews"
                            " WHERE card_id = ? ORDER BY id", card_id)  # fmt: skip
    assert logs == [(1, 0, 1, 1), (4, 0, 1, 2)]  # the re-drill cleared it; SM-2 state unchanged


async def test_undo_twice_restores_cards_and_deletes_their_log(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = question(app)
        await pilot.press("space", "3")
        await settle(pilot)
        second = question(app)
        await pilot.press("space", "1")
        await settle(pilot)
        assert rows(collection, "SELECT count(*) FROM reviews") == [(2,)]
        await pilot.press("u")
        await settle(pilot)
        assert question(app) == second
        await pilot.press("u")
        await settle(pilot)
        assert question(app) == first
        assert "6 new" in status(app)
        await pilot.press("u")  # nothing left to undo: nothing happens
        await settle(pilot)
    assert rows(collection, "SELECT count(*) FROM reviews") == [(0,)]
    assert rows(collection, "SELECT DISTINCT state, queue, reps, interval FROM cards") == [
        (0, 0, 0, 0)
    ]


async def test_suspend_and_bury_take_cards_out(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert "4 new" in status(app)
    assert rows(collection, "SELECT count(*) FROM cards WHERE queue = -1") == [(1,)]
    today = clock.now.date().toordinal()
    assert rows(collection, "SELECT buried_until FROM cards WHERE buried_until IS NOT NULL") == [
        (today + 1,)
    ]
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one(DataTable).get_row_at(0)[1]) == "4"
    clock.advance(days=1)
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # the buried card is back tomorrow; the suspended one is not
        assert str(app.screen.query_one(DataTable).get_row_at(0)[1]) == "5"


async def test_done_screen_when_nothing_is_due_and_back_to_decks(collection, clock):
    conn = sqlite3.connect(collection)
    conn.execute("UPDATE cards SET queue = -1")
    conn.commit()
    conn.close()
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        assert "Congratulations, you are done for today." in str(
            app.screen.query_one("#done-title", Static).render()
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DeckListScreen)


async def test_session_summary_counts_answers_and_again_rate(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ["1", "3", "3", "3", "3", "3", "3"]:
            await pilot.press("space", key)
            clock.advance(seconds=10)
            await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        summary = str(app.screen.query_one("#done-summary", Static).render())
        assert "Reviewed 6 cards (7 answers) in 1m 00s · again 14%" in summary
        assert "Tomorrow: 6 reviews and no new cards" in summary
        await pilot.press("u")  # undo from the end screen: the last card comes back
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    assert rows(collection, "SELECT count(*) FROM reviews") == [(6,)]


@pytest.mark.usefixtures("editor")
async def test_edit_opens_editor_and_reimports(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "primary goals" in question(app)
        await pilot.press("e")
        await settle(pilot)
        assert "main goals" in question(app)
    assert rows(collection, "SELECT front FROM cards WHERE key = 'id:176440'")[0][0].startswith(
        "What are the main goals"
    )


async def test_help_theme_and_back(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query(HelpPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)
        theme = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != theme
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, DeckListScreen)


async def test_an_fsrs_deck_previews_fsrs_intervals_and_answers_as_shown(
    db_path, seeds, now, clock
):
    """Anki's FSRS on a new card with the default steps and weights: 1m, 6m, 10m, 8 days."""
    from textual.widgets import Button

    from studycards.collection.importing import ImportTarget, import_sources
    from studycards.model import DeckSettings, Scheduler

    fsrs = DeckSettings("Oncology", scheduler=Scheduler.FSRS)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", fsrs)], now)
    app = make_app(db_path, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        labels = [str(button.label) for button in app.screen.query(Button)]
        assert labels == ["1 Again · 1m", "2 Hard · 6m", "3 Good · 10m", "4 Easy · 8d"]
        await pilot.press("4")
        await settle(pilot)
    assert rows(db_path, "SELECT grade, after_state, after_interval, after_due - after_last_day"
                         " FROM reviews") == [(5, 2, 8, 8)]  # fmt: skip


async def test_an_answer_after_the_day_rolls_over_does_what_its_button_said(
    db_path, seeds, now, clock
):
    """Shown at 03:59, answered at 04:01 (the rollover hour): Easy's 8 days count from the day
    the button was shown on."""
    from studycards.collection.importing import ImportTarget, import_sources
    from studycards.model import DeckSettings, Scheduler

    fsrs = DeckSettings("Oncology", scheduler=Scheduler.FSRS)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", fsrs)], now)
    clock.now = clock.now.replace(hour=3, minute=59)
    app = make_app(db_path, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        shown = app.screen.card
        clock.advance(minutes=2)
        await pilot.press("4")
        await settle(pilot)
    [(day, due)] = rows(db_path, "SELECT day, after_due FROM reviews")
    assert (day, due) == (shown.today.toordinal(), shown.outcomes[Grade.EASY].due.toordinal())


def test_button_labels_name_steps_in_their_largest_unit():
    from datetime import timedelta

    from studycards.model import CardState, Schedule
    from studycards.tui.widgets.grade_bar import describe

    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    labels = [
        describe(Schedule(state=CardState.LEARNING, redrill_at=now + wait), now, now.date())
        for wait in (timedelta(seconds=20), timedelta(minutes=6), timedelta(hours=3),
                     timedelta(days=1), timedelta(days=3650))
    ]  # fmt: skip
    assert labels == ["<1m", "6m", "3h", "1d", "3650d"]
