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
from pathlib import Path

import pytest

from tests.conftest import REPO, rows

FILES = 3000  # about two seconds of import: three write batches, parsed by the pool
RECORD = "---\nid: {n}\nquestion: Question {n}?\nanswer: Answer {n}, in **bold**.\n---\n"


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
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    command = [sys.executable, "-m", "studycards", "--collection", str(db_path), "import"]
    process = subprocess.Popen(
        [*command, str(corpus)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
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
    assert "Traceback" not in stderr.decode()
    said = re.search(
        r"interrupted: (\d+) files? imported before the interrupt; run again", stderr.decode()
    )
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
