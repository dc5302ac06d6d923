"""A real collection built from the seeds, a clock the tests move, a helper to let the app's
store workers finish before asserting, and ways to see and to cause store failures."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studycards.collection.importing import ImportTarget, import_sources
from studycards.model import DeckSettings


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(now) -> Clock:
    return Clock(now)


@pytest.fixture
def collection(db_path: Path, seeds: Path, now) -> Path:
    """The seeds through the Oncology preset: 6 new cards in one deck."""
    import_sources(db_path, [ImportTarget((seeds,), "Oncology", DeckSettings("Oncology"))], now)
    return db_path


@pytest.fixture
def editor(tmp_path: Path, monkeypatch) -> None:
    """$EDITOR is a program that turns 'primary goals' into 'main goals' in the file it is
    given (the first card of the seeds says them), as a user's edit would."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('primary goals', 'main goals'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)


async def settle(pilot) -> None:
    """Let store workers finish and their messages be handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def notes(app, title: str) -> list:
    """The app's notifications with this title (headless, no toast is drawn)."""
    return [note for note in app._notifications if note.title == title]


@contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Another process's write transaction on the collection, held until the block ends."""
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()
