"""Work split in chunks over every core: the import's parsing and the export's rendering."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


def map_chunks(
    function: Callable[[Chunk], Result],
    chunks: Sequence[Chunk],
    *,
    parallel: bool,
    workers: int | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[Result]:
    """`function` of each chunk, in order. With `parallel` (and more than one core), in forked
    worker processes, while this one runs `meanwhile` (say, loading what it needs next)."""
    workers = workers or os.cpu_count() or 1
    if not parallel or workers < 2:
        yield from map(function, chunks)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = pool.map(function, chunks)
        if meanwhile is not None:
            meanwhile()
        yield from results
