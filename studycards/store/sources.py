"""The `sources` table: every imported question file, the digest of what it held and how many
cards it gave, so that an unchanged file is skipped without being parsed."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from studycards.model import SourceFile
from studycards.store.db import chunks

if TYPE_CHECKING:
    from sqlmodel import Session


def source_digests(conn: sqlite3.Connection) -> dict[str, tuple[str, int]]:
    """Every imported file's path -> (digest, number of cards it gave)."""
    return {path: (digest, cards) for path, digest, cards in conn.execute(
        "SELECT path, digest, cards FROM sources"
    )}  # fmt: skip


def files_imported_at(conn: sqlite3.Connection, imported_at: int) -> int:
    """How many files an import stamped `imported_at` (ms) has stored so far."""
    sql = "SELECT count(*) FROM sources WHERE imported_at = ?"
    return int(conn.execute(sql, (imported_at,)).fetchone()[0])


def record_sources(session: Session, files: Sequence[SourceFile], now_ms: int) -> None:
    """Remember each file's digest and card count, in the import's transaction."""
    from sqlalchemy.dialects.sqlite import insert

    from studycards.store.tables import SourceRow

    statement = insert(SourceRow)
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
            for f in files
        ],
    )


def forget_sources(session: Session, paths: Sequence[str]) -> None:
    """Forget files that are gone (their cards are deleted apart)."""
    from sqlalchemy import delete

    from studycards.store.tables import SourceRow

    for chunk in chunks(paths):
        session.execute(delete(SourceRow).where(SourceRow.path.in_(chunk)))  # type: ignore[attr-defined]
