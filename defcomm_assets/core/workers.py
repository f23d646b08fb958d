"""Run a pure per-batch function in forked worker processes: batches go in, plain rows come back, in order.

The document stages (cleaning, NLP, event rules) are CPU-bound pure functions of one document, so they use
every core the same way: the asset reads a chunk of documents from DuckDB, hands it to ``WorkerPool.map`` and
writes the results back while the workers already compute the next chunk. Workers are forked, so whatever the
parent built before the pool started (the spaCy pipeline, gazetteers, compiled rules) is shared with them for
free. Only small rows travel between processes, never whole spaCy Docs.

With ``n_process <= 1`` everything runs in the calling process through the same code path, which is what the
tests and small runs use.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any


class WorkerError(Exception):
    """A document's exception, caught in a worker and sent back as plain text (tracebacks do not pickle)."""

    def __init__(self, error_type: str, message: str, traceback_text: str):
        super().__init__(message)
        self.error_type, self.message, self.traceback_text = error_type, message, traceback_text

    def __reduce__(self):
        return (WorkerError, (self.error_type, self.message, self.traceback_text))

    @classmethod
    def of(cls, exc: BaseException) -> WorkerError:
        frames = traceback.format_exception(type(exc), exc, exc.__traceback__)
        return cls(type(exc).__name__, str(exc), "".join(frames[-4:]))


def batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while True:
        batch = list(islice(it, max(1, size)))
        if not batch:
            return
        yield batch


_END = object()


def one_ahead(items: Iterable, start: Callable[[Any], Any]) -> Iterator[tuple[Any, Any]]:
    """``(item, start(item))`` for each item, with ``start`` already called on the next item when this one is
    yielded: the workers compute the next chunk while the caller writes this one."""
    it = iter(items)
    item = next(it, _END)
    running = start(item) if item is not _END else None
    while item is not _END:
        following = next(it, _END)
        started = start(following) if following is not _END else None
        yield item, running
        item, running = following, started


def _worker_init(initializer: Callable | None, initargs: tuple) -> None:
    # A forked worker inherits the parent's signal handlers (Dagster and test runners install their own); with
    # them, Pool.terminate()'s SIGTERM would not end the worker and the parent would wait for it forever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if initializer is not None:
        initializer(*initargs)


def processes_for(n_items: int, requested: int = 0, min_items: int = 500) -> int:
    """Worker processes for a workload: ``requested`` when set (>= 1), else every core for a large workload
    and one (in-process) for a small one, where forking costs more than it saves."""
    if requested and requested > 0:
        return requested
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores) if n_items >= min_items else 1


class WorkerPool:
    """``map(func, items)`` over forked workers, or in-process when ``n_process <= 1``.

    ``func`` takes a list of items and returns a list of results of the same length; it must be a module-level
    function (it is pickled by name). ``map`` returns an iterator that has already started: call ``map`` for the
    next chunk before consuming the previous one to keep the workers busy while the parent writes.
    """

    def __init__(self, n_process: int = 1, initializer: Callable | None = None, initargs: tuple = ()):
        self.n_process = max(1, int(n_process))
        self._pool = None
        if self.n_process > 1:
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            # The workers' garbage collector would walk (and so copy, page by page) every object they inherit;
            # frozen objects are skipped, so the parent's heap stays shared. The parent unfreezes its own copy.
            gc.freeze()
            try:
                self._pool = ctx.Pool(self.n_process, initializer=_worker_init, initargs=(initializer, initargs))
            finally:
                gc.unfreeze()
        elif initializer is not None:
            initializer(*initargs)

    def map(self, func: Callable[[list], list], items: list, batch_size: int = 50) -> Iterator[Any]:
        if self._pool is None:
            return (r for batch in batched(items, batch_size) for r in func(batch))
        # pool.imap queues every batch at once: callers pass one bounded chunk at a time
        results = self._pool.imap(func, batched(items, batch_size), chunksize=1)
        return (r for batch in results for r in batch)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()  # all work is done: let the workers exit on their own instead of being signalled
            self._pool.join()
            self._pool = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pool is not None and exc_type is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self.close()
