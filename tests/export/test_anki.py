"""Exports proven in Anki's own engine (the `anki` package): notes, decks, fields, tags, and
that a newer export updates notes in place instead of duplicating them."""

from __future__ import annotations

import itertools
import os
import sqlite3
import stat
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from studycards.collection.exporting import export_anki
from studycards.collection.importing import ImportTarget, import_sources
from studycards.errors import DeckNotFoundError, ExportError
from studycards.export.anki import (
    MODEL,
    MODEL_ID,
    STUDYCARDS_TAG,
    AnkiNote,
    PackageWriter,
    deck_id,
    note_guid,
)
from studycards.model import tag_name
from studycards.store.db import opened

# Anki's defaults: a note (or note type) is updated only when the package's copy is newer.
DEFAULTS = ImportAnkiPackageOptions()

HOSTILE = (
    "---\nid: 9001\nquestion: Is <script>alert(1)</script> safe & sound?\n"
    "answer: >-\n    Try <img src=x onerror=alert(2)> and a < b && c > d.\\n\\n- **bold** item\n"
    "subject: Medicine\nseo:\n  page_keywords: security, html escaping\n---\n"
)


@pytest.fixture
def notes(seeds: Path) -> Path:
    (seeds / "hostile.md").write_text(HOSTILE)
    return seeds


def import_into(db_path: Path, folder: Path, now, deck: str | None = "Medicine::Oncology"):
    summary = import_sources(db_path, [ImportTarget((folder,), deck)], now)
    assert not summary.failed


@contextmanager
def anki_collection(tmp_path: Path) -> Iterator[Collection]:
    """A fresh collection of Anki's own engine, closed afterwards."""
    col = Collection(str(tmp_path / "anki.anki2"))
    try:
        yield col
    finally:
        col.close()


def anki_import(col: Collection, package: Path) -> None:
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=DEFAULTS))


def by_question(col: Collection) -> dict[str, object]:
    notes = [col.get_note(note_id) for note_id in col.find_notes("")]
    return {note["Question"]: note for note in notes}


def test_export_imports_into_anki_with_decks_fields_and_tags(db_path, notes, tmp_path, now):
    import_into(db_path, notes, now)
    out = tmp_path / "medicine.apkg"
    summary = export_anki(db_path, out, now, deck="Medicine")
    assert (summary.notes, summary.decks) == (7, 2)
    with anki_collection(tmp_path) as col:
        anki_import(col, out)
        names = {deck.name for deck in col.decks.all_names_and_ids()}
        assert {"Medicine", "Medicine::Oncology"} <= names
        assert col.note_count() == 7
        notes_by_q = by_question(col)
        goals = notes_by_q["<p>What are the primary goals of chemotherapy in cancer treatment?</p>"]
        assert goals.note_type()["id"] == MODEL_ID
        assert [field["name"] for field in goals.note_type()["flds"]] == [
            "Question", "Answer", "Source", "Subject", "Related",
        ]  # fmt: skip
        assert "<ol>" in goals["Answer"] and "<strong>Cure</strong>" in goals["Answer"]
        assert "\\n" not in goals["Answer"]
        assert goals["Source"] == "chemotherapy-goals.md"
        assert goals["Subject"] == "Medicine"
        assert (
            "<li>How can dietary recommendations aid in cancer prevention?</li>" in goals["Related"]
        )
        assert {"studycards", "Medicine", "cancer_treatment", "chemotherapy"} <= set(goals.tags)
        assert goals.guid == note_guid("id:176440")
        card = col.get_card(goals.card_ids()[0])
        assert col.decks.name(card.did) == "Medicine::Oncology"


def test_raw_html_in_question_files_arrives_as_visible_text(db_path, notes, tmp_path, now):
    import_into(db_path, notes, now)
    out = tmp_path / "all.apkg"
    export_anki(db_path, out, now)
    with anki_collection(tmp_path) as col:
        anki_import(col, out)
        [note] = [col.get_note(n) for n in col.find_notes("tag:security")]
        assert (
            note["Question"] == "<p>Is &lt;script&gt;alert(1)&lt;/script&gt; safe &amp; sound?</p>"
        )
        answer = note["Answer"]
        assert "&lt;img src=x onerror=alert(2)&gt;" in answer
        assert "a &lt; b &amp;&amp; c &gt; d." in answer
        assert "<script" not in answer + note["Question"] and "<img" not in answer
        assert "<li><strong>bold</strong> item</li>" in answer
        assert "html_escaping" in note.tags


