"""What a person sees: the deck list, a question, its answer, the end of a session, the stats
screen, the browser."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from studycards.model import Grade
from studycards.tui.app import make_app
from tests.conftest import study
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


def test_stats(snap_compare, collection, clock):
    """A week of answers, then `t` on the deck list."""
    for days_ago, grades in ((6, (Grade.GOOD, Grade.AGAIN, Grade.EASY)), (2, (Grade.GOOD,)),
                             (0, (Grade.GOOD, Grade.HARD))):  # fmt: skip
        study(collection, clock.now - timedelta(days=days_ago), *grades, duration_ms=7000)

    async def open_stats(pilot) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)

    app = make_app(collection, clock)
    assert snap_compare(app, run_before=open_stats, terminal_size=(100, 64))


def test_browser(snap_compare, collection, clock):
    """`/`, a search, the first card highlighted and marked, a card answered yesterday."""
    study(collection, clock.now - timedelta(days=1), Grade.GOOD, duration_ms=7000)

    async def browse(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"chemotherapy")
        await settle(pilot)
        await pilot.press("down", "space")
        await settle(pilot)

    assert snap_compare(make_app(collection, clock), run_before=browse, terminal_size=(110, 30))
