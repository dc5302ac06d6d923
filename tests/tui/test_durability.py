"""Never lose an answer: SIGKILL mid-session, and an import running beside a session."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from studycards.collection.importing import ImportTarget, import_sources
from studycards.store.rows import SCHEDULE_COLUMNS
from studycards.tui.app import make_app
from tests.tui.conftest import settle

SESSION = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import datetime
    from pathlib import Path
    from studycards.tui.app import make_app

    async def main():
        app = make_app(Path(sys.argv[1]), lambda: datetime.now().astimezone(), deck="Bulk")
        async with app.run_test() as pilot:
            answered = 0
            while True:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                if app.screen.card is None:
                    return
                await pilot.press("space", "1234"[answered % 4])
                await app.workers.wait_for_complete()
                answered += 1
                print("answered", answered, flush=True)

    asyncio.run(main())
    """
)


def write_notes(folder: Path, count: int, subject: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"n{number}.md").write_text(
            f"---\nquestion: {subject} {number}?\nanswer: A{number}\nsubject: {subject}\n---\n"
        )


def consistent(db_path: Path) -> tuple[int, list[int]]:
    """(answers stored, ids of cards whose state differs from their last logged answer)."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        columns = ", ".join(f"c.{name}" for name in SCHEDULE_COLUMNS)
        logged = ", ".join(f"r.after_{name}" for name in SCHEDULE_COLUMNS)
        mismatched = conn.execute(
            f"SELECT c.id FROM cards c JOIN reviews r ON r.id ="
            f" (SELECT max(id) FROM reviews WHERE card_id = c.id)"
            f" WHERE ({columns}) IS NOT ({logged}) OR c.queue != c.state"
        ).fetchall()
        count = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        return count, [card_id for (card_id,) in mismatched]
    finally:
        conn.close()


def test_sigkill_loses_no_committed_answer(db_path, tmp_path, now):
    write_notes(tmp_path / "bulk", 60, "Bulk")
    import_sources(db_path, [ImportTarget((tmp_path / "bulk",))], now)
    rng = random.Random(7)
    for round_ in range(3):
        stop_after = rng.randint(2, 8)
        process = subprocess.Popen(
            [sys.executable, "-c", SESSION, str(db_path)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        before, _ = consistent(db_path)
        answered = 0
        assert process.stdout is not None
        for line in process.stdout:
            answered = int(line.split()[1])
            if answered >= stop_after:
                break
        os.kill(process.pid, signal.SIGKILL)  # mid-flight: the next answer may be half done
        process.wait()
        stored, mismatched = consistent(db_path)
        assert stored >= before + answered, f"round {round_}: lost answers"
        assert mismatched == []


async def test_an_import_beside_a_session_disturbs_neither(db_path, tmp_path, clock):
    write_notes(tmp_path / "bulk", 30, "Bulk")
    import_sources(db_path, [ImportTarget((tmp_path / "bulk",))], clock.now)
    write_notes(tmp_path / "more", 400, "More")
    app = make_app(db_path, clock, deck="Bulk")
    async with app.run_test() as pilot:
        await settle(pilot)
        importer = subprocess.Popen(
            [sys.executable, "-m", "studycards", "--collection", str(db_path), "import",
             str(tmp_path / "more")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for _ in range(12):
            await pilot.press("space", "3")
            await settle(pilot)
        out, err = importer.communicate(timeout=60)
        assert importer.returncode == 0, err
        assert "400 new" in out
    stored, mismatched = consistent(db_path)
    assert stored == 12 and mismatched == []
