"""Readers and the writer share the database without waiting for each other: each run publishes a read-only
snapshot (core/snapshot.py, the ``analyst_snapshot`` asset) that analysts and ``defcomm sql/export/report`` open.

The readers here are other processes, as an analyst's shell or notebook is: DuckDB's file locks are per process.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from defcomm_assets.core.settings import Settings, default_read_path
from defcomm_assets.core.snapshot import SnapshotError, publish
from defcomm_tests.paths import ROOT, SEEDS

FIRST = sorted(SEEDS.iterdir())[:3]  # the first run sees three articles, the second all five


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEFCOMM_", "DAGSTER_HOME"))}
    env.update(extra)
    return env


def defcomm_process(*args: str, env: dict | None = None, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "defcomm_assets.cli", *args], cwd=ROOT, env=env or _env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


class Reader:
    """An analyst in another process with a read-only connection open on a file; ``ask`` runs a scalar query."""

    CODE = ("import sys, duckdb\n"
            "path = sys.argv[1]\n"
            "con = duckdb.connect(path, read_only=True)\n"
            "print('open', flush=True)\n"
            "for line in sys.stdin:\n"
            "    if line.strip() == 'reconnect':\n"
            "        con.close(); con = duckdb.connect(path, read_only=True); print('open', flush=True)\n"
            "    else:\n"
            "        print(con.execute(line).fetchall()[0][0], flush=True)\n")

    def __init__(self, path: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", self.CODE, str(path)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "open"

    def ask(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self):
        self.proc.kill()
        self.proc.wait(timeout=30)


@pytest.fixture
def published(tmp_path) -> tuple[Path, Path, Path]:
    """(source folder, database, snapshot) after a whole run on three of the seeds."""
    from defcomm_assets.orchestration.runner import run_pipeline

    src = tmp_path / "src"
    src.mkdir()
    for f in FIRST:
        shutil.copy(f, src / f.name)
    db_path = tmp_path / "defcomm.duckdb"
    summary = run_pipeline(src, db_path, settings=Settings(report_dir=str(tmp_path / "report")))
    assert summary.success, summary.failures
    snapshot = tmp_path / "defcomm.read.duckdb"
    assert "analyst_snapshot" in summary.stage_metadata and snapshot.exists()
    return src, db_path, snapshot


def _add_the_other_seeds(src: Path) -> None:
    for f in sorted(SEEDS.iterdir()):
        shutil.copy(f, src / f.name)


def test_a_reader_open_through_a_whole_run_sees_the_published_state_then_the_new_one(published, tmp_path):
    from defcomm_assets.orchestration.runner import run_pipeline

    src, db_path, snapshot = published
    reader = Reader(snapshot)
    try:
        assert reader.ask("SELECT count(*) FROM raw_documents") == "3"
        before = reader.ask("SELECT count(*) FROM contact_timeline")
        _add_the_other_seeds(src)
        summary = run_pipeline(src, db_path, settings=Settings(report_dir=str(tmp_path / "report")))
        assert summary.success, summary.failures  # the open reader did not hold the run up
        assert reader.ask("SELECT count(*) FROM raw_documents") == "3"  # still the state it opened
        assert reader.ask("SELECT count(*) FROM contact_timeline") == before
        assert reader.ask("reconnect") == "open"
        assert reader.ask("SELECT count(*) FROM raw_documents") == "5"  # the new snapshot
        with duckdb.connect(str(db_path), read_only=True) as con:  # the same state as the database
            assert reader.ask("SELECT count(*) FROM contact_timeline") == \
                str(con.execute("SELECT count(*) FROM contact_timeline").fetchone()[0])
    finally:
        reader.close()


def test_defcomm_sql_while_a_writer_holds_the_database(published, tmp_path):
    """The writer's lock held for the whole query (as a stage holds it): sql reads the snapshot at once."""
    _src, db_path, _snapshot = published
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(120)", str(db_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        env = _env(DEFCOMM_DB_PATH=str(db_path))
        p = defcomm_process("sql", "SELECT count(*) AS n FROM raw_documents", "--csv", env=env)
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.splitlines() == ["n", "3"]
        # the database itself is still the writer's: reading it explicitly reports the lock
        p = defcomm_process("sql", "SELECT 1", "--db", str(db_path), env=env)
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 2 and "locked by another process" in err
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_defcomm_sql_during_a_run_succeeds(published, tmp_path):
    src, db_path, _snapshot = published
    _add_the_other_seeds(src)
    env = _env(DEFCOMM_DB_PATH=str(db_path), DEFCOMM_REPORT_DIR=str(tmp_path / "report"))
    run = defcomm_process("run", "--source", str(src), env=env)
    seen, during = [], 0
    try:
        while True:
            started_during = run.poll() is None
            q = defcomm_process("sql", "SELECT count(*) AS n FROM raw_documents", "--csv", env=env)
            out, err = q.communicate(timeout=120)
            assert q.returncode == 0, err
            seen.append(int(out.splitlines()[1]))
            if started_during and run.poll() is None:
                during += 1  # began and ended while the run was working
            if not started_during:
                break
            time.sleep(0.2)
        out, err = run.communicate(timeout=600)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, err[-2000:]
    assert during >= 1, seen
    assert set(seen) <= {3, 5} and seen == sorted(seen) and seen[-1] == 5  # the last published state, then the new
    assert "documents: 5 read" in out  # the run's summary reads the snapshot it published


