"""The `cards` table: a card's text and schedule, listings, what an import writes (new cards
in, changed text updated, each card's identity claimed), pruning, suspending and burying.

Reads are plain sqlite3 (a review's first card shows before SQLModel has loaded); writes run in
the caller's SQLModel session, which is why SQLAlchemy is imported where a write needs it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studycards.convert import base_key, describe_key, key_variants, may_share, qualified_key
from studycards.errors import CardNotFoundError, SourceError
from studycards.model import (
    LEECH,
    CardDraft,
    CardListing,
    CardState,
    DeckSettings,
    Schedule,
    SourceFile,
    StaleCard,
    SyncedCard,
    with_tag,
)
from studycards.scheduler.day import study_day
from studycards.store.db import chunks, rows_in, write_transaction
from studycards.store.decks import deck_tree, ensure_decks
from studycards.store.history import CHANGED_SINCE, LAST_ANSWER
from studycards.store.rows import (
    CARD_TEXT_COLUMNS,
    SCHEDULE_COLUMNS,
    SQLITE_INTEGERS,
    SUSPENDED,
    CardText,
    ListedCard,
    ScheduledRow,
    draft_columns,
    draft_from,
    from_day,
    schedule_columns,
    schedule_from,
    to_day,
)
from studycards.store.sources import forget_sources, record_sources

if TYPE_CHECKING:
    from sqlalchemy import Row
    from sqlmodel import Session

    from studycards.store.tables import CardRow

_NEW_SCHEDULE = schedule_columns(Schedule()) | {"queue": int(CardState.NEW)}
_EXISTING = ("key", "id", "content_hash", "source", "deck_id", "modified_at", "front", "tags")


def card_text(conn: sqlite3.Connection, card_id: int) -> CardDraft:
    """The text of one card, by primary key."""
    if card_id not in SQLITE_INTEGERS:
        raise CardNotFoundError(card_id)
    fields = ", ".join(f"c.{name}" for name in CARD_TEXT_COLUMNS)
    row = conn.execute(
        f"SELECT {fields}, d.name FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?",
        (card_id,),
    ).fetchone()
    if row is None:
        raise CardNotFoundError(card_id)
    return draft_from(CardText._make(row[:-1]), row[-1])


def card_schedule(conn: sqlite3.Connection, card_id: int) -> Schedule:
    """The schedule of one card, by primary key."""
    sql = f"SELECT {', '.join(ScheduledRow._fields)} FROM cards WHERE id = ?"
    row = conn.execute(sql, (card_id,)).fetchone() if card_id in SQLITE_INTEGERS else None
    if row is None:
        raise CardNotFoundError(card_id)
    return schedule_from(ScheduledRow._make(row))


def deck_schedules(conn: sqlite3.Connection, deck_ids: Sequence[int]) -> dict[int, ScheduledRow]:
    """Every card of these decks with its deck and schedule, by id."""
    sql = f"SELECT {', '.join(ScheduledRow._fields)} FROM cards WHERE deck_id IN ({{marks}})"
    return {row[0]: ScheduledRow._make(row) for row in rows_in(conn, sql, deck_ids)}


def card_listing(
    conn: sqlite3.Connection, now: datetime, deck: str | None = None
) -> list[CardListing]:
    """Cards of `deck` and its children (all cards without a deck), soonest due first."""
    listing: list[CardListing] = []
    for deck_id, settings in deck_tree(conn, deck).items():
        today = study_day(now, settings.rollover_hour)
        rows = conn.execute(
            "SELECT id, ?, front, state, due, interval, ease, reps, ?, queue, buried_until,"
            " lapses, difficulty, ? FROM cards WHERE deck_id = ?",
            (settings.name, today.toordinal(), settings.scheduler, deck_id),
        )
        listing += [ListedCard._make(row).listing() for row in rows]
    listing.sort(key=lambda card: (card.due is None, card.due or date.min, card.deck, card.id))
    return listing


def cards_of_sources(conn: sqlite3.Connection, paths: Sequence[str]) -> list[StaleCard]:
    """The cards that came from `paths`."""
    sql = "SELECT id, front, source FROM cards WHERE source IN ({marks})"
    return [StaleCard(*row) for row in rows_in(conn, sql, paths)]


def source_card_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many stored cards name each source file (read from the source index alone)."""
    return dict(conn.execute("SELECT source, count(*) FROM cards GROUP BY source").fetchall())


