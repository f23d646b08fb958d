"""WorkerPool: the same results in order, in-process or in forked workers; errors come back as text."""
from __future__ import annotations

import os
import pickle

import pytest

from defcomm_assets.core.workers import WorkerError, WorkerPool, batched, processes_for

_STATE: dict = {}


def _init(offset: int) -> None:
    _STATE["offset"] = offset


def _square_plus_offset(batch: list[int]) -> list:
    out = []
    for x in batch:
        if x == 13:
            try:
                raise ValueError("thirteen")
            except ValueError as exc:
                out.append(WorkerError.of(exc))
            continue
        out.append((x * x + _STATE["offset"], os.getpid()))
    return out


def test_batched_covers_every_item_once_in_order():
    assert [len(b) for b in batched(range(10), 4)] == [4, 4, 2]
    assert [x for b in batched(range(10), 4) for x in b] == list(range(10))
    assert list(batched([], 3)) == []


@pytest.mark.parametrize("n_process", [1, 2])
def test_results_come_back_in_order_with_the_initializer_state(n_process):
    items = list(range(40))
    with WorkerPool(n_process, _init, (7,)) as pool:
        first = pool.map(_square_plus_offset, items[:20], batch_size=3)
        second = pool.map(_square_plus_offset, items[20:], batch_size=3)  # in flight while the first is read
        results = list(first) + list(second)
    values = [r if isinstance(r, WorkerError) else r[0] for r in results]
    assert [v for v in values if not isinstance(v, WorkerError)] == [x * x + 7 for x in items if x != 13]
    err = values[13]
    assert isinstance(err, WorkerError) and err.error_type == "ValueError" and err.message == "thirteen"
    assert "raise ValueError" in err.traceback_text
    pids = {r[1] for r in results if not isinstance(r, WorkerError)}
    assert (pids == {os.getpid()}) if n_process == 1 else (os.getpid() not in pids)


def test_worker_error_survives_pickling():
    err = pickle.loads(pickle.dumps(WorkerError("KeyError", "'x'", "Traceback ...")))
    assert (err.error_type, err.message, err.traceback_text, str(err)) == ("KeyError", "'x'", "Traceback ...", "'x'")


def test_processes_for_uses_every_core_only_for_large_workloads():
    assert processes_for(10) == 1
    assert processes_for(10, requested=2) == 2
    assert processes_for(100_000) == len(os.sched_getaffinity(0))


def test_leaving_the_block_early_ends_the_workers():
    pool = WorkerPool(2, _init, (0,))
    workers = list(pool._pool._pool)
    with pool:
        it = pool.map(_square_plus_offset, list(range(100)), batch_size=5)
        next(it)
    for w in workers:
        w.join(timeout=10)
        assert not w.is_alive()


def test_one_ahead_starts_the_next_item_before_yielding_this_one():
    from defcomm_assets.core.workers import one_ahead

    log = []
    for item, started in one_ahead([1, 2, 3], lambda x: log.append(f"start {x}") or x * 10):
        log.append(f"use {item}={started}")
    assert log == ["start 1", "start 2", "use 1=10", "start 3", "use 2=20", "use 3=30"]
    assert list(one_ahead([], lambda x: x)) == []
