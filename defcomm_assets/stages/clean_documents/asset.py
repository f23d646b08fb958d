"""Stage clean_documents: the article without the page (boilerplate, headline, publication date, language)."""

import time
import polars as pl
from dagster import AssetCheckResult, AssetCheckSpec, AssetExecutionContext, MaterializeResult, asset

from defcomm_assets.core import db
from defcomm_assets.stages.clean_documents.cleaning import MIN_TEMPLATE_DOCS, body_fingerprint, clean_document, select_template_keys, template_line_keys
from defcomm_assets.core.incremental import error_row, forget_docs, now, orphaned_docs, pending_docs, status_row
from defcomm_assets.core.workers import WorkerError, WorkerPool, one_ahead
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings
from defcomm_assets.core.versions import fingerprint, stage_version
from defcomm_assets.orchestration.metadata import POOL, preview, stage_errors_check, stage_metadata, stage_workload

STAGE = "clean_documents"
BATCH = 2000  # documents per read/write step; memory stays bounded by this, not by the corpus
WORKER_BATCH = 50  # documents per task sent to a worker process
# The file name is an input too: it says whether a text is HTML, and a renamed file must reach clean_documents and
# the contacts (a rename keeps the doc_id, which comes from the bytes).
UPSTREAM = "SELECT doc_id, doc_id || '|' || source_name AS input_hash FROM raw_documents"

CLEAN_CHECKS = [
    AssetCheckSpec("no_stage_errors", asset="clean_documents", description="No document made the cleaner raise."),
    AssetCheckSpec("doc_id_unique", asset="clean_documents", blocking=True, description="Every doc_id appears once."),
    AssetCheckSpec("language_set", asset="clean_documents", blocking=True, description="Every document has a language."),
]


def english_mode(language: str) -> str:
    return "english" if language == "en" else "skipped_non_english"


def _template_keys_batch(texts: list[str]) -> list[set[str]]:
    return [template_line_keys(t) for t in texts]


def _clean_batch(rows: list[tuple]) -> list:
    """Per raw document: (clean_documents row, output hash), or the ``WorkerError`` it raised. Each row carries
    its folder's template keys (one object per folder, so pickled once per batch)."""
    out: list = []
    for doc_id, source_name, template_keys, raw_text in rows:
        try:
            c = clean_document(raw_text, source_name, template_keys)
        except Exception as exc:  # one bad document must not stop the others
            out.append(WorkerError.of(exc))
            continue
        row = {
            "doc_id": doc_id, "title": c.title, "published_date": c.published_date, "language": c.language,
            "clean_text": c.clean_text, "published_date_source": c.published_date_source,
            "nlp_mode": english_mode(c.language), "duplicate_of": None,
            "body_fingerprint": body_fingerprint(c.clean_text), "source_name": source_name,
            "n_words": len(c.clean_text.split()), "lines_total": c.lines_total, "lines_removed": c.lines_removed,
            "chars_removed": c.chars_removed}
        out.append((row, fingerprint(c.clean_text, c.title, c.published_date, c.language, source_name)))
    return out


