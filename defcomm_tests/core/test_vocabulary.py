"""The closed lists are declared once, in core/vocabulary.py: a type or topic added there reaches the table checks,
schema.yml's accepted values, the SQL models' per-type columns and the report with no other edit."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from defcomm_assets.core import vocabulary
from defcomm_tests.paths import ROOT

NEW_TYPE = vocabulary.EventType("carrier_pigeon", "Carrier pigeon", "#123456", "A message sent by pigeon.",
                                phrase="sent a pigeon", cameo_code="040", cameo_code_reverse="040")
NEW_TOPIC = vocabulary.Topic("space_security", "Satellites and the security of space.")
# what the module derives from its records: the fixture below patches every one of them
DERIVED = {"EVENT_TYPES", "EVENT_STATUSES", "TOPICS", "ORGANISATION_CODES", "EVENT_TYPE_BY_NAME", "REMOTE_TYPES"}
# derived from the CAMEO codes, which a new type does not change
CODE_LISTS = {"CAMEO_CODES", "CAMEO_CODE_BY_CODE", "PLOVER_TYPES", "PLOVER_MODES"}


@pytest.fixture
def extended(monkeypatch):
    """The vocabulary with one more event type and one more topic (undone after the test)."""
    types = (*vocabulary.EVENT_TYPE_RECORDS, NEW_TYPE)
    topics = (*vocabulary.TOPIC_RECORDS, NEW_TOPIC)
    monkeypatch.setattr(vocabulary, "EVENT_TYPE_RECORDS", types)
    monkeypatch.setattr(vocabulary, "EVENT_TYPES", tuple(t.name for t in types))
    monkeypatch.setattr(vocabulary, "EVENT_TYPE_BY_NAME", {t.name: t for t in types})
    monkeypatch.setattr(vocabulary, "REMOTE_TYPES", tuple(t.name for t in types if t.remote))
    monkeypatch.setattr(vocabulary, "TOPIC_RECORDS", topics)
    monkeypatch.setattr(vocabulary, "TOPICS", tuple(t.name for t in topics))
    return vocabulary


def test_the_derived_lists_follow_the_records():
    """Keeps the fixture honest: a new derived list must be added to DERIVED (and patched above)."""
    public = {n for n in vars(vocabulary) if n.isupper()}
    assert public - DERIVED - CODE_LISTS == {"EVENT_TYPE_RECORDS", "EVENT_STATUS_DESCRIPTIONS", "TOPIC_RECORDS",
                                             "ORGANISATION_NAMES", "CIVIL_ORGANISATIONS", "CAMEO_CODE_RECORDS",
                                             "ORGANISATION_SEATS", "EXTRA_ALPHA3"}
    assert vocabulary.CAMEO_CODES == tuple(c.code for c in vocabulary.CAMEO_CODE_RECORDS)
    assert vocabulary.CAMEO_CODE_BY_CODE == {c.code: c for c in vocabulary.CAMEO_CODE_RECORDS}
    assert set(vocabulary.PLOVER_TYPES) == {c.plover_type for c in vocabulary.CAMEO_CODE_RECORDS}
    # every type's codes are CAMEO codes of the list
    for t in vocabulary.EVENT_TYPE_RECORDS:
        for code in (t.cameo_code, t.cameo_code_reverse, t.cameo_code_planned, t.cameo_code_third_location):
            assert code is None or code in vocabulary.CAMEO_CODE_BY_CODE, (t.name, code)
    assert vocabulary.EVENT_TYPES == tuple(t.name for t in vocabulary.EVENT_TYPE_RECORDS)
    assert vocabulary.EVENT_TYPE_BY_NAME == {t.name: t for t in vocabulary.EVENT_TYPE_RECORDS}
    assert vocabulary.REMOTE_TYPES == ("call", "video_call")
    assert vocabulary.TOPICS == tuple(t.name for t in vocabulary.TOPIC_RECORDS)
    assert vocabulary.EVENT_STATUSES == tuple(vocabulary.EVENT_STATUS_DESCRIPTIONS)
    assert vocabulary.ORGANISATION_CODES == set(vocabulary.ORGANISATION_NAMES) >= vocabulary.CIVIL_ORGANISATIONS
    assert len(set(vocabulary.EVENT_TYPES)) == len(vocabulary.EVENT_TYPES)
    assert len(set(vocabulary.TOPICS)) == len(vocabulary.TOPICS)


def test_the_report_sample_topics_are_vocabulary_topics():
    from defcomm_assets.report.sample import TOPICS

    assert set(TOPICS) <= set(vocabulary.TOPICS)


def test_schema_yml_accepted_values_and_pivot_columns_follow_the_vocabulary(extended):
    from defcomm_assets.core import db
    from defcomm_assets.sql_models.models import load_models

    models = {m.name: m for m in load_models()}
    accepted = {(m, t.column): t.params[0] for m in models for t in models[m].tests if t.kind == "accepted_values"}
    for key in [("contacts_by_country_pair_month", "event_type"), ("contact_timeline", "event_type"),
                ("network_edges", "dominant_type")]:
        assert accepted[key] == list(extended.EVENT_TYPES) and "carrier_pigeon" in accepted[key]
    assert accepted[("topic_trends_month", "topic")][-1] == "space_security"
    assert accepted[("contact_timeline", "status")] == list(extended.EVENT_STATUSES)
    # the documented columns of network_edges (for_each: event_types) and the ones its PIVOT produces
    assert "n_carrier_pigeon" in models["network_edges"].column_descriptions
    con = duckdb.connect(":memory:")
    db.ensure_schema(con)
    for m in load_models():
        m.build(con)
    produced = [r[0] for r in con.execute("DESCRIBE network_edges").fetchall()]
    assert produced == list(models["network_edges"].column_descriptions)
    assert produced[-2:] == ["n_carrier_pigeon", "dominant_type"]


def test_the_report_legend_and_palette_follow_the_vocabulary(extended):
    from defcomm_assets.report.data import load_report_data
    from defcomm_assets.report.page import _legend, render_page
    from defcomm_assets.report.palette import event_color, event_label, ordered_types
    from defcomm_assets.report.sample import create_sample_tables

    assert event_color("carrier_pigeon") == "#123456" and event_label("carrier_pigeon") == "Carrier pigeon"
    assert ordered_types({"zebra", "carrier_pigeon", "call"}) == ["call", "carrier_pigeon", "zebra"]
    assert "Carrier pigeon" in _legend() and "#123456" in _legend()
    # the sample tables follow the vocabulary too (a network_edges column per type), and the page shows the legend
    con = duckdb.connect()
    create_sample_tables(con, n_contacts=60)
    assert "n_carrier_pigeon" in [r[0] for r in con.execute("DESCRIBE network_edges").fetchall()]
    assert _legend() in render_page(load_report_data(con), {}, "")


MODELS = ["contacts_by_country_pair_month", "network_edges", "contact_timeline", "topic_trends_month"]


def _run(db_path: Path, tmp: Path, selection: list[str]):
    from defcomm_assets.core.settings import Settings
    from defcomm_assets.orchestration.runner import run_pipeline

    src = tmp / "no_new_documents"
    src.mkdir(exist_ok=True)
    return run_pipeline(src, db_path, settings=Settings(report_dir=str(tmp / "report")), selection=selection)


def _add_event(db_path: Path, event_type: str, topic: str) -> str:
    """One more event of this type and topic: a copy of a real one (same document, same sides), which the events
    asset's contact refresh turns into a contact of its own. Returns its event_id."""
    con = duckdb.connect(str(db_path))
    try:
        (original,) = con.execute("SELECT event_id FROM events ORDER BY event_id LIMIT 1").fetchone()
        new_id = f"{event_type}-{original}"
        con.execute(f"""INSERT INTO events SELECT * REPLACE (? AS event_id, '{event_type}' AS event_type,
                        ['{topic}'] AS topics) FROM events WHERE event_id = ?""", [new_id, original])
        con.execute("INSERT INTO event_participants SELECT * REPLACE (? AS event_id) FROM event_participants "
                    "WHERE event_id = ?", [new_id, original])
    finally:
        con.close()
    return new_id


