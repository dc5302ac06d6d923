"""Work split in chunks over every core: the import's parsing and the export's rendering.

Ctrl-C belongs to the main process alone: workers ignore SIGINT (they are forked with it held,
so none can be hit before it ignores it), and on any exit but the normal one the main process
cancels what has not started and gives the chunks in progress a moment before it terminates
their workers.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")
_CAN_HOLD = hasattr(signal, "pthread_sigmask")  # POSIX; Windows has no fork either
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_GRACE_S = 0.5  # for the chunks in progress to end; one takes a few milliseconds


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
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    try:
        with _sigint_held():  # the workers are forked here, on the first submit
            results = pool.map(function, chunks)
        if meanwhile is not None:
            meanwhile()
        yield from results
    except BaseException:  # Ctrl-C, an error, or the consumer stopped early (GeneratorExit)
        _stop(pool)
        raise
    pool.shutdown()


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold SIGINT while workers are forked: a Ctrl-C then reaches this process just after."""
    if not _CAN_HOLD:
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start_worker(parent: int) -> None:
    """Worker initializer: a held Ctrl-C is dropped, later ones are the main process's; and a
    worker ends with its parent, killed (kill -9, the OOM killer) or not, instead of waiting
    on its queue forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _CAN_HOLD:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _end_with_parent(parent)


def _end_with_parent(parent: int) -> None:
    """Linux delivers SIGKILL to this process when its parent dies (prctl PR_SET_PDEATHSIG);
    elsewhere nothing is set. A parent already gone by now is noticed at once."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the chunks not started and let the workers end those in progress (Ctrl-C does
    not reach them); one still busy after a moment is terminated.

    The workers are private to the pool (`terminate_workers()` comes with Python 3.14), but
    `shutdown()` alone would wait for them without a bound.
    """
    workers = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + _GRACE_S
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.terminate()
