"""`x` on the deck list exports the highlighted deck, asking before it overwrites a file."""

from __future__ import annotations

from textual.widgets import Input

from studycards.tui.app import make_app
from studycards.tui.screens.dialogs import ConfirmDialog, ExportDialog
from tests.tui.conftest import settle


async def export_to(pilot, path) -> None:
    await pilot.press("x")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExportDialog)
    field = pilot.app.screen.query_one(Input)
    field.value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def test_x_exports_the_highlighted_deck(collection, clock, tmp_path):
    out = tmp_path / "oncology.apkg"
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await export_to(pilot, out)
        assert out.stat().st_size > 0
        assert any("6 notes in 1 deck →" in n.message for n in app._notifications)


async def test_x_asks_before_overwriting(collection, clock, tmp_path):
    out = tmp_path / "old.apkg"
    out.write_bytes(b"keep")
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await export_to(pilot, out)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert out.read_bytes() == b"keep"
        await export_to(pilot, out)
        await pilot.press("y")
        await settle(pilot)
        assert out.read_bytes() != b"keep"