@dataclass(slots=True)
class WriteResult:
    """What one batch of files did to the collection."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[SourceError] = field(default_factory=list)
    stale: list[StaleCard] = field(default_factory=list)


def write_files(
    session: Session,
    files: Sequence[SourceFile],
    now_ms: int,
    settings: Mapping[str, DeckSettings],
) -> WriteResult:
    """Store `files` in the session's transaction; cards keep their schedule and history.

    Each card's stored key comes from `_Claims`: a file keeps the keys it has, a moved file
    takes over its old cards, and a file whose card another live file already holds gets a
    numbered variant of the key, except for an `id:`, which only one file may hold.
    """
    from sqlalchemy import insert

    from studycards.store.tables import CardRow

    result = WriteResult()
    owned = list(_rows_by(session, "source", [file.path for file in files]))
    claims = _Claims(session, files, owned)
    accepted: list[tuple[SourceFile, list[str]]] = []
    for file in files:
        keys = claims.claim(file, result.failed)
        if keys is not None:
            accepted.append((file, keys))
    deck_ids = ensure_decks(
        session, {draft.deck for file, _ in accepted for draft in file.cards}, settings
    )
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for file, keys in accepted:
        for draft, key in zip(file.cards, keys, strict=True):
            columns = draft_columns(draft) | {"deck_id": deck_ids[draft.deck]}
            row = claims.existing.get(key)
            if row is None:
                inserts.append(
                    columns
                    | _NEW_SCHEDULE
                    | {"key": key, "created_at": now_ms, "modified_at": now_ms}
                )
                result.new += 1
            elif (row.content_hash, row.source, row.deck_id) != (
                columns["content_hash"],
                columns["source"],
                columns["deck_id"],
            ):
                text_changed = row.content_hash != columns["content_hash"]
                modified = now_ms if text_changed else row.modified_at
                if LEECH in row.tags.split():  # given by its answers, not its file: it stays
                    columns["tags"] = with_tag(columns["tags"], LEECH)
                updates.append(columns | {"id": row.id, "modified_at": modified})
                result.updated += 1
            else:
                result.unchanged += 1
    kept = {key for _, keys in accepted for key in keys}
    paths = {file.path for file, _ in accepted}
    result.stale = [
        StaleCard(row.id, row.front, row.source)
        for row in owned
        if row.source in paths and row.key not in kept
    ]
    if inserts:
        session.execute(insert(CardRow.metadata.tables["cards"]), inserts)
    if updates:
        _update_cards(session, updates)
    if accepted:
        record_sources(session, [file for file, _ in accepted], now_ms)
    return result


def _update_cards(session: Session, updates: Sequence[dict[str, Any]]) -> None:
    """Write changed cards, each dict a card's `id` and new columns (the same keys for all),
    a thousand at a time in one UPDATE over a JSON array rather than a statement a card (each
    of which opens a savepoint, where FTS5 writes the search index's pending words out as a
    segment of its own). 10,000 edited cards: 3.5 -> 3.1 s of writing in an import."""
    from sqlalchemy import text

    columns = [column for column in updates[0] if column != "id"]
    assigned = ", ".join(f"\"{column}\" = changed.value ->> '$.{column}'" for column in columns)
    sql = text(
        f"UPDATE cards SET {assigned} FROM json_each(:rows) AS changed"
        " WHERE cards.id = changed.value ->> '$.id'"
    )
    for batch in range(0, len(updates), _UPDATES_AT_ONCE):
        rows = json.dumps(updates[batch : batch + _UPDATES_AT_ONCE], ensure_ascii=False)
        session.execute(sql, {"rows": rows})


_UPDATES_AT_ONCE = 1000


@dataclass(slots=True)
class _Copies:
    """A base key's numbered copies in a batch: those whose file is gone, the next number."""

    moved: deque[str]
    next_number: int


