"""Migration 3: paths stored in another spelling (through a symlink, with `..`) become real
paths, so that re-importing the same files keeps their cards instead of copying them."""

from __future__ import annotations

import sqlite3

from studycards.collection.importing import ImportTarget, import_sources
from studycards.store.db import connect
from tests.conftest import downgrade, rows


def test_a_collection_imported_through_a_symlink_keeps_its_cards(db_path, seeds, now, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(seeds)
    import_sources(db_path, [ImportTarget((seeds,), "Oncology")], now)
    before = rows(db_path, "SELECT id, key FROM cards ORDER BY id")
    old = sqlite3.connect(db_path, isolation_level=None)  # as schema 2 stored a symlinked import
    for table, column in (("sources", "path"), ("cards", "source")):
        old.execute(
            f"UPDATE {table} SET {column} = replace({column}, ?, ?)", (str(seeds), str(link))
        )
    downgrade(old, 2)
    old.close()

    connect(db_path).close()
    assert {path for (path,) in rows(db_path, "SELECT path FROM sources")} == {
        str(path) for path in seeds.iterdir()
    }
    summary = import_sources(db_path, [ImportTarget((seeds,), "Oncology")], now)
    assert (summary.failed, summary.new, summary.stale) == ([], 0, [])
    assert rows(db_path, "SELECT id, key FROM cards ORDER BY id") == before


def test_two_stored_spellings_of_one_file_leave_one(db_path, seeds, now, tmp_path):
    import_sources(db_path, [ImportTarget((seeds,), "Oncology")], now)
    spelled = str(seeds / "sub" / ".." / "chemotherapy-goals.md")
    (seeds / "sub").mkdir()
    old = sqlite3.connect(db_path, isolation_level=None)
    old.execute(
        "INSERT INTO sources SELECT ?, digest, cards, imported_at FROM sources WHERE path = ?",
        (spelled, str(seeds / "chemotherapy-goals.md")),
    )
    downgrade(old, 2)
    old.close()

    connect(db_path).close()
    assert rows(db_path, "SELECT count(*) FROM sources WHERE path LIKE '%chemotherapy-goals%'") == [
        (1,)
    ]