def test_a_type_and_topic_added_to_the_vocabulary_pass_the_checks_and_reach_the_tables_and_report(
        extended, seeds_db, tmp_path):
    db_path = tmp_path / "seeds.duckdb"
    shutil.copy(seeds_db, db_path)
    event_id = _add_event(db_path, "carrier_pigeon", "space_security")

    summary = _run(db_path, tmp_path, ["events", *MODELS, "report"])
    assert summary.success, summary.failures
    assert not [c for c in summary.failed_checks if "closed_vocabularies" in c or "accepted_values" in c]
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (countries,) = con.execute("SELECT countries FROM contacts JOIN contact_events USING (contact_id) "
                                   "WHERE event_id = ? AND event_type = 'carrier_pigeon'", [event_id]).fetchone()
        a, b = sorted(countries)
        assert con.execute("SELECT n_carrier_pigeon FROM network_edges WHERE country_a = ? AND country_b = ?",
                           [a, b]).fetchone()[0] == 1
        assert con.execute("SELECT sum(n_contacts) FROM topic_trends_month WHERE topic = 'space_security'").fetchone()[0] == 1
        assert con.execute("SELECT name FROM vocabulary_event_types ORDER BY position DESC LIMIT 1").fetchone()[0] == \
            "carrier_pigeon"
    finally:
        con.close()
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "Carrier pigeon" in html and "#123456" in html

    # a type the vocabulary does not have still fails the events check (blocking: the models wait) and, when the
    # models run anyway, their accepted values
    _add_event(db_path, "smoke_signal", "gossip")
    failed = _run(db_path, tmp_path, ["events"]).failed_checks
    assert [c for c in failed if c.startswith("events:")] == ["events:closed_vocabularies (ERROR)"], failed
    failed = _run(db_path, tmp_path, MODELS).failed_checks
    for check in ["contacts_by_country_pair_month:accepted_values_event_type", "contact_timeline:accepted_values_event_type",
                  "topic_trends_month:accepted_values_topic"]:
        assert any(c.startswith(check) for c in failed), (check, failed)


SOURCE_DIRS = ("defcomm_assets", "dbt_like_sql", "bench")


def test_an_event_type_is_spelled_out_in_at_most_three_source_files():
    """vocabulary.py declares it, the events trigger rules find it; at most one more file may name it."""
    files = sorted(p.relative_to(ROOT).as_posix() for d in SOURCE_DIRS for p in (ROOT / d).rglob("*")
                   if p.suffix in {".py", ".sql", ".yml"} and "video_call" in p.read_text(encoding="utf-8"))
    assert "defcomm_assets/core/vocabulary.py" in files
    assert len(files) <= 3, files
