"""The browser: `/` anywhere, cards found as you type, a bad query said, the highlighted card's
text and history; marks, and the actions on the marked cards (or the highlighted one), each
proved on the collection: suspend, bury, forget, set due date, edit and re-import."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from rich.console import Console
from textual.widgets import DataTable, Input, Static

from studycards.collection.reviewing import StudySession
from studycards.model import CardState, Cram, Grade
from studycards.tui.app import make_app
from studycards.tui.screens.browser import BrowserScreen
from studycards.tui.screens.dialogs import ConfirmDialog, DueDateDialog
from studycards.tui.screens.done import DoneScreen
from studycards.tui.screens.review import ReviewScreen
from tests.conftest import rows, study
from tests.tui.conftest import notes, settle


async def type_search(pilot, text: str) -> None:
    pilot.app.screen.query_one(Input).value = text
    await settle(pilot)


def shown_text(widget: Static) -> str:
    """What a Static holding Rich renderables shows, as plain text."""
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def said(app) -> str:
    return str(app.screen.query_one("#search-said", Static).render())


async def test_slash_finds_cards_as_you_type(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert said(app) == "6 cards"
        await type_search(pilot, "immunotherapy")
        table = app.screen.query_one(DataTable)
        assert said(app) == f"{table.row_count} cards" and 0 < table.row_count < 6
        await type_search(pilot, "deck:(")
        assert said(app).startswith("bad search") and table.row_count == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, BrowserScreen)


async def test_the_detail_pane_and_ctrl_s(collection, clock):
    (shown,) = study(collection, clock.now - timedelta(days=1), Grade.GOOD, duration_ms=4000)
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await type_search(pilot, "rated:2")
        await pilot.press("down")
        await settle(pilot)
        detail = shown_text(app.screen.query_one("#card-text", Static))
        assert shown.text.front[:20] in detail and "Good" in detail and "History" in detail
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(collection, "SELECT queue FROM cards WHERE id = ?", shown.queued.id) == [(-1,)]
        assert "suspended" in str(app.screen.query_one(DataTable).get_row_at(0)[3])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(collection, "SELECT queue FROM cards WHERE id = ?", shown.queued.id) != [(-1,)]


async def open_browser(pilot, query: str = "") -> None:
    """`/`, the search typed, the focus on the cards (their keys are the table's)."""
    await settle(pilot)
    await pilot.press("slash")
    await settle(pilot)
    if query:
        await type_search(pilot, query)
    await pilot.press("down")
    await settle(pilot)


def toasts(app) -> list[str]:
    return [note.message for note in app._notifications]


async def test_marks_choose_the_cards_and_bury_toggles(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browser(pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("space", "down", "down", "space")
        assert said(app) == "6 cards · 2 marked"
        assert [str(table.get_row_at(row)[0]) for row in range(3)] == ["●", " ", "●"]
        marked = {app.screen.found[0].id, app.screen.found[2].id}
        await pilot.press("b")
        await settle(pilot)
        buried = rows(collection, "SELECT id FROM cards WHERE buried_until IS NOT NULL")
        assert {card_id for (card_id,) in buried} == marked
        assert "Buried 2 cards until tomorrow" in toasts(app)
        assert said(app) == "6 cards · 2 marked"  # the marks stay on the cards still found
        await pilot.press("b")  # every marked card buried: unbury them
        await settle(pilot)
        assert rows(collection, "SELECT count(*) FROM cards WHERE buried_until IS NOT NULL") == [
            (0,)
        ]
        assert "Unburied 2 cards" in toasts(app)
        await pilot.press("ctrl+a")
        assert said(app) == "6 cards · 6 marked"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(collection, "SELECT count(*) FROM cards WHERE queue = -1") == [(6,)]
        assert "Suspended 6 cards" in toasts(app)
        await pilot.press("ctrl+a")  # all marked: none
        assert said(app) == "6 cards"
        await pilot.press("ctrl+s")  # the highlighted card alone
        await settle(pilot)
        assert rows(collection, "SELECT count(*) FROM cards WHERE queue = -1") == [(5,)]
        assert "Unsuspended 1 card" in toasts(app)


async def test_forget_asks_then_makes_the_card_new_history_kept(collection, clock):
    (shown,) = study(collection, clock.now - timedelta(days=1), Grade.GOOD)
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browser(pilot, "rated:2")
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert rows(collection, "SELECT state FROM cards WHERE id = ?", shown.queued.id) == [
            (CardState.REVIEW,)
        ]
        await pilot.press("f", "y")
        await settle(pilot)
        assert rows(collection, "SELECT state, queue FROM cards WHERE id = ?", shown.queued.id) == [
            (CardState.NEW, CardState.NEW)
        ]
        assert rows(collection, "SELECT count(*) FROM reviews") == [(1,)]
        assert "Forgot 1 card" in toasts(app)
        detail = shown_text(app.screen.query_one("#card-text", Static))
        assert "Good" in detail and "Forgot" in detail and "new · ease 2.50 · lapses 0" in detail


async def test_set_due_asks_for_days_and_says_a_mistake(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browser(pilot)
        card = app.screen.found[0]
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DueDateDialog)
        await pilot.press(*"soon", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DueDateDialog)
        assert "not a due date: 'soon'" in str(app.screen.query_one("#due-problem").render())
        app.screen.query_one(Input).value = "5"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        due = (clock.now.date() + timedelta(days=5)).toordinal()
        assert rows(collection, "SELECT state, due, interval FROM cards WHERE id = ?", card.id) == [
            (CardState.REVIEW, due, 5)
        ]
        assert "Set 1 card due in 5 days" in toasts(app)
        await pilot.press("d", "escape")  # cancelled: nothing changes
        await settle(pilot)
        assert rows(collection, "SELECT count(*) FROM manual_changes") == [(1,)]


async def test_a_store_error_is_reported_not_raised(collection, clock):
    from tests.tui.conftest import write_lock

    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browser(pilot)
        with write_lock(collection):
            await pilot.press("b")
            await settle(pilot)
        assert notes(app, "Not buried")
        assert rows(collection, "SELECT count(*) FROM cards WHERE buried_until IS NOT NULL") == [
            (0,)
        ]


@pytest.mark.usefixtures("editor")
async def test_edit_opens_the_editor_and_imports_the_file_again(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browser(pilot, "goals chemotherapy")
        assert "primary goals" in shown_text(app.screen.query_one("#card-text", Static))
        await pilot.press("e")
        await settle(pilot)
        assert "main goals" in shown_text(app.screen.query_one("#card-text", Static))
        assert any(toast.startswith("Imported ") for toast in toasts(app))
    assert rows(collection, "SELECT front FROM cards WHERE key = 'id:176440'")[0][0].startswith(
        "What are the main goals"
    )


async def test_study_now_opens_a_session_of_the_marked_cards(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browser(pilot)
        await pilot.press("space", "down", "space")
        chosen = {app.screen.found[0].id, app.screen.found[1].id}
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "cards chosen in the browser" in str(
            app.screen.query_one("#status", Static).render()
        )
        for _ in range(2):
            await pilot.press("space", "4")
            await settle(pilot)
        answered = rows(collection, "SELECT card_id FROM reviews")
        assert {card_id for (card_id,) in answered} == chosen  # rescheduled: in the log
        assert isinstance(app.screen, DoneScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        states = [str(app.screen.query_one(DataTable).get_row_at(row)[3]) for row in range(6)]
        assert states.count("review") == 2  # listed again, as they are now


async def test_the_history_shows_crammed_answers_as_such(collection, clock):
    session = StudySession(collection, None, clock.now, Cram("is:new"))
    card = session.next_card(clock.now)
    session.answer(card.queued, Grade.AGAIN, clock.now, 3000)
    session.close()
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browser(pilot, f"{card.text.front[:12]}")
        detail = shown_text(app.screen.query_one("#card-text", Static))
        assert "Again (cram)" in detail and "new" in detail


async def test_a_card_suspended_in_the_browser_leaves_the_session_below(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        shown = app.screen.card
        assert shown is not None
        await open_browser(pilot, shown.text.front[:15])
        highlighted = app.screen.found[0]
        assert highlighted.id == shown.queued.id
        await pilot.press("ctrl+s", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card.queued.id != shown.queued.id  # read again: it is gone
        assert "5 new" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("space", "3")
        await settle(pilot)
    assert rows(collection, "SELECT queue FROM cards WHERE id = ?", shown.queued.id) == [(-1,)]


async def test_the_deck_list_counts_again_after_the_browser_changed_cards(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browser(pilot)
        await pilot.press("ctrl+a", "ctrl+s", "escape")
        await settle(pilot)
        new = app.screen.query_one(DataTable).get_row_at(0)[1]
        assert str(new) == "0"  # every card suspended: none new to show


async def test_the_table_shows_difficulty_for_fsrs_and_lapses(db_path, seeds, clock):
    from studycards.collection.importing import ImportTarget, import_sources
    from studycards.model import DeckSettings, Scheduler

    deck = DeckSettings("Oncology", scheduler=Scheduler.FSRS)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", deck)], clock.now)
    (card,) = study(db_path, clock.now - timedelta(days=20), Grade.EASY)
    study(db_path, clock.now - timedelta(minutes=5), Grade.AGAIN)  # due: it lapses
    app = make_app(db_path, clock)
    async with app.run_test(size=(140, 30)) as pilot:
        await open_browser(pilot, "-is:new")
        (row,) = [app.screen.query_one(DataTable).get_row_at(0)]
        ease, lapses = str(row[6]), str(row[7])
        assert ease.startswith("D ") and 1 <= float(ease[2:]) <= 10
        assert lapses == "1"
    assert rows(db_path, "SELECT lapses FROM cards WHERE id = ?", card.queued.id) == [(1,)]


async def test_a_custom_study_emptied_by_the_browser_still_ends_with_its_summary(collection, clock):
    app = make_app(collection, clock, plan=Cram("is:new"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "4")  # one card crammed
        await settle(pilot)
        await open_browser(pilot, "is:new")
        await pilot.press("ctrl+a", "ctrl+s", "escape")  # every card suspended
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        assert "Reviewed 1 card" in str(app.screen.query_one("#done-summary", Static).render())
