"""A batch holding every hostile shape beside good files, through the importer and the CLI:
each hostile file is its own failure, the good ones go in, the summary prints, in seconds."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studycards.cli.main import app
from studycards.collection.importing import ImportTarget, import_sources
from tests.conftest import rows
from tests.sources.test_hostile import billion_laughs

GOOD = "---\nquestion: Good {n}?\nanswer: Yes {n}.\n---\n"
HOSTILE = {
    "nbsp.md": "---\nquestion: Spaces?\n---\n" + "\u00a0" * 40 + "x\n",  # goes in, at once
    "date.md": "---\nquestion: When?\nanswer: never\ndate: 2020-13-45\n---\n",
    "digits.md": "---\nquestion: How many?\nanswer: lots\nid: " + "7" * 4400 + "\n---\n",
    "laughs.md": billion_laughs(),
    "escapes.md": '---\nquestion: "Clean\\0?"\nanswer: "Sep\\x1farated\\e[2J"\n---\n',  # goes in
}
PROBLEMS = {
    "date.md": "is not a valid date",
    "digits.md": "a number of 4400 characters",
    "laughs.md": "aliases expand this value past",
    "pipe.md": "a named pipe (FIFO), not a question file",
    "zero.md": "a link to /dev/zero, outside",  # never opened
}


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    for n in range(10):
        (folder / f"good-{n}.md").write_text(GOOD.format(n=n))
    for name, source in HOSTILE.items():
        (folder / name).write_text(source)
    os.mkfifo(folder / "pipe.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    return folder


def test_every_hostile_file_is_its_own_failure_and_the_rest_go_in(db_path, batch, now):
    start = time.perf_counter()
    summary = import_sources(db_path, [ImportTarget((batch,))], now)
    assert time.perf_counter() - start < 3
    failed = {Path(error.path).name: error.problem for error in summary.failed}
    assert failed.keys() == PROBLEMS.keys()
    for name, problem in PROBLEMS.items():
        assert problem in failed[name]
    assert summary.new == 12
    fronts = dict(rows(db_path, "SELECT front, back FROM cards WHERE front NOT LIKE 'Good%'"))
    assert fronts == {"Spaces?": "x", "Clean?": "Separated[2J"}


def test_the_cli_prints_the_summary_and_each_failure(db_path, batch, now):
    result = CliRunner().invoke(
        app, ["--collection", str(db_path), "import", str(batch)], obj={"clock": lambda: now}
    )
    assert result.exit_code == 1
    assert "cards: 12 new" in result.stdout
    assert "Traceback" not in result.output
    for name in PROBLEMS:
        assert f"{name}" in result.stderr


def test_an_unexpected_parsing_error_fails_that_file_only(db_path, tmp_path, now, monkeypatch):
    import studycards.convert

    real = studycards.convert.convert

    def fragile(record, deck):
        if record.question.startswith("Bad"):
            raise RecursionError("maximum recursion depth exceeded " + "x" * 10_000)
        return real(record, deck)

    monkeypatch.setattr(studycards.convert, "convert", fragile)
    (tmp_path / "bad.md").write_text(GOOD.replace("Good", "Bad").format(n=1))
    (tmp_path / "good.md").write_text(GOOD.format(n=2))
    summary = import_sources(db_path, [ImportTarget((tmp_path,))], now)
    [error] = summary.failed
    assert error.path == tmp_path / "bad.md"
    assert error.problem.startswith("could not be parsed (RecursionError: maximum recursion")
    assert len(error.problem) < 300
    assert summary.new == 1


def test_undecodable_names_and_links_out_fail_alone_through_the_cli(db_path, tmp_path, now):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text("---\nquestion: Good?\nanswer: Yes.\n---\n")
    (notes / os.fsdecode(b"caf\xe9.md")).write_text("---\nquestion: Latin-1?\nanswer: Yes.\n---\n")
    (notes / "key.md").symlink_to(tmp_path / "id_rsa")
    (tmp_path / "id_rsa").write_text("PRIVATE KEY")
    (notes / "a").symlink_to(notes / "b")
    (notes / "b").symlink_to(notes / "a")
    result = CliRunner().invoke(
        app, ["-c", str(db_path), "import", str(notes)], obj={"clock": lambda: now}
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cards: 1 new" in result.stdout and "2 files failed" in result.stdout
    assert "not UTF-8" in result.stderr and "not followed" in result.stderr
    assert rows(db_path, "SELECT front FROM cards") == [("Good?",)]


def test_a_killed_parsing_process_stops_the_import_in_one_line(db_path, tmp_path, now, monkeypatch):
    import studycards.collection.importing as importer

    for n in range(300):  # enough for the process pool
        (tmp_path / f"q{n}.md").write_text(f"---\nquestion: Q{n}?\nanswer: A.\n---\n")
    monkeypatch.setattr(importer, "_parse_chunk", _killed)
    result = CliRunner().invoke(
        app, ["-c", str(db_path), "import", str(tmp_path)], obj={"clock": lambda: now}
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "a parsing process died" in result.stderr and "run again to finish" in result.stderr


def _killed(chunk: object) -> None:
    """A parsing worker's end when the out-of-memory killer takes it."""
    os._exit(9)
