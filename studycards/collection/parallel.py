"""Work split in chunks over every core: the import's parsing.

Workers are never forks of this process, which may run threads (the TUI runs the library from
them, and a fork copies the locks other threads hold): on Linux a forkserver, a process of one
thread that loads the modules the workers need once, forks them, so each starts in
milliseconds; elsewhere they are spawned. As with every start method but fork, a script run by
its path runs again in each worker: one that calls the library with a big batch keeps its own
work under `if __name__ == "__main__":`.

Ctrl-C belongs to the main process alone: workers ignore SIGINT (they are born with it held,
from a forkserver started with it held, so none can be hit before it ignores it), and on any
exit but the normal one the main process cancels what has not started and gives the chunks in
progress a moment before it terminates their workers.

No process outlives a killed main process (kill -9, the OOM killer): on Linux a worker gets
SIGKILL when the forkserver ends, and the forkserver ends when no process holds its "alive"
pipe open any more, so a worker closes its own copy as soon as that SIGKILL is arranged.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import forkserver, resource_tracker
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_LINUX = sys.platform.startswith("linux")
_CONTEXT = multiprocessing.get_context("forkserver" if _LINUX else "spawn")
_CAN_HOLD = hasattr(signal, "pthread_sigmask")  # POSIX
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_GRACE_S = 0.5  # for the chunks in progress to end; one takes a few milliseconds

# In a worker: the function it runs on each chunk.
_function: Callable[[Any], Any] | None = None


def map_chunks(
    function: Callable[[list[Item]], Result],
    items: Sequence[Item],
    *,
    size: int,
    parallel: bool,
    preload: Sequence[str] = (),
    workers: int | None = None,
) -> Generator[Result, None, None]:
    """`function(chunk)` of each chunk of `size` items, in order.

    With `parallel` (and more than one core), in worker processes. The forkserver starts
    loading their modules (`function`'s and `preload`) at this call, and the workers start at
    the first `next()`: a caller does its own preparations in between, beside that loading."""
    chunks = [list(items[start : start + size]) for start in range(0, len(items), size)]
    workers = workers or os.cpu_count() or 1
    if not parallel or workers < 2:
        return (function(chunk) for chunk in chunks)
    _prepare(function, preload)
    return _in_workers(function, chunks, workers)


def _prepare(function: Callable[..., Any], preload: Sequence[str]) -> None:
    """Start the forkserver, loading the modules of `function` and `preload`, without waiting
    for it. The first call of a process decides what the forkserver loads; it serves every
    pool of the process after that (the modules it lacks, a worker loads itself)."""
    if _CAN_HOLD:
        # the tracker unblocks SIGINT once it has started it: so it starts before the hold
        resource_tracker.ensure_running()
    if _CONTEXT.get_start_method() == "forkserver":
        _CONTEXT.set_forkserver_preload([function.__module__, *preload])  # if it starts now
        with _sigint_held():  # so that the forkserver, and every worker it forks, holds it too
            forkserver.ensure_running()


def _in_workers(
    function: Callable[[list[Item]], Result], chunks: list[list[Item]], workers: int
) -> Generator[Result, None, None]:
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_CONTEXT,
        initializer=_start_worker,
        initargs=(function,),
    )
    try:
        with _sigint_held():  # the workers start here, on the first submits
            futures = [pool.submit(_run, chunk) for chunk in chunks]
        # Not pool.map: on leaving early, it cancels the futures from this thread, racing the
        # pool's own thread as it fails them when a worker died; on Python 3.11 that thread
        # then dies of InvalidStateError (gh-107219) before it lets go of the queue's pipe,
        # and this process hangs at exit. `_stop` has the pool cancel them itself.
        for future in futures:
            yield future.result()
    except BaseException:  # Ctrl-C, an error, or the consumer stopped early (GeneratorExit)
        _stop(pool)
        raise
    pool.shutdown()


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold SIGINT while worker processes (or the forkserver) start: they are born with it
    held; this process gets a Ctrl-C sent meanwhile just after."""
    if not _CAN_HOLD:
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start_worker(function: Callable[[Any], Any]) -> None:
    """Worker initializer: a held Ctrl-C is dropped, later ones are the main process's; the
    worker ends with the main process, killed or not, instead of waiting on its queue
    forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _CAN_HOLD:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if _LINUX:
        _end_with_forkserver()
    global _function
    _function = function


def _end_with_forkserver() -> None:
    """Linux delivers SIGKILL to this worker when its parent, the forkserver, ends (prctl
    PR_SET_PDEATHSIG); then this worker lets go of the forkserver's "alive" pipe, whose other
    holder is the main process: when that one ends, the forkserver does, and so do its workers.

    In that order, the forkserver cannot have ended before the SIGKILL was arranged: this
    worker held the pipe open until then."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    server: Any = forkserver._forkserver  # multiprocessing keeps the worker's copy of the pipe here
    if server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None


def _run(chunk: list[Any]) -> Any:
    """A worker's task: its function of one chunk."""
    assert _function is not None, "a worker runs its initializer first"
    return _function(chunk)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the chunks not started and let the workers end those in progress (Ctrl-C does
    not reach them); one still busy after a moment is terminated. Then the pool's own thread,
    which notices the workers' ends, is given a moment to wind up: left running, it races the
    interpreter's exit (on Python 3.11, a "Bad file descriptor" traceback at exit).

    The workers and the thread are private to the pool (`terminate_workers()` comes with
    Python 3.14), but `shutdown()` alone would wait for them without a bound.
    """
    workers = list((pool._processes or {}).values())
    manager: Any = pool._executor_manager_thread  # shutdown() forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + _GRACE_S
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.terminate()
    if manager is not None:
        manager.join(_GRACE_S)
