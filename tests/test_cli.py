"""The real CLI through its entry point (typer's CliRunner, and one real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studycards.cli.main import app
from tests.conftest import REPO

runner = CliRunner()


def invoke(
    db_path: Path, now, *args: str, env: dict[str, str] | None = None, input: str | None = None
):
    return runner.invoke(
        app,
        ["--collection", str(db_path), *args],
        obj={"clock": lambda: now},
        env=env,
        input=input,
    )


def test_every_command_has_help():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = ["import", "decks", "cards", "review", "export"]
    for command in commands:
        assert command in result.output
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0 and "Usage" in sub.output, command


def test_import_then_reimport_then_decks_and_cards(db_path, seeds, now):
    first = invoke(db_path, now, "import", str(seeds))
    assert first.exit_code == 0, first.output
    assert "6 new, 0 updated, 0 unchanged" in first.output
    again = invoke(db_path, now, "import", str(seeds))
    assert "0 new, 0 updated, 6 unchanged" in again.output
    assert "3 unchanged (skipped)" in again.output

    decks = invoke(db_path, now, "decks")
    assert decks.exit_code == 0
    lines = [line for line in decks.output.splitlines() if "Medicine" in line or "notes" in line]
    assert [[cell for cell in line.split() if cell not in "│┃"] for line in lines] == [
        ["Medicine", "2", "2", "0", "0", "SM-2"],
        ["notes", "4", "4", "0", "0", "SM-2"],
    ]
    cards = invoke(db_path, now, "cards", "--deck", "Medicine")
    assert cards.exit_code == 0
    assert "primary goals" in cards.output and "immunotherapy" not in cards.output


def test_import_with_no_path_uses_the_presets(db_path, now, monkeypatch):
    monkeypatch.chdir(REPO)
    result = invoke(db_path, now, "import")
    assert result.exit_code == 0, result.output
    assert "6 new" in result.output
    assert "Oncology" in invoke(db_path, now, "decks").output


def test_deck_option_wins_over_presets_and_subjects(db_path, seeds, now):
    invoke(db_path, now, "import", str(seeds), "--deck", "Exam::Week 1")
    output = invoke(db_path, now, "decks").output
    assert "Exam" in output and "Week 1" in output and "Medicine" not in output


def test_failures_are_listed_and_exit_non_zero(db_path, seeds, now):
    (seeds / "bad.md").write_text("---\nquestion: [\n---\n")
    (seeds / "picture.png").write_bytes(b"\x89PNG")
    result = invoke(db_path, now, "import", str(seeds))
    assert result.exit_code == 1
    assert f"{seeds / 'bad.md'}:3: malformed YAML" in result.output.replace("\n", "")
    assert "6 new" in result.output
    assert "picture.png" in result.output


def test_unknown_deck_and_missing_presets_are_clear_errors(
    db_path, seeds, tmp_path, now, monkeypatch
):
    invoke(db_path, now, "import", str(seeds))
    result = invoke(db_path, now, "cards", "--deck", "Nope")
    assert result.exit_code == 1 and "no deck named 'Nope'" in result.output
    monkeypatch.chdir(tmp_path)
    result = invoke(db_path, now, "import")
    assert result.exit_code == 1 and "nothing to import" in result.output


def test_newer_collection_is_refused_by_every_command(db_path, now):
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    for command in (["decks"], ["cards"], ["import", "data"]):
        result = invoke(db_path, now, *command)
        assert result.exit_code == 1
        assert "newer studycards" in result.output, command


def test_collection_from_the_environment(tmp_path, seeds, now):
    path = tmp_path / "from-env.sqlite"
    result = runner.invoke(
        app, ["import", str(seeds)], obj={"clock": lambda: now},
        env={"STUDYCARDS_COLLECTION": str(path)},
    )  # fmt: skip
    assert result.exit_code == 0 and path.exists()


@pytest.mark.parametrize("entry", [["-m", "studycards"]])
def test_python_dash_m_entry_point_and_lazy_imports(tmp_path, seeds, entry):
    env = {**os.environ, "STUDYCARDS_COLLECTION": str(tmp_path / "c.sqlite")}
    done = subprocess.run(
        [sys.executable, *entry, "import", str(seeds)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "6 new" in done.stdout
    # counting decks must not pay for SQLModel, the TUI or the importer
    probe = (
        "import sys; from studycards.cli.main import main\n"
        "try: main()\nexcept SystemExit: pass\n"
        "heavy = [m for m in ('sqlmodel', 'textual', 'yaml', 'frontmatter') if m in sys.modules]\n"
        "print('heavy:', heavy, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "decks"], env=env, capture_output=True, text=True
    )
    assert "heavy: []" in done.stderr, done.stderr


def test_review_opens_the_tui_on_the_same_collection(db_path, seeds, now, monkeypatch):
    from studycards.tui.app import StudyApp

    opened: list[tuple[Path, str | None]] = []
    monkeypatch.setattr(StudyApp, "run", lambda self: opened.append((self.db_path, self.deck)))
    invoke(db_path, now, "import", str(seeds))
    assert invoke(db_path, now, "review", "--deck", "Medicine").exit_code == 0
    assert invoke(db_path, now).exit_code == 0  # no command: the deck list
    env_result = runner.invoke(
        app, [], obj={"clock": lambda: now}, env={"STUDYCARDS_COLLECTION": str(db_path)}
    )
    assert env_result.exit_code == 0
    assert opened == [(db_path, "Medicine"), (db_path, None), (db_path, None)]


def test_review_of_an_unknown_deck_fails_before_the_tui(db_path, seeds, now, monkeypatch):
    from studycards.tui.app import StudyApp

    monkeypatch.setattr(StudyApp, "run", lambda self: pytest.fail("the TUI opened"))
    invoke(db_path, now, "import", str(seeds))
    result = invoke(db_path, now, "review", "--deck", "Nope")
    assert result.exit_code == 1 and "no deck named 'Nope'" in result.output


def test_export_writes_a_package_and_refuses_to_overwrite(db_path, seeds, now, tmp_path):
    invoke(db_path, now, "import", str(seeds), "--deck", "Medicine::Oncology")
    out = tmp_path / "medicine.apkg"
    result = invoke(db_path, now, "export", "--deck", "Medicine", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Exported 6 notes in 2 decks" in result.output and "KB)" in result.output
    again = invoke(db_path, now, "export", "--deck", "Medicine", "-o", str(out))
    assert again.exit_code == 1 and "--force" in again.output
    forced = invoke(db_path, now, "export", "-o", str(out), "--force", "--tag", "chemotherapy")
    assert forced.exit_code == 0 and "Exported 2 notes" in forced.output
    missing = invoke(db_path, now, "export", "--deck", "Nope", "-o", str(tmp_path / "n.apkg"))
    assert missing.exit_code == 1 and "no deck named 'Nope'" in missing.output


def test_deck_options_take_loosely_spaced_names(db_path, seeds, now, tmp_path, monkeypatch):
    from studycards.tui.app import StudyApp

    opened: list[str | None] = []
    monkeypatch.setattr(StudyApp, "run", lambda self: opened.append(self.deck))
    invoke(db_path, now, "import", str(seeds), "--deck", "Medicine::Oncology")
    loose = " Medicine ::  Oncology "
    assert "primary goals" in invoke(db_path, now, "cards", "--deck", loose).output
    out = tmp_path / "oncology.apkg"
    exported = invoke(db_path, now, "export", "--deck", loose, "-o", str(out))
    assert exported.exit_code == 0 and "Exported 6 notes" in exported.output
    assert invoke(db_path, now, "review", "--deck", loose).exit_code == 0
    assert opened == ["Medicine::Oncology"]


def test_cards_search(db_path, seeds, now):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    found = invoke(db_path, now, "cards", "--search", '"what is" -leukemia')
    assert found.exit_code == 0, found.output
    assert "What is chemotherapy?" in found.output and "induction" not in found.output
    assert "ID" in found.output and "Due" in found.output  # the `cards` table
    in_deck = invoke(db_path, now, "cards", "--deck", "medicine", "-s", "goal")
    assert "primary goals" in in_deck.output and "What is chemotherapy?" not in in_deck.output
    assert invoke(db_path, now, "cards", "-s", "deck:Medicine zebra").output.strip() == "No cards."


def test_cards_search_says_what_is_wrong_in_one_line(db_path, seeds, now):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    result = invoke(db_path, now, "cards", "--search", 'deck:"M (tag:[red]x')
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "error: bad search, at character 6" in result.output
    assert "this quote is never closed" in result.output
    assert "[red]x" in result.output  # the query is text, not markup


def test_review_without_a_terminal_says_so_instead_of_spinning(db_path, seeds, now, monkeypatch):
    from tests.conftest import HAS_TERMINAL

    monkeypatch.setattr("studycards.cli.main.has_terminal", HAS_TERMINAL)
    invoke(db_path, now, "import", str(seeds))
    result = invoke(db_path, now, "review")
    assert result.exit_code == 1
    assert "the review TUI needs a terminal" in result.output
