"""Issue 9's CLI findings, each as a new user met it: collection paths, reads of a missing
collection, empty imports, summary wording, help and version, deck names, export names, tags,
and presets keeping their files."""

from __future__ import annotations

import sqlite3
from importlib.metadata import version
from pathlib import Path

import pytest

from studycards.cli.main import app
from studycards.errors import DeckNotFoundError
from studycards.store.decks import match_deck
from tests.conftest import REPO, rows
from tests.test_cli import invoke, runner

COMMANDS = [["decks"], ["cards"], ["export", "-o", "out.apkg"], ["review"], []]


@pytest.fixture
def no_tui(monkeypatch) -> list[str | None]:
    """The decks the review TUI would have opened on (it never takes over the terminal)."""
    from studycards.tui.app import StudyApp

    opened: list[str | None] = []
    monkeypatch.setattr(StudyApp, "run", lambda self: opened.append(self.deck))
    return opened


def decks_of_cards(db_path: Path) -> dict[str, int]:
    """Every deck in the collection with the cards it holds itself."""
    sql = "SELECT d.name, count(c.id) FROM decks d LEFT JOIN cards c ON c.deck_id = d.id GROUP BY 1"
    return dict(rows(db_path, sql))


@pytest.mark.parametrize(
    "where", ["folder", "under a file", "under a file, deeper", "impossible place"]
)
def test_a_collection_path_that_cannot_be_one_is_one_line_for_every_command(
    where, tmp_path, seeds, now, monkeypatch, no_tui
):
    (tmp_path / "a-file").write_text("not a folder")
    collection = {
        "folder": tmp_path,
        "under a file": tmp_path / "a-file" / "c.sqlite",
        "under a file, deeper": tmp_path / "a-file" / "sub" / "c.sqlite",
        "impossible place": Path("/proc/studycards-test/c.sqlite"),
    }[where]
    monkeypatch.chdir(tmp_path)
    for command in [["import", str(seeds)], *COMMANDS]:
        result = invoke(collection, now, *command)
        assert result.exit_code == 1, (command, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), command
        [line] = result.output.splitlines()
        assert line.startswith("error: ") and str(collection) in line, (command, line)
    assert no_tui == []


def test_reads_never_create_a_collection_or_its_folders(tmp_path, now, monkeypatch, no_tui):
    collection = tmp_path / "new" / "c.sqlite"
    monkeypatch.chdir(tmp_path)
    for command in COMMANDS:
        result = invoke(collection, now, *command)
        assert result.exit_code == 1, command
        assert result.output == (
            f"error: no collection yet at {collection}: run `studycards import PATH`"
            " (or `studycards import` with deck presets) first\n"
        )
    assert not (tmp_path / "new").exists() and not (tmp_path / "out.apkg").exists()
    assert no_tui == []


