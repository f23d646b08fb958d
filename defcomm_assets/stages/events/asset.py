"""Stage events: who contacted whom, how, when and about what; and each real contact once (contacts)."""

from collections import defaultdict

from dagster import AssetCheckResult, AssetCheckSpec, AssetExecutionContext, MaterializeResult, asset

from defcomm_assets.core import vocabulary
from defcomm_assets.core.incremental import forget_docs
from defcomm_assets.core.versions import stage_version
from defcomm_assets.orchestration.metadata import POOL, preview, run_scope
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings
from defcomm_assets.orchestration.stage_engine import Chunk, DocumentStage, StageRun, run_stage
from defcomm_assets.stages.contacts.store import refresh_contacts
from defcomm_assets.stages.events import queries
from defcomm_assets.stages.events.rows import events_batch

EVENT_CHECKS = [
    AssetCheckSpec("no_stage_errors", asset="events", description="No document made the event rules raise."),
    AssetCheckSpec("event_id_unique", asset="events", blocking=True, description="Every event_id appears once."),
    AssetCheckSpec("evidence_in_clean_text", asset="events", blocking=True,
                   description="Every evidence sentence is verbatim in its document's clean_text."),
    AssetCheckSpec("sides_of_different_countries", asset="events", blocking=True,
                   description="Every event has at least two sides of different countries/organisations."),
    AssetCheckSpec("closed_vocabularies", asset="events", blocking=True,
                   description="event_type, status and the CAMEO/PLOVER codes are from the closed lists."),
]


def _non_english(run: StageRun) -> dict[str, None]:
    """Documents the entities stage skipped (not English) are skipped here too."""
    skipped = {r[0] for r in run.con.execute("""SELECT doc_id FROM doc_stage_status WHERE stage = 'entities'
        AND status = 'skipped_non_english' AND doc_id IN (SELECT unnest(?))""", [run.ids]).fetchall()}
    return {d: None for d in run.ids if d in skipped}


def _forget(run: StageRun, doc_ids: list[str]) -> None:
    run.con.execute("""DELETE FROM event_participants WHERE event_id IN
                       (SELECT event_id FROM events WHERE doc_id IN (SELECT unnest(?)))""", [doc_ids])
    forget_docs(run.con, "events", doc_ids, ["events"])


def _read(run: StageRun, ids: list[str]) -> Chunk:
    """The chunk's documents, and their mentions as plain tuples: the workers build the ``Mention`` objects."""
    docs = run.con.execute("""SELECT doc_id, source_name, clean_text, published_date, title, n_words
                              FROM clean_documents
                              WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id""", [ids]).fetchall()
    mentions: dict[str, list[tuple]] = defaultdict(list)
    cur = run.con.execute("""
            SELECT m.doc_id, m.label, m.text, m.start_char, m.end_char,
                   coalesce(e.canonical_name, m.text) AS canonical_name,
                   m.country_code, m.role, coalesce(m.mention_key, '') AS key, m.entity_id
            FROM entity_mentions m LEFT JOIN entities e USING (entity_id)
            WHERE m.doc_id IN (SELECT unnest(?)) ORDER BY m.doc_id, m.start_char""", [ids])
    fields = tuple(d[0] for d in cur.description[1:])  # the workers build each Mention by these names
    for row in cur.fetchall():
        mentions[row[0]].append(row[1:])
    run.words += sum(d[5] for d in docs)  # counted by the cleaning stage
    return Chunk(docs=docs, tasks=[(d, text, published, title, fields, mentions.get(d, []))
                                   for d, _, text, published, title, _ in docs])


def _write(run: StageRun, done: list) -> tuple[dict, list[str]]:
    return ({"events": [e for _, (evs, _, _) in done for e in evs],
             "event_participants": [p for _, (_, parts, _) in done for p in parts]}, [h for _, (_, _, h) in done])


def _refresh_contacts(run: StageRun) -> None:
    run.state["contacts"] = refresh_contacts(run.con, None if run.full_refresh else run.ids + run.orphans)


def _report(run: StageRun) -> tuple[str, dict, list[AssetCheckResult]]:
    con = run.con
    scope, scope_params = run_scope(run.full_refresh, run.ids)  # the events this run wrote (all on a full refresh)
    n_bad_evidence, n_one_sided, n_bad_vocab = (int(x) for x in con.execute(
        queries.ROW_CHECKS.format(scope=scope), {
            **scope_params, "types": list(vocabulary.EVENT_TYPES), "statuses": list(vocabulary.EVENT_STATUSES),
            "cameo": list(vocabulary.CAMEO_CODES), "plover_types": list(vocabulary.PLOVER_TYPES),
            "plover_modes": list(vocabulary.PLOVER_MODES)}).fetchone())
    # the events this run wrote (the first documents of it); the whole table when the run wrote none
    shown = run.ids[:100] or [
        r[0] for r in con.execute("SELECT DISTINCT doc_id FROM events ORDER BY 1 LIMIT 100").fetchall()
    ]
    md = preview(con, queries.PREVIEW, [shown], width=100)
    meta = {"events_written": run.written["events"],
            "events_by_type": dict(
                con.execute("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall()
            ),
            "contacts": run.state["contacts"].contacts, "contacts_regrouped": run.state["contacts"].regrouped}
    checked = "every event" if run.full_refresh else "events of this run"
    return md, meta, [
        AssetCheckResult(check_name="evidence_in_clean_text", passed=n_bad_evidence == 0,
                         metadata={"bad_evidence": n_bad_evidence, "checked": checked}),
        AssetCheckResult(check_name="sides_of_different_countries", passed=n_one_sided == 0,
                         metadata={"one_sided_events": n_one_sided, "checked": checked}),
        AssetCheckResult(check_name="closed_vocabularies", passed=n_bad_vocab == 0, metadata={"bad_rows": n_bad_vocab})]


EVENTS = DocumentStage(
    name="events", table="events", key="event_id", tables=("events",), forget=_forget,
    upstream="""SELECT doc_id, output_hash AS input_hash FROM doc_stage_status
                WHERE stage = 'entities' AND status IN ('ok', 'skipped_non_english')""",
    skips=_non_english, read=_read, work=events_batch, write=_write, finish=_refresh_contacts, report=_report)


@asset(
    group_name="stages",
    kinds={"duckdb", "python"},
    pool=POOL,
    code_version=stage_version("events") + "-" + stage_version("contacts"),
    deps=["entities"],
    check_specs=EVENT_CHECKS,
    description="Contacts between officials of different countries (calls, video calls, meetings, visits, "
                "negotiations, agreements, invitations), each with its sides, status, date, topics and the evidence "
                "sentence. Writes events, event_participants, and contacts (one row per real-world contact).",
)
def events(context: AssetExecutionContext, database: DefcommDatabase, settings: DefcommSettings) -> MaterializeResult:
    return run_stage(EVENTS, context, database, settings, stage_version("events"))
