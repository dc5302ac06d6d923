"""The `html_cache` table and the export's reads: every card of some decks with its cached
HTML, the Markdown of the cards to render, and the fresh HTML written back."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from studycards.store.db import rows_in
from studycards.store.rows import ExportRow

# `+c.deck_id`: not through the queue's index on (deck_id, queue, due...), whose order would
# make SQLite sort every row it reads, HTML and all (twice as slow as reading the whole table).
_EXPORT_SQL = (
    f"SELECT c.{', c.'.join(ExportRow._fields[:-3])}, h.content_hash, h.front, h.back"
    " FROM cards c LEFT JOIN html_cache h ON h.card_id = c.id"
    " WHERE +c.deck_id IN ({marks}) ORDER BY c.id"
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
    Markdown itself is read by whoever renders it: `card_markdown`): deck by deck in the order
    given, each deck's in the order of their ids. One pass over the cards table."""
    position = {deck_id: at for at, deck_id in enumerate(deck_ids)}
    found = list(map(ExportRow._make, rows_in(conn, _EXPORT_SQL, deck_ids)))
    found.sort(key=lambda row: position[row.deck_id])  # stable: ids stay in order
    return found


def cache_html(conn: sqlite3.Connection, rendered: Sequence[tuple[int, str, str, str]]) -> None:
    """Keep cards' rendered HTML, keyed by the content hash it was rendered from.

    A cache, not state: written straight through sqlite3 so that an export never pays for
    loading SQLModel; in a table of its own, so that only the HTML is written, not whole card
    rows. One short transaction.
    """
    with conn:
        conn.executemany("INSERT OR REPLACE INTO html_cache VALUES (?, ?, ?, ?)", rendered)
