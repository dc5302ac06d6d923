"""The `decks` table: settings by id and by name, finding a deck by what a user typed, creating
decks (and their parents) for an import, and removing decks left empty.

Reads are plain sqlite3; `ensure_decks` writes in the import's SQLModel session.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from studycards.convert import deck_fold, deck_name
from studycards.errors import DeckNotFoundError
from studycards.model import DeckSettings, deck_ancestors
from studycards.store.db import rows_in, write_transaction
from studycards.store.rows import DECK_COLUMNS, DeckColumns, settings_columns, settings_from

if TYPE_CHECKING:
    from sqlmodel import Session

    from studycards.store.tables import DeckRow


def deck_settings_by_id(conn: sqlite3.Connection) -> dict[int, DeckSettings]:
    """Every deck's stored limits and timing, by id."""
    rows = conn.execute(f"SELECT id, {', '.join(DECK_COLUMNS)} FROM decks")
    return {row[0]: settings_from(DeckColumns._make(row[1:])) for row in rows}


def deck_settings(conn: sqlite3.Connection) -> dict[str, DeckSettings]:
    """Every deck's stored limits and timing, by name."""
    return {settings.name: settings for settings in deck_settings_by_id(conn).values()}


def deck_tree(conn: sqlite3.Connection, deck: str | None) -> dict[int, DeckSettings]:
    """Settings of `deck` and every deck under it, by id (all decks for None)."""
    decks = deck_settings_by_id(conn)
    if deck is None:
        return decks
    name = match_deck(deck, [settings.name for settings in decks.values()])
    return {
        deck_id: settings
        for deck_id, settings in decks.items()
        if settings.name == name or settings.name.startswith(f"{name}::")
    }


def find_deck(conn: sqlite3.Connection, deck: str) -> str:
    """The collection's own spelling of the deck a user typed (see `match_deck`)."""
    return match_deck(deck, [name for (name,) in conn.execute("SELECT name FROM decks")])


def match_deck(wanted: str, names: Sequence[str]) -> str:
    """The deck `wanted` names: exactly, else ignoring case when only one deck fits.

    People type `oncology` for `Oncology` (or `Medicine :: Oncology`); two decks differing
    only in case stay apart, so then the exact spelling is needed.
    """
    wanted = deck_name(wanted)
    if wanted in names:
        return wanted
    folded = deck_fold(wanted)
    fits = sorted(name for name in names if deck_fold(name) == folded)
    if len(fits) == 1:
        return fits[0]
    raise DeckNotFoundError(wanted, sorted(names, key=lambda name: name.split("::")), fits)


def deck_losses(conn: sqlite3.Connection, card_ids: Sequence[int]) -> list[tuple[str, int, int]]:
    """(deck name, how many of `card_ids` it holds, all its cards) for each deck they are in."""
    lost: dict[int, int] = {}
    sql = "SELECT deck_id, count(*) FROM cards WHERE id IN ({marks}) GROUP BY deck_id"
    for deck_id, count in rows_in(conn, sql, card_ids):
        lost[deck_id] = lost.get(deck_id, 0) + count
    totals = rows_in(
        conn,
        "SELECT d.id, d.name, count(c.id) FROM decks d JOIN cards c ON c.deck_id = d.id"
        " WHERE d.id IN ({marks}) GROUP BY d.id",
        list(lost),
    )
    return sorted((name, lost[deck_id], total) for deck_id, name, total in totals)


def ensure_decks(
    session: Session, names: Iterable[str], settings: Mapping[str, DeckSettings]
) -> dict[str, int]:
    """Ids of the named decks (and their `Parent::` decks), created as needed.

    Names match whatever their case, as in Anki, where `Bio` and `bio` are one deck (an export
    of both would come back renamed `bio_`): a name takes the spelling its deck (or parent)
    already has. A deck named in `settings` (from a preset) takes those settings, but for FSRS
    weights that the preset does not name: those stay as `optimize` left them.
    """
    from sqlalchemy import select

    from studycards.store.tables import DeckRow

    rows = {deck_fold(row.name): row for row in session.scalars(select(DeckRow))}
    decks: dict[str, DeckRow] = {}
    for name in sorted({*settings, *names}):
        parent: DeckRow | None = None
        for prefix in deck_ancestors(name):
            row = rows.get(deck_fold(prefix))
            preset = settings.get(prefix)
            if row is None:
                spelt = f"{parent.name}::{prefix.rpartition('::')[2]}" if parent else prefix
                row = DeckRow(**settings_columns(preset or DeckSettings(spelt)))
                session.add(row)
                rows[deck_fold(prefix)] = row
            elif preset is not None:
                for column, value in settings_columns(preset).items():
                    if column != "parameters" or preset.parameters is not None:
                        setattr(row, column, value)  # a preset naming no weights keeps them
            parent = row
        assert parent is not None  # a name has at least one part
        decks[name] = parent
    session.flush()
    return {name: row.id for name, row in decks.items() if row.id is not None}


def set_parameters(
    conn: sqlite3.Connection, deck_ids: Iterable[int], parameters: Sequence[float]
) -> None:
    """Give decks these FSRS weights (`optimize` fitted them to their history)."""
    import json

    with write_transaction(conn):
        conn.executemany(
            "UPDATE decks SET parameters = ? WHERE id = ?",
            [(json.dumps(list(parameters)), deck_id) for deck_id in deck_ids],
        )


def remove_empty_decks(conn: sqlite3.Connection, keep: Iterable[str] = ()) -> list[str]:
    """Delete decks left with no cards (in them or under them), except the `keep` decks (from
    presets) and their parents; returns their names. Cards that moved deck leave these behind.

    Checked first without a lock (the usual answer is none, and a no-op import must stay
    cheap), then again under the write lock, so that a deck that another import fills
    meanwhile is never deleted.
    """
    if not _empty_decks(conn, keep):
        return []
    with write_transaction(conn):
        empty = _empty_decks(conn, keep)
        conn.executemany("DELETE FROM decks WHERE id = ?", [(i,) for i in empty.values()])
    return sorted(empty)


def _empty_decks(conn: sqlite3.Connection, keep: Iterable[str]) -> dict[str, int]:
    """Decks (name -> id) with no card in them or under them, other than `keep` and parents."""
    used = [name for (name,) in conn.execute(
        "SELECT name FROM decks WHERE id IN (SELECT DISTINCT deck_id FROM cards)"
    )]  # fmt: skip
    alive = {deck for name in (*used, *keep) for deck in deck_ancestors(name)}
    decks = conn.execute("SELECT name, id FROM decks").fetchall()
    return {name: deck_id for name, deck_id in decks if name not in alive}
