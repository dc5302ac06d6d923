"""An article's context reaches Anki inside the frozen note type: its title as a quiet line
above a section's question, its lead (Markdown, escaped) below the answer."""

from __future__ import annotations

import sqlite3

from studycards.collection.exporting import export_anki
from studycards.export.anki import FIELDS
from tests.export.test_anki import anki_collection, anki_import, import_into

TITLE = "What’s The Difference? Chemotherapy And Immunotherapy"


def test_section_notes_carry_title_and_lead_q_and_a_notes_do_not(db_path, seeds, tmp_path, now):
    article = seeds / "chemotherapy-vs-immunotherapy.txt"
    text = article.read_text()
    lead = "It’s crucial for patients"
    article.write_text(text.replace(lead, f"**Nota:** <b>x</b> {lead}", 1))
    import_into(db_path, seeds, now)
    out = tmp_path / "medicine.apkg"
    export_anki(db_path, out, now)
    with anki_collection(tmp_path) as col:
        anki_import(col, out)
        notes = [col.get_note(note_id) for note_id in col.find_notes("")]
        section = next(n for n in notes if "What is immunotherapy?" in n["Question"])
        qa = next(n for n in notes if "primary goals" in n["Question"])
        assert [field["name"] for field in section.note_type()["flds"]] == list(FIELDS)
    assert section["Question"] == (
        f'<div class="context">{TITLE}</div>\n<p>What is immunotherapy?</p>'
    )
    answer, _, lead_html = section["Answer"].partition('\n<div class="lead">')
    assert "immune system" in answer
    assert lead_html.startswith("<p><strong>Nota:</strong> &lt;b&gt;x&lt;/b&gt; It’s crucial")
    assert lead_html.endswith("</p></div>")
    assert "context" not in qa["Question"] and "lead" not in qa["Answer"]


def test_a_title_the_question_already_starts_with_is_not_repeated(db_path, seeds, tmp_path, now):
    import_into(db_path, seeds, now)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE cards SET front = title || ' — Side effects' WHERE title != ''")
    conn.close()
    out = tmp_path / "x.apkg"
    export_anki(db_path, out, now)
    with anki_collection(tmp_path) as col:
        anki_import(col, out)
        notes = [col.get_note(note_id) for note_id in col.find_notes("")]
    sections = [n for n in notes if "Side effects" in n["Question"]]
    assert len(sections) == 4
    for note in sections:
        assert note["Question"] == f"<p>{TITLE} — Side effects</p>"
        assert '<div class="lead"><p>It’s crucial for patients' in note["Answer"]
