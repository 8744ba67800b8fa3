"""An ordered, bounded process-pool map for pure per-item work (ingest's parse-to-validate).

Why not ``ProcessPoolExecutor.map``: it submits every item at once (50,000 cards would all
be queued, their results held until read) and a Ctrl-C reaches the workers too, each
printing a traceback. Here at most ``window`` chunks are in flight, results come back in
input order as soon as they are ready, workers ignore SIGINT (the parent decides what an
interruption means), and closing the generator cancels what has not started.

>>> list(ordered_map(abs, [-1, 2, -3], jobs=1))
[1, 2, 3]
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["default_jobs", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """Worker processes to use by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def _run_chunk(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [func(item) for item in chunk]


def ordered_map(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    chunk: int = 8,
    window: int = 4,
) -> Iterator[R]:
    """``map(func, items)`` over ``jobs`` worker processes, in order, ``chunk`` items per task.

    ``func`` and ``initializer`` must be module-level functions; ``initializer(*initargs)``
    runs once per worker (load resolvers, compile shapes). With ``jobs <= 1`` everything runs
    here, with no initializer. Workers are forked where the platform allows it, so state the
    parent already holds (the register, compiled shapes) is not rebuilt.
    """
    if jobs <= 1:
        yield from map(func, items)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start, initargs=(initializer, initargs)
    )
    pending: deque[Future[list[R]]] = deque()
    source = iter(items)
    try:
        while True:
            while len(pending) < jobs * window:
                batch = [item for _, item in zip(range(chunk), source, strict=False)]
                if not batch:
                    break
                pending.append(pool.submit(_run_chunk, func, batch))
            if not pending:
                return
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
