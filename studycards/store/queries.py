"""Fast read paths on a plain sqlite3 connection (no SQLModel import needed, see db.py).

Every query filters through an index: cards by (deck_id, queue, due) or source, reviews by day.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from studycards.convert import deck_fold
from studycards.errors import DeckNotFoundError
from studycards.model import CardState, DeckSettings, deck_ancestors
from studycards.scheduler.day import study_day
from studycards.scheduler.queue import within_limit
from studycards.store.db import write_transaction
from studycards.store.rows import SUSPENDED, from_day, settings_from

_CHUNK = 900


def source_digests(conn: sqlite3.Connection) -> dict[str, tuple[str, int]]:
    """Every imported file's path -> (digest, number of cards it gave)."""
    return {path: (digest, cards) for path, digest, cards in conn.execute(
        "SELECT path, digest, cards FROM sources"
    )}  # fmt: skip


def source_card_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many stored cards name each source file (read from the source index alone)."""
    return dict(conn.execute("SELECT source, count(*) FROM cards GROUP BY source").fetchall())


def _rows_in(conn: sqlite3.Connection, sql: str, values: Sequence[object]) -> Iterator[Any]:
    """The rows of `sql`, whose `{marks}` is an `IN (...)` list, for all of `values`: a chunk
    at a time, since SQLite binds only so many parameters to one statement."""
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)


def cards_of_sources(conn: sqlite3.Connection, paths: Sequence[str]) -> list[tuple[int, str, str]]:
    """(id, front, source) of the cards that came from `paths`."""
    sql = "SELECT id, front, source FROM cards WHERE source IN ({marks})"
    return list(_rows_in(conn, sql, paths))


def files_imported_at(conn: sqlite3.Connection, imported_at: int) -> int:
    """How many files an import stamped `imported_at` (ms) has stored so far."""
    sql = "SELECT count(*) FROM sources WHERE imported_at = ?"
    return conn.execute(sql, (imported_at,)).fetchone()[0]


def review_count(conn: sqlite3.Connection, card_ids: Sequence[int]) -> int:
    """How many reviews these cards have: the history a prune of them deletes."""
    sql = "SELECT count(*) FROM reviews WHERE card_id IN ({marks})"
    return sum(count for (count,) in _rows_in(conn, sql, card_ids))


def deck_losses(conn: sqlite3.Connection, card_ids: Sequence[int]) -> list[tuple[str, int, int]]:
    """(deck name, how many of `card_ids` it holds, all its cards) for each deck they are in."""
    lost: dict[int, int] = {}
    sql = "SELECT deck_id, count(*) FROM cards WHERE id IN ({marks}) GROUP BY deck_id"
    for deck_id, count in _rows_in(conn, sql, card_ids):
        lost[deck_id] = lost.get(deck_id, 0) + count
    totals = conn.execute(
        "SELECT d.id, d.name, count(c.id) FROM decks d JOIN cards c ON c.deck_id = d.id"
        f" WHERE d.id IN ({','.join('?' * len(lost))}) GROUP BY d.id ORDER BY d.name",
        list(lost),
    )
    return [(name, lost[deck_id], total) for deck_id, name, total in totals]


_DeckColumns = namedtuple(
    "_DeckColumns", "name new_per_day reviews_per_day learning_steps rollover_hour sources"
)


def deck_settings_by_id(conn: sqlite3.Connection) -> dict[int, DeckSettings]:
    """Every deck's stored limits and timing, by id."""
    rows = conn.execute(f"SELECT id, {', '.join(_DeckColumns._fields)} FROM decks")
    return {row[0]: settings_from(_DeckColumns._make(row[1:])) for row in rows}


def deck_settings(conn: sqlite3.Connection) -> dict[str, DeckSettings]:
    """Every deck's stored limits and timing, by name."""
    return {settings.name: settings for settings in deck_settings_by_id(conn).values()}


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """One row of the deck overview; a parent's counts include its children's."""

    name: str
    depth: int
    cards: int
    new: int  # new cards that may still be introduced today
    learning: int  # cards being re-drilled (SM-2 same-day rule)
    due: int  # reviews due today, within the daily review limit


def deck_overview(conn: sqlite3.Connection, now: datetime) -> list[DeckCounts]:
    """Counts for every deck, in tree order (parents first, then children by name)."""
    decks = conn.execute(
        "SELECT id, name, new_per_day, reviews_per_day, rollover_hour FROM decks"
    ).fetchall()
    totals = dict(conn.execute("SELECT deck_id, count(*) FROM cards GROUP BY deck_id").fetchall())
    done: dict[tuple[int, int], int] = {}
    for hour in {deck[4] for deck in decks}:
        done |= answered_today(conn, study_day(now, hour))
    own: dict[str, tuple[int, int, int, int]] = {}
    for deck_id, name, new_limit, review_limit, hour in decks:
        today = study_day(now, hour).toordinal()
        new_waiting = count_showing(conn, deck_id, CardState.NEW, today, new_limit)
        learning = count_showing(conn, deck_id, CardState.LEARNING, today)
        due_waiting = count_showing(conn, deck_id, CardState.REVIEW, today, review_limit)
        own[name] = (
            totals.get(deck_id, 0),
            within_limit(new_waiting, new_limit, done.get((deck_id, CardState.NEW), 0)),
            learning,
            within_limit(due_waiting, review_limit, done.get((deck_id, CardState.REVIEW), 0)),
        )
    return _roll_up(own)


