"""Errors the operator can fix: one line on stderr naming the path and what to do, a non-zero exit, no traceback.

Most cases call the command line's ``main`` in-process (fast; an uncaught exception would fail the test);
a few run the real command (``python -m defcomm_assets.cli``) in a subprocess, so the exit status and the
exact stderr are what an operator sees.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from defcomm_tests.paths import ROOT

SEEDS = ROOT / "seeds"
EXIT_FAILED, EXIT_USAGE = 1, 2


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEFCOMM_", "DAGSTER_HOME"))}
    env.update(extra)
    return env


def defcomm_process(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "defcomm_assets.cli", *args], cwd=ROOT, env=env or _env(),
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def defcomm(capsys, monkeypatch):
    """``defcomm ARGS`` in-process; ``env=`` replaces the DEFCOMM_* variables."""
    from defcomm_assets.cli import main

    def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        for k in list(os.environ):
            if k.startswith("DEFCOMM_"):
                monkeypatch.delenv(k)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out.out, out.err)

    return run


def assert_one_line_error(p: subprocess.CompletedProcess, code: int, *needles: str, only_line: bool = True) -> str:
    assert p.returncode == code, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout, p.stderr
    lines = p.stderr.strip().splitlines()
    errors = [ln for ln in lines if ln.startswith("defcomm: error: ")]
    assert len(errors) == 1, p.stderr
    if only_line:
        assert lines == errors, p.stderr
    else:  # e.g. a "defcomm: waiting: ..." line before the error
        assert all(ln.startswith("defcomm: ") for ln in lines), p.stderr
    for needle in needles:
        assert needle in errors[0], (needle, errors[0])
    return errors[0]


@pytest.fixture
def small_db(tmp_path) -> Path:
    """A database with the stage tables and one row, made without running the pipeline."""
    from defcomm_assets.core import db

    path = tmp_path / "small.duckdb"
    con = duckdb.connect(str(path))
    db.ensure_schema(con)
    db.insert(con, "raw_documents", [{"doc_id": "d1", "source_name": "a.txt", "raw_text": "text", "n_bytes": 4}])
    con.close()
    return path


@pytest.fixture
def lock_holder(tmp_path):
    """Another process holding the database open for writing (DuckDB's lock is per process)."""
    procs = []

    def hold(path: Path) -> subprocess.Popen:
        code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                "time.sleep(120)")
        p = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
        procs.append(p)
        assert p.stdout.readline().strip() == "held"
        return p

    yield hold
    for p in procs:
        p.kill()
        p.wait(timeout=30)


def _garbage(path: Path) -> bytes:
    data = bytes((i * 7919 + 13) % 256 for i in range(64 * 1024))
    path.write_bytes(data)
    return data


# --- defcomm run -----------------------------------------------------------------------------------


def test_run_missing_source_folder(defcomm, tmp_path):
    missing = tmp_path / "no_such_folder"
    p = defcomm("run", "--source", str(missing), "--db", str(tmp_path / "x.duckdb"))
    assert_one_line_error(p, EXIT_USAGE, str(missing), "does not exist", "--source")
    assert not (tmp_path / "x.duckdb").exists()


def test_run_source_that_is_a_file(defcomm, tmp_path):
    f = tmp_path / "articles.txt"
    f.write_text("not a folder")
    p = defcomm("run", "--source", str(f), "--db", str(tmp_path / "x.duckdb"))
    assert_one_line_error(p, EXIT_USAGE, str(f), "is not a folder")


def test_run_missing_source_folder_from_the_environment(defcomm, tmp_path):
    missing = tmp_path / "gone"
    p = defcomm("run", env={"DEFCOMM_SOURCE_DIR": str(missing), "DEFCOMM_DB_PATH": str(tmp_path / "x.duckdb")})
    assert_one_line_error(p, EXIT_USAGE, str(missing), "DEFCOMM_SOURCE_DIR")


