"""The custom study dialog (`c` on the deck list) and the sessions it opens, through the pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Label, Static

from studycards.model import Cram, ExtraNew
from studycards.tui.app import make_app
from studycards.tui.screens.custom_study import CustomStudyDialog, parse_plan
from studycards.tui.screens.deck_list import DeckListScreen
from studycards.tui.screens.done import DoneScreen
from studycards.tui.screens.review import ReviewScreen
from tests.conftest import rows
from tests.tui.conftest import settle


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_a_cram_chosen_in_the_dialog_keeps_the_schedules(collection, clock):
    before = rows(collection, "SELECT * FROM cards ORDER BY id")
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, CustomStudyDialog)
        await pilot.press("up", "enter")  # the last choice: cram a search
        value = app.screen.query_one(Input)
        assert app.focused is value and value.value == "is:review"
        value.value = "tag:chemotherapy"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "cram of tag:chemotherapy" in status(app)
        await pilot.press("space")
        labels = [str(button.label) for button in app.screen.query(Button)]
        assert labels == ["1 Again · 1m", "2 Hard · 10m", "3 Good · done", "4 Easy · done"]
        await pilot.press("3")
        await settle(pilot)
    assert rows(collection, "SELECT count(*), min(grade) FROM cram_answers") == [(1, 4)]
    assert rows(collection, "SELECT * FROM cards ORDER BY id") == before


async def test_a_value_that_does_not_fit_is_said_and_the_dialog_stays(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("c", "tab")
        app.screen.query_one(Input).value = "lots"
        await pilot.press("enter")
        assert isinstance(app.screen, CustomStudyDialog)
        said = str(app.screen.query_one("#custom-problem", Label).render())
        assert said == "type a whole number from 1 to 36500"
        await pilot.press("escape")
        assert isinstance(app.screen, DeckListScreen)


async def test_extra_new_cards_open_with_the_deck(db_path, seeds, clock):
    from studycards.collection.importing import ImportTarget, import_sources
    from studycards.model import DeckSettings

    deck = DeckSettings("Oncology", new_per_day=1)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", deck)], clock())
    app = make_app(db_path, clock, "Oncology", plan=ExtraNew(2))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert status(app).startswith("Oncology · 2 extra new cards   3 new")


async def test_a_custom_study_with_no_cards_says_so(collection, clock):
    app = make_app(collection, clock, plan=Cram("is:review [/b]\nzz"))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DeckListScreen)
        (note,) = app._notifications
        assert note.message == "No cards to study: cram of is:review [/b] zz"
        assert not note.markup  # the query is text: as markup, `[/b]` would crash the app


async def test_the_end_of_a_custom_study_names_it(collection, clock):
    app = make_app(collection, clock, plan=Cram("tag:chemotherapy"))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        for _ in range(6):  # the seeds hold fewer cards tagged so
            if not isinstance(app.screen, ReviewScreen):
                break
            await pilot.press("space", "4")
            await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        title = str(app.screen.query_one("#done-title", Static).render())
        assert title == "Custom study done: cram of tag:chemotherapy."


def test_the_dialog_reads_its_values():
    assert parse_plan(0, " 15 ") == ExtraNew(15)
    assert parse_plan(3, "deck:Bio is:due") == Cram("deck:Bio is:due")


@pytest.mark.parametrize(
    ("choice", "value"),
    [(1, "0"), (2, "-3"), (0, "1e3"), (1, "36501"), (0, "9" * 5000), (3, ""), (3, '"open')],
)
def test_the_dialog_refuses_what_does_not_fit(choice, value):
    with pytest.raises(ValueError):
        parse_plan(choice, value)