def test_reexport_updates_changed_notes_in_place_and_adds_only_new(db_path, notes, tmp_path, now):
    import_into(db_path, notes, now)
    first = tmp_path / "v1.apkg"
    export_anki(db_path, first, now)
    with anki_collection(tmp_path) as col:
        anki_import(col, first)
        before = {q: (n.id, n.mod) for q, n in by_question(col).items()}
        goals_q = "<p>What are the primary goals of chemotherapy in cancer treatment?</p>"
        leukemia_q = "<p>What is the goal of the induction phase in leukemia treatment?</p>"
        # an edit made inside Anki to a note studycards does not change must survive
        leukemia = by_question(col)[leukemia_q]
        leukemia["Subject"] = "edited in Anki"
        col.update_note(leukemia)

        source = notes / "chemotherapy-goals.md"
        source.write_text(source.read_text().replace("include:", "are, in short:"))
        (notes / "new.md").write_text("---\nquestion: A brand new card?\nanswer: Yes.\n---\n")
        later = now + timedelta(hours=1)
        import_into(db_path, notes, later)
        second = tmp_path / "v2.apkg"
        export_anki(db_path, second, later)
        anki_import(col, second)
        after = by_question(col)
        assert col.note_count() == 8  # 7 + the new one, no duplicates
        assert after[goals_q].id == before[goals_q][0]
        assert "are, in short:" in after[goals_q]["Answer"]
        assert after[leukemia_q]["Subject"] == "edited in Anki"
        assert "<p>A brand new card?</p>" in after


def test_package_is_compressed_and_ids_are_stable(db_path, notes, tmp_path, now):
    import_into(db_path, notes, now)
    out = tmp_path / "x.apkg"
    export_anki(db_path, out, now)
    with zipfile.ZipFile(out) as package:
        info = package.getinfo("collection.anki2")
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size < info.file_size
    # Literal values: a changed hash would duplicate every note of every user in Anki.
    assert (deck_id("Medicine::Oncology"), deck_id("Medicine")) == (1490177724, 1097246012)
    assert note_guid("id:176440") == "09e5cf1809e13037ab13"
    assert note_guid("id:166301") == "90f1c7136fb84ffe1f79"
    assert MODEL_ID == 1764010421


@pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_the_package_gets_a_new_files_usual_mode(db_path, notes, tmp_path, now, umask):
    """A package is for sharing: readable as the user's umask makes new files, not private
    as a temporary file is."""
    import_into(db_path, notes, now)
    out = tmp_path / "x.apkg"
    before = os.umask(umask)
    try:
        export_anki(db_path, out, now)
    finally:
        os.umask(before)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_two_exports_to_one_path_at_once_each_leave_a_whole_package(db_path, notes, tmp_path, now):
    import_into(db_path, notes, now)
    out = tmp_path / "same.apkg"
    barrier = threading.Barrier(2)

    def export() -> None:
        barrier.wait()
        export_anki(db_path, out, now, force=True)

    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(export), pool.submit(export)]:
            done.result()  # neither failed
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
    with anki_collection(tmp_path) as col:
        anki_import(col, out)
        assert col.note_count() == 7
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")] == []


def test_second_export_uses_the_html_cache(db_path, notes, tmp_path, now):
    import_into(db_path, notes, now)
    assert uncached(db_path) == 7
    assert export_anki(db_path, tmp_path / "a.apkg", now).rendered == 7
    assert uncached(db_path) == 0
    assert export_anki(db_path, tmp_path / "b.apkg", now).rendered == 0
    source = notes / "chemotherapy-goals.md"
    source.write_text(source.read_text().replace("include:", "are:"))
    import_into(db_path, notes, now)
    assert uncached(db_path) == 1
    assert export_anki(db_path, tmp_path / "c.apkg", now).rendered == 1


def uncached(db_path: Path) -> int:
    """Cards an export would render: no cached HTML of their text as it is now."""
    with opened(db_path) as conn:
        [(count,)] = conn.execute(
            "SELECT count(*) FROM cards c LEFT JOIN html_cache h ON h.card_id = c.id"
            " WHERE h.content_hash IS NOT c.content_hash"
        )
    return int(count)


def test_bad_requests_are_clear_and_leave_no_file(db_path, notes, tmp_path, now):
    import_into(db_path, notes, now)
    with pytest.raises(DeckNotFoundError):
        export_anki(db_path, tmp_path / "x.apkg", now, deck="Physics")
    with pytest.raises(ExportError, match="has no cards tagged 'nothing'"):
        export_anki(db_path, tmp_path / "x.apkg", now, tag="nothing")
    existing = tmp_path / "old.apkg"
    existing.write_bytes(b"keep me")
    with pytest.raises(ExportError, match="already exists; use --force"):
        export_anki(db_path, existing, now)
    assert existing.read_bytes() == b"keep me"
    export_anki(db_path, existing, now, force=True)
    assert existing.read_bytes() != b"keep me"
    with pytest.raises(ExportError, match=r"folder .* does not exist"):
        export_anki(db_path, tmp_path / "missing" / "x.apkg", now)
    with pytest.raises(ExportError, match="is a folder"):
        export_anki(db_path, tmp_path, now)
    assert not list(tmp_path.glob("**/*.part")) and not (tmp_path / "x.apkg").exists()


