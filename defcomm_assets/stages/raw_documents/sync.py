"""Bringing raw_documents and rejected_documents in line with the files of the source folder, in one transaction.

New and changed files are read and written in batches; unchanged ones (same size and mtime) are not read; a file
whose content changed replaces its earlier version; files that disappeared keep their rows, marked
``missing_since``. Uses a DuckDB connection; no Dagster (the asset lists the folder and reports).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import duckdb

from defcomm_assets.core import db
from defcomm_assets.stages.raw_documents.ingest import RawFile, Rejection, SourceFile, read_document

BATCH = 1000  # documents per insert


@dataclass
class SyncResult:
    counts: Counter  # new, changed, unchanged, unchanged_rejected, missing
    new_names: list[str]  # files read and written by this run
    rejections: list[Rejection]  # files rejected by this run
    words: int  # words of the texts written by this run


def sync_source_files(con: duckdb.DuckDBPyConnection, files: list[SourceFile], max_file_bytes: int,
                      full_refresh: bool, at: datetime) -> SyncResult:
    counts: Counter[str] = Counter()
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
        if not full_refresh:
            if prev and prev[1] == f.n_bytes and prev[2] == f.mtime_ns and prev[3] is None:
                counts["unchanged"] += 1
                continue
            rej = known_rejected.get(f.source_name)
            if rej and rej[0] == f.n_bytes and rej[1] == f.mtime_ns:
                counts["unchanged_rejected"] += 1
                continue
        result = read_document(f, max_file_bytes)
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
    return SyncResult(counts, new_names, rejections, words)
