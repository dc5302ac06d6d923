"""A record whose YAML escapes make Anki's field separator (0x1f), a NUL and terminal escapes:
its card text is clean, and the package holding it goes into Anki's own engine whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from studycards.collection.exporting import export_anki
from studycards.collection.importing import ImportTarget, import_sources
from tests.conftest import downgrade, rows
from tests.export.test_anki import anki_collection, anki_import

ESCAPES = (
    "---\nid: 77\n"
    'question: "Field\\x1fseparator\\0 and NUL?"\n'
    'answer: "Bell\\x07, escape\\e[31m red, CSI\\x9b2J, DEL\\x7f."\n'
    'subject: "Med\\x1ficine"\n'
    "---\n"
)


def test_escaped_controls_leave_clean_cards_that_anki_accepts(db_path, tmp_path: Path, now):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "escapes.md").write_text(ESCAPES)
    (folder / "plain.md").write_text("---\nquestion: Plain?\nanswer: Yes.\n---\n")
    summary = import_sources(db_path, [ImportTarget((folder,))], now)
    assert (summary.new, summary.failed) == (2, [])
    [(front, back, subject)] = rows(
        db_path, "SELECT front, back, subject FROM cards WHERE key = 'id:77'"
    )
    assert (front, subject) == ("Fieldseparator and NUL?", "Medicine")
    assert back == "Bell, escape[31m red, CSI2J, DEL."

    package = tmp_path / "controls.apkg"
    assert export_anki(db_path, package, now).notes == 2
    with anki_collection(tmp_path) as col:
        anki_import(col, package)
        assert col.note_count() == 2
        questions = {col.get_note(note_id)["Question"] for note_id in col.find_notes("")}
        assert "<p>Fieldseparator and NUL?</p>" in questions


def test_controls_stored_by_an_older_import_never_reach_anki(db_path, tmp_path: Path, now):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "plain.md").write_text("---\nquestion: Plain?\nanswer: Yes.\nsubject: Med\n---\n")
    import_sources(db_path, [ImportTarget((folder,))], now)
    conn = sqlite3.connect(db_path)  # as schema 4 could hold from imports before stripping
    with conn:
        conn.execute(
            "UPDATE cards SET front = ?, back = ?, subject = ?",
            ("Sep\x1fQ\x00?", "A\x1fB", "M\x1fed"),
        )
        downgrade(conn, 4)
    conn.close()
    package = tmp_path / "old.apkg"
    export_anki(db_path, package, now)
    with anki_collection(tmp_path) as col:
        anki_import(col, package)
        [note_id] = col.find_notes("")
        note = col.get_note(note_id)
        assert (note["Question"], note["Answer"], note["Subject"]) == (
            "<p>SepQ?</p>",  # migration 5 dropped the controls, NUL too
            "<p>AB</p>",
            "Med",
        )


def test_anki_commands_in_card_text_arrive_as_text(db_path, tmp_path: Path, now):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "av.md").write_text(
        "---\nquestion: 'What does [sound:../../x.mp3] do?'\n"
        "answer: 'It would play; [latex]x^2[/latex] and [$]y[/$] would typeset.'\n---\n"
    )
    import_sources(db_path, [ImportTarget((folder,))], now)
    package = tmp_path / "av.apkg"
    export_anki(db_path, package, now)
    with anki_collection(tmp_path) as col:
        anki_import(col, package)
        [card_id] = col.find_cards("")
        card = col.get_card(card_id)
        question, answer = card.question(), card.answer()
        # shown by the browser as the text "[sound:../../x.mp3]": an entity, not Anki's markup
        assert "&#91;sound:../../x.mp3]" in question and "[anki:play" not in question
        assert card.question_av_tags() == [] and card.answer_av_tags() == []
        assert "&#91;latex]x^2[/latex]" in answer and "&#91;$]y[/$]" in answer
