"""Stage raw: every file of the source folder becomes a raw_documents row or a rejected_documents row."""

import time

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from defcomm_assets.core import db
from defcomm_assets.core.incremental import now
from defcomm_assets.core.versions import stage_version
from defcomm_assets.orchestration.metadata import POOL, preview, stage_metadata
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings
from defcomm_assets.stages.raw_documents.ingest import SourceFolderError, list_source_files
from defcomm_assets.stages.raw_documents.sync import sync_source_files

RAW_CHECKS = [
    AssetCheckSpec("no_rejected_files", asset="raw_documents",
                   description="Warns when files of the source folder were rejected (see rejected_documents)."),
    AssetCheckSpec("doc_id_unique", asset="raw_documents", blocking=True,
                   description="Every doc_id appears once."),
]


@asset(
    group_name="stages",
    kinds={"duckdb", "python"},
    pool=POOL,
    code_version=stage_version("raw_documents"),
    check_specs=RAW_CHECKS,
    description=(
        "Every file under the source folder, decoded: a row here, or a row in rejected_documents with the reason."
    ),
)
def raw_documents(
    context: AssetExecutionContext, database: DefcommDatabase, settings: DefcommSettings
) -> MaterializeResult:
    started = time.perf_counter()
    try:
        files = list_source_files(settings.source_dir)
    except SourceFolderError as exc:
        raise Failure(description=f"{exc}. Set DEFCOMM_SOURCE_DIR or pass --source.") from None
    with database.connect() as con, db.transaction(con):
        run = sync_source_files(con, files, settings.max_file_bytes, settings.full_refresh, now())
        counts, rejections = run.counts, run.rejections

        n_rejected = con.execute("SELECT count(*) FROM rejected_documents").fetchone()[0]
        n_dup = con.execute("SELECT count(*) - count(DISTINCT doc_id) FROM raw_documents").fetchone()[0]
        by_reason = con.execute("SELECT reason, count(*) FROM rejected_documents GROUP BY 1 ORDER BY 2 DESC").fetchall()
        md = preview(con, """
            SELECT source_name, doc_id, n_bytes, encoding,
                   left(regexp_replace(raw_text, '\\s+', ' ', 'g'), 80) AS starts_with
            FROM raw_documents ORDER BY ingested_at DESC, source_name LIMIT 10""")
        if by_reason:
            md += "\n\n**Rejected files**\n\n" + preview(con, """
                SELECT source_name, reason, detail FROM rejected_documents
                ORDER BY seen_at DESC, source_name LIMIT 10""")
        meta = stage_metadata(con, "raw_documents", md, {
            "files_listed": len(files),
            "processed_docs": len(run.new_names),
            "new_docs": counts["new"],
            "changed_docs": counts["changed"],
            "unchanged_docs": counts["unchanged"],
            "missing_docs": counts["missing"],
            "rejected_this_run": len(rejections),
            "rejected_total": int(n_rejected),
            "rejected_by_reason": MetadataValue.json({k: v for k, v in by_reason}),
            "words": run.words,
            "elapsed_s": round(time.perf_counter() - started, 3),
            "source_dir": settings.source_dir,
        })
    context.log.info(f"raw: {counts['new']} new, {counts['changed']} changed, {len(rejections)} rejected")
    checks = [
        AssetCheckResult(check_name="no_rejected_files", passed=n_rejected == 0, severity=AssetCheckSeverity.WARN,
                         metadata={"rejected": int(n_rejected), "by_reason": MetadataValue.json(dict(by_reason))}),
        AssetCheckResult(check_name="doc_id_unique", passed=n_dup == 0, metadata={"duplicates": int(n_dup)}),
    ]
    return MaterializeResult(metadata=meta, check_results=checks)