def test_run_database_path_inside_a_file_is_unwritable(defcomm, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    db_path = blocker / "sub" / "defcomm.duckdb"
    p = defcomm("run", "--source", str(SEEDS), "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "cannot be created", "--db")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_run_database_in_a_read_only_folder(defcomm, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        db_path = folder / "defcomm.duckdb"
        p = defcomm("run", "--source", str(SEEDS), "--db", str(db_path))
        assert_one_line_error(p, EXIT_USAGE, str(db_path), "--db")
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc (a file system nobody can create files in)")
def test_run_database_on_a_file_system_that_refuses_new_files(defcomm):
    db_path = "/proc/defcomm-test.duckdb"
    p = defcomm("run", "--source", str(SEEDS), "--db", db_path)
    assert_one_line_error(p, EXIT_USAGE, db_path, "writable", "--db")


def test_run_database_path_that_is_a_folder(defcomm, tmp_path):
    p = defcomm("run", "--source", str(SEEDS), "--db", str(tmp_path))
    assert_one_line_error(p, EXIT_USAGE, str(tmp_path), "is a folder", "--db")


def test_run_corrupt_database_is_refused_and_left_alone(defcomm, tmp_path):
    db_path = tmp_path / "defcomm.duckdb"
    data = _garbage(db_path)
    p = defcomm("run", "--source", str(SEEDS), "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "not a readable DuckDB file", "--db")
    assert db_path.read_bytes() == data  # the operator's file is not overwritten


def test_run_on_a_sqlite_file_is_refused(defcomm, tmp_path):
    import sqlite3

    db_path = tmp_path / "other.db"
    c = sqlite3.connect(db_path)
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    p = defcomm("run", "--source", str(SEEDS), "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "not a readable DuckDB file")


def test_run_database_locked_by_another_process(defcomm, small_db, lock_holder):
    holder = lock_holder(small_db)
    p = defcomm("run", "--source", str(SEEDS), "--db", str(small_db), "--lock-wait", "1")
    line = assert_one_line_error(p, EXIT_USAGE, str(small_db), "locked by another process", only_line=False)
    assert f"PID {holder.pid}" in line


def test_run_malformed_limit_in_the_environment(defcomm, tmp_path):
    p = defcomm("run", "--source", str(SEEDS), "--db", str(tmp_path / "x.duckdb"),
                env={"DEFCOMM_MAX_FILE_BYTES": "20MB"})
    assert_one_line_error(p, EXIT_USAGE, "DEFCOMM_MAX_FILE_BYTES", "20MB")


# --- defcomm sql / report / export -----------------------------------------------------------------


def test_sql_reads(defcomm, small_db):
    p = defcomm("sql", "SELECT source_name FROM raw_documents", "--db", str(small_db), "--csv")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["source_name", "a.txt"]


@pytest.mark.parametrize("statement", [
    "DELETE FROM raw_documents",
    "INSERT INTO raw_documents (doc_id) VALUES ('x')",
    "UPDATE raw_documents SET source_name = 'b.txt'",
    "DROP TABLE raw_documents",
    "CREATE TABLE evil AS SELECT 1 AS x",
])
def test_sql_refuses_writes_to_the_database(defcomm, small_db, statement):
    before = small_db.read_bytes()
    p = defcomm("sql", statement, "--db", str(small_db))
    assert_one_line_error(p, EXIT_FAILED, "query failed", "read-only")
    assert small_db.read_bytes() == before
    c = duckdb.connect(str(small_db), read_only=True)
    try:
        assert c.execute("SELECT source_name FROM raw_documents").fetchall() == [("a.txt",)]
    finally:
        c.close()


@pytest.mark.parametrize("statement,target", [
    ("COPY (SELECT * FROM raw_documents) TO '{t}'", "leak.csv"),
    ("ATTACH '{t}' AS other", "other.duckdb"),
])
def test_sql_cannot_write_files_either(defcomm, small_db, tmp_path, statement, target):
    t = tmp_path / target
    p = defcomm("sql", statement.format(t=t), "--db", str(small_db))
    assert_one_line_error(p, EXIT_FAILED, "query failed")
    assert not t.exists()


def test_sql_bad_query(defcomm, small_db):
    p = defcomm("sql", "SELEC * FROM raw_documents", "--db", str(small_db))
    assert_one_line_error(p, EXIT_FAILED, "query failed", "syntax error")


def test_sql_unknown_table(defcomm, small_db):
    p = defcomm("sql", "SELECT * FROM no_such_table", "--db", str(small_db))
    assert_one_line_error(p, EXIT_FAILED, "query failed", "no_such_table")


def test_sql_missing_database_is_not_created(defcomm, tmp_path):
    db_path = tmp_path / "never_ran.duckdb"
    p = defcomm("sql", "SELECT 1", "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "does not exist", "defcomm run")
    assert not db_path.exists()


def test_sql_corrupt_database(defcomm, tmp_path):
    db_path = tmp_path / "defcomm.duckdb"
    _garbage(db_path)
    p = defcomm("sql", "SELECT 1", "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "not a readable DuckDB file")


def test_sql_truncated_database(defcomm, small_db, tmp_path):
    db_path = tmp_path / "cut.duckdb"
    db_path.write_bytes(small_db.read_bytes()[:20_000])
    p = defcomm("sql", "SELECT count(*) FROM raw_documents", "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "not a readable DuckDB file")


def test_sql_database_locked_by_a_running_writer(defcomm, small_db, lock_holder):
    lock_holder(small_db)
    p = defcomm("sql", "SELECT 1", "--db", str(small_db))
    assert_one_line_error(p, EXIT_USAGE, str(small_db), "locked by another process", "try again")


@pytest.mark.parametrize("command", [["report", "--out", "{tmp}/report"], ["export", "{tmp}/parquet"]])
def test_report_and_export_on_a_missing_database(defcomm, tmp_path, command):
    db_path = tmp_path / "nothing.duckdb"
    p = defcomm(*[c.format(tmp=tmp_path) for c in command], "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "does not exist")


# --- the real command in a subprocess: exit status and stderr exactly as the operator sees them ---------


def test_process_missing_source_folder(tmp_path):
    missing = tmp_path / "no_such_folder"
    p = defcomm_process("run", "--source", str(missing), "--db", str(tmp_path / "x.duckdb"))
    assert_one_line_error(p, EXIT_USAGE, str(missing), "does not exist")
    assert p.stdout == ""


def test_process_locked_database_waits_then_fails_in_one_line(small_db, lock_holder):
    lock_holder(small_db)
    p = defcomm_process("run", "--source", str(SEEDS), "--db", str(small_db), "--lock-wait", "1")
    assert_one_line_error(p, EXIT_USAGE, str(small_db), "locked by another process", only_line=False)
    assert p.stderr.startswith("defcomm: waiting: ")  # the operator knows why nothing happens for a while


def test_process_corrupt_database_for_sql(tmp_path):
    db_path = tmp_path / "defcomm.duckdb"
    _garbage(db_path)
    p = defcomm_process("sql", "SELECT 1", "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "not a readable DuckDB file")


def test_process_sql_write_refused(small_db):
    p = defcomm_process("sql", "DROP TABLE raw_documents", "--db", str(small_db))
    assert_one_line_error(p, EXIT_FAILED, "query failed", "read-only")


def test_run_empty_database_file(defcomm, tmp_path):
    db_path = tmp_path / "defcomm.duckdb"
    db_path.write_bytes(b"")
    p = defcomm("run", "--source", str(SEEDS), "--db", str(db_path))
    assert_one_line_error(p, EXIT_USAGE, str(db_path), "not a readable DuckDB file")
