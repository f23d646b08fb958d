"""The one engine of the document stages: clean_documents, entities and events declare themselves to it.

A document stage turns each document of its upstream stage into rows of its own tables, incrementally, in one
transaction. What a stage declares (``DocumentStage``): its name, the upstream SQL (``doc_id, input_hash`` of every
document it covers), what it reads per chunk, the pure function its workers run per batch, how their results
become rows of its tables, and its row checks and preview. What the engine does for every stage (``run_stage``):

1. Count the pending documents on a short connection of its own and fork the workers *before* opening the
   working connection (``stage_workload``). Whatever the parent holds when the workers are forked is inherited by
   them instead of being built again in each: the stage modules therefore import their logic at the top (the
   events stage's worker module imports the event rules, so the workers inherit its compiled regexes), and a
   stage can build more before the fork (``before_fork``: the entities stage's spaCy pipeline, loaded once per
   process).
2. Forget the documents that left the upstream stage (orphans), list the pending ones, settle those the stage
   ``skips`` (a status row says so) and let it ``prepare`` the run.
3. Per chunk: ``read`` it and start it in the workers; while they compute the next chunk, delete this chunk's
   old rows (``forget``) and insert the new ones (``write``), one ``doc_stage_status`` row per document and one
   ``stage_errors`` row per document that made the stage raise (the others still go through).
4. ``finish`` (what needs the whole run), then ``report``: preview, metadata and row checks, returned with the
   row count and column schema of the stage's table, and the ``no_stage_errors`` and ``<key>_unique`` checks.

Progress: after each chunk the run's log says how many documents are done of how many, the rate and the time left;
a run of more than one chunk says it on the ``defcomm.progress`` logger too, which the command line prints.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
from dagster import AssetCheckResult, AssetExecutionContext, MaterializeResult

from defcomm_assets.core import db
from defcomm_assets.core.incremental import error_row, forget_docs, now, orphaned_docs, pending_docs, status_row
from defcomm_assets.core.workers import WorkerError, WorkerPool, one_ahead, processes_for
from defcomm_assets.orchestration.metadata import stage_errors_check, stage_metadata
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings

PROGRESS = logging.getLogger("defcomm.progress")  # the command line prints it; Dagster's run log gets it anyway


def progress_line(stage: str, done: int, total: int, elapsed_s: float) -> str:
    """'entities: 4,000/10,000 documents (812/s, about 7 s left)'."""
    rate = done / elapsed_s if elapsed_s > 0 else 0.0
    left = f", about {(total - done) / rate:,.0f} s left" if rate and done < total else ""
    return f"{stage}: {done:,}/{total:,} documents ({rate:,.0f}/s{left})"


@dataclass
class Chunk:
    """What a stage's ``read`` returns for a chunk of document ids."""

    docs: list[tuple]  # per document sent to the workers: (doc_id, source_name, ...anything the stage needs)
    tasks: list  # what the workers get: one item per document of ``docs``, in the same order


@dataclass
class StageRun:
    """One run of a stage, as its hooks see it."""

    stage: str
    version: str
    con: duckdb.DuckDBPyConnection
    pool: WorkerPool
    full_refresh: bool
    at: datetime
    n_process: int
    input_hash: dict[str, str] = field(default_factory=dict)  # pending doc_id -> its input fingerprint
    work_ids: list[str] = field(default_factory=list)  # the pending documents that go through the workers
    orphans: list[str] = field(default_factory=list)  # documents that left the upstream stage (their rows are gone)
    processed: int = 0  # documents written without error
    errors: int = 0  # documents that made the stage raise
    skipped: int = 0  # pending documents the stage skips
    words: int = 0
    written: Counter = field(default_factory=Counter)  # table -> rows inserted by the engine
    counts: Counter = field(default_factory=Counter)  # the stage's own tallies
    state: dict[str, Any] = field(default_factory=dict)  # what the stage's hooks share within the run

    @property
    def ids(self) -> list[str]:
        """The pending documents, in doc_id order."""
        return list(self.input_hash)

    def status(self, doc_id: str, output_hash: str | None, status: str = "ok") -> dict:
        return status_row(doc_id, self.stage, self.version, self.input_hash[doc_id], output_hash, status, self.at)


Rows = dict[str, list[dict]]  # table -> rows to insert


@dataclass(frozen=True)
class DocumentStage:
    """What a document stage declares to the engine."""

    name: str  # the stage (doc_stage_status.stage, stage_errors.stage)
    table: str  # its main table: the asset's dagster/row_count and dagster/column_schema
    upstream: str  # SQL: doc_id, input_hash of every document the stage covers
    tables: tuple[str, ...]  # its per-document tables (doc_id column): a document's rows go before it is rewritten
    read: Callable[[StageRun, list[str]], Chunk]  # a chunk of pending ids -> its documents and worker tasks
    work: Callable[[list], list]  # pure, module-level (pickled by name): tasks -> per task a result or WorkerError
    write: Callable[[StageRun, list[tuple[tuple, Any]]], tuple[Rows, list[str]]]  # (doc, result) -> rows, out hashes
    report: Callable[[StageRun], tuple[str, dict, list[AssetCheckResult]]]  # -> preview, metadata, row checks
    key: str = "doc_id"  # the main table's key: the ``<key>_unique`` check
    chunk_size: int = 2000  # documents per read/write step: memory is bounded by this, not by the corpus
    worker_batch: int = 50  # documents per task sent to a worker process
    skips: Callable[[StageRun], dict[str, str | None]] | None = None  # -> skipped doc_id: output hash (not English)
    prepare: Callable[[StageRun], None] | None = None  # before the first chunk (per-run state in ``run.state``)
    forget: Callable[[StageRun, list[str]], None] | None = None  # deletes these documents' rows (default: ``tables``)
    finish: Callable[[StageRun], None] | None = None  # after the last chunk, inside the transaction
    verb: str = "processed"  # the run's log line: "<verb> <n> documents (<n> errors)" (test_kill waits for one)


