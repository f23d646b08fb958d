"""A run killed with SIGKILL in the middle of a stage leaves the previous state; the next run completes it.

``defcomm run --verbose`` runs in a subprocess on a generated corpus. After it logs that the cleaning stage
committed, we wait until the process has the database file open again (a stage connection: the entities
stage is inside its transaction, between stages the file is closed), let it work a moment, and SIGKILL the
process group. The database must then hold every committed stage completely and nothing of the killed one;
the next run must finish, and its tables must equal those of a clean run of the same corpus.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from defcomm_tests.paths import ROOT

N_DOCS = 60
KILL_AFTER_S = 0.15  # the database must still be open this long after the run opened it

STAGES = ("raw_documents", "clean_documents", "entities", "events")  # the assets that write the tables below
# Every stage table, compared without its timestamp columns.
COMPARE = {
    "raw_documents": "doc_id, source_name, raw_text, n_bytes, folder, encoding, missing_since",
    "rejected_documents": "source_name, reason, detail",
    "clean_documents": "doc_id, title, published_date, language, clean_text, published_date_source, nlp_mode, "
                       "duplicate_of, source_name, n_words",
    "entity_mentions": "doc_id, entity_id, label, text, start_char, end_char, country_code, role, mention_key",
    "entities": "entity_id, canonical_name, label, country_code, role, list_sort(aliases)",
    "events": "event_id, doc_id, event_type, status, event_date, topics, evidence, date_source, location, "
              "evidence_start, evidence_end, rule, is_main",
    "event_participants": "event_id, entity_id, name, country_code, role, is_initiator, position",
    "contacts": "contact_id, event_type, status, contact_date, countries, participants, n_reports, n_sources",
    "doc_stage_status": "doc_id, stage, stage_version, input_hash, output_hash, status",
    "stage_errors": "doc_id, stage, error_type, message",
}


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEFCOMM_", "DAGSTER_HOME"))}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kill") / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate_corpus.py"), "--n", str(N_DOCS), "--seed", "11",
                    "--out", str(out), "--jobs", "1"], check=True, capture_output=True, timeout=300)
    assert len(list(out.rglob("*.txt"))) == N_DOCS
    return out


def _holds_open(pid: int, path: Path) -> bool | None:
    """Whether the process has ``path`` open (None where /proc cannot tell)."""
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        fds = list(fd_dir.iterdir())
    except OSError:
        return None
    target = str(path.resolve())
    for fd in fds:
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:
            continue
    return False


def _run_and_kill(source: Path, db_path: Path, marker: str, delay_s: float,
                  timeout_s: float = 600) -> tuple[list[str], bool | None]:
    """Start `defcomm run --verbose`; after a log line containing ``marker``, wait until the process opens the
    database (the next stage's connection), then SIGKILL its process group ``delay_s`` later.
    Returns the output and whether the database was open (a stage in flight) at the kill."""
    proc = subprocess.Popen([sys.executable, "-m", "defcomm_assets.cli", "run", "--source", str(source),
                             "--db", str(db_path), "--verbose"], cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    seen = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if marker in line:
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not seen.wait(timeout_s):
            pytest.fail(f"the run never logged {marker!r}: " + "\n".join(lines[-20:]))
        # A stage opens the file briefly to size its worker pool, then again for its transaction: kill only when
        # the file has stayed open for delay_s (inside a stage's transaction), re-checking right before the kill.
        deadline = time.monotonic() + timeout_s
        in_flight: bool | None = False
        while proc.poll() is None and time.monotonic() < deadline:
            if _holds_open(proc.pid, db_path) is False:
                time.sleep(0.005)
                continue
            time.sleep(delay_s)
            in_flight = _holds_open(proc.pid, db_path)
            if in_flight is not False:
                break
        assert proc.poll() is None, "the run finished before it could be killed: " + "\n".join(lines[-5:])
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        reader.join(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    return lines, in_flight


def _snapshot(db_path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in COMPARE.items()}
    finally:
        con.close()


def _assert_consistent(db_path: Path) -> dict[str, int]:
    """Each stage's rows match its doc_stage_status rows: a stage is there for every document, or not at all."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        raw = {r[0] for r in q("SELECT doc_id FROM raw_documents")}
        status = {stage: dict(q(f"SELECT doc_id, status FROM doc_stage_status WHERE stage = '{stage}'"))
                  for stage in ("clean_documents", "entities", "events")}
        cleaned = {r[0] for r in q("SELECT doc_id FROM clean_documents")}
        mentioned = {r[0] for r in q("SELECT DISTINCT doc_id FROM entity_mentions")}
        with_events = {r[0] for r in q("SELECT DISTINCT doc_id FROM events")}
        assert q("SELECT count(*) FROM stage_errors") == [(0,)]
        # cleaned: all raw documents or none
        assert set(status["clean_documents"]) in (raw, set())
        assert cleaned == {d for d, s in status["clean_documents"].items() if s == "ok"}
        # entities: all cleaned documents or none; mentions only for documents the stage finished
        assert set(status["entities"]) in (cleaned, set())
        assert mentioned <= {d for d, s in status["entities"].items() if s == "ok"}
        assert q("SELECT count(*) FROM entity_mentions WHERE entity_id NOT IN (SELECT entity_id FROM entities)") == [(0,)]
        if not status["entities"]:
            assert q("SELECT count(*) FROM entities") == [(0,)]
        # events: all documents the entities stage handled, or none
        assert set(status["events"]) in ({d for d, s in status["entities"].items() if s != "error"}, set())
        assert with_events <= set(status["events"])
        assert q("SELECT count(*) FROM event_participants WHERE event_id NOT IN (SELECT event_id FROM events)") == [(0,)]
        if not status["events"]:
            assert q("SELECT count(*) FROM contacts") == [(0,)]
        return {"raw": len(raw), **{stage: len(s) for stage, s in status.items()}}
    finally:
        con.close()


def test_sigkill_mid_stage_leaves_the_previous_state_and_the_next_run_completes(corpus, tmp_path):
    from defcomm_assets.core.settings import Settings
    from defcomm_assets.orchestration.runner import run_pipeline

    db_path = tmp_path / "killed.duckdb"
    lines, in_flight = _run_and_kill(corpus, db_path, "clean_documents - cleaned", KILL_AFTER_S)
    assert in_flight in (True, None), "the kill did not land inside a stage"

    counts = _assert_consistent(db_path)
    # The stages before the kill are complete; the one in flight (entities, or events when entities was quicker
    # than the kill) left nothing behind.
    killed_in = "entities" if counts["entities"] == 0 else "events"
    assert counts == {"raw": N_DOCS, "clean_documents": N_DOCS, "entities": 0 if killed_in == "entities" else N_DOCS,
                      "events": 0}

    settings = Settings(report_dir=str(tmp_path / "report"))
    again = run_pipeline(corpus, db_path, settings=settings)
    assert again.success, again.failures
    assert again.stage_metadata["raw_documents"]["new_docs"] == 0  # the committed stages are not redone
    assert again.stage_metadata["clean_documents"]["processed_docs"] == 0
    assert again.stage_metadata["entities"]["processed_docs"] == (N_DOCS if killed_in == "entities" else 0)
    assert again.stage_metadata["events"]["processed_docs"] == N_DOCS
    assert _assert_consistent(db_path) == {"raw": N_DOCS, "clean_documents": N_DOCS, "entities": N_DOCS, "events": N_DOCS}

    clean_db = tmp_path / "clean.duckdb"
    clean = run_pipeline(corpus, clean_db, settings=settings, selection=list(STAGES))
    assert clean.success, clean.failures
    resumed, fresh = _snapshot(db_path), _snapshot(clean_db)
    for table in COMPARE:
        assert resumed[table] == fresh[table], table
    assert fresh["events"], "the corpus produced no events to compare"
