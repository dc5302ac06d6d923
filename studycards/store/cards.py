"""Writing imported files into the collection: new cards in, changed text updated."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from studycards.convert import (
    base_key,
    deck_fold,
    describe_key,
    key_variants,
    may_share,
    qualified_key,
)
from studycards.errors import SourceError
from studycards.model import CardState, DeckSettings, Schedule, SourceFile, deck_ancestors
from studycards.store.rows import draft_columns, schedule_columns, settings_columns
from studycards.store.tables import CardRow, DeckRow, SourceRow

_CHUNK = 900  # stays under SQLite's default limit of bound parameters per statement
_NEW_SCHEDULE = schedule_columns(Schedule()) | {"queue": int(CardState.NEW)}
_EXISTING = (
    CardRow.key, CardRow.id, CardRow.content_hash, CardRow.source, CardRow.deck_id,
    CardRow.modified_at, CardRow.front,
)  # fmt: skip


@dataclass(slots=True)
class WriteResult:
    """What one batch of files did to the collection."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[SourceError] = field(default_factory=list)
    stale: list[tuple[int, str, str]] = field(default_factory=list)  # (card id, front, source)


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
    result = WriteResult()
    owned = list(_rows_by(session, _EXISTING, CardRow.source, [file.path for file in files]))
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
                updates.append(columns | {"id": row.id, "modified_at": modified})
                result.updated += 1
            else:
                result.unchanged += 1
    kept = {key for _, keys in accepted for key in keys}
    paths = {file.path for file, _ in accepted}
    result.stale = [
        (row.id, row.front, row.source)
        for row in owned
        if row.source in paths and row.key not in kept
    ]
    if inserts:
        session.execute(insert(CardRow.__table__), inserts)  # type: ignore[arg-type]
    if updates:
        session.execute(update(CardRow), updates)
    if accepted:
        statement = sqlite_insert(SourceRow)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[SourceRow.path],
                set_={
                    "digest": statement.excluded.digest,
                    "cards": statement.excluded.cards,
                    "imported_at": statement.excluded.imported_at,
                },
            ),
            [
                {"path": f.path, "digest": f.digest, "cards": len(f.cards), "imported_at": now_ms}
                for f, _ in accepted
            ],
        )
    return result


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
        self.existing = {row.key: row for row in _rows_by(session, _EXISTING, CardRow.key, keys)}
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
                select(*_EXISTING).where(CardRow.key >= low, CardRow.key < high)
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


def _rows_by(
    session: Session, columns: Sequence[Any], where: Any, values: Iterable[str]
) -> Iterator[Row[Any]]:
    """Rows of `columns` for cards whose `where` column is one of `values`, in chunks."""
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        yield from session.execute(select(*columns).where(where.in_(chunk)))


def ensure_decks(
    session: Session, names: Iterable[str], settings: Mapping[str, DeckSettings]
) -> dict[str, int]:
    """Ids of the named decks (and their `Parent::` decks), created as needed.

    Names match whatever their case, as in Anki, where `Bio` and `bio` are one deck (an export
    of both would come back renamed `bio_`): a name takes the spelling its deck (or parent)
    already has. A deck named in `settings` (from a preset) takes those settings.
    """
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
                    setattr(row, column, value)
            parent = row
        assert parent is not None  # a name has at least one part
        decks[name] = parent
    session.flush()
    return {name: row.id for name, row in decks.items() if row.id is not None}


def delete_cards(session: Session, card_ids: Sequence[int], vanished: Sequence[str]) -> None:
    """Remove pruned cards (their review log goes with them) and forget vanished files."""
    for start in range(0, len(card_ids), _CHUNK):
        chunk = card_ids[start : start + _CHUNK]
        session.execute(delete(CardRow).where(CardRow.id.in_(chunk)))
    for start in range(0, len(vanished), _CHUNK):
        chunk = vanished[start : start + _CHUNK]
        session.execute(delete(SourceRow).where(SourceRow.path.in_(chunk)))