def stage_workload(database: DefcommDatabase, stage: str, version: str, upstream_sql: str, full_refresh: bool,
                   requested: int) -> tuple[int, int]:
    """(pending documents, worker processes) of a stage, counted on a short connection of its own.

    The stage forks its workers *before* it opens its working connection: a forked child maps every page
    its parent has, so workers forked after DuckDB filled its buffer pool would each count that buffer in
    their RSS (and keep it from being freed while they live). The stage lists its pending documents again
    inside its transaction, which is the list it works on."""
    with database.connect() as con:
        n = len(pending_docs(con, stage, version, upstream_sql, full_refresh))
    return n, (1 if requested == 1 else processes_for(n, requested))


def _forget(spec: DocumentStage, run: StageRun, doc_ids: Sequence[str]) -> None:
    if spec.forget is not None:
        spec.forget(run, list(doc_ids))
    else:
        forget_docs(run.con, spec.name, doc_ids, spec.tables)


def _write_chunk(spec: DocumentStage, run: StageRun, chunk: Chunk, results) -> None:
    statuses, errs, done = [], [], []
    for doc, result in zip(chunk.docs, results):
        if isinstance(result, WorkerError):  # this document made the stage raise: recorded, the others go on
            errs.append(error_row(doc[0], doc[1], spec.name, result, run.at))
            statuses.append(run.status(doc[0], None, "error"))
        else:
            done.append((doc, result))
    rows, out_hashes = spec.write(run, done)
    statuses.extend(run.status(doc[0], out_hash) for (doc, _), out_hash in zip(done, out_hashes))
    for table, table_rows in rows.items():
        run.written[table] += db.insert(run.con, table, table_rows)
    db.insert(run.con, "doc_stage_status", statuses)
    db.insert(run.con, "stage_errors", errs)
    run.processed += len(done)
    run.errors += len(errs)


def run_stage(spec: DocumentStage, context: AssetExecutionContext, database: DefcommDatabase,
              settings: DefcommSettings, version: str, *, workers: int | None = None, worker_batch: int | None = None,
              before_fork: Callable[[], object] | None = None, worker_init: Callable | None = None,
              worker_init_args: tuple = (), metadata: dict | None = None) -> MaterializeResult:
    """Materialize one document stage. ``workers`` defaults to ``settings.workers``; ``before_fork`` and
    ``worker_init`` (the pool's initializer) run only when there are pending documents."""
    started = time.perf_counter()
    at = now()
    requested = settings.workers if workers is None else workers
    n_pending, n_process = stage_workload(database, spec.name, version, spec.upstream, settings.full_refresh, requested)
    if n_pending and before_fork is not None:
        before_fork()
    with WorkerPool(n_process, worker_init if n_pending else None, worker_init_args) as pool, \
            database.connect() as con, db.transaction(con):
        run = StageRun(spec.name, version, con, pool, settings.full_refresh, at, n_process)
        run.orphans = orphaned_docs(con, spec.name, spec.upstream)
        _forget(spec, run, run.orphans)
        run.input_hash = {p.doc_id: p.input_hash for p in pending_docs(con, spec.name, version, spec.upstream,
                                                                        settings.full_refresh)}
        skipped = spec.skips(run) if spec.skips is not None else {}
        if skipped:  # not run through the workers; the status says why
            _forget(spec, run, list(skipped))
            db.insert(con, "doc_stage_status", [run.status(d, h, "skipped_non_english") for d, h in skipped.items()])
        run.skipped = len(skipped)
        run.work_ids = ids = [d for d in run.ids if d not in skipped]
        if spec.prepare is not None:
            spec.prepare(run)
        batch = worker_batch or spec.worker_batch

        def start(chunk_ids: list[str]) -> tuple[Chunk, Any]:
            chunk = spec.read(run, chunk_ids)
            return chunk, pool.map(spec.work, chunk.tasks, batch)

        # The next chunk is already in the workers while this one is written.
        chunks = [ids[i:i + spec.chunk_size] for i in range(0, len(ids), spec.chunk_size)]
        done = 0
        for chunk_ids, (chunk, results) in one_ahead(chunks, start):
            _forget(spec, run, chunk_ids)
            _write_chunk(spec, run, chunk, results)
            done += len(chunk_ids)
            line = progress_line(spec.name, done, len(ids), time.perf_counter() - started)
            context.log.info(line)
            if len(chunks) > 1:
                PROGRESS.info(line)
        if spec.finish is not None:
            spec.finish(run)
        preview_md, extra, checks = spec.report(run)
        errors_check = stage_errors_check(con, spec.name)
        n_dup = int(con.execute(f"SELECT count(*) - count(DISTINCT {spec.key}) FROM {spec.table}").fetchone()[0])
        unique_check = AssetCheckResult(check_name=f"{spec.key}_unique", passed=n_dup == 0,
                                        metadata={"duplicates": n_dup})
        meta = stage_metadata(con, spec.table, preview_md, {
            "processed_docs": run.processed,
            **({"skipped_non_english_docs": run.skipped} if spec.skips is not None else {}),
            "error_docs": run.errors,
            "words": run.words,
            **extra,
            **(metadata or {}),
            "elapsed_s": round(time.perf_counter() - started, 3),
            "stage_version": version,
        })
    context.log.info(f"{spec.verb} {run.processed} documents ({run.errors} errors)")
    return MaterializeResult(metadata=meta, check_results=[errors_check, unique_check, *checks])
