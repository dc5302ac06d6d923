"""The `html_cache` table and the export's reads: every card of some decks with its cached
HTML, the Markdown of the cards to render, and the fresh HTML written back."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from studycards.store.db import rows_in
from studycards.store.rows import ExportRow

_EXPORT_SQL = (
    f"SELECT c.{', c.'.join(ExportRow._fields[:-3])}, h.content_hash, h.front, h.back"
    " FROM cards c LEFT JOIN html_cache h ON h.card_id = c.id WHERE c.deck_id = ? ORDER BY c.id"
)


def card_markdown(
    conn: sqlite3.Connection, card_ids: Sequence[int]
) -> list[tuple[str, str, str, str]]:
    """(title, front, back, lead) of these cards, in the order given: what an export renders."""
    sql = "SELECT id, title, front, back, context FROM cards WHERE id IN ({marks})"
    texts = {row[0]: row[1:] for row in rows_in(conn, sql, card_ids)}
    return [texts[card_id] for card_id in card_ids]


def export_rows(conn: sqlite3.Connection, deck_ids: Sequence[int]) -> list[ExportRow]:
    """Every card of these decks with what an export needs, cached HTML included (the
    Markdown itself is read by whoever renders it: `card_markdown`)."""
    found: list[ExportRow] = []
    for deck_id in deck_ids:
        found += map(ExportRow._make, conn.execute(_EXPORT_SQL, (deck_id,)))
    return found


def uncached_count(conn: sqlite3.Connection, deck_ids: Sequence[int]) -> int:
    """How many cards of these decks have no cached HTML of their text as it is now."""
    sql = (
        "SELECT count(*) FROM cards c LEFT JOIN html_cache h ON h.card_id = c.id"
        " WHERE c.deck_id = ? AND h.content_hash IS NOT c.content_hash"
    )
    return sum(conn.execute(sql, (deck_id,)).fetchone()[0] for deck_id in deck_ids)


def cache_html(conn: sqlite3.Connection, rendered: Sequence[tuple[int, str, str, str]]) -> None:
    """Keep cards' rendered HTML, keyed by the content hash it was rendered from.

    A cache, not state: written straight through sqlite3 so that an export never pays for
    loading SQLModel; in a table of its own, so that only the HTML is written, not whole card
    rows. One short transaction.
    """
    with conn:
        conn.executemany("INSERT OR REPLACE INTO html_cache VALUES (?, ?, ?, ?)", rendered)