def _template_keys_by_folder(con, work_ids: list[str], full_refresh: bool,
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
        rows = con.execute("SELECT doc_id, coalesce(folder, ''), raw_text FROM raw_documents WHERE doc_id IN (SELECT unnest(?))",
                           [chunk]).fetchall()
        keys_per_doc = pool.map(_template_keys_batch, [text for _, _, text in rows], WORKER_BATCH)
        folder_col: list[str] = []
        key_col: list[str] = []
        for (_, folder, _), keys in zip(rows, keys_per_doc):
            folder_col.extend([folder] * len(keys))
            key_col.extend(keys)
        if key_col:
            delta = pl.DataFrame({"folder": folder_col, "line_key": key_col}).group_by("folder", "line_key").len("n_docs")
            con.register("_defcomm_line_chunk", delta.to_arrow())
            con.execute("INSERT INTO _defcomm_line_delta SELECT folder, line_key, n_docs FROM _defcomm_line_chunk")
            con.unregister("_defcomm_line_chunk")
        db.insert(con, "line_counted_docs", pl.DataFrame({"doc_id": [r[0] for r in rows], "folder": [r[1] for r in rows]}))
    folders = {r[0] for r in con.execute(
        "SELECT DISTINCT coalesce(folder, '') FROM raw_documents WHERE doc_id IN (SELECT unnest(?))", [work_ids]).fetchall()}
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


@asset(
    group_name="stages",
    kinds={"duckdb", "python"},
    pool=POOL,
    code_version=stage_version(STAGE),
    deps=["raw_documents"],
    check_specs=CLEAN_CHECKS,
    description="The article body without menus, share buttons, ads, newsletter blocks and related-link lists; "
                "headline, publication date (with the rule that found it), language, exact duplicates.",
)
def clean_documents(context: AssetExecutionContext, database: DefcommDatabase, settings: DefcommSettings) -> MaterializeResult:
    started = time.perf_counter()
    version = stage_version(STAGE)
    at = now()
    processed = errors = words = removed_chars = 0
    _, n_process = stage_workload(database, STAGE, version, UPSTREAM, settings.full_refresh, settings.workers)
    with WorkerPool(n_process) as pool, database.connect() as con, db.transaction(con):
        forget_docs(con, STAGE, orphaned_docs(con, STAGE, UPSTREAM), ["clean_documents"])
        work = pending_docs(con, STAGE, version, UPSTREAM, settings.full_refresh)
        input_hash = {p.doc_id: p.input_hash for p in work}
        work_ids = list(input_hash)
        templates = _template_keys_by_folder(con, work_ids, settings.full_refresh, pool)
        no_templates: frozenset[str] = frozenset()

        def start(ids: list[str]):
            rows = con.execute("""SELECT doc_id, source_name, coalesce(folder, ''), raw_text FROM raw_documents
                                  WHERE doc_id IN (SELECT unnest(?))""", [ids]).fetchall()
            rows = [(d, name, templates.get(folder, no_templates), text) for d, name, folder, text in rows]
            return rows, pool.map(_clean_batch, rows, WORKER_BATCH)

        batches = [work_ids[i:i + BATCH] for i in range(0, len(work_ids), BATCH)]
        for ids, (rows, results) in one_ahead(batches, start):
            out, statuses, errs = [], [], []
            for (doc_id, source_name, _, _), result in zip(rows, results):
                if isinstance(result, WorkerError):
                    errs.append(error_row(doc_id, source_name, STAGE, result, at))
                    statuses.append(status_row(doc_id, STAGE, version, input_hash[doc_id], None, "error", at))
                    continue
                row, out_hash = result
                out.append(row)
                statuses.append(status_row(doc_id, STAGE, version, input_hash[doc_id], out_hash, "ok", at))
                words += row["n_words"]
                removed_chars += row["chars_removed"]
            forget_docs(con, STAGE, ids, ["clean_documents"])
            db.insert(con, "clean_documents", out)
            db.insert(con, "doc_stage_status", statuses)
            db.insert(con, "stage_errors", errs)
            processed += len(out)
            errors += len(errs)
        # Exact duplicates: the earliest ingested copy is the original; the others point to it.
        con.execute("""
            UPDATE clean_documents c SET duplicate_of = d.original
            FROM (SELECT c.doc_id, first(c.doc_id ORDER BY r.ingested_at, c.doc_id)
                         OVER (PARTITION BY c.body_fingerprint) AS original
                  FROM clean_documents c JOIN raw_documents r USING (doc_id)) d
            WHERE c.doc_id = d.doc_id AND c.duplicate_of IS DISTINCT FROM nullif(d.original, c.doc_id)""")
        con.execute("UPDATE clean_documents SET duplicate_of = NULL WHERE duplicate_of = doc_id")
        stats = con.execute("""
            SELECT count(*), count(*) FILTER (WHERE published_date IS NULL), count(*) FILTER (WHERE language <> 'en'),
                   count(*) FILTER (WHERE duplicate_of IS NOT NULL), count(*) FILTER (WHERE language IS NULL),
                   count(*) - count(DISTINCT doc_id)
            FROM clean_documents""").fetchone()
        errors_check = stage_errors_check(con, STAGE)
        md = preview(con, """
            SELECT c.source_name, c.title, c.published_date, c.published_date_source AS date_rule, c.language,
                   c.lines_total, c.lines_removed, round(100.0 * c.chars_removed / greatest(1, r.n_bytes), 1) AS pct_removed
            FROM clean_documents c JOIN raw_documents r USING (doc_id)
            ORDER BY c.source_name LIMIT 20""", width=60)
        meta = stage_metadata(con, "clean_documents", md, {
            "processed_docs": processed,
            "error_docs": errors,
            "words": words,
            "chars_removed": removed_chars,
            "undated_docs": int(stats[1]),
            "non_english_docs": int(stats[2]),
            "duplicate_docs": int(stats[3]),
            "elapsed_s": round(time.perf_counter() - started, 3),
            "stage_version": version,
        })
    checks = [
        errors_check,
        AssetCheckResult(check_name="doc_id_unique", passed=stats[5] == 0, metadata={"duplicates": int(stats[5])}),
        AssetCheckResult(check_name="language_set", passed=stats[4] == 0, metadata={"missing": int(stats[4])}),
    ]
    context.log.info(f"cleaned {processed} documents ({errors} errors)")
    return MaterializeResult(metadata=meta, check_results=checks)
