"""Stage entities: persons, bodies, places and offices, each resolved to one canonical entity."""

import time
from collections.abc import Iterator

from dagster import AssetCheckResult, AssetCheckSpec, AssetExecutionContext, MaterializeResult, asset

from defcomm_assets.core import db
from defcomm_assets.core.incremental import error_row, forget_docs, now, orphaned_docs, pending_docs, status_row
from defcomm_assets.core.records import Entity
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings, NlpPipeline
from defcomm_assets.core.versions import fingerprint, stage_version
from defcomm_assets.orchestration.metadata import POOL, preview, run_scope, stage_errors_check, stage_metadata, stage_workload

STAGE = "entities"
CHUNK = 1000  # documents per resolve/write step; memory stays bounded by this, not by the corpus
UPSTREAM = """SELECT doc_id, output_hash AS input_hash FROM doc_stage_status
              WHERE stage = 'clean_documents' AND status = 'ok'"""

ENTITY_CHECKS = [
    AssetCheckSpec("no_stage_errors", asset="entities", description="No document made the NLP pipeline raise."),
    AssetCheckSpec("entity_id_unique", asset="entities", blocking=True, description="Every entity_id appears once."),
    AssetCheckSpec("mentions_resolve", asset="entities", blocking=True,
                   description="Every mention points to an entity, and its offsets are inside the clean text."),
]


def _entity_row(e: Entity) -> dict:
    return {"entity_id": e.entity_id, "canonical_name": e.canonical_name, "label": e.label,
            "country_code": e.country_code, "role": e.role, "aliases": list(e.aliases)}


