"""Store failures reach the user as one clear line, and leave nothing half-done: a collection
another process is writing to, one that cannot be written, a newer one."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import studycards.store.db
from studycards.collection.reviewing import StudySession
from studycards.errors import CollectionBusyError, DiskFullError
from studycards.model import Grade
from tests.conftest import rows
from tests.test_cli import invoke

QUICK_TIMEOUT_S = 0.3


@contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Another process's write transaction, held until the block ends."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.fixture
def quick_timeout(monkeypatch) -> None:
    monkeypatch.setattr(studycards.store.db, "BUSY_TIMEOUT_S", QUICK_TIMEOUT_S)


def write_notes(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"note-{n}.md").write_text(f"# Note {n}\n\n## What is {n}?\n\nIt is {n}.\n")


def test_an_import_waits_for_the_lock_once_per_batch_not_once_per_file(
    db_path, tmp_path, now, quick_timeout
):
    write_notes(tmp_path / "first", 1)
    assert invoke(db_path, now, "import", str(tmp_path / "first")).exit_code == 0
    write_notes(tmp_path / "notes", 50)
    with write_lock(db_path):
        started = time.monotonic()
        result = invoke(db_path, now, "import", str(tmp_path / "notes"))
        waited = time.monotonic() - started
    assert result.exit_code == 1
    assert "is busy: another studycards is writing to it; try again" in result.output
    assert waited < 10 * QUICK_TIMEOUT_S  # 50 files waiting a timeout each: 15 s
    assert rows(db_path, "SELECT count(*) FROM sources") == [(1,)]  # nothing half-written
    again = invoke(db_path, now, "import", str(tmp_path / "notes"))
    assert again.exit_code == 0 and "50 new" in again.output


def test_an_answer_under_another_writers_lock_is_not_lost(db_path, tmp_path, now, quick_timeout):
    write_notes(tmp_path / "notes", 2)
    assert invoke(db_path, now, "import", str(tmp_path / "notes")).exit_code == 0
    session = StudySession(db_path, None, now)
    card = session.next_card(now)
    assert card is not None
    with write_lock(db_path), pytest.raises(CollectionBusyError):
        session.answer(card.queued, Grade.GOOD, now, 1000)
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(0,)]
    assert session.queue.counts() == (2, 0, 0) and not session.can_undo  # as it was
    session.answer(card.queued, Grade.GOOD, now, 1000)  # the retry goes in
    assert rows(db_path, "SELECT card_id, grade FROM reviews") == [(card.queued.id, Grade.GOOD)]
    session.close()


@contextmanager
def read_only(paths: list[Path]) -> Iterator[None]:
    """Files no one may write: immutable for root (whom permissions do not stop), else
    read-only by their mode."""
    as_root = os.geteuid() == 0
    for path in paths:
        if as_root:
            if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
                pytest.skip("root, and no chattr to make a file immutable")
        else:
            path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path in paths:
            if as_root:
                subprocess.run(["chattr", "-i", str(path)], check=True)
            else:
                path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_read_only_collection_says_so_and_reading_still_works(db_path, tmp_path, now):
    write_notes(tmp_path / "notes", 1)
    assert invoke(db_path, now, "import", str(tmp_path / "notes")).exit_code == 0
    write_notes(tmp_path / "more", 1)
    files = [db_path, *db_path.parent.glob(f"{db_path.name}-*")]
    with read_only(files):
        result = invoke(db_path, now, "import", str(tmp_path / "more"))
        assert result.exit_code == 1
        [line] = result.output.splitlines()
        assert line.startswith("error: ") and "is read-only): nothing was saved" in line, line
        decks = invoke(db_path, now, "decks")
    assert decks.exit_code == 0, decks.output


def test_a_read_only_folder_says_the_folder_is_the_trouble(tmp_path, now):
    folder = tmp_path / "shelf"
    write_notes(tmp_path / "notes", 1)
    assert invoke(folder / "old.sqlite", now, "import", str(tmp_path / "notes")).exit_code == 0
    with read_only([folder]):
        for name in ("old.sqlite", "new.sqlite"):
            result = invoke(folder / name, now, "import", str(tmp_path / "notes"))
            assert result.exit_code == 1
            [line] = result.output.splitlines()
            assert f"the folder {folder} cannot be written" in line, line


def test_a_collection_from_a_newer_studycards_is_refused_untouched(db_path, tmp_path, now):
    write_notes(tmp_path / "notes", 1)
    assert invoke(db_path, now, "import", str(tmp_path / "notes")).exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = db_path.read_bytes()
    for command in (["decks"], ["import", str(tmp_path / "notes")], ["check"]):
        result = invoke(db_path, now, *command)
        assert result.exit_code == 1, command
        assert "written by a newer studycards" in result.output, (command, result.output)
    assert db_path.read_bytes() == before
    assert not Path(f"{db_path}-wal").exists()


def test_a_full_disk_keeps_every_answer_whole(db_path, tmp_path, now, monkeypatch):
    """The collection may not grow by a page (as on a full disk): answers go in until one
    does not fit, which fails whole, and the session goes on from where it was."""
    write_notes(tmp_path / "notes", 3)
    assert invoke(db_path, now, "import", str(tmp_path / "notes")).exit_code == 0
    real_connect = studycards.store.db.connect

    def no_room_to_grow(path: Path, *args, **kwargs) -> sqlite3.Connection:
        conn = real_connect(path, *args, **kwargs)
        [(pages,)] = conn.execute("PRAGMA page_count")
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(studycards.store.db, "connect", no_room_to_grow)
    session = StudySession(db_path, None, now)
    answered = 0
    with pytest.raises(DiskFullError, match="is full: nothing was saved"):
        for _ in range(1000):
            card = session.next_card(now)
            assert card is not None
            queue_before = session.queue.copy()
            session.answer(card.queued, Grade.AGAIN, now, 1000)
            answered += 1
    assert answered > 0
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(answered,)]
    assert session.queue == queue_before  # the failed answer moved nothing on
    session.close()
    assert invoke(db_path, now, "check").output.startswith("ok: ")
