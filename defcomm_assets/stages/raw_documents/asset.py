"""Stage raw: every file of the source folder becomes a raw_documents row or a rejected_documents row."""

import time
from collections import Counter

from dagster import (AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetExecutionContext, Failure,
                     MaterializeResult, MetadataValue, asset)

from defcomm_assets.core import db
from defcomm_assets.core.incremental import now
from defcomm_assets.stages.raw_documents.ingest import RawFile, Rejection, SourceFolderError, list_source_files, read_document
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings
from defcomm_assets.core.versions import stage_version
from defcomm_assets.orchestration.metadata import POOL, preview, stage_metadata

BATCH = 1000  # documents per insert

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
    description="Every file under the source folder, decoded: a row here, or a row in rejected_documents with the reason.",
)
def raw_documents(context: AssetExecutionContext, database: DefcommDatabase, settings: DefcommSettings) -> MaterializeResult:
    started = time.perf_counter()
    try:
        files = list_source_files(settings.source_dir)
    except SourceFolderError as exc:
        raise Failure(description=f"{exc}. Set DEFCOMM_SOURCE_DIR or pass --source.") from None
    at = now()
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    with database.connect() as con, db.transaction(con):
        known = {r[0]: r[1:] for r in con.execute(
            "SELECT source_name, doc_id, n_bytes, file_mtime_ns, missing_since FROM raw_documents").fetchall()}
        known_rejected = {r[0]: r[1:] for r in con.execute(
            "SELECT source_name, n_bytes, file_mtime_ns FROM rejected_documents").fetchall()}
        doc_owner = {v[0]: name for name, v in known.items()}
        listed = {f.source_name for f in files}

        # Texts are written in batches as they are read, so memory stays bounded by a batch, not by the corpus.
        batch: list[RawFile] = []
        new_names: list[str] = []
        rejections, replaced, touched = [], [], []
        words = 0

        def flush() -> None:
            # A file whose content changed replaces its earlier version; later stages drop the old doc_id's rows.
            db.delete_docs(con, "raw_documents", replaced)
            replaced.clear()
            # Same bytes known under a vanished name: take the new name.
            db.delete_docs(con, "raw_documents", [r.doc_id for r in batch])
            db.insert(con, "raw_documents", [
                {"doc_id": r.doc_id, "source_name": r.file.source_name, "raw_text": r.text, "n_bytes": r.file.n_bytes,
                 "ingested_at": at, "folder": r.file.folder, "encoding": r.encoding,
                 "file_mtime_ns": r.file.mtime_ns, "missing_since": None} for r in batch])
            batch.clear()

        for f in files:
            prev = known.get(f.source_name)
            if not settings.full_refresh:
                if prev and prev[1] == f.n_bytes and prev[2] == f.mtime_ns and prev[3] is None:
                    counts["unchanged"] += 1
                    continue
                rej = known_rejected.get(f.source_name)
                if rej and rej[0] == f.n_bytes and rej[1] == f.mtime_ns:
                    counts["unchanged_rejected"] += 1
                    continue
            result = read_document(f, settings.max_file_bytes)
            if isinstance(result, RawFile):
                owner = doc_owner.get(result.doc_id)
                if prev and prev[0] == result.doc_id:
                    touched.append((f, result.doc_id))  # same bytes (mtime changed, reappeared or full refresh)
                    counts["unchanged"] += 1
                    continue
                if owner is not None and owner != f.source_name and owner in listed:
                    rejections.append(Rejection(f, "duplicate", f"same bytes as {owner}"))
                    continue
                if prev:
                    replaced.append(prev[0])
                    counts["changed"] += 1
                else:
                    counts["new"] += 1
                doc_owner[result.doc_id] = f.source_name
                new_names.append(f.source_name)
                words += len(result.text.split())
                batch.append(result)
                if len(batch) >= BATCH:
                    flush()
            else:
                rejections.append(result)
        flush()
        for f, doc_id in touched:
            con.execute("UPDATE raw_documents SET file_mtime_ns = ?, missing_since = NULL WHERE doc_id = ?",
                        [f.mtime_ns, doc_id])
        # Rejections: one current row per rejected file.
        good_names = new_names + [f.source_name for f, _ in touched]
        db.delete_docs(con, "rejected_documents", good_names + [r.file.source_name for r in rejections],
                       column="source_name")
        db.insert(con, "rejected_documents", [
            {"source_name": r.file.source_name, "reason": r.reason, "detail": r.detail, "n_bytes": r.file.n_bytes,
             "seen_at": at, "file_mtime_ns": r.file.mtime_ns} for r in rejections])
        reasons.update(r.reason for r in rejections)
        # A rejected file whose current content is rejected keeps its older good version, marked missing.
        for r in rejections:
            if r.file.source_name in known and r.reason != "duplicate":
                con.execute("UPDATE raw_documents SET missing_since = coalesce(missing_since, ?) WHERE source_name = ?",
                            [at, r.file.source_name])
        # Files that disappeared keep their rows, marked missing_since; nothing is lost.
        gone = [name for name, v in known.items() if name not in listed and v[3] is None]
        for name in gone:
            con.execute("UPDATE raw_documents SET missing_since = ? WHERE source_name = ?", [at, name])
        db.delete_docs(con, "rejected_documents", [n for n in known_rejected if n not in listed], column="source_name")
        counts["missing"] = len(gone)

        n_rejected = con.execute("SELECT count(*) FROM rejected_documents").fetchone()[0]
        n_dup = con.execute("SELECT count(*) - count(DISTINCT doc_id) FROM raw_documents").fetchone()[0]
        by_reason = con.execute("SELECT reason, count(*) FROM rejected_documents GROUP BY 1 ORDER BY 2 DESC").fetchall()
        md = preview(con, """
            SELECT source_name, doc_id, n_bytes, encoding, left(regexp_replace(raw_text, '\\s+', ' ', 'g'), 80) AS starts_with
            FROM raw_documents ORDER BY ingested_at DESC, source_name LIMIT 10""")
        if by_reason:
            md += "\n\n**Rejected files**\n\n" + preview(con, """
                SELECT source_name, reason, detail FROM rejected_documents ORDER BY seen_at DESC, source_name LIMIT 10""")
        meta = stage_metadata(con, "raw_documents", md, {
            "files_listed": len(files),
            "processed_docs": len(new_names),
            "new_docs": counts["new"],
            "changed_docs": counts["changed"],
            "unchanged_docs": counts["unchanged"],
            "missing_docs": counts["missing"],
            "rejected_this_run": len(rejections),
            "rejected_total": int(n_rejected),
            "rejected_by_reason": MetadataValue.json({k: v for k, v in by_reason}),
            "words": words,
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
