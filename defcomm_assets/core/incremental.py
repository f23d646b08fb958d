"""Which documents a stage must (re)process: new or changed input, or a new stage version.

Every stage keeps one ``doc_stage_status`` row per document: the stage version that processed
it, the fingerprint of its input (the upstream stage's output fingerprint) and of its output.
A document is pending when that row is missing or either fingerprint/version differs, so a
stage's cost grows with the new work, not with the corpus. No Dagster import.
"""
from __future__ import annotations

import traceback as tb
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from defcomm_assets.core import db
from defcomm_assets.core.workers import WorkerError


@dataclass(frozen=True)
class Pending:
    doc_id: str
    input_hash: str


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def pending_docs(con: duckdb.DuckDBPyConnection, stage: str, version: str, upstream_sql: str,
                 full_refresh: bool = False) -> list[Pending]:
    """Documents whose (doc_id, input_hash) from ``upstream_sql`` this stage has not processed at ``version``.

    ``upstream_sql`` selects ``doc_id, input_hash`` of every document the stage should cover.
    """
    if full_refresh:
        sql = f"SELECT u.doc_id, u.input_hash FROM ({upstream_sql}) u ORDER BY u.doc_id"
        rows = db.named_rows(con.execute(sql))
        return [Pending(doc_id=r.doc_id, input_hash=r.input_hash) for r in rows]
    sql = f"""
        SELECT u.doc_id, u.input_hash
        FROM ({upstream_sql}) u
        LEFT JOIN doc_stage_status s ON s.doc_id = u.doc_id AND s.stage = ?
        WHERE s.doc_id IS NULL OR s.stage_version <> ? OR s.input_hash IS DISTINCT FROM u.input_hash
        ORDER BY u.doc_id"""
    rows = db.named_rows(con.execute(sql, [stage, version]))
    return [Pending(doc_id=r.doc_id, input_hash=r.input_hash) for r in rows]


def orphaned_docs(con: duckdb.DuckDBPyConnection, stage: str, upstream_sql: str) -> list[str]:
    """Documents this stage processed that are no longer upstream (their file's content was replaced)."""
    sql = f"""
        SELECT s.doc_id FROM doc_stage_status s
        WHERE s.stage = ? AND s.doc_id NOT IN (SELECT doc_id FROM ({upstream_sql}) u)"""
    return [r[0] for r in con.execute(sql, [stage]).fetchall()]


def forget_docs(con: duckdb.DuckDBPyConnection, stage: str, doc_ids: Sequence[str], tables: Sequence[str]) -> None:
    """Delete a stage's rows (and status, and recorded errors) for these documents."""
    if not doc_ids:
        return
    for table in tables:
        db.delete_docs(con, table, doc_ids)
    forget = db.frame("doc_stage_status", [{"doc_id": d} for d in doc_ids]).select("doc_id")
    con.register("_defcomm_forget", forget.to_arrow())
    try:
        for table in ("doc_stage_status", "stage_errors"):
            con.execute(f"DELETE FROM {table} WHERE stage = ? AND doc_id IN (SELECT doc_id FROM _defcomm_forget)",
                        [stage])
    finally:
        con.unregister("_defcomm_forget")


def status_row(doc_id: str, stage: str, version: str, input_hash: str, output_hash: str | None, status: str,
               at: datetime) -> dict:
    return {"doc_id": doc_id, "stage": stage, "stage_version": version, "input_hash": input_hash,
            "output_hash": output_hash, "status": status, "processed_at": at}


def error_row(doc_id: str, source_name: str | None, stage: str, exc: BaseException, at: datetime) -> dict:
    if isinstance(exc, WorkerError):  # raised in a worker process: its type and traceback came back as text
        error_type, trace = exc.error_type, exc.traceback_text
    else:
        error_type, trace = type(exc).__name__, "".join(tb.format_exception(type(exc), exc, exc.__traceback__)[-4:])
    return {"doc_id": doc_id, "source_name": source_name, "stage": stage, "error_type": error_type,
            "message": str(exc)[:2000], "traceback": trace[-4000:], "occurred_at": at}
