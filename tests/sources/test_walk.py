from __future__ import annotations

import os
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


def test_what_a_folder_cannot_hold_is_refused_with_its_reason(tmp_path):
    """Undecodable names, links leading out of the folder, link loops: refused, never fatal."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text("x")
    (notes / os.fsdecode(b"caf\xe9.md")).write_text("x")
    (notes / "secret.md").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "outside.txt").write_text("secret")
    (notes / "loop.md").symlink_to(notes / "loop.md")
    (notes / "a").symlink_to(notes / "b")
    (notes / "b").symlink_to(notes / "a")
    (notes / "inner.md").symlink_to(notes / "good.md")  # inside: the same file, once
    found = walk_sources([notes])
    assert found.files == [str(notes / "good.md")]
    refused = {path.name: why for path, why in found.refused}
    assert set(refused) == {"caf\ufffd.md", "loop.md", "secret.md"}
    assert "not UTF-8" in refused["caf\ufffd.md"]
    assert "outside" in refused["secret.md"] and "leads to no file" in refused["loop.md"]
