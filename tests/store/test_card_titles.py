"""Migration 2 gives cards their article's title; the next import fills it in."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from studycards.collection.exporting import export_anki
from studycards.collection.importing import ImportTarget, import_sources
from studycards.model import CardDraft
from studycards.store.db import connect
from tests.conftest import downgrade, rows

TITLE = "What’s The Difference? Chemotherapy And Immunotherapy"


def test_an_older_collection_gains_titles_on_the_next_import(db_path, seeds, now, tmp_path):
    target = [ImportTarget((seeds,), "Oncology")]
    import_sources(db_path, target, now)
    export_anki(db_path, tmp_path / "x.apkg", now)  # fills the HTML cache
    old = sqlite3.connect(db_path, isolation_level=None)  # as schema 1 left it
    old.execute("UPDATE cards SET content_hash = 'before titles' WHERE title != ''")
    downgrade(old, 1)
    old.close()

    connect(db_path).close()
    assert rows(db_path, "SELECT DISTINCT title FROM cards") == [("",)]
    assert rows(db_path, "SELECT DISTINCT digest FROM sources") == [("",)]
    assert rows(db_path, "SELECT count(*) FROM html_cache") == [(0,)]

    summary = import_sources(db_path, target, now)
    assert (summary.new, summary.updated, summary.unchanged) == (0, 4, 2)  # sections, Q&A
    assert rows(db_path, "SELECT DISTINCT title FROM cards ORDER BY title") == [("",), (TITLE,)]


def test_the_title_is_part_of_the_content_hash_only_when_set():
    draft = CardDraft(key="k", deck="d", front="f", back="b", source=str(Path("/x")))
    assert replace(draft, title="T").content_hash() != draft.content_hash()
    assert replace(draft, title="").content_hash() == draft.content_hash()
