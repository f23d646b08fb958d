"""Operations: re-runs are idempotent, new work only, changed files replace, runs queue, the sensor fires once."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from defcomm_assets.orchestration import runner
from defcomm_tests.paths import ROOT

SEEDS = ROOT / "seeds"
STAGES = ["raw_documents", "clean_documents", "entities", "events"]
# Everything but timestamps, which say when a row was written.
SNAPSHOT = {
    "raw_documents": "SELECT doc_id, source_name, raw_text, n_bytes, missing_since IS NULL FROM raw_documents",
    "clean_documents": "SELECT * EXCLUDE (duplicate_of) FROM clean_documents",
    "entity_mentions": "SELECT * FROM entity_mentions",
    "entities": "SELECT * FROM entities",
    "events": "SELECT * FROM events",
    "event_participants": "SELECT * FROM event_participants",
    "contacts": "SELECT * FROM contacts",
    "contact_events": "SELECT * FROM contact_events",
    "contact_timeline": "SELECT * FROM contact_timeline",
    "network_edges": "SELECT * FROM network_edges",
}

EXTRA_ARTICLE = """Lithuanian and Finnish defence ministers meet in Vilnius
date 2025-03-14
Lithuanian Minister of National Defence Dovilė Šakalienė met Finnish Minister of Defence Antti Häkkänen in Vilnius on Thursday.
The ministers discussed air defence, the situation in the Baltic Sea region and support for Ukraine.
"""


def run_pipeline(*args, **kwargs):
    """The whole graph but the report (it reads the same tables these tests compare)."""
    from defcomm_assets.sql_models.models import load_models

    selection = STAGES + [m.name for m in load_models()]
    return runner.run_pipeline(*args, selection=selection, **kwargs)


def snapshot(db_path: Path) -> dict[str, list]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(sql).fetchall())) for t, sql in SNAPSHOT.items()}
    finally:
        con.close()


def processed(summary, stage: str) -> int:
    return summary.stage_metadata[stage]["processed_docs"]


@pytest.fixture
def workdir(tmp_path, fresh_settings):
    src = tmp_path / "articles"
    shutil.copytree(SEEDS, src)
    return src, tmp_path / "db.duckdb", fresh_settings


def test_running_twice_leaves_identical_tables_and_processes_nothing(workdir):
    src, db_path, settings = workdir
    first = run_pipeline(src, db_path, settings=settings)
    assert first.success, first.failures
    before = snapshot(db_path)
    second = run_pipeline(src, db_path, settings=settings)
    assert second.success, second.failures
    assert snapshot(db_path) == before
    assert [processed(second, s) for s in STAGES] == [0, 0, 0, 0]
    # A full refresh reprocesses everything and still gives the same rows and ids.
    third = run_pipeline(src, db_path, settings=settings, full_refresh=True)
    assert third.success, third.failures
    assert processed(third, "clean_documents") == 5
    assert snapshot(db_path) == before


def test_one_new_file_is_the_only_work_of_every_stage(workdir):
    src, db_path, settings = workdir
    assert run_pipeline(src, db_path, settings=settings).success
    (src / "2025" / "03").mkdir(parents=True)
    (src / "2025" / "03" / "new.txt").write_text(EXTRA_ARTICLE, encoding="utf-8")
    summary = run_pipeline(src, db_path, settings=settings)
    assert summary.success, summary.failures
    assert [processed(summary, s) for s in STAGES] == [1, 1, 1, 1]
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT count(*) FROM raw_documents WHERE source_name = '2025/03/new.txt'").fetchone() == (1,)
    con.close()


def test_a_changed_file_replaces_its_rows_and_a_deleted_file_keeps_them(workdir):
    src, db_path, settings = workdir
    assert run_pipeline(src, db_path, settings=settings).success
    con = duckdb.connect(str(db_path), read_only=True)
    old_id = con.execute("SELECT doc_id FROM raw_documents WHERE source_name = '001_89fa92b31013e9c2.txt'").fetchone()[0]
    n_events_deleted_doc = con.execute("""SELECT count(*) FROM events JOIN raw_documents USING (doc_id)
                                          WHERE source_name = '004_b794f22e8554c6f4.txt'""").fetchone()[0]
    con.close()
    path = src / "001_89fa92b31013e9c2.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe call lasted an hour.\n", encoding="utf-8")
    (src / "004_b794f22e8554c6f4.txt").unlink()
    assert run_pipeline(src, db_path, settings=settings).success
    con = duckdb.connect(str(db_path), read_only=True)
    rows = con.execute("SELECT doc_id FROM raw_documents WHERE source_name = '001_89fa92b31013e9c2.txt'").fetchall()
    assert len(rows) == 1 and rows[0][0] != old_id
    for table in ["clean_documents", "entity_mentions", "events", "doc_stage_status"]:
        assert con.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", [old_id]).fetchone() == (0,), table
    assert con.execute("SELECT count(*) FROM clean_documents WHERE doc_id = ?", [rows[0][0]]).fetchone() == (1,)
    missing = con.execute("""SELECT missing_since IS NOT NULL FROM raw_documents
                             WHERE source_name = '004_b794f22e8554c6f4.txt'""").fetchall()
    assert missing == [(True,)]
    kept = con.execute("""SELECT count(*) FROM events JOIN raw_documents USING (doc_id)
                          WHERE source_name = '004_b794f22e8554c6f4.txt'""").fetchone()[0]
    assert kept == n_events_deleted_doc > 0
    con.close()


def test_two_concurrent_runs_both_succeed_against_one_database(tmp_path):
    src = tmp_path / "articles"
    shutil.copytree(SEEDS, src)
    db_path = tmp_path / "db.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env["DEFCOMM_REPORT_DIR"] = str(tmp_path / "report")
    cmd = [sys.executable, "-m", "defcomm_assets.cli", "run", "--source", str(src), "--db", str(db_path)]
    procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err[-2000:]
        assert "Traceback" not in err
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT doc_id) FROM raw_documents").fetchone() == (5, 5)
    assert con.execute("SELECT count(*) - count(DISTINCT event_id) FROM events").fetchone() == (0,)
    con.close()


def test_the_sensor_requests_exactly_one_run_for_a_new_file(tmp_path, monkeypatch):
    from dagster import DagsterInstance, RunRequest, SkipReason, build_sensor_context

    from defcomm_assets.orchestration.automation import source_folder_sensor

    src = tmp_path / "articles"
    shutil.copytree(SEEDS, src)
    monkeypatch.setenv("DEFCOMM_SOURCE_DIR", str(src))
    with DagsterInstance.ephemeral() as instance:
        def tick(cursor):
            ctx = build_sensor_context(instance=instance, cursor=cursor)
            result = source_folder_sensor(ctx)
            return ctx.cursor, result if isinstance(result, list) else [result]

        cursor, first = tick(None)
        assert len(first) == 1 and isinstance(first[0], RunRequest)
        cursor, again = tick(cursor)
        assert all(isinstance(r, SkipReason) for r in again)
        (src / "new.txt").write_text(EXTRA_ARTICLE, encoding="utf-8")
        cursor, new = tick(cursor)
        assert len(new) == 1 and isinstance(new[0], RunRequest)
        assert new[0].run_key != first[0].run_key
        cursor, after = tick(cursor)
        assert all(isinstance(r, SkipReason) for r in after)


@pytest.mark.parametrize("fault", ["mention_offsets", "evidence_offsets", "one_sided_event"])
def test_the_row_checks_of_an_incremental_run_catch_a_bad_row_of_that_run(workdir, monkeypatch, fault):
    """mentions_resolve, evidence_in_clean_text and sides_of_different_countries look only at the run's documents
    on an incremental run: a bad row written by that run must still fail them (and, being blocking, stop what is
    downstream)."""
    from dataclasses import replace

    import defcomm_assets.stages.entities.mentions as nlp_entities
    import defcomm_assets.stages.events.rules as event_rules

    src, db_path, settings = workdir
    assert run_pipeline(src, db_path, settings=settings).success
    (src / "new.txt").write_text(EXTRA_ARTICLE, encoding="utf-8")
    real_rows, real_events = nlp_entities.mentions_from_rows, event_rules.extract_events

    def mentions_past_the_end(rows):
        return [replace(m, end_char=m.end_char + 10_000) if i == 0 else m for i, m in enumerate(real_rows(rows))]

    def evidence_off_by_one(text, *args, **kwargs):
        return [replace(r, evidence_start=r.evidence_start + 1) for r in real_events(text, *args, **kwargs)]

    def one_country_only(text, *args, **kwargs):
        return [replace(r, participants=tuple(replace(p, country_code=r.participants[0].country_code)
                                              for p in r.participants)) for r in real_events(text, *args, **kwargs)]

    if fault == "mention_offsets":
        monkeypatch.setattr(nlp_entities, "mentions_from_rows", mentions_past_the_end)
    else:
        monkeypatch.setattr(event_rules, "extract_events",
                            evidence_off_by_one if fault == "evidence_offsets" else one_country_only)
    summary = run_pipeline(src, db_path, settings=settings)
    stage = "entities" if fault == "mention_offsets" else "events"
    assert processed(summary, stage) == 1
    check = {"mention_offsets": "entities:mentions_resolve (ERROR)",
             "evidence_offsets": "events:evidence_in_clean_text (ERROR)",
             "one_sided_event": "events:sides_of_different_countries (ERROR)"}[fault]
    assert summary.failed_checks == [check]


def test_a_renamed_file_reaches_every_table_under_its_new_name_with_the_same_ids(workdir):
    """Same bytes, new name (moved to another folder): same doc_id and event ids; clean_documents and the contacts
    say the new name; the moved document's template-line counts follow it to its new folder."""
    src, db_path, settings = workdir
    assert run_pipeline(src, db_path, settings=settings).success
    old = "000_6b69322693f17578.txt"
    con = duckdb.connect(str(db_path), read_only=True)
    doc_id = con.execute("SELECT doc_id FROM raw_documents WHERE source_name = ?", [old]).fetchone()[0]
    events_before = con.execute("SELECT event_id FROM events WHERE doc_id = ? ORDER BY 1", [doc_id]).fetchall()
    con.close()
    assert events_before
    (src / "moved").mkdir()
    (src / old).rename(src / "moved" / old)
    summary = run_pipeline(src, db_path, settings=settings)
    assert summary.success, summary.failures
    assert [processed(summary, s) for s in STAGES[1:]] == [1, 1, 1]
    new = f"moved/{old}"
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert con.execute("SELECT source_name FROM raw_documents WHERE doc_id = ?", [doc_id]).fetchall() == [(new,)]
        assert con.execute("SELECT source_name FROM clean_documents WHERE doc_id = ?", [doc_id]).fetchall() == [(new,)]
        assert con.execute("SELECT event_id FROM events WHERE doc_id = ? ORDER BY 1", [doc_id]).fetchall() == events_before
        names = {r[0] for r in con.execute("SELECT source_name FROM contacts").fetchall()}
        assert new in names and old not in names
        assert con.execute("SELECT folder, count(*) FROM line_counted_docs GROUP BY 1 ORDER BY 1").fetchall() == [
            ("", 4), ("moved", 1)]
    finally:
        con.close()


def test_recleaning_every_document_counts_each_template_line_once(workdir, monkeypatch):
    """A new cleaning version re-cleans every document on a normal (not full-refresh) run: the per-folder line
    counts that pick template lines must stay those of a fresh run, not count each document twice."""
    import defcomm_assets.stages.clean_documents.asset as cleaned

    src, db_path, settings = workdir
    assert run_pipeline(src, db_path, settings=settings).success
    query = "SELECT folder, line_key, n_docs FROM line_counts ORDER BY ALL"
    con = duckdb.connect(str(db_path), read_only=True)
    before = con.execute(query).fetchall()
    con.close()
    assert before and max(n for _, _, n in before) >= 2  # lines shared by the seeds (a re-count would double them)
    real_version = cleaned.stage_version
    monkeypatch.setattr(cleaned, "stage_version", lambda *a, **k: real_version(*a, **k) + "-next")
    summary = run_pipeline(src, db_path, settings=settings)
    assert processed(summary, "clean_documents") == 5
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert con.execute(query).fetchall() == before
    finally:
        con.close()
