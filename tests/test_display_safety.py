"""Text from files is data in the CLI: never Rich markup, never a terminal control sequence.

Hostile text is written straight into the collection, as an old collection may hold it (the
importer strips control characters now), and through files where the CLI names them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studycards.cli.main import app
from studycards.text import clipped, printable

runner = CliRunner()

MARKUP = "{{[/L|/list]}} [//]: # [/i] [bold red]x[/bold red] [@click=app.quit]q[/] :smile:"
CONTROL = (
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\"
    " \x1b]52;c;aGk=\x07 \rback \x9b2J\x7f"
)
CONTROLS = ("\x1b", "\x07", "\r", "\x9b", "\x7f")
DECK = "Tags [/i] deck"
FRONT = "\x1b]52;c;Zg==\x07\r{{[/L|/list]}} [bold red]x[/bold red] [@click=app.quit]q[/]"


def invoke(db_path: Path, now, *args: str):
    return runner.invoke(
        app,
        ["--collection", str(db_path), *args],
        obj={"clock": lambda: now},
        env={"COLUMNS": "300"},  # wide enough that no table cell wraps
    )


def poison(db_path: Path) -> None:
    """Every card's text, article title and lead, the deck's name, tags and related titles
    turned hostile."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE decks SET name = ?", (DECK,))
        conn.execute(
            "UPDATE cards SET front = ?, back = ?, context = ?, tags = ?, related = ?, title = ?",
            (
                FRONT,
                f"{MARKUP}\n\n{CONTROL}",
                f"lead [@click=app.quit]quit[/] {CONTROL}",
                "[/i] [bold]t[/bold]",
                json.dumps([["1", f"[/i] {MARKUP}"]]),
                f"[/i] [b]Title[/b] [@click=app.quit]t[/] {CONTROL}",
            ),
        )
    conn.close()


@pytest.fixture
def hostile(db_path: Path, seeds: Path, now) -> Path:
    assert invoke(db_path, now, "import", str(seeds), "--deck", "Oncology").exit_code == 0
    poison(db_path)
    return db_path


def assert_shown_literally(output: str, *texts: str) -> None:
    for text in texts:
        assert text in output, (text, output)
    for control in CONTROLS:
        assert control not in output, repr(control)


def test_printable_drops_controls_but_newline_and_tab():
    assert printable(f"a\tb\n{CONTROL}") == (
        "a\tb\n[31mred[0m ]8;;https://evil.example/\\link]8;;\\ ]52;c;aGk= back 2J"
    )
    assert printable("plain [text] — ünïcode") == "plain [text] — ünïcode"


def test_clipped_keeps_whole_lines_up_to_both_limits():
    assert clipped("a\nb\nc", 5, 100) == ("a\nb\nc", None)
    assert clipped("a\nb\nc", 2, 100) == ("a\nb", 2)
    assert clipped("a\nb\n", 2, 100) == ("a\nb\n", None)  # only a line end left out
    assert clipped("abcdef\ng", 5, 3) == ("abc", 1)


def test_cards_and_decks_show_hostile_text_literally(hostile: Path, now):
    cards = invoke(hostile, now, "cards")
    assert cards.exit_code == 0, cards.output
    shown = "]52;c;Zg=={{[/L|/list]}} [bold red]x[/bold red] [@click=app.quit]q[/]"
    assert_shown_literally(cards.output, DECK, shown)  # what is left of ESC ] shows, harmlessly

    decks = invoke(hostile, now, "decks")
    assert decks.exit_code == 0, decks.output
    assert_shown_literally(decks.output, DECK)


def test_error_lines_show_names_literally(hostile: Path, now):
    result = invoke(
        hostile, now, "cards", "--deck", "[/i] [bold red]x[/bold red]\x1b]52;c;aGk=\x07"
    )
    assert result.exit_code == 1
    assert_shown_literally(result.output, "error: no deck named", "[/i] [bold red]x[/bold red]")
    assert "Traceback" not in result.output


def test_import_messages_show_paths_and_text_literally(db_path: Path, tmp_path: Path, now):
    folder = tmp_path / "[bold red]notes"  # a name holds no `/`: no closing tag
    folder.mkdir()
    (folder / "[i]empty.md").write_text("")
    (folder / "[red]picture.png").write_bytes(b"png")
    card = folder / "card.md"
    card.write_text("---\nid: 1\nquestion: '[/i] [bold red]q[/bold red]'\nanswer: a\n---\n")
    result = invoke(db_path, now, "import", str(folder))
    assert result.exit_code == 1
    assert_shown_literally(
        result.output,
        "failed:",
        "[bold red]notes/[i]empty.md",
        "skipped",
        "[red]picture.png",
    )
    card.write_text("---\nid: 2\nquestion: other\nanswer: a\n---\n")  # card 1 is now stale
    result = invoke(db_path, now, "import", str(folder))
    assert_shown_literally(result.output, "[/i] [bold red]q[/bold red]")


def test_export_warnings_show_text_literally(db_path: Path, tmp_path: Path, now):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "[bold]card.md").write_text(
        "---\nquestion: q\nanswer: '![x](https://e.example/y.png)'\n---\n"
    )
    invoke(db_path, now, "import", str(folder))
    result = invoke(db_path, now, "export", "--with-media", "-o", str(tmp_path / "[red]x.apkg"))
    assert result.exit_code == 0, result.output
    assert_shown_literally(result.output, "card #1 ([bold]card.md): image", "[red]x.apkg")


def test_a_failed_tui_exits_non_zero(hostile: Path, now, monkeypatch):
    from studycards.tui.app import StudyApp

    monkeypatch.setattr(StudyApp, "run", lambda self: None)
    monkeypatch.setattr(StudyApp, "return_code", property(lambda self: 1))
    assert invoke(hostile, now, "review").exit_code == 1
