"""`u` takes back a suspend or a bury like an answer: the card is restored and shown again."""

from __future__ import annotations

import sqlite3

from studycards.collection.reviewing import StudySession
from studycards.tui.app import make_app
from studycards.tui.screens.done import DoneScreen
from studycards.tui.screens.review import ReviewScreen
from tests.conftest import rows
from tests.tui.conftest import settle
from tests.tui.test_review import question, status


async def test_undo_takes_back_suspend_bury_and_answer_in_turn(collection, clock):
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        answered = question(app)
        await pilot.press("space", "3")
        await settle(pilot)
        suspended = question(app)
        await pilot.press("s")
        await settle(pilot)
        buried = question(app)
        await pilot.press("b")
        await settle(pilot)
        assert "3 new" in status(app)
        assert rows(collection, "SELECT count(*) FROM cards WHERE queue = -1") == [(1,)]

        await pilot.press("u")
        await settle(pilot)
        assert question(app) == buried
        assert "4 new" in status(app)
        assert rows(collection, "SELECT count(*) FROM cards WHERE buried_until IS NOT NULL") == [
            (0,)
        ]
        await pilot.press("u")
        await settle(pilot)
        assert question(app) == suspended
        assert "5 new" in status(app)
        assert rows(collection, "SELECT count(*) FROM cards WHERE queue = -1") == [(0,)]
        await pilot.press("u")
        await settle(pilot)
        assert question(app) == answered
        assert "6 new" in status(app)
    assert rows(collection, "SELECT count(*) FROM reviews") == [(0,)]
    assert rows(collection, "SELECT DISTINCT state, queue, buried_until FROM cards") == [
        (0, 0, None)
    ]


async def test_undo_on_the_end_screen_brings_back_the_last_card_suspended(collection, clock):
    conn = sqlite3.connect(collection)
    with conn:
        conn.execute("UPDATE cards SET queue = -1 WHERE key != 'id:176440'")
    conn.close()
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "primary goals" in question(app)
    assert rows(collection, "SELECT queue FROM cards WHERE key = 'id:176440'") == [(0,)]


def test_session_summary_counts_answers_not_suspends(collection, now):
    session = StudySession(collection, "Oncology", now)
    try:
        first = session.next_card(now)
        assert first is not None
        session.suspend(first.queued)
        second = session.next_card(now)
        assert second is not None
        session.bury(second.queued, now)
        assert session.summary(now).reviewed == 0
        assert session.undo(now) is not None
        assert session.undo(now) is not None
        assert session.undo(now) is None
    finally:
        session.close()
