"""What the benchmarks time: a whole process, from launch to exit, as a user waits for it."""

from __future__ import annotations

import subprocess
import time


def whole_process(*command: str) -> float:
    """Seconds `command` takes to run to its end (its output discarded)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started
