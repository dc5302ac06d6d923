from __future__ import annotations

from pathlib import Path

from studycards.sources.walk import walk_sources


def test_walk_recurses_keeps_question_files_and_notes_the_rest(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ["a/one.md", "a/b/two.markdown", "a/b/three.TXT", "a/pic.png", ".git/x.md"]:
        (tmp_path / name).write_text("x")
    missing = tmp_path / "nope"
    found = walk_sources([tmp_path, missing, tmp_path / "a" / "one.md"])
    assert found.files == [  # a folder's own files first, then its sub-folders; no repeats
        str(tmp_path / "a/one.md"),
        str(tmp_path / "a/b/three.TXT"),
        str(tmp_path / "a/b/two.markdown"),
    ]
    assert found.skipped == [tmp_path / "a/pic.png"]
    assert found.missing == [missing]
    assert found.folders == [tmp_path]
