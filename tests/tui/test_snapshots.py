"""What a person sees: the deck list, a question, its answer, and the end of a session."""

from __future__ import annotations

import sqlite3

from studycards.tui.app import make_app
from tests.tui.conftest import settle

SIZE = (100, 30)


def test_deck_list(snap_compare, collection, clock):
    assert snap_compare(make_app(collection, clock), run_before=settle, terminal_size=SIZE)


def test_question(snap_compare, collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    assert snap_compare(app, run_before=settle, terminal_size=SIZE)


def test_answer(snap_compare, collection, clock):
    async def reveal(pilot) -> None:
        await settle(pilot)
        await pilot.press("space")
        await pilot.pause()

    app = make_app(collection, clock, deck="Oncology")
    assert snap_compare(app, run_before=reveal, terminal_size=SIZE)


def test_done(snap_compare, collection, clock):
    conn = sqlite3.connect(collection)
    conn.execute("UPDATE cards SET queue = -1 WHERE key != 'id:176440'")
    conn.commit()
    conn.close()

    async def finish(pilot) -> None:
        await settle(pilot)
        await pilot.press("space", "4")
        await settle(pilot)

    app = make_app(collection, clock, deck="Oncology")
    assert snap_compare(app, run_before=finish, terminal_size=SIZE)
