"""An export's scratch files (the package's database, then its zip) are hidden files beside the
output: every exit removes them, SIGTERM included, and one that a SIGKILL leaves behind goes
with the next export to that folder once it is a day old. Real exports, in processes of their
own, stopped mid-way (SIGSTOP, while they write notes into their scratch database) and then
signalled."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from studycards.collection.exporting import export_anki
from studycards.collection.importing import ImportTarget, import_sources
from tests.conftest import LOCAL
from tests.processes import FILES, LINUX, foreground_job, many_files

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LOCAL)
DAY_S = 24 * 3600

SIGNALLED = pytest.mark.skipif(not LINUX, reason="POSIX signals, timed on Linux")


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection big enough for its export to be caught mid-way (some 0.1 s of writing
    notes into the scratch database)."""
    root = tmp_path_factory.mktemp("big")
    db_path = root / "collection.sqlite"
    import_sources(db_path, [ImportTarget((many_files(root / "notes"),))], NOW)
    return db_path


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def forget_html(db_path: Path) -> None:
    """Empty the HTML cache: the next export renders every card."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("DELETE FROM html_cache")
    conn.close()


def hidden(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.name.startswith("."))


def export_command(db_path: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "studycards", "--collection", str(db_path), "export", "-o",
            str(output)]  # fmt: skip


def stopped_writing(process: subprocess.Popen[str], out: Path, collection: Path) -> None:
    """Stop the export (SIGSTOP) while it writes notes into its scratch database: once it has
    cached the HTML of some (it is past its setup, in the loop over the notes), not yet
    zipping, no package yet."""
    deadline = time.monotonic() + 10
    while not (cached(collection) and [path for path in hidden(out) if path.suffix == ".anki2"]):
        assert process.poll() is None, "the export ended before it was caught"
        assert time.monotonic() < deadline, "no notes written into a scratch database"
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGSTOP)
    assert [path.suffix for path in hidden(out)] == [".anki2"], "caught too late: zipping"
    assert not (out / "deck.apkg").exists()


def cached(collection: Path) -> int:
    """Cards whose rendered HTML the running export has cached so far."""
    conn = sqlite3.connect(collection)
    try:
        [(count,)] = conn.execute("SELECT count(*) FROM html_cache")
    finally:
        conn.close()
    return int(count)


@SIGNALLED
def test_a_killed_export_leaves_a_scratch_file_that_a_later_export_removes(collection, out):
    forget_html(collection)
    with foreground_job(*export_command(collection, out / "deck.apkg")) as process:
        stopped_writing(process, out, collection)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    [left] = hidden(out)
    assert re.fullmatch(r"\.deck\.apkg\.\w{8}\.anki2", left.name), left.name
    assert left.stat().st_size > 0 and not (out / "deck.apkg").exists()

    export_anki(collection, out / "deck.apkg", NOW)  # a young one may be an export's, running
    assert hidden(out) == [left]
    day_old = left.stat().st_mtime - DAY_S - 60
    os.utime(left, (day_old, day_old))
    export_anki(collection, out / "other.apkg", NOW)
    assert hidden(out) == []
    assert sorted(path.name for path in out.iterdir()) == ["deck.apkg", "other.apkg"]


@SIGNALLED
@pytest.mark.parametrize("to", ["the export", "its process group"])
def test_sigterm_ends_an_export_and_leaves_no_file(collection, out, to):
    forget_html(collection)
    with foreground_job(*export_command(collection, out / "deck.apkg")) as process:
        stopped_writing(process, out, collection)
        if to == "the export":
            os.kill(process.pid, signal.SIGTERM)  # `kill PID`
        else:
            os.killpg(process.pid, signal.SIGTERM)  # a service manager stopping it all
        os.kill(process.pid, signal.SIGCONT)  # the SIGTERM is handled as it resumes
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert stderr == ""
    assert list(out.iterdir()) == []


def test_two_big_exports_at_once_from_threads_leave_two_whole_packages(collection, out):
    """As the TUI exports: from threads of a process, each export rendering for itself."""
    forget_html(collection)
    outputs = [out / "a.apkg", out / "b.apkg"]
    with ThreadPoolExecutor(2) as pool:
        summaries = list(pool.map(lambda output: export_anki(collection, output, NOW), outputs))
    assert [summary.notes for summary in summaries] == [FILES, FILES]
    assert sum(summary.rendered for summary in summaries) >= FILES  # the cache was empty
    for output in outputs:
        with zipfile.ZipFile(output) as package:
            assert package.testzip() is None
    assert sorted(out.iterdir()) == outputs


def test_only_day_old_scratch_files_of_an_export_are_removed(collection, out):
    stale = [
        ".deck.apkg.a1b2c3d4.anki2",
        ".deck.apkg.a1_2c3d4.part",
        ".My Notes.APKG.zz99zz99.part",
    ]
    others = [
        "deck.apkg.a1b2c3d4.anki2",  # not hidden
        ".deck.apkg.a1b2c3d4.sqlite",
        ".notes.a1b2c3d4.anki2",  # not named after a package
        ".deck.apkg.a1b2.anki2",  # not mkstemp's eight characters
        ".deck.apkg.A1B2C3D4.anki2",
    ]
    for name in stale + others:
        (out / name).write_bytes(b"scratch")
    (out / ".folder.apkg.a1b2c3d4.part").mkdir()
    day_old = time.time() - DAY_S - 60
    for path in out.iterdir():
        os.utime(path, (day_old, day_old))
    (out / ".young.apkg.a1b2c3d4.anki2").write_bytes(b"another export's, still running")

    export_anki(collection, out / "deck.apkg", NOW)
    kept = sorted(path.name for path in out.iterdir())
    assert kept == sorted(
        [*others, ".folder.apkg.a1b2c3d4.part", ".young.apkg.a1b2c3d4.anki2", "deck.apkg"]
    )