def _chunks(con, ids: list[str]) -> Iterator[list[tuple[str, str, str, int]]]:
    """(doc_id, source_name, clean_text, n_words) in chunks: memory is bounded by the chunk, not the corpus."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        yield con.execute("""SELECT doc_id, source_name, clean_text, n_words FROM clean_documents
                             WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id""", [chunk]).fetchall()


@asset(
    group_name="stages",
    kinds={"duckdb", "spacy"},
    pool=POOL,
    code_version=stage_version(STAGE),
    deps=["clean_documents"],
    check_specs=ENTITY_CHECKS,
    description="Officials, bodies, countries and offices found by the spaCy pipeline (rules and gazetteers), "
                "attributed to a country and office, and resolved across the corpus to one entity per real person. "
                "Writes entities and entity_mentions.",
)
def entities(context: AssetExecutionContext, database: DefcommDatabase, settings: DefcommSettings,
             nlp: NlpPipeline) -> MaterializeResult:
    from spacy.util import raise_error

    from defcomm_assets.stages.entities.mentions import mentions_from_rows
    from defcomm_assets.stages.entities.pipeline import init_mention_worker, mention_rows_batch
    from defcomm_assets.stages.entities.resolve import resolve_entities
    from defcomm_assets.core.workers import WorkerError, WorkerPool, one_ahead

    started = time.perf_counter()
    version = stage_version(STAGE, extra=nlp.spacy_model or "")
    at = now()
    processed = skipped = errors = words = n_mentions = 0
    n_pending, n_process = stage_workload(database, STAGE, version, UPSTREAM, settings.full_refresh, nlp.n_process)
    if n_pending:
        # Built before the workers are forked, so they inherit it instead of building their own; not built at all
        # when there is nothing to do (a run with no new documents).
        nlp.get().set_error_handler(raise_error)
    with WorkerPool(n_process, init_mention_worker if n_pending else None, (nlp.spacy_model,)) as pool, \
            database.connect() as con, db.transaction(con):
        forget_docs(con, STAGE, orphaned_docs(con, STAGE, UPSTREAM), ["entity_mentions"])
        work = pending_docs(con, STAGE, version, UPSTREAM, settings.full_refresh)
        input_hash = {p.doc_id: p.input_hash for p in work}
        ids = list(input_hash)
        forget_docs(con, STAGE, ids, ["entity_mentions"])
        modes = dict(con.execute("SELECT doc_id, nlp_mode FROM clean_documents WHERE doc_id IN (SELECT unnest(?))",
                                 [ids]).fetchall()) if ids else {}
        english = [d for d in ids if modes.get(d) == "english"]
        # Non-English documents: the English rules are not run on them, and the status says so.
        db.insert(con, "doc_stage_status", [status_row(d, STAGE, version, input_hash[d], fingerprint(input_hash[d], version),
                                                       "skipped_non_english", at) for d in ids if modes.get(d) != "english"])
        skipped = len(ids) - len(english)
        known = {r[0]: Entity(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ())) for r in con.execute(
            "SELECT entity_id, canonical_name, label, country_code, role, aliases FROM entities").fetchall()}

        pending_chunk: list[tuple[str, str, list]] = []

        def flush():
            nonlocal n_mentions
            if not pending_chunk:
                return
            upserts, mention_ids = resolve_entities([(d, ms) for d, _, ms in pending_chunk], list(known.values()))
            for e in upserts:
                known[e.entity_id] = e
            db.delete_docs(con, "entities", [e.entity_id for e in upserts], column="entity_id")
            db.insert(con, "entities", [_entity_row(e) for e in upserts])
            rows, statuses = [], []
            for (doc_id, _, ms), eids in zip(pending_chunk, mention_ids):
                doc_rows = [{"doc_id": doc_id, "entity_id": eid, "label": m.label, "text": m.text,
                             "start_char": m.start_char, "end_char": m.end_char, "country_code": m.country_code,
                             "role": m.role, "mention_key": m.key} for m, eid in zip(ms, eids)]
                rows.extend(doc_rows)
                out_hash = fingerprint(input_hash[doc_id], version, [(r["entity_id"], r["start_char"]) for r in doc_rows])
                statuses.append(status_row(doc_id, STAGE, version, input_hash[doc_id], out_hash, "ok", at))
            n_mentions += db.insert(con, "entity_mentions", rows)
            db.insert(con, "doc_stage_status", statuses)
            pending_chunk.clear()

        # The next chunk is already in the workers while this one is resolved and written.
        def start(rows):
            return pool.map(mention_rows_batch, [text for _, _, text, _ in rows], nlp.batch_size)

        for rows, results in one_ahead(_chunks(con, english), start):
            for (doc_id, source_name, _, n_words), mention_rows in zip(rows, results):
                if isinstance(mention_rows, WorkerError):  # this document made the pipeline raise
                    errors += 1
                    db.insert(con, "stage_errors", [error_row(doc_id, source_name, STAGE, mention_rows, at)])
                    db.insert(con, "doc_stage_status",
                              [status_row(doc_id, STAGE, version, input_hash[doc_id], None, "error", at)])
                    continue
                words += n_words  # counted by the cleaning stage
                processed += 1
                pending_chunk.append((doc_id, source_name, mentions_from_rows(mention_rows)))
            flush()
        con.execute("DELETE FROM entities WHERE entity_id NOT IN (SELECT DISTINCT entity_id FROM entity_mentions)")

        n_dup = con.execute("SELECT count(*) - count(DISTINCT entity_id) FROM entities").fetchone()[0]
        # offsets of the mentions this run wrote (every mention on a full refresh)
        scope, scope_params = run_scope(settings.full_refresh, english)
        n_bad = con.execute(f"""
            WITH m AS MATERIALIZED (SELECT * FROM entity_mentions {scope}),
                 c AS MATERIALIZED (SELECT doc_id, length(clean_text) AS n_chars FROM clean_documents {scope})
            SELECT count(*) FROM m LEFT JOIN entities e USING (entity_id) LEFT JOIN c USING (doc_id)
            WHERE e.entity_id IS NULL OR c.doc_id IS NULL OR m.start_char < 0 OR m.end_char > c.n_chars
                  OR m.start_char >= m.end_char""",
            scope_params).fetchone()[0]
        errors_check = stage_errors_check(con, STAGE)
        # the persons of this run's documents (of every document on a full refresh, or when the run wrote none):
        # counting every mention of the corpus would make a daily run's preview cost the corpus
        scoped = not settings.full_refresh and bool(english)
        md = f"**Persons** (most mentioned{' in the documents of this run' if scoped else ''})\n\n" + preview(con, f"""
            SELECT e.canonical_name, e.country_code, e.role, count(*) AS mentions, count(DISTINCT m.doc_id) AS docs,
                   array_to_string(e.aliases, ' / ') AS aliases
            FROM entities e JOIN entity_mentions m USING (entity_id) WHERE e.label = 'PERSON'
            {"AND m.doc_id IN (SELECT unnest(?))" if scoped else ""}
            GROUP BY ALL ORDER BY mentions DESC, e.canonical_name LIMIT 15""", [english] if scoped else None, width=60)
        meta = stage_metadata(con, "entities", md, {
            "processed_docs": processed,
            "skipped_non_english_docs": skipped,
            "error_docs": errors,
            "words": words,
            "mentions_written": n_mentions,
            "entity_mentions_rows": db.row_count(con, "entity_mentions"),
            "persons": int(con.execute("SELECT count(*) FROM entities WHERE label = 'PERSON'").fetchone()[0]),
            "n_process": n_process,
            "spacy_model": nlp.spacy_model or "built-in rules",
            "elapsed_s": round(time.perf_counter() - started, 3),
            "stage_version": version,
        })
    checks = [
        errors_check,
        AssetCheckResult(check_name="entity_id_unique", passed=n_dup == 0, metadata={"duplicates": int(n_dup)}),
        AssetCheckResult(check_name="mentions_resolve", passed=n_bad == 0,
                         metadata={"bad_mentions": int(n_bad),
                                   "checked": "every document" if settings.full_refresh else "documents of this run"}),
    ]
    return MaterializeResult(metadata=meta, check_results=checks)
