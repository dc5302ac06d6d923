from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studycards.errors import SchemaError, StoreError
from studycards.store.db import connect
from studycards.store.migrations import MIGRATIONS


def test_new_collection_has_pragmas_and_current_schema(db_path: Path):
    conn = connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_collection_from_a_newer_studycards_is_refused_untouched(db_path: Path):
    connect(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version={len(MIGRATIONS) + 5}")
    raw.close()
    with pytest.raises(SchemaError, match=r"newer studycards .*upgrade studycards"):
        connect(db_path)
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 5


def test_older_collection_is_migrated_forward_in_order(db_path: Path):
    connect(db_path).close()  # written by "the old version"

    def add_notes(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE cards ADD COLUMN notes VARCHAR NOT NULL DEFAULT ''")

    conn = connect(db_path, (*MIGRATIONS, add_notes))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
    columns = [row[1] for row in conn.execute("PRAGMA table_info(cards)")]
    assert columns[-1] == "notes"


def test_a_failing_migration_leaves_the_collection_as_it_was(db_path: Path):
    connect(db_path).close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk on fire")

    with pytest.raises(StoreError, match="disk on fire"):
        connect(db_path, (*MIGRATIONS, broken))
    conn = connect(db_path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not sqlite at all, just text" * 100)
    with pytest.raises(SchemaError, match="is not a studycards collection"):
        connect(path)


def test_migrations_build_exactly_the_sqlmodel_tables(tmp_path: Path):
    from sqlmodel import SQLModel, create_engine

    import studycards.store.tables  # noqa: F401

    migrated = connect(tmp_path / "migrated.sqlite")
    reference = tmp_path / "reference.sqlite"
    SQLModel.metadata.create_all(create_engine(f"sqlite:///{reference}"))
    declared = sqlite3.connect(reference)

    def shape(conn: sqlite3.Connection) -> dict:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if not r[0].startswith("card_search")  # the search index, FTS5's: not SQLModel's
        ]
        return {
            table: (
                [(c[1], c[2], c[3], c[5]) for c in conn.execute(f"PRAGMA table_info({table})")],
                sorted(
                    (tuple(c[2] for c in conn.execute(f"PRAGMA index_info({i[1]})")), i[2])
                    for i in conn.execute(f"PRAGMA index_list({table})")
                ),
                sorted((*f[2:5], f[6]) for f in conn.execute(f"PRAGMA foreign_key_list({table})")),
            )
            for table in tables
        }

    assert shape(migrated) == shape(declared)
