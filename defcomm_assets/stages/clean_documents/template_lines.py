"""Template lines per source folder: which lines recur across a folder's documents (menus, footers, share bars).

The counts live in DuckDB (``line_counts``, ``line_counted_docs``) and are kept up to date incrementally; the keys
of a line come from ``templates.template_line_keys``, the choice of the template lines from
``templates.select_template_keys``. Uses a DuckDB connection and, for the keys, the stage's worker pool; no Dagster.
"""
from __future__ import annotations

import duckdb
import polars as pl

from defcomm_assets.core import db
from defcomm_assets.core.workers import WorkerPool
from defcomm_assets.stages.clean_documents.templates import MIN_TEMPLATE_DOCS, select_template_keys, template_line_keys

BATCH = 2000  # documents read and counted per step; memory stays bounded by this, not by the corpus
WORKER_BATCH = 50  # documents per task sent to a worker process


def _template_keys_batch(texts: list[str]) -> list[set[str]]:
    return [template_line_keys(t) for t in texts]


def template_keys_by_folder(con: duckdb.DuckDBPyConnection, work_ids: list[str], full_refresh: bool,
                            pool: WorkerPool | None = None) -> dict[str, frozenset[str]]:
    """Update the per-folder line counts and pick the template lines of the folders of ``work_ids``.

    ``line_counts`` holds, per folder, in how many of its raw documents each line occurs; ``line_counted_docs``
    says which documents are in it, so a document is counted once however often it is re-cleaned (a new stage
    version re-cleans every document). A counted document that left its folder (content replaced, file renamed
    or moved) cannot be subtracted, its text being gone: its old folder is recounted from what is there now.
    The counts are summed in DuckDB chunk by chunk: a corpus has millions of distinct lines, which would not fit
    in a Python dict the way they fit in a table (that spills to disk under its memory limit)."""
    pool = pool or WorkerPool(1)
    counted_before = con.execute("SELECT count(*) FROM line_counted_docs").fetchone()[0]
    if full_refresh or (counted_before == 0 and con.execute("SELECT count(*) FROM line_counts").fetchone()[0]):
        # (a database from before line_counted_docs existed: its counts cannot be trusted, recount them)
        con.execute("DELETE FROM line_counts")
        con.execute("DELETE FROM line_counted_docs")
    stale_folders = [r[0] for r in con.execute("""
        SELECT DISTINCT k.folder FROM line_counted_docs k
        WHERE NOT EXISTS (SELECT 1 FROM raw_documents r WHERE r.doc_id = k.doc_id AND coalesce(r.folder, '') = k.folder)
        """).fetchall()]
    if stale_folders:
        con.execute("DELETE FROM line_counts WHERE folder IN (SELECT unnest(?))", [stale_folders])
        con.execute("DELETE FROM line_counted_docs WHERE folder IN (SELECT unnest(?))", [stale_folders])
    to_count = [r[0] for r in con.execute("""
        SELECT r.doc_id FROM raw_documents r WHERE r.doc_id NOT IN (SELECT doc_id FROM line_counted_docs)
        ORDER BY r.doc_id""").fetchall()]
    con.execute("CREATE OR REPLACE TEMP TABLE _defcomm_line_delta (folder VARCHAR, line_key VARCHAR, n_docs BIGINT)")
    for start in range(0, len(to_count), BATCH):
        chunk = to_count[start:start + BATCH]
        rows = con.execute("""SELECT doc_id, coalesce(folder, ''), raw_text FROM raw_documents
                              WHERE doc_id IN (SELECT unnest(?))""", [chunk]).fetchall()
        keys_per_doc = pool.map(_template_keys_batch, [text for _, _, text in rows], WORKER_BATCH)
        folder_col: list[str] = []
        key_col: list[str] = []
        for (_, folder, _), keys in zip(rows, keys_per_doc):
            folder_col.extend([folder] * len(keys))
            key_col.extend(keys)
        if key_col:
            delta = (pl.DataFrame({"folder": folder_col, "line_key": key_col})
                     .group_by("folder", "line_key").len("n_docs"))
            con.register("_defcomm_line_chunk", delta.to_arrow())
            con.execute("INSERT INTO _defcomm_line_delta SELECT folder, line_key, n_docs FROM _defcomm_line_chunk")
            con.unregister("_defcomm_line_chunk")
        db.insert(con, "line_counted_docs",
                  pl.DataFrame({"doc_id": [r[0] for r in rows], "folder": [r[1] for r in rows]}))
    folders = {r[0] for r in con.execute(
        "SELECT DISTINCT coalesce(folder, '') FROM raw_documents WHERE doc_id IN (SELECT unnest(?))",
        [work_ids]).fetchall()}
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _defcomm_line_merged AS
        SELECT folder, line_key, sum(n_docs)::BIGINT AS n_docs FROM (
            SELECT * FROM line_counts WHERE folder IN (SELECT DISTINCT folder FROM _defcomm_line_delta)
            UNION ALL SELECT * FROM _defcomm_line_delta) GROUP BY 1, 2""")
    con.execute("DELETE FROM line_counts WHERE folder IN (SELECT DISTINCT folder FROM _defcomm_line_delta)")
    con.execute("INSERT INTO line_counts SELECT folder, line_key, n_docs FROM _defcomm_line_merged")
    con.execute("DROP TABLE _defcomm_line_merged")
    con.execute("DROP TABLE _defcomm_line_delta")
    n_docs = dict(con.execute("SELECT coalesce(folder, ''), count(*) FROM raw_documents GROUP BY 1").fetchall())
    out = {}
    for folder in folders:
        # only lines frequent enough to be template can be selected: fetch only those
        key_counts = dict(con.execute("SELECT line_key, n_docs FROM line_counts WHERE folder = ? AND n_docs >= ?",
                                      [folder, MIN_TEMPLATE_DOCS]).fetchall())
        out[folder] = select_template_keys(key_counts, n_docs.get(folder, 0))
    return out