def test_importing_no_question_files_says_so_and_fails(db_path, tmp_path, now, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no presets here
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(db_path, now, "import", str(empty))
    assert result.exit_code == 1
    assert result.output == f"error: no question files found in {empty} (.md, .markdown or .txt)\n"
    (empty / "picture.png").write_bytes(b"\x89PNG")
    result = invoke(db_path, now, "import", str(empty))
    assert result.exit_code == 1 and "(.md, .markdown or .txt; 1 other file skipped)" in (
        result.output
    )


def test_the_import_summary_counts_failed_files_not_cards(db_path, seeds, now):
    (seeds / "bad.md").write_text("---\nquestion: [\n---\n")
    result = invoke(db_path, now, "import", str(seeds))
    assert result.exit_code == 1
    assert "cards: 6 new, 0 updated, 0 unchanged; 1 file failed" in result.output
    (seeds / "worse.md").write_text("")
    result = invoke(db_path, now, "import", str(seeds))
    assert "cards: 0 new, 0 updated, 6 unchanged; 2 files failed" in result.output
    clean = invoke(db_path, now, "import", str(seeds / "leukemia-induction-phase.md"))
    assert clean.exit_code == 0 and "failed" not in clean.output


def test_help_shows_flags_as_flags_and_version_prints_the_package_version():
    for command in [[], ["import"], ["decks"], ["cards"], ["export"], ["review"]]:
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "<bool>" not in result.output, command
    export = runner.invoke(app, ["export", "--help"])
    assert "  --force  " in export.output and "  --with-media  " in export.output
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"studycards {version('studycards')}\n"


def test_version_from_a_source_tree_that_was_never_installed(monkeypatch):
    import importlib.metadata

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == "studycards (not installed: version unknown)\n"


def test_deck_names_match_ignoring_case_and_an_unknown_one_lists_the_decks(
    db_path, seeds, now, tmp_path, no_tui
):
    invoke(db_path, now, "import", str(seeds))  # decks Medicine and notes
    assert "primary goals" in invoke(db_path, now, "cards", "--deck", "medicine").output
    out = tmp_path / "m.apkg"
    exported = invoke(db_path, now, "export", "--deck", "MEDICINE", "-o", str(out))
    assert exported.exit_code == 0 and "Exported 2 notes in 1 deck to" in exported.output
    assert invoke(db_path, now, "review", "--deck", "medicine").exit_code == 0
    assert no_tui == ["Medicine"]  # the TUI gets the collection's own spelling
    result = invoke(db_path, now, "cards", "--deck", "Nope")
    assert result.exit_code == 1
    assert result.output == (
        "error: no deck named 'Nope' in this collection; its decks: Medicine, notes\n"
    )


def test_deck_names_in_an_error_are_never_markup(db_path, seeds, now):
    invoke(db_path, now, "import", str(seeds), "--deck", "Tags [/i] deck")
    result = invoke(db_path, now, "cards", "--deck", "[bold]x")
    assert result.exit_code == 1
    assert result.output == (
        "error: no deck named '[bold]x' in this collection; its decks: Tags [/i] deck\n"
    )


def test_two_decks_differing_only_in_case_need_the_exact_name():
    names = ["Bio", "BIO", "Bio::Cells"]
    assert match_deck("BIO", names) == "BIO"
    assert match_deck("bio::cells", names) == "Bio::Cells"
    with pytest.raises(DeckNotFoundError, match="'bio' is ambiguous: it could be 'BIO', 'Bio'"):
        match_deck("bio", names)
    with pytest.raises(DeckNotFoundError, match="the collection has no decks yet"):
        match_deck("bio", [])
    many = [f"Deck {n:02d}" for n in range(25)]
    with pytest.raises(DeckNotFoundError, match=r"Deck 19 and 5 more \(`studycards decks`"):
        match_deck("x", many)


def test_export_adds_the_apkg_suffix_anki_needs(db_path, seeds, now, tmp_path):
    invoke(db_path, now, "import", str(seeds))
    plain = invoke(db_path, now, "export", "-o", str(tmp_path / "anki"))
    assert plain.exit_code == 0 and f"to {tmp_path / 'anki.apkg'} (" in plain.output
    assert (tmp_path / "anki.apkg").is_file() and not (tmp_path / "anki").exists()
    again = invoke(db_path, now, "export", "-o", str(tmp_path / "anki"))
    assert again.exit_code == 1 and "anki.apkg already exists" in again.output
    dotted = invoke(db_path, now, "export", "-o", str(tmp_path / "anki.v2"))
    assert dotted.exit_code == 0 and (tmp_path / "anki.v2.apkg").is_file()
    upper = invoke(db_path, now, "export", "-o", str(tmp_path / "UP.APKG"))
    assert upper.exit_code == 0 and (tmp_path / "UP.APKG").is_file()


def test_summaries_say_one_note_one_deck_one_file(db_path, seeds, now, tmp_path):
    (seeds / "picture.png").write_bytes(b"\x89PNG")
    imported = invoke(db_path, now, "import", str(seeds), "--deck", "Solo")
    assert "(skipped), 1 not question file\n" in imported.output
    one = invoke(
        db_path, now, "export", "--tag", "induction phase", "-o", str(tmp_path / "one.apkg")
    )
    assert one.exit_code == 0 and "Exported 1 note in 1 deck to" in one.output
    (seeds / "leukemia-induction-phase.md").write_text(
        "---\nquestion: Only this?\nanswer: Yes.\n---\n"
    )
    stale = invoke(db_path, now, "import", str(seeds), "--deck", "Solo")
    assert "1 card no longer in its source" in stale.output


def test_a_tag_with_spaces_matches_the_stored_tag(db_path, seeds, now, tmp_path):
    invoke(db_path, now, "import", str(seeds))  # keywords such as "treatment strategy"
    assert ("treatment_strategy",) in [
        (tag,) for (tags,) in rows(db_path, "SELECT tags FROM cards") for tag in tags.split()
    ]
    for spelling in ["treatment strategy", "Treatment  Strategy", "treatment_strategy"]:
        out = tmp_path / f"{spelling}.apkg"
        result = invoke(db_path, now, "export", "--tag", spelling, "-o", str(out))
        assert result.exit_code == 0 and "Exported 1 note in 1 deck" in result.output, spelling


def test_importing_a_preset_source_by_path_keeps_the_preset_deck(db_path, now, monkeypatch):
    monkeypatch.chdir(REPO)  # decks/oncology.toml: sources = ["../data"]
    assert invoke(db_path, now, "import").exit_code == 0  # the demo
    again = invoke(db_path, now, "import", "data")
    assert again.exit_code == 0 and "0 new, 0 updated, 6 unchanged" in again.output
    one = invoke(db_path, now, "import", str(REPO / "data" / "chemotherapy-goals.md"))
    assert one.exit_code == 0
    assert decks_of_cards(db_path) == {"Oncology": 6}  # no `Medicine` or `data`, none empty


def test_presets_cover_files_under_any_path_imported(db_path, tmp_path, now, monkeypatch):
    project = tmp_path / "project"
    medicine, other = project / "notes" / "medicine", project / "notes" / "other"
    medicine.mkdir(parents=True)
    other.mkdir()
    (medicine / "a.md").write_text("---\nquestion: A?\nanswer: a\n---\n")
    (other / "b.md").write_text("---\nquestion: B?\nanswer: b\n---\n")
    (project / "decks").mkdir()
    (project / "decks" / "med.toml").write_text(
        'name = "Med::Core"\nnew_per_day = 7\nsources = ["../notes/medicine"]\n'
    )
    monkeypatch.chdir(project)
    assert invoke(db_path, now, "import", "notes").exit_code == 0  # a folder above the source
    assert decks_of_cards(db_path) == {"Med": 0, "Med::Core": 1, "other": 1}
    assert rows(db_path, "SELECT new_per_day FROM decks WHERE name = 'Med::Core'") == [(7,)]
    assert invoke(db_path, now, "import", "notes", "--deck", "Mine").exit_code == 0
    assert decks_of_cards(db_path) == {"Mine": 2}  # --deck wins; the emptied decks went
    monkeypatch.chdir(tmp_path)  # the presets, found by --presets and $STUDYCARDS_DECKS
    by_flag = invoke(db_path, now, "import", str(project / "notes"), "--presets", "project/decks")
    assert by_flag.exit_code == 0
    assert decks_of_cards(db_path) == {"Med": 0, "Med::Core": 1, "other": 1}
    env = {"STUDYCARDS_DECKS": str(project / "decks")}
    assert invoke(db_path, now, "import", str(medicine / "a.md"), env=env).exit_code == 0
    assert decks_of_cards(db_path) == {"Med": 0, "Med::Core": 1, "other": 1}


def test_decks_emptied_by_moves_go_but_preset_decks_stay(db_path, seeds, now, tmp_path):
    from studycards.collection.importing import ImportTarget, import_sources
    from studycards.model import DeckSettings

    invoke(db_path, now, "import", str(seeds), "--deck", "Old::Deep")
    invoke(db_path, now, "import", str(seeds))
    assert decks_of_cards(db_path) == {"Medicine": 2, "notes": 4}
    empty = tmp_path / "empty"
    empty.mkdir()
    target = ImportTarget((empty,), "Kept::Preset", DeckSettings("Kept::Preset"))
    import_sources(db_path, [target], now)  # a preset with no cards yet keeps its deck (and parent)
    assert decks_of_cards(db_path) == {"Kept": 0, "Kept::Preset": 0, "Medicine": 2, "notes": 4}
    invoke(db_path, now, "import", str(seeds), "--deck", "Medicine")
    assert decks_of_cards(db_path) == {"Medicine": 6}


def test_removing_empty_decks_never_deletes_one_that_holds_cards(db_path, seeds, now):
    from studycards.store.decks import remove_empty_decks

    invoke(db_path, now, "import", str(seeds))
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO decks (name, new_per_day, reviews_per_day, learning_steps,"
                 " rollover_hour) SELECT 'Spare', new_per_day, reviews_per_day, learning_steps,"
                 " rollover_hour FROM decks LIMIT 1")  # fmt: skip
    conn.commit()
    assert remove_empty_decks(conn) == ["Spare"]
    assert remove_empty_decks(conn) == []
    conn.close()
    assert decks_of_cards(db_path) == {"Medicine": 2, "notes": 4}


def test_the_collection_remembers_its_presets_for_imports_run_elsewhere(
    db_path, tmp_path, now, monkeypatch
):
    monkeypatch.chdir(REPO)
    assert invoke(db_path, now, "import").exit_code == 0  # the demo, with ./decks at hand
    monkeypatch.chdir(tmp_path)  # no decks/ here
    one = invoke(db_path, now, "import", str(REPO / "data" / "chemotherapy-goals.md"))
    assert one.exit_code == 0 and "1 unchanged" in one.output
    again = invoke(db_path, now, "import")  # the remembered sources
    assert again.exit_code == 0 and "0 new, 0 updated, 6 unchanged" in again.output
    assert decks_of_cards(db_path) == {"Oncology": 6}