class _Claims:
    """Which stored key each card of a batch gets, in the batch's order.

    A key is free for a file when no card has it, the file's own card has it, or its card's
    file is gone (the file moved): to the file that still holds the card's very text first, so
    that a moved file keeps its history when a new file with the same title and heading comes
    in the same import. Otherwise the file gets a numbered variant: the one whose
    file is gone if any (a moved copy keeps its history), else the next unused number. Which
    copy holds the plain key is settled once, by who came first; it never changes later, so
    no card's identity (nor its Anki note) ever moves to another file.
    """

    def __init__(
        self, session: Session, files: Sequence[SourceFile], owned: Sequence[Row[Any]]
    ) -> None:
        self.session = session
        self.batch_paths = {file.path for file in files}
        keys = [draft.key for file in files for draft in file.cards]
        self.existing = {row.key: row for row in _rows_by(session, "key", keys)}
        self.existing.update((row.key, row) for row in owned)
        self.own: dict[tuple[str, str], str] = {
            (row.source, base_key(row.key)): row.key for row in owned
        }
        self.claimed: dict[str, str] = {}  # key -> path, in this batch
        self.alive: dict[str, bool] = {}
        self.copies: dict[str, _Copies] = {}  # a base key's numbered copies, read once a batch
        self.moved: dict[str, str] = {}  # key -> path: the moved file that holds its text
        for file in files:
            for draft in file.cards:
                row = self.existing.get(draft.key)
                if (
                    row is not None
                    and row.source != file.path
                    and not self._alive(row.source)
                    and row.content_hash == draft.content_hash()
                ):
                    self.moved.setdefault(draft.key, file.path)

    def claim(self, file: SourceFile, failed: list[SourceError]) -> list[str] | None:
        """The stored key of each of the file's cards, or None (and why, in `failed`)."""
        keys: list[str] = []
        clashes: list[str] = []
        for draft in file.cards:
            key = self.own.get((file.path, draft.key)) or draft.key
            holder = self._holder(key, file.path)
            if holder is not None and may_share(key):
                key = self._variant(draft.key, file.path)
            elif holder is not None:
                clashes.append(f"duplicate {describe_key(key)}: {holder} has it too")
            keys.append(key)
        if clashes:
            problem = "; ".join(clashes) + " (two files cannot share an id)"
            failed.append(SourceError(Path(file.path), problem))
            return None
        for key in keys:
            self.claimed[key] = file.path
        return keys

    def _holder(self, key: str, path: str) -> str | None:
        """The other live file that holds `key` (or, moved, will take it), if any."""
        claimant = self.claimed.get(key) or self.moved.get(key)
        if claimant is not None:
            return claimant if claimant != path else None
        row = self.existing.get(key)
        if row is None or row.source == path or not self._alive(row.source):
            return None
        return str(row.source)

    def _variant(self, key: str, path: str) -> str:
        """A numbered copy of `key` for `path`: a moved copy's (its file is gone), else the
        next number. The copies are read once per key and batch: three hundred translations
        of one page ask for the same keys three hundred times."""
        copies = self.copies.get(key)
        if copies is None:
            low, high = key_variants(key)
            rows = self.session.execute(
                _select_existing().where(_column("key") >= low, _column("key") < high)
            ).all()
            self.existing.update((row.key, row) for row in rows)
            numbers = [int(row.key[len(low) :]) for row in rows if row.key[len(low) :].isdigit()]
            moved = [row.key for row in rows if not self._alive(row.source)]
            copies = self.copies[key] = _Copies(deque(moved), max(numbers, default=1) + 1)
        while copies.moved:
            moved_key = copies.moved.popleft()
            if moved_key not in self.claimed:
                return moved_key
        copies.next_number += 1
        return qualified_key(key, copies.next_number - 1)

    def _alive(self, source: str) -> bool:
        if source not in self.alive:
            self.alive[source] = source in self.batch_paths or Path(source).exists()
        return self.alive[source]


def _column(name: str) -> Any:
    from studycards.store.tables import CardRow

    return getattr(CardRow, name)


def _select_existing() -> Any:
    """SELECT of what a write needs to know of a stored card."""
    from sqlalchemy import select

    return select(*map(_column, _EXISTING))


def _rows_by(session: Session, where: str, values: Iterable[str]) -> Iterator[Row[Any]]:
    """What a write needs of the cards whose `where` column is one of `values`, in chunks."""
    unique = list(dict.fromkeys(values))
    for chunk in chunks(unique):
        yield from session.execute(_select_existing().where(_column(where).in_(chunk)))


def delete_cards(session: Session, card_ids: Sequence[int], vanished: Sequence[str]) -> None:
    """Remove pruned cards (their review log goes with them) and forget vanished files."""
    from sqlalchemy import delete

    from studycards.store.tables import CardRow

    for chunk in chunks(card_ids):
        session.execute(delete(CardRow).where(CardRow.id.in_(chunk)))  # type: ignore[union-attr]
    forget_sources(session, vanished)


