"""What a collection holds, for reading: its decks with today's counts, its cards, a deck found
by what the user typed. Reading never creates or changes a collection."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from studycards.model import CardDetails, CardListing, DeckCounts
from studycards.search import parse_query
from studycards.store import cards, decks, due, search
from studycards.store.custom import crammed_answers
from studycards.store.db import opened
from studycards.store.manual import manual_changes
from studycards.store.reviews import past_answers


def check_readable(db_path: Path) -> None:
    """Raise the error that reading the collection would meet (missing, foreign, newer)."""
    with opened(db_path):
        pass


def deck_overview(db_path: Path, now: datetime) -> list[DeckCounts]:
    """Every deck in tree order with its cards and today's new, learning and due counts."""
    with opened(db_path) as conn:
        return due.deck_overview(conn, now)


def card_listing(db_path: Path, now: datetime, deck: str | None = None) -> list[CardListing]:
    """Cards of `deck` and its children (every card for None), soonest due first."""
    with opened(db_path) as conn:
        return cards.card_listing(conn, now, deck)


def search_cards(
    db_path: Path,
    query: str,
    now: datetime,
    deck: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[CardListing]:
    """Cards matching a search `query` (Anki's syntax; see the README) of `deck` and its
    children, soonest due first: `limit` of them after `offset` (all for None). A malformed
    query raises `SearchError` before the collection is opened."""
    parsed = parse_query(query)
    with opened(db_path) as conn:
        return search.search_cards(conn, parsed, now, deck, limit, offset)


def find_deck(db_path: Path, deck: str) -> str:
    """The collection's own spelling of the deck a user typed (`oncology` for `Oncology`)."""
    with opened(db_path) as conn:
        return decks.find_deck(conn, deck)


def card_details(db_path: Path, card_id: int) -> CardDetails:
    """One card's text, schedule and history, for the browser's detail pane."""
    with opened(db_path) as conn:
        schedule = cards.card_schedule(conn, card_id)
        text = cards.card_text(conn, card_id)
        return CardDetails(
            text,
            schedule,
            decks.deck_settings(conn)[text.deck].scheduler,
            tuple(
                sorted(
                    [*past_answers(conn, card_id), *crammed_answers(conn, card_id)],
                    key=lambda answer: answer.at,
                )
            ),
            tuple(manual_changes(conn, [card_id]).get(card_id, [])),
        )
