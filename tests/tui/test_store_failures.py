"""A collection that is busy, read-only or unreadable never ends the app: the failure shows as
an error notification, the screen stays where it was, and nothing is lost or half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from textual.widgets import DataTable

import studycards.store.db
from studycards.collection import reviewing
from studycards.errors import CorruptCollectionError
from studycards.tui.app import make_app
from studycards.tui.screens.deck_list import DeckListScreen
from studycards.tui.screens.review import NEXT_NOT_SHOWN, ReviewScreen
from tests.conftest import rows
from tests.tui.conftest import notes, settle, write_lock
from tests.tui.test_review import question

SIZE = (100, 30)


@pytest.fixture
def read_only(monkeypatch):
    """Writes fail as on a read-only file (SQLite's own error), also for root, whom a chmod
    would not stop; reads go on."""
    writer_engine = studycards.store.db.engine

    def refusing(path):
        writer = writer_engine(path)
        event.listen(writer, "connect", lambda conn, _: conn.execute("PRAGMA query_only=ON"))
        return writer

    monkeypatch.setattr(studycards.store.db, "engine", refusing)


def assert_error(note, *said: str) -> None:
    assert note.severity == "error" and not note.markup
    for part in said:
        assert part in note.message, (part, note.message)


async def test_an_answer_while_another_process_writes_is_kept_to_grade_again(
    collection, clock, monkeypatch
):
    monkeypatch.setattr(studycards.store.db, "BUSY_TIMEOUT_S", 0.3)
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = question(app)
        with write_lock(collection):
            await pilot.press("space", "3")
            await settle(pilot)
            [note] = notes(app, "Not saved")
            assert_error(note, "is busy", "try again")
            assert question(app) == shown and app.screen.revealed
            assert "6 new" in str(app.screen.query_one("#status").render())
        assert rows(collection, "SELECT count(*) FROM reviews") == [(0,)]
        await pilot.press("3")  # the lock is gone: the same key saves the same card
        await settle(pilot)
        assert question(app) != shown and not app.screen.revealed
        assert app.is_running and app._exception is None
    assert rows(collection, "SELECT grade FROM reviews") == [(4,)]


@pytest.mark.parametrize(
    ("keys", "title"),
    [(("space", "1"), "Not saved"), (("s",), "Not suspended"), (("b",), "Not buried")],
    ids=["answer", "suspend", "bury"],
)
async def test_a_read_only_collection_keeps_the_card(collection, clock, read_only, keys, title):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = question(app)
        await pilot.press(*keys)
        await settle(pilot)
        [note] = notes(app, title)
        assert_error(note, "cannot be written", "read-only")
        assert question(app) == shown
        assert not [note for note in app._notifications if "takes it back" in note.message]
        await pilot.press("space", "3")  # still the card to grade; again not saved
        await settle(pilot)
        assert question(app) == shown and app.screen.revealed
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, DeckListScreen) and app._exception is None
    assert rows(collection, "SELECT count(*) FROM reviews") == [(0,)]
    assert rows(collection, "SELECT count(*) FROM cards WHERE queue != 0") == [(0,)]


async def test_an_unreadable_collection_is_a_notification_on_the_deck_list(db_path, clock):
    db_path.write_bytes(b"not a database " * 1000)
    app = make_app(db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        [note] = notes(app, "Decks not read")
        assert_error(note, "is not a studycards collection")
        await pilot.press("r")
        await settle(pilot)
        assert len(notes(app, "Decks not read")) == 2
        assert isinstance(app.screen, DeckListScreen) and app.is_running
        await pilot.press("q")
    assert app._exception is None and app.return_code in (0, None)


async def test_a_collection_broken_after_start_keeps_the_rows_shown(collection, clock):
    app = make_app(collection, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        collection.write_bytes(b"\0" * 4096)
        await pilot.press("r")
        await settle(pilot)
        [note] = notes(app, "Decks not read")
        assert_error(note, str(collection))
        table = app.screen.query_one(DataTable)
        assert [str(cell) for cell in table.get_row_at(0)] == ["Oncology", "6", "0", "0"]
        await pilot.press("enter")  # the session cannot open: said, and back is still back
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        [note] = notes(app, "Deck not opened")
        assert_error(note, str(collection))
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, DeckListScreen) and app._exception is None


async def test_a_saved_answer_whose_next_card_cannot_be_read_is_not_graded_twice(
    collection, clock, monkeypatch
):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = question(app)

        def damaged(conn, card_id):
            raise CorruptCollectionError(f"the collection {collection} is damaged")

        monkeypatch.setattr(reviewing, "card_text", damaged)
        await pilot.press("space", "3")
        await settle(pilot)
        [note] = notes(app, NEXT_NOT_SHOWN)
        assert_error(note, "is damaged")
        await pilot.press("3", "space", "3")  # the answered card is no longer to grade
        await settle(pilot)
        assert rows(collection, "SELECT count(*) FROM reviews") == [(1,)]
        monkeypatch.undo()
        await pilot.press("u")  # but its answer can be taken back, and it shows again
        await settle(pilot)
        assert question(app) == first and app._exception is None
    assert rows(collection, "SELECT count(*) FROM reviews") == [(0,)]
