"""`--with-media` packs images whose names hold spaces or non-ASCII (Markdown percent-encodes
them in the HTML), under the plain name Anki looks them up by: proven in Anki's own engine."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from studycards.collection.exporting import export_anki
from tests.export.test_anki import anki_collection, anki_import, import_into

NFD_CAFE = unicodedata.normalize("NFD", "café")  # as macOS spells names on disk


def test_images_with_spaces_and_non_ascii_names_are_packed_under_their_names(
    db_path, tmp_path, now
):
    folder = tmp_path / "notes"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "my cell.png").write_bytes(b"\x89PNG spaces")
    (folder / "img" / "Zelle über.png").write_bytes(b"\x89PNG umlaut")
    (folder / "img" / f"{NFD_CAFE}.png").write_bytes(b"\x89PNG decomposed")
    (folder / "card.md").write_text(
        "---\nquestion: Pictures?\nanswer: >-\n"
        f"    ![a](<img/my cell.png>) ![b](img/Zelle%20über.png) ![c](img/{NFD_CAFE}.png)\n---\n"
    )
    import_into(db_path, folder, now, deck="Pictures")
    out = tmp_path / "media.apkg"
    summary = export_anki(db_path, out, now, with_media=True)
    assert (summary.media, summary.warnings) == (3, [])
    packed = {"0000-my cell.png": b"spaces", "0001-Zelle über.png": b"umlaut"}
    packed["0002-café.png"] = b"decomposed"  # Anki stores names and note text in NFC
    with anki_collection(tmp_path) as col:
        anki_import(col, out)
        [note] = [col.get_note(n) for n in col.find_notes("")]
        for name, content in packed.items():
            assert f'src="{name}"' in note["Answer"]
            assert (Path(col.media.dir()) / name).read_bytes() == b"\x89PNG " + content
        check = col.media.check()
        assert (list(check.missing), list(check.unused)) == ([], [])
