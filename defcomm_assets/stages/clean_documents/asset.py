"""Stage clean_documents: the article without the page (boilerplate, headline, publication date, language)."""

from dagster import AssetCheckResult, AssetCheckSpec, AssetExecutionContext, MaterializeResult, asset

from defcomm_assets.core.versions import fingerprint, stage_version
from defcomm_assets.core.workers import WorkerError
from defcomm_assets.orchestration.metadata import POOL, preview
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings
from defcomm_assets.orchestration.stage_engine import Chunk, DocumentStage, StageRun, run_stage
from defcomm_assets.stages.clean_documents.cleaning import body_fingerprint, clean_document
from defcomm_assets.stages.clean_documents.template_lines import template_keys_by_folder

STAGE = "clean_documents"
NO_TEMPLATES: frozenset[str] = frozenset()

CLEAN_CHECKS = [
    AssetCheckSpec("no_stage_errors", asset="clean_documents", description="No document made the cleaner raise."),
    AssetCheckSpec("doc_id_unique", asset="clean_documents", blocking=True, description="Every doc_id appears once."),
    AssetCheckSpec("language_set", asset="clean_documents", blocking=True,
                   description="Every document has a language."),
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


def _prepare(run: StageRun) -> None:
    run.state["templates"] = template_keys_by_folder(run.con, run.work_ids, run.full_refresh, run.pool)


def _read(run: StageRun, ids: list[str]) -> Chunk:
    rows = run.con.execute("""SELECT doc_id, source_name, coalesce(folder, ''), raw_text FROM raw_documents
                              WHERE doc_id IN (SELECT unnest(?))""", [ids]).fetchall()
    rows = [(d, name, run.state["templates"].get(folder, NO_TEMPLATES), text) for d, name, folder, text in rows]
    return Chunk(docs=rows, tasks=rows)


def _write(run: StageRun, done: list) -> tuple[dict, list[str]]:
    rows = [row for _, (row, _) in done]
    run.words += sum(r["n_words"] for r in rows)
    run.counts["chars_removed"] += sum(r["chars_removed"] for r in rows)
    return {"clean_documents": rows}, [out_hash for _, (_, out_hash) in done]


def _mark_duplicates(run: StageRun) -> None:
    """Exact duplicates: the earliest ingested copy is the original; the others point to it."""
    run.con.execute("""
        UPDATE clean_documents c SET duplicate_of = d.original
        FROM (SELECT c.doc_id, first(c.doc_id ORDER BY r.ingested_at, c.doc_id)
                     OVER (PARTITION BY c.body_fingerprint) AS original
              FROM clean_documents c JOIN raw_documents r USING (doc_id)) d
        WHERE c.doc_id = d.doc_id AND c.duplicate_of IS DISTINCT FROM nullif(d.original, c.doc_id)""")
    run.con.execute("UPDATE clean_documents SET duplicate_of = NULL WHERE duplicate_of = doc_id")


def _report(run: StageRun) -> tuple[str, dict, list[AssetCheckResult]]:
    stats = run.con.execute("""
        SELECT count(*), count(*) FILTER (WHERE published_date IS NULL), count(*) FILTER (WHERE language <> 'en'),
               count(*) FILTER (WHERE duplicate_of IS NOT NULL), count(*) FILTER (WHERE language IS NULL)
        FROM clean_documents""").fetchone()
    md = preview(run.con, """
        SELECT c.source_name, c.title, c.published_date, c.published_date_source AS date_rule, c.language,
               c.lines_total, c.lines_removed, round(100.0 * c.chars_removed / greatest(1, r.n_bytes), 1) AS pct_removed
        FROM clean_documents c JOIN raw_documents r USING (doc_id)
        ORDER BY c.source_name LIMIT 20""", width=60)
    meta = {"chars_removed": run.counts["chars_removed"], "undated_docs": int(stats[1]),
            "non_english_docs": int(stats[2]), "duplicate_docs": int(stats[3])}
    return md, meta, [
        AssetCheckResult(check_name="language_set", passed=stats[4] == 0, metadata={"missing": int(stats[4])}),
    ]


CLEAN = DocumentStage(
    name=STAGE, table="clean_documents", tables=("clean_documents",),
    # The file name is an input too: it says whether a text is HTML, and a renamed file must reach clean_documents
    # and the contacts (a rename keeps the doc_id, which comes from the bytes).
    upstream="SELECT doc_id, doc_id || '|' || source_name AS input_hash FROM raw_documents",
    prepare=_prepare, read=_read, work=_clean_batch, write=_write, finish=_mark_duplicates, report=_report,
    verb="cleaned")


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
def clean_documents(context: AssetExecutionContext, database: DefcommDatabase,
                    settings: DefcommSettings) -> MaterializeResult:
    return run_stage(CLEAN, context, database, settings, stage_version(STAGE))
