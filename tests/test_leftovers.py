"""Leftovers of an attack: each test failed before its fix."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studycards.errors import SchemaError, SourceError
from studycards.sources.frontmatter import parse_document
from studycards.sources.records import QaRecord
from studycards.sources.text import decode_source
from studycards.store.db import connect
from studycards.store.migrations import MIGRATIONS
from tests.test_cli import invoke


def _foreign_database(path: Path) -> bytes:
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        raw.execute("INSERT INTO invoices (total) VALUES (12.5)")
    raw.close()
    return path.read_bytes()


def test_a_foreign_database_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "someone_elses.sqlite"
    before = _foreign_database(path)
    with pytest.raises(SchemaError, match=r"is not a studycards collection \(it holds other"):
        connect(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "someone_elses.sqlite-wal").exists()


def test_import_into_a_foreign_database_fails_without_writing(tmp_path: Path, seeds: Path, now):
    path = tmp_path / "someone_elses.sqlite"
    before = _foreign_database(path)
    result = invoke(path, now, "import", str(seeds))
    assert result.exit_code == 1
    assert "is not a studycards collection (it holds other tables)" in result.output
    assert path.read_bytes() == before


def test_an_empty_file_or_a_new_path_still_becomes_a_collection(tmp_path: Path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    for path in (empty, tmp_path / "new.sqlite"):
        conn = connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        conn.close()
        connect(path).close()  # and opens again


def _parse(data: bytes):
    path = Path("/notes/record.md")
    return parse_document(path, decode_source(path, data))


def test_numbers_are_text_the_user_wrote():
    record = _parse(b"---\nquestion: 3.14\nanswer: 42\nsubject: 2026\nid: 1.5\n---\n")
    assert isinstance(record, QaRecord)
    assert (record.question, record.answer, record.subject, record.id) == (
        "3.14",
        "42",
        "2026",
        "1.5",
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("true", "a true/false value"),
        ("[1, 2]", "a list"),
        ("{a: 1}", "a mapping"),
        ("2026-11-25 10:00:00", "a date and time"),
        ("!!binary aGk=", "a binary value"),
    ],
)
def test_values_still_refused_are_named_in_words(value: str, kind: str):
    with pytest.raises(SourceError, match=f"field `answer` must be text, not {kind}: "):
        _parse(f"---\nquestion: Q?\nanswer: {value}\n---\n".encode())


def test_front_matter_of_plain_text_is_named_in_words():
    with pytest.raises(SourceError, match=r"not text$"):
        _parse(b"---\njust a line\n---\nbody\n")


def test_a_refused_id_is_named_in_words():
    with pytest.raises(SourceError, match=r"`id` must be a number or text, not a list$"):
        _parse(b"---\nquestion: Q?\nanswer: A\nid: [1]\n---\n")


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")],
)
def test_utf16_and_utf32_files_are_named_not_called_binary(encoding: str, name: str):
    text = "---\nquestion: Q?\nanswer: A\n---\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    with pytest.raises(SourceError, match=f"{name} text: save the file as UTF-8"):
        _parse(data)


def _import_with_preset(tmp_path: Path, now, body: str):
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "bad.toml").write_text(body, encoding="utf-8")
    return invoke(tmp_path / "collection.sqlite", now, "import", "--presets", str(decks))


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            'learning_steps = "99999999999d"\nsources = ["."]\n',
            "learning step '99999999999d' is too long",
        ),
        (
            'learning_steps = "1m 4000d"\nsources = ["."]\n',
            "learning step 4000d is longer than 3650d",
        ),
        ('sources = ["a\\u0000b"]\n', "`sources` holds a path with a NUL character"),
    ],
)
def test_a_bad_preset_is_a_clear_error_not_a_traceback(tmp_path: Path, now, body, problem):
    result = _import_with_preset(tmp_path, now, body)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert problem in result.output
    assert "bad.toml" in result.output


def test_a_preset_name_loses_its_control_characters(tmp_path: Path, now):
    from studycards.sources.presets import load_preset

    path = tmp_path / "bio.toml"
    path.write_text('name = "Bio\\u001b[31m\\u0007logy\\tNotes"\nsources = ["."]\n')
    assert load_preset(path).settings.name == "Bio[31mlogy Notes"


def test_symlink_loops_in_a_preset_or_an_import_path_are_no_traceback(tmp_path: Path, now):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = _import_with_preset(tmp_path, now, 'sources = ["../loop"]\n')
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.output
    assert "loop: cannot be read" in result.output
    direct = invoke(tmp_path / "collection.sqlite", now, "import", str(tmp_path / "loop"))
    assert isinstance(direct.exception, SystemExit) and direct.exit_code == 1, direct.output
    assert "loop: cannot be read" in direct.output


@pytest.mark.parametrize("command", ["unsuspend", "unbury"])
def test_a_card_id_out_of_sqlite_range_is_an_unknown_id(db_path: Path, seeds: Path, now, command):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    for card_id in ("99999999999999999999", str(2**63), str(-(2**63) - 1)):
        result = invoke(db_path, now, command, "--", card_id)
        assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.output
        assert f"no card with id {card_id} in this collection" in result.output
    assert "no card with id 99 in this collection" in invoke(db_path, now, command, "99").output
