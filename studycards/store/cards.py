"""Writing imported files into the collection: new cards in, changed text updated."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from studycards.convert import describe_key
from studycards.errors import SourceError
from studycards.model import CardState, DeckSettings, Schedule, SourceFile
from studycards.store.rows import draft_columns, schedule_columns, settings_columns
from studycards.store.tables import CardRow, DeckRow, SourceRow

_CHUNK = 900  # stays under SQLite's default limit of bound parameters per statement
_NEW_SCHEDULE = schedule_columns(Schedule()) | {"queue": int(CardState.NEW)}
_EXISTING = (
    CardRow.key, CardRow.id, CardRow.content_hash, CardRow.source, CardRow.deck_id,
    CardRow.modified_at,
)  # fmt: skip
_STALE = (CardRow.id, CardRow.key, CardRow.front, CardRow.source)


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

    A file whose card identity already belongs to another file that still exists is refused
    whole (two files cannot share one card); a card whose file merely moved follows it.
    """
    result = WriteResult()
    keys = [draft.key for file in files for draft in file.cards]
    existing = {row.key: row for row in _rows_by(session, _EXISTING, CardRow.key, keys)}
    batch_paths = {file.path for file in files}
    accepted = [file for file in files if _claims_ok(file, existing, batch_paths, result.failed)]
    deck_ids = ensure_decks(
        session, {draft.deck for file in accepted for draft in file.cards}, settings
    )
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for file in accepted:
        for draft in file.cards:
            columns = draft_columns(draft) | {"deck_id": deck_ids[draft.deck]}
            row = existing.get(draft.key)
            if row is None:
                inserts.append(
                    columns
                    | _NEW_SCHEDULE
                    | {"key": draft.key, "created_at": now_ms, "modified_at": now_ms}
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
    result.stale = _stale_cards(session, accepted)
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
                for f in accepted
            ],
        )
    return result


def _claims_ok(
    file: SourceFile,
    existing: Mapping[str, Row[Any]],
    batch_paths: set[str],
    failed: list[SourceError],
) -> bool:
    """False (and a failure noted) when another live file already owns one of this file's cards."""
    for draft in file.cards:
        row = existing.get(draft.key)
        if row is None or row.source == file.path:
            continue
        if row.source in batch_paths or Path(row.source).exists():
            failed.append(
                SourceError(
                    Path(file.path),
                    f"{describe_key(draft.key)} already comes from {row.source}; "
                    "two files cannot hold the same card",
                )
            )
            return False
    return True


def _stale_cards(session: Session, files: Sequence[SourceFile]) -> list[tuple[int, str, str]]:
    """Stored cards of these files that the files no longer contain."""
    kept = {draft.key for file in files for draft in file.cards}
    rows = _rows_by(session, _STALE, CardRow.source, [file.path for file in files])
    return [(row.id, row.front, row.source) for row in rows if row.key not in kept]


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

    A deck named in `settings` (from a preset) takes those settings; others keep theirs.
    """
    wanted: set[str] = set(settings)
    for name in names:
        parts = name.split("::")
        wanted.update("::".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    rows = {
        row.name: row for row in session.scalars(select(DeckRow).where(DeckRow.name.in_(wanted)))
    }
    for name in sorted(wanted):
        columns = settings_columns(settings.get(name) or DeckSettings(name))
        row = rows.get(name)
        if row is None:
            row = DeckRow(**columns)
            session.add(row)
            rows[name] = row
        elif name in settings:
            for column, value in columns.items():
                setattr(row, column, value)
    session.flush()
    return {name: row.id for name, row in rows.items() if row.id is not None}


def delete_cards(session: Session, card_ids: Sequence[int], vanished: Sequence[str]) -> None:
    """Remove pruned cards (their review log goes with them) and forget vanished files."""
    for start in range(0, len(card_ids), _CHUNK):
        chunk = card_ids[start : start + _CHUNK]
        session.execute(delete(CardRow).where(CardRow.id.in_(chunk)))
    for start in range(0, len(vanished), _CHUNK):
        chunk = vanished[start : start + _CHUNK]
        session.execute(delete(SourceRow).where(SourceRow.path.in_(chunk)))
