"""A section card shows its article's title quietly above the question (when the question
does not already start with it) and, with the answer, the article's lead as Markdown."""

from __future__ import annotations

import sqlite3

from studycards.tui.app import make_app
from studycards.tui.widgets.card_view import CardView
from tests.tui.conftest import settle
from tests.tui.test_hostile_text import assert_on_screen, screen
from tests.tui.test_review import question

TITLE = "What’s The Difference? Chemotherapy And Immunotherapy"


def only_sections(collection, lead: str) -> None:
    conn = sqlite3.connect(collection)
    with conn:
        conn.execute("UPDATE cards SET queue = -1 WHERE title = ''")
        conn.execute("UPDATE cards SET context = ?", (lead,))
    conn.close()


async def test_question_heading_shows_the_title_and_the_lead_renders(collection, clock):
    only_sections(collection, "**Nota:** read *this* first.\n\n---\n\n- one\n- two")
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        assert question(app) == "What is immunotherapy?"
        text, _ = screen(app)
        above, _, _ = text.partition("What is immunotherapy?")
        assert TITLE in above
        assert "Nota:" not in text  # the lead waits for the answer
        await pilot.press("space")
        await settle(pilot)
        assert_on_screen(app, "Nota: read this first.", "• one")
        text, _ = screen(app)
        assert "**" not in text and "*this*" not in text
        lead = text.partition("Nota:")[2].splitlines()
        assert any(len(line.strip()) > 20 and set(line.strip()) <= set("─-") for line in lead)


async def test_no_title_line_when_the_question_starts_with_it(collection, clock):
    only_sections(collection, "")
    conn = sqlite3.connect(collection)
    with conn:
        conn.execute("UPDATE cards SET front = title || ' — Side effects'")
    conn.close()
    app = make_app(collection, clock, deck="Oncology")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(CardView)
        assert not view.has_class("has-title")
        text, _ = screen(app)
        assert text.count(TITLE) == 1
