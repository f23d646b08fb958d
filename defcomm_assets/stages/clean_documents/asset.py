"""Stage clean_documents: the article without the page (boilerplate, headline, publication date, language)."""

import time
from dagster import AssetCheckResult, AssetCheckSpec, AssetExecutionContext, MaterializeResult, asset

from defcomm_assets.core import db
from defcomm_assets.stages.clean_documents.cleaning import body_fingerprint, clean_document
from defcomm_assets.stages.clean_documents.template_lines import template_keys_by_folder
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
        templates = template_keys_by_folder(con, work_ids, settings.full_refresh, pool)
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
