"""The deck list reads the collection once at start and again after a session, and draws its
header in line with the rows however a frame falls."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import DataTable

from studycards.tui.app import make_app
from studycards.tui.messages import (
    CardAnswered,
    CardReady,
    DecksLoaded,
    SessionFinished,
    SessionOpened,
)
from studycards.tui.screens.deck_list import DeckListScreen
from studycards.tui.screens.dialogs import ExportDialog
from studycards.tui.screens.review import ReviewScreen
from tests.tui.conftest import settle
from tests.tui.test_hostile_text import screen

SIZE = (100, 30)
SESSION_MESSAGES = (SessionOpened, CardReady, CardAnswered, SessionFinished)


async def test_decks_are_read_at_start_and_after_a_session_only(collection, clock):
    seen = []
    kinds = (DecksLoaded, *SESSION_MESSAGES)
    app = make_app(collection, clock)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        loaded = [m for m in seen if isinstance(m, DecksLoaded)]
        assert [(d.name, d.new) for m in loaded for d in m.decks] == [("Oncology", 6)]
        await pilot.press("x")  # a dialog over the list is no reason to read it again
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space", "3", "q")
        await settle(pilot)
        assert isinstance(app.screen, DeckListScreen)
    order = [type(m) for m in seen if isinstance(m, kinds)]
    assert order == [DecksLoaded, SessionOpened, CardReady, CardAnswered, CardReady, DecksLoaded]
    opened, ready, answered, _ = (m for m in seen if isinstance(m, SESSION_MESSAGES))
    assert opened.session.deck == "Oncology" and answered.card is ready.card
    last = [m for m in seen if isinstance(m, DecksLoaded)][-1]
    assert [(d.name, d.new) for d in last.decks] == [("Oncology", 5)]


async def test_the_header_stays_in_line_when_a_frame_comes_before_the_table_is_idle(
    collection, clock, monkeypatch
):
    """The deck list's snapshot failed now and then under load: a frame painted between the
    rows' arrival and the table's idle measuring of them kept a header as wide as its labels.
    Here that frame comes every time."""
    fill = DeckListScreen.on_decks_loaded

    def fill_then_paint(self, message) -> None:
        fill(self, message)
        table = self.query_one(DataTable)
        table.render_lines(Region(0, 0, table.size.width, table.size.height))

    monkeypatch.setattr(DeckListScreen, "on_decks_loaded", fill_then_paint)
    app = make_app(collection, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = screen(app)[0].splitlines()
        header = next(line for line in lines if "Learning" in line)
        row = next(line for line in lines if "Oncology" in line)
        assert header.index("New") + len("New") == row.index("6") + 1  # counts align right
        assert header.index("Due") + len("Due") == row.rindex("0") + 1
