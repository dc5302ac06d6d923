"""The search index (migration 8) follows every write to cards and decks, whichever
connection makes it: after each one, FTS5's own check against the cards finds nothing amiss,
and a search finds what the cards now say."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studycards.collection.browsing import search_cards
from studycards.collection.checking import check_collection
from studycards.collection.importing import ImportTarget, import_sources
from studycards.model import DeckSettings
from studycards.store.db import connect
from studycards.store.migrations import MIGRATIONS
from tests.conftest import downgrade


def note(folder: Path, name: str, question: str, subject: str = "Medicine", tags: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    keywords = f"seo:\n  page_keywords: {tags}\n" if tags else ""
    path.write_text(
        f"---\nid: {name}\nquestion: {question}\nanswer: An answer.\nsubject: {subject}\n"
        f"{keywords}---\n"
    )
    return path


def in_step(db_path: Path) -> None:
    """FTS5's integrity check, comparing the index with the cards it was built from."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("INSERT INTO card_search(card_search, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def found(db_path: Path, query: str, now) -> list[str]:
    return [card.front for card in search_cards(db_path, query, now)]


def test_check_finds_an_index_out_of_step_and_rebuilds_it(db_path, tmp_path, now):
    note(tmp_path / "notes", "a.md", "Mitosis?")
    import_sources(db_path, [ImportTarget((tmp_path / "notes",))], now)
    in_step(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER card_search_update")
    conn.execute("UPDATE cards SET front = 'Meiosis?'")
    conn.commit()
    conn.close()
    with pytest.raises(sqlite3.DatabaseError):
        in_step(db_path)
    [finding] = check_collection(db_path)
    assert finding.problem == "search index out of step with the cards" and not finding.repaired
    [finding] = check_collection(db_path, repair=True)
    assert finding.repaired
    in_step(db_path)
    assert check_collection(db_path) == []
    assert found(db_path, "meiosis", now) == ["Meiosis?"]


def test_an_import_a_reimport_a_move_and_a_prune_keep_it_in_step(db_path, tmp_path, now):
    notes = tmp_path / "notes"
    first = note(notes, "cells.md", "What is mitosis?", tags="biology, cell_cycle")
    note(notes, "other.md", "What is apoptosis?")
    import_sources(db_path, [ImportTarget((notes,))], now)
    in_step(db_path)
    assert found(db_path, "mitosis", now) == ["What is mitosis?"]
    assert found(db_path, "cells", now) == ["What is mitosis?"]  # the file's name
    assert found(db_path, "medicine", now) == ["What is mitosis?", "What is apoptosis?"]

    note(notes, "cells.md", "What is meiosis?", subject="Biology::Cells", tags="genetics")
    import_sources(db_path, [ImportTarget((notes,))], now)  # new text, tags and deck
    in_step(db_path)
    assert found(db_path, "mitosis", now) == []
    assert found(db_path, "meiosis biology genetics", now) == ["What is meiosis?"]
    assert found(db_path, "medicine", now) == ["What is apoptosis?"]

    first.rename(notes / "division.md")  # a moved file keeps its card, under a new name
    import_sources(db_path, [ImportTarget((notes,))], now)
    in_step(db_path)
    assert found(db_path, "division", now) == ["What is meiosis?"]
    assert found(db_path, "cells", now) == ["What is meiosis?"]  # its deck Biology::Cells

    (notes / "other.md").unlink()
    import_sources(db_path, [ImportTarget((notes,))], now, prune=True, confirmed=True)
    in_step(db_path)
    assert found(db_path, "apoptosis", now) == []


def test_renamed_deleted_and_recovered_decks_keep_it_in_step(db_path, tmp_path, now):
    notes = tmp_path / "notes"
    note(notes, "a.md", "What is mitosis?", subject="bio")
    import_sources(db_path, [ImportTarget((notes,))], now)
    # a preset spelling the deck otherwise renames it
    import_sources(db_path, [ImportTarget((notes,), "BIO", DeckSettings("BIO"))], now)
    in_step(db_path)
    assert found(db_path, "bio", now) == ["What is mitosis?"]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM decks").fetchall() == [("BIO",)]
    conn.execute("UPDATE decks SET name = 'Zoology'")
    conn.commit()
    in_step(db_path)
    assert found(db_path, "zoology", now) == ["What is mitosis?"]
    assert found(db_path, "bio", now) == []
    conn.execute("DELETE FROM decks")  # foreign keys off, as in another program
    conn.commit()
    conn.close()
    in_step(db_path)
    check_collection(db_path, repair=True)  # the card goes to the deck Recovered
    in_step(db_path)
    assert found(db_path, "recovered mitosis", now) == ["What is mitosis?"]


def test_the_migration_indexes_the_cards_of_an_older_collection(db_path, tmp_path, now):
    note(tmp_path / "notes", "a.md", "What is mitosis?", subject="Cell Biology")
    import_sources(db_path, [ImportTarget((tmp_path / "notes",))], now)
    old = sqlite3.connect(db_path)
    downgrade(old, 7)
    old.commit()
    old.close()
    assert found(db_path, "cell", now) == ["What is mitosis?"]  # migrated on opening
    in_step(db_path)
    conn = connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()
