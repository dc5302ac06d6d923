"""Ctrl-C during a long import, sent as a terminal sends it (to the whole process group, pool
workers included): the import stops within a second, exits 130 without a traceback, says how
many files went in, and every stored file has exactly its cards."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.conftest import REPO, rows

FILES = 3000  # about two seconds of import: three write batches, parsed by the pool
RECORD = "---\nid: {n}\nquestion: Question {n}?\nanswer: Answer {n}, in **bold**.\n---\n"
SLOW_POOL = """
import os, signal, sys, threading, time
from studycards.collection.parallel import map_chunks
threading.Timer(0.5, os.killpg, (os.getpgrp(), signal.SIGINT)).start()
try:
    for _ in map_chunks(time.sleep, [60.0] * 8, parallel=True, workers=2):
        pass
except KeyboardInterrupt:
    sys.exit(130)
"""


@contextmanager
def foreground_job(*command: str) -> Iterator[subprocess.Popen[str]]:
    """`command` in a process group of its own, as a terminal's foreground job; whatever is
    left of the group (a hung import, its workers) is killed on the way out."""
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


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
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(FILES):
        (corpus / f"q{n:04}.md").write_text(RECORD.format(n=n))
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


def test_ctrl_c_ends_workers_stuck_in_a_long_chunk():
    """Chunks still running after a moment are not waited for: their workers are ended."""
    start = time.monotonic()
    with foreground_job(sys.executable, "-c", SLOW_POOL) as process:
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert time.monotonic() - start < 3  # not the minute a chunk takes
    assert stderr == ""


HUNG_POOL = """
import time
from studycards.collection.parallel import map_chunks
for _ in map_chunks(time.sleep, [60.0] * 8, parallel=True, workers=2):
    pass
"""


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_end_with_a_killed_parent():
    """kill -9 of the main process (the OOM killer, say) leaves no worker sleeping forever."""
    with foreground_job(sys.executable, "-c", HUNG_POOL) as process:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        deadline = time.monotonic() + 10
        while len(workers := children.read_text().split()) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)  # the main process alone, not its group
        deadline = time.monotonic() + 3
        while any(running(int(pid)) for pid in workers):
            assert time.monotonic() < deadline, "workers outlived their parent"
            time.sleep(0.05)
