"""The browser: `/` anywhere, cards found as you type, a bad query said, the highlighted card's
text and history, ctrl+s suspending and unsuspending it."""

from __future__ import annotations

import io
from datetime import timedelta

from rich.console import Console
from textual.widgets import DataTable, Input, Static

from studycards.model import Grade
from studycards.tui.app import make_app
from studycards.tui.screens.browser import BrowserScreen
from tests.conftest import rows, study
from tests.tui.conftest import settle


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
        assert "suspended" in str(app.screen.query_one(DataTable).get_row_at(0)[2])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(collection, "SELECT queue FROM cards WHERE id = ?", shown.queued.id) != [(-1,)]
