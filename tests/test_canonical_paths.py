"""One name per file: a folder reached through `..` or a symlink is the same folder, its files
the same files (no "already comes from" itself), and vanished files are found either way."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from studycards.cli.main import app
from studycards.collection.importing import ImportTarget, import_sources
from studycards.sources.walk import walk_sources
from tests.conftest import rows

RECORD = "---\nquestion: Question {n}?\nanswer: Answer {n}.\n---\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "deep").mkdir(parents=True)
    (tmp_path / "dir" / "sub").mkdir(parents=True)
    for n in range(3):
        (folder / f"q{n}.md").write_text(RECORD.format(n=n))
    (folder / "deep" / "q3.md").write_text(RECORD.format(n=3))
    (tmp_path / "link").symlink_to(folder)
    return folder


def spellings(corpus: Path) -> list[Path]:
    return [corpus.parent / "dir" / "sub" / ".." / ".." / "corpus", corpus.parent / "link"]


def test_the_walk_names_every_file_by_its_canonical_path(corpus):
    (corpus / "again.md").symlink_to(corpus / "q0.md")  # a second name for q0.md: listed once
    canonical = walk_sources([corpus]).files
    assert str(corpus / "q0.md") in canonical and len(canonical) == 4
    for spelling in spellings(corpus):
        found = walk_sources([spelling, spelling / "q1.md"])
        assert found.files == canonical
        assert found.folders == [corpus]


@pytest.mark.parametrize("index", [0, 1], ids=["dotdot", "symlink"])
def test_reimport_through_another_spelling_is_unchanged(db_path, corpus, now, index):
    import_sources(db_path, [ImportTarget((corpus,))], now)
    summary = import_sources(db_path, [ImportTarget((spellings(corpus)[index],))], now)
    assert summary.failed == []
    assert (summary.files_unchanged, summary.unchanged, summary.new) == (4, 4, 0)


def test_vanished_files_are_found_through_a_symlinked_folder(db_path, corpus, now):
    link = spellings(corpus)[1]
    import_sources(db_path, [ImportTarget((link,), "Notes")], now)
    (corpus / "deep" / "q3.md").unlink()
    summary = import_sources(db_path, [ImportTarget((link,), "Notes")], now, prune=True)
    assert [card.front for card in summary.stale] == ["Question 3?"]
    assert summary.pruned == 1
    assert rows(db_path, "SELECT count(*) FROM sources") == [(3,)]


def test_cli_import_through_dotdot_after_a_plain_import(db_path, corpus, now):
    runner = CliRunner()
    for path in [corpus, spellings(corpus)[0]]:
        result = runner.invoke(
            app, ["--collection", str(db_path), "import", str(path)], obj={"clock": lambda: now}
        )
        assert result.exit_code == 0, result.output
    assert "4 unchanged\n" in result.stdout and "failed" not in result.output
    assert rows(db_path, "SELECT DISTINCT source FROM cards ORDER BY 1")[0] == (
        str(corpus / "deep" / "q3.md"),
    )
