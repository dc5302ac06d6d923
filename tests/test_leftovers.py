"""Leftovers of an attack: each test failed before its fix."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studycards.errors import SchemaError
from studycards.store.db import connect
from studycards.store.migrations import MIGRATIONS
from tests.test_cli import invoke


def _foreign_database(path: Path) -> bytes:
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        raw.execute("INSERT INTO invoices (total) VALUES (12.5)")
    raw.close()
    return path.read_bytes()


def test_a_foreign_database_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "someone_elses.sqlite"
    before = _foreign_database(path)
    with pytest.raises(SchemaError, match=r"is not a studycards collection \(it holds other"):
        connect(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "someone_elses.sqlite-wal").exists()


def test_import_into_a_foreign_database_fails_without_writing(tmp_path: Path, seeds: Path, now):
    path = tmp_path / "someone_elses.sqlite"
    before = _foreign_database(path)
    result = invoke(path, now, "import", str(seeds))
    assert result.exit_code == 1
    assert "is not a studycards collection (it holds other tables)" in result.output
    assert path.read_bytes() == before


def test_an_empty_file_or_a_new_path_still_becomes_a_collection(tmp_path: Path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    for path in (empty, tmp_path / "new.sqlite"):
        conn = connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        conn.close()
        connect(path).close()  # and opens again
