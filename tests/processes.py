"""Real processes for the tests: a command run as a terminal's foreground job, and the
processes below it (the forkserver, its workers, multiprocessing's resource tracker), found in
/proc (Linux)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tests.conftest import REPO

LINUX = sys.platform.startswith("linux")
FILES = 3000  # about two seconds of import: three write batches, parsed by the pool
RECORD = "---\nid: {n}\nquestion: Question {n}?\nanswer: Answer {n}, in **bold**.\n---\n"


def many_files(folder: Path) -> Path:
    """`folder`, holding FILES question files: work enough for the workers."""
    folder.mkdir()
    for n in range(FILES):
        (folder / f"q{n:04}.md").write_text(RECORD.format(n=n))
    return folder


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


def descendants(pid: int) -> set[int]:
    """Every process below `pid`: children of any of its threads, theirs, and so on."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        for children in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            with suppress(OSError):  # a thread or a process that has just ended
                new = {int(child) for child in children.read_text().split()} - found
                found |= new
                todo += new
    return found


def parent(pid: int) -> int:
    """The parent of `pid`, or 0 once it has ended."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except FileNotFoundError:
        return 0


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for_workers(pid: int, count: int = 2) -> set[int]:
    """The processes below `pid` once `count` workers run: the grandchildren, forked by the
    forkserver (a child, beside the resource tracker)."""
    deadline = time.monotonic() + 10
    while True:
        below = descendants(pid)
        if len(workers(pid, below)) >= count:
            return below
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.01)


def workers(pid: int, below: set[int]) -> list[int]:
    """Of the processes `below` the main process `pid`, its workers."""
    return sorted(child for child in below if parent(child) not in (pid, 0))


def assert_all_end(pids: set[int]) -> None:
    """Every one of `pids` ends within 3 seconds."""
    deadline = time.monotonic() + 3
    while left := {pid for pid in pids if running(pid)}:
        names = [Path(f"/proc/{pid}/cmdline").read_bytes()[:120] for pid in left]
        assert time.monotonic() < deadline, f"outlived their main process: {names}"
        time.sleep(0.05)


def signals(pid: int, kind: str) -> set[int]:
    """The signals `pid` has in its `kind` set: "SigBlk" (held) or "SigIgn" (ignored)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            mask = int(line.split()[1], 16)
            return {number for number in range(1, 65) if mask >> (number - 1) & 1}
    raise AssertionError(f"no {kind} for {pid}")