def shows_today(queue: CardState) -> str:
    """SQL condition: a card of deck :deck in `queue` that shows on study day :today.

    It is in that queue, due (for reviews) and not buried. Every column is in the index
    ix_cards_deck_queue_due, so neither counting nor fetching reads a table row.
    """
    due = " AND due <= :today" if queue is CardState.REVIEW else ""
    return (
        f"deck_id = :deck AND queue = {int(queue)}{due}"
        " AND (buried_until IS NULL OR buried_until <= :today)"
    )


def count_showing(
    conn: sqlite3.Connection, deck_id: int, queue: CardState, today: int, limit: int = -1
) -> int:
    """Cards of one deck and queue that show today, counted up to `limit` (-1: all)."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM cards WHERE {shows_today(queue)} LIMIT :limit)"
    params = {"deck": deck_id, "today": today, "limit": limit}
    return conn.execute(sql, params).fetchone()[0]


def answered_today(conn: sqlite3.Connection, today: date) -> dict[tuple[int, int], int]:
    """(deck id, state before) -> first answers today of new and review cards."""
    rows = conn.execute(
        "SELECT c.deck_id, r.before_state, count(*) FROM reviews r JOIN cards c"
        " ON c.id = r.card_id WHERE r.day = ? AND r.before_state IN (?, ?) GROUP BY 1, 2",
        (today.toordinal(), CardState.NEW, CardState.REVIEW),
    )
    return {(deck_id, state): count for deck_id, state, count in rows}


def _roll_up(own: dict[str, tuple[int, int, int, int]]) -> list[DeckCounts]:
    """Add each deck's counts into all of its `Parent::` decks."""
    summed: dict[str, list[int]] = {}
    for name, counts in own.items():
        for deck in deck_ancestors(name):
            total = summed.setdefault(deck, [0, 0, 0, 0])
            for index, value in enumerate(counts):
                total[index] += value
    return [
        DeckCounts(name, name.count("::"), *counts)
        for name, counts in sorted(summed.items(), key=lambda item: item[0].split("::"))
    ]


@dataclass(frozen=True, slots=True)
class CardListing:
    """A card as the `cards` listing shows it."""

    id: int
    deck: str
    front: str
    state: CardState
    due: date | None
    interval: int
    ease: float
    reps: int
    suspended: bool = False
    buried_until: date | None = None


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

    People type `oncology` for `Oncology`; two decks differing only in case stay apart, so
    then the exact spelling is needed.
    """
    if wanted in names:
        return wanted
    folded = deck_fold(wanted)
    fits = sorted(name for name in names if deck_fold(name) == folded)
    if len(fits) == 1:
        return fits[0]
    raise DeckNotFoundError(wanted, sorted(names, key=lambda name: name.split("::")), fits)


def card_listing(conn: sqlite3.Connection, deck: str | None = None) -> list[CardListing]:
    """Cards of `deck` and its children (all cards without a deck), soonest due first."""
    names = {deck_id: settings.name for deck_id, settings in deck_tree(conn, deck).items()}
    listing: list[CardListing] = []
    for deck_id, name in names.items():
        rows = conn.execute(
            "SELECT id, front, state, due, interval, ease, reps, queue, buried_until"
            " FROM cards WHERE deck_id = ?",
            (deck_id,),
        )
        for card_id, front, state, due, interval, ease, reps, queue, buried in rows:
            listing.append(
                CardListing(
                    card_id,
                    name,
                    front,
                    CardState(state),
                    from_day(due),
                    interval,
                    ease,
                    reps,
                    queue == SUSPENDED,
                    from_day(buried),
                )
            )
    listing.sort(key=lambda card: (card.due is None, card.due or date.min, card.deck, card.id))
    return listing


ExportRow = namedtuple(
    "ExportRow",
    "id key deck_id subject tags url related source content_hash modified_at"
    " html_hash html_front html_back",
)
_EXPORT_SQL = (
    "SELECT c.id, c.key, c.deck_id, c.subject, c.tags, c.url, c.related,"
    " c.source, c.content_hash, c.modified_at, h.content_hash, h.front, h.back"
    " FROM cards c LEFT JOIN html_cache h ON h.card_id = c.id WHERE c.deck_id = ? ORDER BY c.id"
)


def card_markdown(
    conn: sqlite3.Connection, card_ids: Sequence[int]
) -> list[tuple[str, str, str, str]]:
    """(title, front, back, lead) of these cards, in the order given: what an export renders."""
    sql = "SELECT id, title, front, back, context FROM cards WHERE id IN ({marks})"
    texts = {row[0]: row[1:] for row in _rows_in(conn, sql, card_ids)}
    return [texts[card_id] for card_id in card_ids]


def export_rows(conn: sqlite3.Connection, deck_ids: Sequence[int]) -> list[ExportRow]:
    """Every card of these decks with what an export needs, cached HTML included (the
    Markdown itself is read by whoever renders it: `card_markdown`)."""
    found: list[ExportRow] = []
    for deck_id in deck_ids:
        found += map(ExportRow._make, conn.execute(_EXPORT_SQL, (deck_id,)))
    return found


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


def cache_html(conn: sqlite3.Connection, rendered: Sequence[tuple[int, str, str, str]]) -> None:
    """Keep cards' rendered HTML, keyed by the content hash it was rendered from.

    A cache, not state: written straight through sqlite3 so that an export never pays for
    loading SQLModel; in a table of its own, so that only the HTML is written, not whole card
    rows. One short transaction.
    """
    with conn:
        conn.executemany("INSERT OR REPLACE INTO html_cache VALUES (?, ?, ?, ?)", rendered)
