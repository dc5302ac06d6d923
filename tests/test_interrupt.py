"""Ctrl-C during a long import, sent as a terminal sends it (to the whole process group, pool
workers included): the import stops within a second, exits 130 without a traceback, says how
many files went in, and every stored file has exactly its cards. And the main process or a
worker killed outright (kill -9, the OOM killer): no process is left behind, and a dead worker
stops the import in one line."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import rows
from tests.processes import (
    FILES,
    LINUX,
    assert_all_end,
    descendants,
    foreground_job,
    many_files,
    parent,
    signals,
    wait_for_workers,
    workers,
)

SLOW_POOL = """
import os, signal, sys, threading
from studycards.collection.parallel import map_chunks
from tests.pool_tasks import sleep_chunk
threading.Timer(0.5, os.killpg, (os.getpgrp(), signal.SIGINT)).start()
try:
    for _ in map_chunks(sleep_chunk, [60.0] * 8, size=1, parallel=True, workers=2):
        pass
except KeyboardInterrupt:
    sys.exit(130)
"""
HUNG_POOL = """
from studycards.collection.parallel import map_chunks
from tests.pool_tasks import sleep_chunk
for _ in map_chunks(sleep_chunk, [60.0] * 8, size=1, parallel=True, workers=2):
    pass
"""
LINUX_ONLY = pytest.mark.skipif(not LINUX, reason="PR_SET_PDEATHSIG and /proc are Linux's")


def stored_files(db_path: Path) -> int:
    """Files the running import has committed, or -1 before its tables exist."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM sources").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


@pytest.mark.parametrize("moment", ["while parsing", "after a batch is stored"])
def test_ctrl_c_stops_the_import_at_once_and_leaves_only_whole_files(tmp_path, db_path, moment):
    corpus = many_files(tmp_path / "corpus")
    command = [sys.executable, "-m", "studycards", "--collection", str(db_path), "import"]
    with foreground_job(*command, str(corpus)) as process:
        enough = 0 if moment == "while parsing" else 1  # files stored before Ctrl-C
        deadline = time.monotonic() + 30
        while stored_files(db_path) < enough and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=10)
        stopped = time.monotonic() - sent

    assert process.returncode == 130, stderr
    assert stopped < 2
    assert "Traceback" not in stderr
    said = re.search(r"interrupted: (\d+) files? imported before the interrupt; run again", stderr)
    assert said, stderr
    [(files, cards)] = rows(db_path, "SELECT count(*), coalesce(sum(cards), 0) FROM sources")
    assert int(said.group(1)) == files < FILES
    whole = rows(
        db_path,
        "SELECT count(*) FROM sources s WHERE s.cards ="
        " (SELECT count(*) FROM cards c WHERE c.source = s.path)",
    )
    assert whole == [(files,)]
    assert rows(db_path, "SELECT count(*) FROM cards") == [(cards,)]


def test_sigterm_stops_the_import_quietly_and_leaves_only_whole_files(tmp_path, db_path):
    """`kill PID` while batches are stored: exit status 143, nothing said, every stored file
    whole, no process left."""
    corpus = many_files(tmp_path / "corpus")
    command = [sys.executable, "-m", "studycards", "--collection", str(db_path), "import"]
    with foreground_job(*command, str(corpus)) as process:
        deadline = time.monotonic() + 30
        while stored_files(db_path) < 1 and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        below = descendants(process.pid)
        os.kill(process.pid, signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
        if LINUX:
            assert_all_end(below)
    assert (process.returncode, stderr) == (128 + signal.SIGTERM, "")
    [(files, cards)] = rows(db_path, "SELECT count(*), coalesce(sum(cards), 0) FROM sources")
    assert 0 < files < FILES
    whole = rows(
        db_path,
        "SELECT count(*) FROM sources s WHERE s.cards ="
        " (SELECT count(*) FROM cards c WHERE c.source = s.path)",
    )
    assert whole == [(files,)]
    assert rows(db_path, "SELECT count(*) FROM cards") == [(cards,)]


def test_ctrl_c_ends_workers_stuck_in_a_long_chunk():
    """Chunks still running after a moment are not waited for: their workers are ended."""
    start = time.monotonic()
    with foreground_job(sys.executable, "-c", SLOW_POOL) as process:
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert time.monotonic() - start < 3  # not the minute a chunk takes
    assert stderr == ""


@LINUX_ONLY
def test_workers_are_born_with_ctrl_c_held_and_then_ignore_it():
    """A Ctrl-C cannot hit a worker before it ignores SIGINT: the forkserver holds it, so each
    worker it forks is born holding it, and lets it go once it ignores it."""
    with foreground_job(sys.executable, "-c", HUNG_POOL) as process:
        below = wait_for_workers(process.pid)
        [forkserver] = {parent(worker) for worker in workers(process.pid, below)}
        assert signal.SIGINT in signals(forkserver, "SigBlk")
        deadline = time.monotonic() + 5
        for worker in workers(process.pid, below):
            while True:  # until its initializer has run: held, ignored too, then only ignored
                held = signal.SIGINT in signals(worker, "SigBlk")
                ignored = signal.SIGINT in signals(worker, "SigIgn")  # read after: never lost
                assert held or ignored, "a moment when Ctrl-C could hit a worker"
                if ignored and not held:
                    break
                assert time.monotonic() < deadline, "a worker never ignored SIGINT"
                time.sleep(0.01)
        assert signal.SIGINT not in signals(process.pid, "SigIgn") | signals(process.pid, "SigBlk")


@LINUX_ONLY
def test_workers_and_the_forkserver_end_with_a_killed_parent():
    """kill -9 of the main process (the OOM killer, say) leaves no worker sleeping forever, nor
    the forkserver that started them."""
    with foreground_job(sys.executable, "-c", HUNG_POOL) as process:
        below = wait_for_workers(process.pid)
        os.kill(process.pid, signal.SIGKILL)  # the main process alone, not its group
        assert_all_end(below)


@LINUX_ONLY
def test_a_killed_import_leaves_no_process_behind(tmp_path, db_path):
    corpus = many_files(tmp_path / "corpus")
    command = [sys.executable, "-m", "studycards", "--collection", str(db_path), "import"]
    with foreground_job(*command, str(corpus)) as process:
        below = wait_for_workers(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        assert_all_end(below)


@LINUX_ONLY
def test_a_killed_worker_stops_the_import_in_one_line(tmp_path, db_path):
    corpus = many_files(tmp_path / "corpus")
    command = [sys.executable, "-m", "studycards", "--collection", str(db_path), "import"]
    with foreground_job(*command, str(corpus)) as process:
        below = wait_for_workers(process.pid)
        os.kill(workers(process.pid, below)[0], signal.SIGKILL)  # as the OOM killer does
        _, stderr = process.communicate(timeout=10)
        assert_all_end(below)
    assert process.returncode == 1, stderr
    [line] = stderr.splitlines()
    said = r"error: \d+ files? imported before a parsing process died \(killed, or out of memory\)"
    assert re.fullmatch(f"{said}; run again to finish", line), line
