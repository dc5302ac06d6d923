"""Chunk functions for pools started by the tests: a worker imports them by name."""

from __future__ import annotations


def sleep_chunk(chunk: list[float]) -> None:
    """A chunk that takes as long as it says: a worker busy for that long."""
    import time

    time.sleep(sum(chunk))
