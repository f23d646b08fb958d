"""Stage entities: persons, bodies, places and offices, each resolved to one canonical entity."""

from dagster import AssetCheckResult, AssetCheckSpec, AssetExecutionContext, MaterializeResult, asset

from defcomm_assets.core import db
from defcomm_assets.core.records import Entity
from defcomm_assets.core.versions import fingerprint, stage_version
from defcomm_assets.orchestration.metadata import POOL, preview, run_scope
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings, NlpPipeline
from defcomm_assets.orchestration.stage_engine import Chunk, DocumentStage, StageRun, run_stage
from defcomm_assets.stages.entities import mentions
from defcomm_assets.stages.entities.pipeline import init_mention_worker, mention_rows_batch
from defcomm_assets.stages.entities.resolve import resolve_entities

ENTITY_CHECKS = [
    AssetCheckSpec("no_stage_errors", asset="entities", description="No document made the NLP pipeline raise."),
    AssetCheckSpec("entity_id_unique", asset="entities", blocking=True, description="Every entity_id appears once."),
    AssetCheckSpec("mentions_resolve", asset="entities", blocking=True,
                   description="Every mention points to an entity, and its offsets are inside the clean text."),
]


def _non_english(run: StageRun) -> dict[str, str]:
    """The English rules are not run on the other documents (the status says so)."""
    modes = dict(run.con.execute("SELECT doc_id, nlp_mode FROM clean_documents WHERE doc_id IN (SELECT unnest(?))",
                                 [run.ids]).fetchall()) if run.ids else {}
    return {d: fingerprint(run.input_hash[d], run.version) for d in run.ids if modes.get(d) != "english"}


def _load_known(run: StageRun) -> None:
    """The entities known so far: each chunk's mentions are resolved against all of them (corpus-wide)."""
    run.state["known"] = {r[0]: Entity(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ())) for r in run.con.execute(
        "SELECT entity_id, canonical_name, label, country_code, role, aliases FROM entities").fetchall()}


def _read(run: StageRun, ids: list[str]) -> Chunk:
    rows = run.con.execute("""SELECT doc_id, source_name, clean_text, n_words FROM clean_documents
                              WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id""", [ids]).fetchall()
    return Chunk(docs=rows, tasks=[text for _, _, text, _ in rows])


def _write(run: StageRun, done: list) -> tuple[dict, list[str]]:
    """Resolves the chunk's mentions against every entity known so far (upserting the entities it changes)."""
    run.words += sum(n_words for (_, _, _, n_words), _ in done)  # counted by the cleaning stage
    docs = [(doc_id, mentions.mentions_from_rows(rows)) for (doc_id, *_), rows in done]
    if not docs:
        return {}, []
    known = run.state["known"]
    upserts, mention_ids = resolve_entities(docs, list(known.values()))
    known.update((e.entity_id, e) for e in upserts)
    db.delete_docs(run.con, "entities", [e.entity_id for e in upserts], column="entity_id")
    db.insert(run.con, "entities", [{"entity_id": e.entity_id, "canonical_name": e.canonical_name, "label": e.label,
                                     "country_code": e.country_code, "role": e.role, "aliases": list(e.aliases)}
                                    for e in upserts])
    rows, out_hashes = [], []
    for (doc_id, ms), eids in zip(docs, mention_ids):
        doc_rows = [{"doc_id": doc_id, "entity_id": eid, "label": m.label, "text": m.text, "start_char": m.start_char,
                     "end_char": m.end_char, "country_code": m.country_code, "role": m.role, "mention_key": m.key}
                    for m, eid in zip(ms, eids)]
        rows.extend(doc_rows)
        out_hashes.append(fingerprint(run.input_hash[doc_id], run.version,
                                      [(r["entity_id"], r["start_char"]) for r in doc_rows]))
    return {"entity_mentions": rows}, out_hashes


def _drop_unmentioned(run: StageRun) -> None:
    run.con.execute("DELETE FROM entities WHERE entity_id NOT IN (SELECT DISTINCT entity_id FROM entity_mentions)")


def _report(run: StageRun) -> tuple[str, dict, list[AssetCheckResult]]:
    con, english = run.con, run.work_ids
    scope, scope_params = run_scope(run.full_refresh, english)  # the mentions this run wrote (all on a full refresh)
    n_bad = con.execute(f"""
        WITH m AS MATERIALIZED (SELECT * FROM entity_mentions {scope}),
             c AS MATERIALIZED (SELECT doc_id, length(clean_text) AS n_chars FROM clean_documents {scope})
        SELECT count(*) FROM m LEFT JOIN entities e USING (entity_id) LEFT JOIN c USING (doc_id)
        WHERE e.entity_id IS NULL OR c.doc_id IS NULL OR m.start_char < 0 OR m.end_char > c.n_chars
              OR m.start_char >= m.end_char""", scope_params).fetchone()[0]
    # the persons of this run's documents (all on a full refresh or an empty run): a daily run must not cost the corpus
    scoped = not run.full_refresh and bool(english)
    md = f"**Persons** (most mentioned{' in the documents of this run' if scoped else ''})\n\n" + preview(con, f"""
        SELECT e.canonical_name, e.country_code, e.role, count(*) AS mentions, count(DISTINCT m.doc_id) AS docs,
               array_to_string(e.aliases, ' / ') AS aliases
        FROM entities e JOIN entity_mentions m USING (entity_id) WHERE e.label = 'PERSON'
        {"AND m.doc_id IN (SELECT unnest(?))" if scoped else ""}
        GROUP BY ALL ORDER BY mentions DESC, e.canonical_name LIMIT 15""", [english] if scoped else None, width=60)
    persons = int(con.execute("SELECT count(*) FROM entities WHERE label = 'PERSON'").fetchone()[0])
    meta = {"mentions_written": run.written["entity_mentions"],
            "entity_mentions_rows": db.row_count(con, "entity_mentions"), "persons": persons,
            "n_process": run.n_process}
    return md, meta, [AssetCheckResult(check_name="mentions_resolve", passed=n_bad == 0, metadata={
        "bad_mentions": int(n_bad), "checked": "every document" if run.full_refresh else "documents of this run"})]


ENTITIES = DocumentStage(
    name="entities", table="entities", key="entity_id", tables=("entity_mentions",), chunk_size=1000,
    upstream="""SELECT doc_id, output_hash AS input_hash FROM doc_stage_status
                WHERE stage = 'clean_documents' AND status = 'ok'""",
    skips=_non_english, prepare=_load_known, read=_read, work=mention_rows_batch, write=_write,
    finish=_drop_unmentioned, report=_report)


@asset(
    group_name="stages",
    kinds={"duckdb", "spacy"},
    pool=POOL,
    code_version=stage_version("entities"),
    deps=["clean_documents"],
    check_specs=ENTITY_CHECKS,
    description="Officials, bodies, countries and offices found by the spaCy pipeline (rules and gazetteers), "
                "attributed to a country and office, and resolved across the corpus to one entity per real person. "
                "Writes entities and entity_mentions.",
)
def entities(context: AssetExecutionContext, database: DefcommDatabase, settings: DefcommSettings,
             nlp: NlpPipeline) -> MaterializeResult:
    return run_stage(ENTITIES, context, database, settings, stage_version("entities", extra=nlp.spacy_model or ""),
                     workers=nlp.n_process, worker_batch=nlp.batch_size, worker_init=init_mention_worker,
                     worker_init_args=(nlp.spacy_model,), before_fork=nlp.get,
                     metadata={"spacy_model": nlp.spacy_model or "built-in rules"})
