"""`import --prune` never deletes history silently: an empty source folder or a deck losing most
of its cards waits for `--yes`, and every message says how many cards and reviews go."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from studycards.cli.main import app
from studycards.model import Grade
from studycards.store.db import engine
from studycards.store.reviews import answer_card
from tests.conftest import rows

RECORD = "---\nquestion: Question {n}?\nanswer: Answer {n}.\n---\n"


def invoke(db_path: Path, now, *args: str):
    return CliRunner().invoke(
        app, ["--collection", str(db_path), "import", *args], obj={"clock": lambda: now}
    )


def said(text: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(text.split())


def counts(db_path: Path) -> tuple[int, int]:
    [(cards, reviews)] = rows(
        db_path, "SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM reviews)"
    )
    return cards, reviews


@pytest.fixture
def notes(db_path: Path, tmp_path: Path, now) -> Path:
    """Four one-card files in deck Notes; the first two cards answered once each."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for n in range(4):
        (folder / f"q{n}.md").write_text(RECORD.format(n=n))
    assert invoke(db_path, now, str(folder), "--deck", "Notes").exit_code == 0
    with Session(engine(db_path)) as session, session.begin():
        for card_id in (1, 2):
            answer_card(session, card_id, Grade.GOOD, now, 3000)
    assert counts(db_path) == (4, 2)
    return folder


def test_prune_of_a_folder_now_empty_waits_for_yes(db_path, notes, now):
    for file in notes.iterdir():
        file.unlink()
    result = invoke(db_path, now, str(notes), "--deck", "Notes", "--prune")
    assert result.exit_code == 1
    assert f"not pruned: {notes} holds no question files" in said(result.stderr)
    assert "--prune --yes to delete 4 cards and 2 reviews" in said(result.stderr)
    assert "4 cards no longer in their source (kept: --prune waits for --yes)" in said(
        result.stdout
    )
    assert counts(db_path) == (4, 2)

    result = invoke(db_path, now, str(notes), "--deck", "Notes", "--prune", "--yes")
    assert result.exit_code == 0, result.output
    deleted = "4 cards no longer in their source (deleted, with their 2 reviews)"
    assert deleted in said(result.stdout)
    assert counts(db_path) == (0, 0)
    assert rows(db_path, "SELECT count(*) FROM sources") == [(0,)]


def test_prune_taking_most_of_a_deck_waits_for_yes(db_path, notes, now):
    for n in range(3):
        (notes / f"q{n}.md").unlink()
    result = invoke(db_path, now, str(notes), "--deck", "Notes", "--prune")
    assert result.exit_code == 1
    assert "not pruned: deck Notes would lose 3 of its 4 cards" in said(result.stderr)
    assert "to delete 3 cards and 2 reviews" in said(result.stderr)
    assert counts(db_path) == (4, 2)


def test_prune_of_half_a_deck_or_less_goes_ahead_and_says_what_it_deleted(db_path, notes, now):
    for n in (1, 2):
        (notes / f"q{n}.md").unlink()
    result = invoke(db_path, now, str(notes), "--deck", "Notes")
    assert result.exit_code == 0
    kept = "2 cards no longer in their source (kept; --prune deletes 2 cards and 1 review)"
    assert kept in said(result.stdout)
    assert "not pruned" not in result.stderr and "--yes" not in result.stderr
    assert counts(db_path) == (4, 2)

    result = invoke(db_path, now, str(notes), "--deck", "Notes", "--prune")
    assert result.exit_code == 0, result.output
    deleted = "2 cards no longer in their source (deleted, with their 1 review)"
    assert deleted in said(result.stdout)
    assert counts(db_path) == (2, 1)


def test_import_help_shows_yes():
    result = CliRunner().invoke(app, ["import", "--help"])
    assert "--yes" in result.stdout and "--prune" in result.stdout


def test_an_empty_source_folder_holds_the_prune_even_of_a_few_cards(db_path, notes, now):
    other = notes.parent / "other"
    other.mkdir()
    (other / "extra.md").write_text(RECORD.format(n=9))
    assert invoke(db_path, now, str(notes), str(other), "--deck", "Notes").exit_code == 0
    (other / "extra.md").unlink()
    result = invoke(db_path, now, str(notes), str(other), "--deck", "Notes", "--prune")
    assert result.exit_code == 1
    assert said(result.stderr).startswith(f"not pruned: {other} holds no question files")
    assert "would lose" not in result.stderr  # 1 of its 5 cards: only the empty folder doubts
    assert counts(db_path) == (5, 2)


def test_yes_without_prune_is_refused(db_path, notes, now):
    result = invoke(db_path, now, str(notes), "--yes")
    assert result.exit_code == 1 and "--yes confirms a prune" in said(result.stderr)
