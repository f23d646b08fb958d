"""Stage events: who contacted whom, how, when and about what; and each real contact once (contacts)."""

import time
from collections import defaultdict

from dagster import AssetCheckResult, AssetCheckSpec, AssetExecutionContext, MaterializeResult, asset

from defcomm_assets.core import db
from defcomm_assets.stages.contacts.store import refresh_contacts
from defcomm_assets.core.incremental import error_row, forget_docs, now, orphaned_docs, pending_docs, status_row
from defcomm_assets.core.workers import WorkerError, WorkerPool, one_ahead
from defcomm_assets.core import vocabulary
from defcomm_assets.core.records import Mention
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings
from defcomm_assets.core.versions import fingerprint, stage_version
from defcomm_assets.orchestration.metadata import POOL, preview, run_scope, stage_errors_check, stage_metadata, stage_workload

STAGE = "events"
CHUNK = 2000  # documents per read/write step; memory stays bounded by this, not by the corpus
WORKER_BATCH = 50  # documents per task sent to a worker process
UPSTREAM = """SELECT doc_id, output_hash AS input_hash FROM doc_stage_status
              WHERE stage = 'entities' AND status IN ('ok', 'skipped_non_english')"""

EVENT_CHECKS = [
    AssetCheckSpec("no_stage_errors", asset="events", description="No document made the event rules raise."),
    AssetCheckSpec("event_id_unique", asset="events", blocking=True, description="Every event_id appears once."),
    AssetCheckSpec("evidence_in_clean_text", asset="events", blocking=True,
                   description="Every evidence sentence is verbatim in its document's clean_text."),
    AssetCheckSpec("sides_of_different_countries", asset="events", blocking=True,
                   description="Every event has at least two sides of different countries/organisations."),
    AssetCheckSpec("closed_vocabularies", asset="events", blocking=True,
                   description="event_type and status are from the closed lists."),
]


def _event_rows(doc_id: str, records) -> tuple[list[dict], list[dict]]:
    events, parts = [], []
    seen: set[str] = set()
    for rec in records:
        sides = sorted((p.entity_id or "", p.country_code, p.name) for p in rec.participants)
        event_id = fingerprint(doc_id, rec.event_type, sides, rec.evidence_start)
        n = 1
        while event_id in seen:  # two events of one type, sides and sentence: keep both, ids stay stable
            n += 1
            event_id = fingerprint(doc_id, rec.event_type, sides, rec.evidence_start, n)
        seen.add(event_id)
        events.append({"event_id": event_id, "doc_id": doc_id, "event_type": rec.event_type, "status": rec.status,
                       "event_date": rec.event_date, "topics": list(rec.topics), "evidence": rec.evidence,
                       "date_source": rec.date_source, "location": rec.location, "evidence_start": rec.evidence_start,
                       "evidence_end": rec.evidence_end, "rule": rec.rule, "is_main": rec.is_main})
        for i, p in enumerate(rec.participants):
            parts.append({"event_id": event_id, "entity_id": p.entity_id, "name": p.name, "country_code": p.country_code,
                          "role": p.role, "is_initiator": p.is_initiator, "position": i})
    return events, parts


def _events_batch(items: list[tuple]) -> list:
    """Per document: (events rows, participant rows, output hash), or the ``WorkerError`` it raised."""
    from defcomm_assets.stages.events.rules import extract_events

    out: list = []
    for doc_id, text, published, title, mention_rows in items:
        try:
            records = extract_events(text, [Mention(*r) for r in mention_rows], published, title)
        except Exception as exc:  # one bad document must not stop the others
            out.append(WorkerError.of(exc))
            continue
        evs, parts = _event_rows(doc_id, records)
        out.append((evs, parts, fingerprint([e["event_id"] for e in evs])))
    return out


