"""The events asset through ``dagster.materialize``: events, participants, contacts, metadata and checks."""
from __future__ import annotations

from defcomm_assets.core.db import TABLES
from defcomm_assets.stages.clean_documents.asset import clean_documents
from defcomm_assets.stages.entities.asset import entities
from defcomm_assets.stages.events import rules
from defcomm_assets.stages.events.asset import events
from defcomm_assets.stages.raw_documents.asset import raw_documents
from defcomm_tests.stages.conftest import DUPLICATE, FRENCH, build_source, materialize_stage, query, stage_settings


def test_events_with_their_sides_and_the_copy_has_the_events_of_the_original(staged):
    db = staged["db"]
    by_doc = {}
    for name, event_type, evidence in query(db, """SELECT r.source_name, e.event_type, e.evidence FROM events e
                                                   JOIN raw_documents r USING (doc_id)"""):
        by_doc.setdefault(name, set()).add((event_type, evidence))
    assert FRENCH not in by_doc
    assert by_doc[DUPLICATE] == by_doc["000_6b69322693f17578.txt"] and by_doc[DUPLICATE]
    assert query(db, """SELECT count(*) FROM events e
                        WHERE (SELECT count(DISTINCT country_code) FROM event_participants p WHERE p.event_id = e.event_id) < 2
                     """) == [(0,)]
    assert query(db, "SELECT count(*) FROM contact_events c ANTI JOIN events e USING (event_id)") == [(0,)]
    statuses = dict(query(db, "SELECT status, count(*) FROM doc_stage_status WHERE stage = 'events' GROUP BY 1"))
    assert statuses == {"ok": 6, "skipped_non_english": 1}


def test_metadata_and_checks(staged):
    run = staged["runs"]["events"]
    m = run.metadata
    db = staged["db"]
    n_events = query(db, "SELECT count(*) FROM events")[0][0]
    assert (m["processed_docs"], m["skipped_non_english_docs"], m["error_docs"]) == (6, 1, 0)
    assert m["dagster/row_count"] == m["events_written"] == n_events == sum(m["events_by_type"].values()) > 0
    assert m["contacts"] == query(db, "SELECT count(*) FROM contacts")[0][0]
    assert m["words"] == query(db, "SELECT sum(n_words) FROM clean_documents WHERE language = 'en'")[0][0]
    assert [c.name for c in m["dagster/column_schema"].columns] == [c.name for c in TABLES["events"]]
    assert m["preview"].startswith("| event_type | status | event_date | sides | evidence |")
    assert list(run.checks) == ["no_stage_errors", "event_id_unique", "evidence_in_clean_text",
                                "sides_of_different_countries", "closed_vocabularies"]
    assert all(c.passed for c in run.checks.values())


def test_a_bad_event_of_this_run_fails_its_check_and_a_rerun_replaces_the_rows(tmp_path, monkeypatch):
    from dataclasses import replace

    settings = stage_settings(tmp_path, build_source(tmp_path / "src"), workers=1)
    for asset in (raw_documents, clean_documents, entities):
        materialize_stage(asset, settings)
    real = rules.extract_events

    def evidence_off_by_one(text, *args, **kwargs):
        return [replace(r, evidence_start=r.evidence_start + 1) for r in real(text, *args, **kwargs)]

    monkeypatch.setattr(rules, "extract_events", evidence_off_by_one)
    bad = materialize_stage(events, settings, expect_success=False)  # a blocking check failed: the run fails
    assert not bad.checks["evidence_in_clean_text"].passed
    assert bad.checks["evidence_in_clean_text"].metadata["bad_evidence"].value == bad.metadata["events_written"]
    monkeypatch.setattr(rules, "extract_events", real)
    good = materialize_stage(events, settings, full_refresh=True)
    assert (good.metadata["processed_docs"], good.metadata["events_written"]) == (6, bad.metadata["events_written"])
    assert all(c.passed for c in good.checks.values())
    assert good.checks["evidence_in_clean_text"].metadata["checked"].value == "every event"
    assert query(settings.db_path, "SELECT count(*) FROM event_participants p ANTI JOIN events e USING (event_id)") == [(0,)]
