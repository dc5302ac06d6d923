"""An export to a name the file system refuses (too long for a file name) is one `error:` line
and exit status 1, never a traceback, whichever step meets the refusal: choosing the name
(`.apkg` added or not), checking it, or writing the package beside it."""

from __future__ import annotations

import os

import pytest

from studycards.collection.exporting import export_anki, output_exists, package_path
from studycards.errors import ExportError
from tests.test_cli import invoke

LONG = "a" * 300


@pytest.mark.parametrize(
    "name",
    [
        LONG,  # `.apkg` to be added: is it a folder?
        f"{LONG}.apkg",  # does it exist?
        f"{LONG}/deck.apkg",  # a folder named too long: is it a folder, does it exist?
        "a" * 250,  # 255 bytes with `.apkg`: fine, but not its temporary `.<name>.part`
        "長" * 90,  # 270 bytes of UTF-8 in 90 characters
    ],
    ids=["bare", "apkg", "folder", "part", "cjk"],
)
def test_a_name_too_long_is_one_error_line(name, db_path, seeds, now, tmp_path, monkeypatch):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    result = invoke(db_path, now, "export", "-o", name)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    [line] = result.output.splitlines()
    assert line.startswith("error: cannot write ") and line.endswith(": File name too long")
    assert list(out.iterdir()) == []  # no package, no `.part` left behind


def test_the_library_raises_export_errors_for_names_too_long(tmp_path):
    with pytest.raises(ExportError, match="File name too long"):
        package_path(tmp_path / LONG)
    with pytest.raises(ExportError, match="File name too long"):
        output_exists(tmp_path / f"{LONG}.apkg")
    assert output_exists(tmp_path / "absent.apkg") is False


def test_export_anki_raises_an_export_error(db_path, seeds, now, tmp_path):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    with pytest.raises(ExportError, match=r"^cannot write .*: File name too long$"):
        export_anki(db_path, tmp_path / LONG / "deck.apkg", now)


def test_a_link_or_a_device_as_the_output_is_refused_and_left_alone(db_path, tmp_path, now):
    from studycards.collection.importing import ImportTarget, import_sources

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "q.md").write_text("---\nquestion: Q?\nanswer: A.\n---\n")
    import_sources(db_path, [ImportTarget((notes,))], now)
    target = tmp_path / "precious.apkg"
    target.write_text("keep me")
    link = tmp_path / "link.apkg"
    link.symlink_to(target)
    fifo = tmp_path / "pipe.apkg"  # not a regular file, as a device is not
    os.mkfifo(fifo)
    for output in (link, fifo):
        with pytest.raises(ExportError, match="a link or a device"):
            export_anki(db_path, output, now, force=True)
    assert link.is_symlink() and target.read_text() == "keep me" and fifo.exists()