def _load_docs(con, ids: list[str]):
    """The chunk's documents and, per document, its mentions as plain tuples (``Mention`` objects are built where
    they are used, in the worker, so the parent neither builds nor pickles them)."""
    docs = con.execute("""SELECT doc_id, source_name, clean_text, published_date, title, n_words FROM clean_documents
                          WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id""", [ids]).fetchall()
    mentions: dict[str, list[tuple]] = defaultdict(list)
    for row in con.execute("""
            SELECT m.doc_id, m.label, m.text, m.start_char, m.end_char, coalesce(e.canonical_name, m.text),
                   m.country_code, m.role, coalesce(m.mention_key, ''), m.entity_id
            FROM entity_mentions m LEFT JOIN entities e USING (entity_id)
            WHERE m.doc_id IN (SELECT unnest(?)) ORDER BY m.doc_id, m.start_char""", [ids]).fetchall():
        mentions[row[0]].append(row[1:])
    return docs, mentions


@asset(
    group_name="stages",
    kinds={"duckdb", "python"},
    pool=POOL,
    code_version=stage_version(STAGE) + "-" + stage_version("contacts"),
    deps=["entities"],
    check_specs=EVENT_CHECKS,
    description="Contacts between officials of different countries (calls, video calls, meetings, visits, "
                "negotiations, agreements, invitations), each with its sides, status, date, topics and the evidence "
                "sentence. Writes events, event_participants, and contacts (one row per real-world contact).",
)
def events(context: AssetExecutionContext, database: DefcommDatabase, settings: DefcommSettings) -> MaterializeResult:
    from defcomm_assets.stages.events import rules as event_rules  # noqa: F401  imported before the fork: the workers inherit its compiled rules

    started = time.perf_counter()
    version = stage_version(STAGE)
    at = now()
    processed = skipped = errors = words = n_events = 0
    _, n_process = stage_workload(database, STAGE, version, UPSTREAM, settings.full_refresh, settings.workers)
    with WorkerPool(n_process) as pool, database.connect() as con, db.transaction(con):
        orphans = orphaned_docs(con, STAGE, UPSTREAM)
        forget_docs(con, STAGE, orphans, ["events"])
        con.execute("DELETE FROM event_participants WHERE event_id NOT IN (SELECT event_id FROM events)")
        work = pending_docs(con, STAGE, version, UPSTREAM, settings.full_refresh)
        input_hash = {p.doc_id: p.input_hash for p in work}
        ids = list(input_hash)
        chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]

        def start(chunk: list[str]):
            """Read a chunk and start its event rules in the workers: (skipped statuses, documents, results)."""
            nonlocal skipped, words
            docs, mentions = _load_docs(con, chunk)
            skipped_ids = {r[0] for r in con.execute(
                """SELECT doc_id FROM doc_stage_status WHERE stage = 'entities' AND status = 'skipped_non_english'
                   AND doc_id IN (SELECT unnest(?))""", [chunk]).fetchall()}
            skipped_statuses, todo = [], []
            for doc_id, source_name, text, published, title, n_words in docs:
                if doc_id in skipped_ids:
                    skipped += 1
                    skipped_statuses.append(status_row(doc_id, STAGE, version, input_hash[doc_id], None,
                                                       "skipped_non_english", at))
                    continue
                words += n_words  # counted by the cleaning stage
                todo.append((doc_id, source_name, text, published, title))
            items = [(d, text, published, title, mentions.get(d, [])) for d, _, text, published, title in todo]
            return skipped_statuses, todo, pool.map(_events_batch, items, WORKER_BATCH)

        for chunk, (statuses, todo, results) in one_ahead(chunks, start):
            con.execute("""DELETE FROM event_participants WHERE event_id IN
                           (SELECT event_id FROM events WHERE doc_id IN (SELECT unnest(?)))""", [chunk])
            forget_docs(con, STAGE, chunk, ["events"])
            ev_rows, part_rows, errs = [], [], []
            for (doc_id, source_name, *_), result in zip(todo, results):
                if isinstance(result, WorkerError):
                    errs.append(error_row(doc_id, source_name, STAGE, result, at))
                    statuses.append(status_row(doc_id, STAGE, version, input_hash[doc_id], None, "error", at))
                    errors += 1
                    continue
                evs, parts, out_hash = result
                statuses.append(status_row(doc_id, STAGE, version, input_hash[doc_id], out_hash, "ok", at))
                ev_rows.extend(evs)
                part_rows.extend(parts)
                processed += 1
            n_events += db.insert(con, "events", ev_rows)
            db.insert(con, "event_participants", part_rows)
            db.insert(con, "doc_stage_status", statuses)
            db.insert(con, "stage_errors", errs)
        contacts_run = refresh_contacts(con, None if settings.full_refresh else ids + orphans)
        n_contacts = contacts_run.contacts

        # row checks of the events this run wrote (every event on a full refresh)
        scope, scope_params = run_scope(settings.full_refresh, ids)
        checks_sql = con.execute(f"""
            WITH e AS MATERIALIZED (SELECT event_id, doc_id, evidence, evidence_start, evidence_end FROM events {scope}),
                 c AS MATERIALIZED (SELECT doc_id, clean_text FROM clean_documents {scope}),
                 sides AS MATERIALIZED (SELECT p.event_id, count(DISTINCT p.country_code) AS n_countries
                                        FROM event_participants p SEMI JOIN e USING (event_id) GROUP BY p.event_id)
            SELECT
              (SELECT count(*) - count(DISTINCT event_id) FROM events),
              (SELECT count(*) FROM e JOIN c USING (doc_id)
                 WHERE substr(c.clean_text, e.evidence_start + 1, e.evidence_end - e.evidence_start) <> e.evidence),
              (SELECT count(*) FROM e LEFT JOIN sides s USING (event_id) WHERE coalesce(s.n_countries, 0) < 2),
              (SELECT count(*) FROM events WHERE event_type NOT IN {tuple(vocabulary.EVENT_TYPES)} OR status NOT IN {tuple(vocabulary.EVENT_STATUSES)})""",
            scope_params).fetchone()
        n_dup, n_bad_evidence, n_one_sided, n_bad_vocab = (int(x) for x in checks_sql)
        errors_check = stage_errors_check(con, STAGE)
        by_type = dict(con.execute("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall())
        # the events this run wrote (the first documents of it); the whole table when the run wrote none
        shown = ids[:100] or [r[0] for r in con.execute("SELECT DISTINCT doc_id FROM events ORDER BY 1 LIMIT 100").fetchall()]
        md = preview(con, """
            SELECT e.event_type, e.status, e.event_date, string_agg(p.name || ' (' || p.country_code || ')', ' – '
                   ORDER BY p.position) AS sides, e.evidence
            FROM events e JOIN event_participants p USING (event_id)
            WHERE e.doc_id IN (SELECT unnest(?))
            GROUP BY e.event_id, e.event_type, e.status, e.event_date, e.evidence, e.doc_id, e.evidence_start
            ORDER BY e.doc_id, e.evidence_start LIMIT 15""", [shown], width=100)
        meta = stage_metadata(con, "events", md, {
            "processed_docs": processed,
            "skipped_non_english_docs": skipped,
            "error_docs": errors,
            "words": words,
            "events_written": n_events,
            "events_by_type": by_type,
            "contacts": n_contacts,
            "contacts_regrouped": contacts_run.regrouped,
            "elapsed_s": round(time.perf_counter() - started, 3),
            "stage_version": version,
        })
    checks = [
        errors_check,
        AssetCheckResult(check_name="event_id_unique", passed=n_dup == 0, metadata={"duplicates": n_dup}),
        AssetCheckResult(check_name="evidence_in_clean_text", passed=n_bad_evidence == 0,
                         metadata={"bad_evidence": n_bad_evidence,
                                   "checked": "every event" if settings.full_refresh else "events of this run"}),
        AssetCheckResult(check_name="sides_of_different_countries", passed=n_one_sided == 0,
                         metadata={"one_sided_events": n_one_sided,
                                   "checked": "every event" if settings.full_refresh else "events of this run"}),
        AssetCheckResult(check_name="closed_vocabularies", passed=n_bad_vocab == 0, metadata={"bad_rows": n_bad_vocab}),
    ]
    return MaterializeResult(metadata=meta, check_results=checks)