# --- core/snapshot.publish and the settings ---------------------------------------------------------------------


def test_publish_replaces_the_snapshot_atomically_and_read_only(tmp_path):
    db_path, snapshot = tmp_path / "w.duckdb", tmp_path / "w.read.duckdb"
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    first = publish(con, db_path, snapshot)
    assert first.path == str(snapshot) and first.n_bytes == snapshot.stat().st_size
    assert not snapshot.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    old = duckdb.connect(str(snapshot), read_only=True)
    con.execute("INSERT INTO t VALUES (2)")  # in the WAL until the next publish checkpoints it
    snapshot.with_name(snapshot.name + ".wal").write_bytes(b"stale")  # never replayed into a new snapshot
    publish(con, db_path, snapshot)
    assert old.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    old.close()
    with duckdb.connect(str(snapshot), read_only=True) as new:
        assert new.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.read.duckdb"]  # no temporary left
    with pytest.raises(SnapshotError, match="is the database itself"):
        publish(con, db_path, db_path)
    con.close()


def test_the_snapshot_sits_beside_the_database_unless_configured():
    assert Settings().read_path == "data/defcomm.read.duckdb"
    assert default_read_path("/x/y.db") == "/x/y.read.db" and default_read_path("/x/y") == "/x/y.read.duckdb"
    configured = Settings(db_path="data/defcomm.duckdb", read_db_path="/srv/share/defcomm.duckdb")
    assert configured.with_db_path("data/defcomm.duckdb").read_path == "/srv/share/defcomm.duckdb"
    # a run on another database never overwrites the configured snapshot of the real one
    assert configured.with_db_path("/tmp/scratch.duckdb").read_path == "/tmp/scratch.read.duckdb"


def test_the_snapshot_asset_comes_after_every_table():
    from dagster import AssetKey

    from defcomm_assets.definitions import defs
    from defcomm_assets.sql_models.models import load_models

    graph = defs.resolve_asset_graph()
    parents = {p.to_user_string() for p in graph.get(AssetKey("analyst_snapshot")).parent_keys}
    assert parents == {"raw_documents", "clean_documents", "entities", "events", *(m.name for m in load_models())}


def test_sql_before_any_snapshot_reads_the_database_with_a_note(tmp_path, capsys, monkeypatch):
    from defcomm_assets.cli import main

    db_path = tmp_path / "defcomm.duckdb"
    duckdb.connect(str(db_path)).execute("CREATE TABLE t AS SELECT 7 AS x").close()
    monkeypatch.setenv("DEFCOMM_DB_PATH", str(db_path))
    monkeypatch.delenv("DEFCOMM_READ_DB_PATH", raising=False)
    assert main(["sql", "SELECT x FROM t", "--csv"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["x", "7"]
    assert out.err.startswith("defcomm: note: no snapshot at ") and len(out.err.splitlines()) == 1
