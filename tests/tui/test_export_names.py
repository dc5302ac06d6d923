"""The TUI export of a deck whose name cannot be a file name, a typed name without `.apkg`,
and the end screen counting cards apart from answers."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from studycards.collection.importing import ImportTarget, import_sources
from studycards.collection.reviewing import SessionSummary
from studycards.model import Outlook
from studycards.tui.app import make_app
from studycards.tui.screens.deck_list import DeckListScreen, export_file_name
from studycards.tui.screens.dialogs import ConfirmDialog, ExportDialog
from studycards.tui.screens.done import describe
from tests.tui.conftest import settle


def test_export_file_names_hold_no_path_or_reserved_characters():
    assert export_file_name("Medicine::Oncology") == "Medicine-Oncology.apkg"
    assert export_file_name('TCP/IP::a\\b: c*?<>|"x\t') == "TCP_IP-a_b__c______x.apkg"
    assert export_file_name("../..") == "_...apkg"  # no folder, no hidden file
    assert export_file_name("") == "deck.apkg"


@pytest.mark.parametrize(
    ("deck", "file_name", "said"),
    [
        ("TCP/IP::Layers", "TCP_IP.apkg", "6 notes in 2 decks →"),  # a slash names no folder
        ("長" * 90, "長" * 66 + ".apkg", "6 notes in 1 deck →"),  # too long for a file name
    ],
    ids=["slash", "too-long"],
)
async def test_x_exports_a_deck_whose_name_is_no_file_name(
    db_path, seeds, now, clock, tmp_path, monkeypatch, deck, file_name, said
):
    import_sources(db_path, [ImportTarget((seeds,), deck)], now)
    monkeypatch.chdir(tmp_path)
    app = make_app(db_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Input).value == str(tmp_path / file_name)
        await pilot.press("enter")
        await settle(pilot)
        assert (tmp_path / file_name).stat().st_size > 0
        assert any(n.title == "Exported" and said in n.message for n in app._notifications)
    assert app._exception is None


async def test_a_typed_name_gets_apkg_and_an_existing_package_is_asked_about(
    collection, clock, tmp_path
):
    (tmp_path / "mine.apkg").write_bytes(b"keep")
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "mine")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # mine.apkg is what would be written
        await pilot.press("n")
        await settle(pilot)
    assert (tmp_path / "mine.apkg").read_bytes() == b"keep"
    assert not (tmp_path / "mine").exists()


def test_the_end_screen_counts_cards_and_answers_apart():
    outlook = Outlook(due_tomorrow=0, new_tomorrow=0, next_due=None)
    assert describe(SessionSummary(5, 2, 65, outlook, cards=3)).startswith(
        "Reviewed 3 cards (5 answers) in 1m 05s · again 40%"
    )
    assert describe(SessionSummary(2, 1, 5, outlook, cards=1)).startswith(
        "Reviewed 1 card (2 answers) in"
    )
    assert describe(SessionSummary(1, 0, 5, outlook, cards=1)).startswith("Reviewed 1 card in")


def test_suggested_file_names_fit_every_file_system():
    assert export_file_name("長" * 90) == "長" * 66 + ".apkg"  # 198 bytes before `.apkg`
    assert export_file_name("a" * 300) == "a" * 100 + ".apkg"
    assert export_file_name("é" * 150) == "é" * 99 + ".apkg"  # 2 bytes each: 198
    assert export_file_name("a" + "😀" * 80) == "a" + "😀" * 49 + ".apkg"  # 4 bytes each: 197
    for deck in ("長" * 90, "a" * 300, "x😀" * 100, "Medicine::" * 40):
        stem = export_file_name(deck).removesuffix(".apkg")
        assert len(stem) <= 100 and len(stem.encode()) < 200, deck


async def test_a_typed_name_too_long_is_an_error_notification(
    collection, clock, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for typed in ("a" * 300, "a" * 300 + ".apkg", "長" * 90, "a" * 300 + "/x"):
            await pilot.press("x")
            await pilot.pause()
            app.screen.query_one(Input).value = typed
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DeckListScreen), typed
            [note] = [n for n in app._notifications if n.title == "Not exported"]
            assert note.severity == "error" and note.message.endswith(": File name too long")
            assert "\n" not in note.message
            app.clear_notifications()
        assert app.is_running and app._exception is None
    assert app.return_code in (0, None) and app._exception is None
    assert list(out.iterdir()) == []


async def test_a_typed_name_of_a_user_who_is_not_here_is_just_a_name(
    collection, clock, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = make_app(collection, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = "~nosuchuser-here/deck"
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app._exception is None
        assert isinstance(app.screen, DeckListScreen)
        [note] = [n for n in app._notifications if n.title == "Not exported"]
        assert "~nosuchuser-here" in note.message  # its folder does not exist
