"""What the benchmarks time: a whole process, from launch to exit, as a user waits for it."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping


def whole_process(*command: str, env: Mapping[str, str] | None = None) -> float:
    """Seconds `command` takes to run to its end (its output discarded), in `env` (this
    process's environment if None)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started