def test_a_write_that_fails_midway_leaves_nothing_behind(
    db_path, notes, tmp_path, now, monkeypatch
):
    import studycards.export.archive as archive

    import_into(db_path, notes, now)

    def disk_full(block):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive, "_deflate", disk_full)  # the zip's header is written by then
    out = tmp_path / "x.apkg"
    with pytest.raises(ExportError, match="No space left on device"):
        export_anki(db_path, out, now)
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


def test_with_media_packs_only_images_inside_the_question_folder(db_path, tmp_path, now):
    folder = tmp_path / "notes"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "cell.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret")
    (folder / "img" / "link.png").symlink_to(tmp_path / "secret.png")
    (folder / "card.md").write_text(
        "---\nquestion: Pictures?\nanswer: >-\n"
        "    ![cell](img/cell.png) ![up](../secret.png) ![abs](/etc/passwd)"
        " ![web](https://example.org/a.png) ![link](img/link.png)\n---\n"
    )
    import_into(db_path, folder, now, deck="Pictures")
    out = tmp_path / "media.apkg"
    summary = export_anki(db_path, out, now, with_media=True)
    assert summary.media == 1
    warnings = "\n".join(summary.warnings)
    for bad in ("../secret.png", "/etc/passwd", "https://example.org/a.png", "img/link.png"):
        assert bad in warnings
    assert all("card #" in warning and "card.md" in warning for warning in summary.warnings)
    with anki_collection(tmp_path) as col:
        anki_import(col, out)
        [note] = [col.get_note(n) for n in col.find_notes("")]
        assert 'src="0000-cell.png"' in note["Answer"]
        assert (Path(col.media.dir()) / "0000-cell.png").read_bytes() == b"\x89PNG fake"
        assert not (Path(col.media.dir()) / "secret.png").exists()


def test_a_busy_collection_only_costs_the_cache(db_path, notes, tmp_path, now, monkeypatch):
    import sqlite3

    import studycards.collection.exporting as exporting

    import_into(db_path, notes, now)

    def locked(conn, rendered):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(exporting, "cache_html", locked)
    summary = export_anki(db_path, tmp_path / "x.apkg", now)
    assert summary.notes == 7 and (tmp_path / "x.apkg").exists()
    assert summary.warnings == ["rendered HTML not cached (database is locked); the export is fine"]


def test_notes_and_cards_are_the_rows_genanki_writes(tmp_path, now):
    """The writer builds each note's rows itself: they are those genanki's own Note writes,
    with the same ids, a card only for a note with a Question."""
    notes = [
        AnkiNote(key="id:1", deck="A::B", question="<p>Q?</p>", answer="<p>A</p>",
                 source="q.md", subject="Health Studies", related=("R <1>", "[sound:x]"),
                 tags=("cell", "studycards"), modified=now - timedelta(days=3)),
        AnkiNote(key="id:2", deck="A", question="", answer="<p>no question</p>", source="r.md",
                 subject="", related=(), tags=(), modified=now),
    ]  # fmt: skip
    writer = PackageWriter(tmp_path / "ours.apkg", now)
    for note in notes:
        writer.add(note)
    writer.write()
    with zipfile.ZipFile(tmp_path / "ours.apkg") as package:
        package.extract("collection.anki2", tmp_path)
    ours = sqlite3.connect(tmp_path / "collection.anki2")
    written = ours.execute("SELECT * FROM notes ORDER BY id").fetchall()

    theirs = sqlite3.connect(":memory:").cursor()
    ids = itertools.count(int(now.timestamp() * 1000))
    genanki.Package([]).write_to_db(theirs, now.timestamp(), ids)
    for note, row in zip(notes, written, strict=True):
        subject = [tag_name(note.subject)] if note.subject else []
        genanki.Note(
            model=MODEL,
            fields=row[6].split("\x1f"),
            tags=list(dict.fromkeys([*note.tags, STUDYCARDS_TAG, *subject])),
            guid=note_guid(note.key),
        ).write_to_db(theirs, note.modified.timestamp(), deck_id(note.deck), ids)
    for table in ("notes", "cards"):
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert ours.execute(sql).fetchall() == theirs.execute(sql).fetchall()
    assert len(ours.execute("SELECT * FROM cards").fetchall()) == 1
    ours.close()