# A card given the schedule its log leaves; a suspended card stays suspended.
SET_SCHEDULE = (
    f"UPDATE cards SET {', '.join(f'{name} = :{name}' for name in SCHEDULE_COLUMNS)},"
    f" queue = iif(queue = {SUSPENDED}, queue, :state) WHERE id = :id"
)


def set_schedules(conn: sqlite3.Connection, schedules: Mapping[int, Schedule]) -> None:
    """Give answered cards the schedules a replay of their log gives, all or none. Each
    card's last answer is given it too, as what that answer leaves under the deck's settings
    now: the card stays what its last answer left (what `check` holds), unless its schedule
    was set by hand since (then the answer keeps what it left)."""
    log_columns = ", ".join(f"after_{name} = :{name}" for name in SCHEDULE_COLUMNS)
    untouched = CHANGED_SINCE.format(card=":id", at="reviewed_at")
    values = [
        schedule_columns(schedule) | {"id": card_id} for card_id, schedule in schedules.items()
    ]
    with write_transaction(conn):
        conn.executemany(SET_SCHEDULE, values)
        conn.executemany(
            f"UPDATE reviews SET {log_columns} WHERE id = ({LAST_ANSWER.format(card=':id')})"
            f" AND NOT {untouched}",
            values,
        )


def synced_cards(conn: sqlite3.Connection) -> list[SyncedCard]:
    """Every card with what an Anki collection is told of its schedule."""
    rows = conn.execute(
        f"SELECT key, queue, (SELECT count(*) FROM reviews r WHERE r.card_id = cards.id),"
        f" {', '.join(ScheduledRow._fields)} FROM cards"
    )
    return [
        SyncedCard(key, scheduled.deck_id, schedule_from(scheduled), queue == SUSPENDED, answers)
        for key, queue, answers, *columns in rows
        for scheduled in (ScheduledRow._make(columns),)
    ]


def notes_fingerprint(conn: sqlite3.Connection) -> str:
    """A digest of every card's note as an export writes it (text, deck, tags): when it is
    unchanged since a sync wrote the notes into Anki, the next sync need not write them."""
    digest = hashlib.sha256()
    for row in conn.execute(
        "SELECT c.key, c.content_hash, c.tags, d.name FROM cards c JOIN decks d"
        " ON d.id = c.deck_id ORDER BY c.id"
    ):
        digest.update("\x1f".join(row).encode() + b"\x1e")
    return digest.hexdigest()


def card_keys(conn: sqlite3.Connection) -> list[tuple[int, str, int]]:
    """(id, key, deck id) of every card: how answers made elsewhere find their card."""
    return conn.execute("SELECT id, key, deck_id FROM cards").fetchall()


def set_suspended(conn: sqlite3.Connection, suspended: Mapping[str, bool]) -> None:
    """Suspend or unsuspend cards (by key), as another device did, in one transaction."""
    with write_transaction(conn):
        conn.executemany(
            f"UPDATE cards SET queue = iif(:suspended, {SUSPENDED}, state) WHERE key = :key",
            [{"key": key, "suspended": value} for key, value in suspended.items()],
        )


def card_row(session: Session, card_id: int) -> CardRow:
    """A card's row to change in the session's transaction."""
    from studycards.store.tables import CardRow

    row = session.get(CardRow, card_id) if card_id in SQLITE_INTEGERS else None
    if row is None:
        raise CardNotFoundError(card_id)
    return row


def suspend_card(session: Session, card_id: int) -> None:
    """Take a card out of every session until it is unsuspended; its schedule is kept."""
    card_row(session, card_id).queue = SUSPENDED


def bury_card(session: Session, card_id: int, until: date) -> None:
    """Hide a card until the study day `until`; its schedule is kept."""
    card_row(session, card_id).buried_until = to_day(until)


def unsuspend_card(session: Session, card_id: int) -> bool:
    """Put a suspended card back in its state's queue; False if it was not suspended."""
    row = card_row(session, card_id)
    if row.queue != SUSPENDED:
        return False
    row.queue = row.state
    return True


def unbury_card(session: Session, card_id: int) -> tuple[int, date | None]:
    """Show a buried card again; returns its deck and the study day it was buried until
    (None: it was not)."""
    row = card_row(session, card_id)
    until = from_day(row.buried_until)
    row.buried_until = None
    return row.deck_id, until
