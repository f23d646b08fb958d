"""`make dev` for real: dagster dev serves the graph, and a run launched through GraphQL succeeds."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import duckdb
import pytest

from defcomm_tests.paths import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dagster_dev(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    src = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", src)
    db_path = tmp_path / "ui.duckdb"
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "DEFCOMM_SOURCE_DIR": str(src), "DEFCOMM_DB_PATH": str(db_path),
           "DEFCOMM_REPORT_DIR": str(tmp_path / "report")}
    log = open(tmp_path / "dagster_dev.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml", "-h", "127.0.0.1",
                             "-p", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        yield port, db_path, tmp_path / "dagster_dev.log"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_a_run_launched_from_the_ui_succeeds(dagster_dev):
    from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError

    port, db_path, log = dagster_dev
    client = DagsterGraphQLClient("127.0.0.1", port_number=port, timeout=30)
    deadline = time.monotonic() + 180
    run_id = None
    while run_id is None:
        try:
            run_id = client.submit_job_execution("defcomm_all", repository_location_name="defcomm",
                                                 repository_name="__repository__")
        except (DagsterGraphQLClientError, Exception):
            if time.monotonic() > deadline:
                pytest.fail("dagster dev did not come up:\n" + log.read_text()[-3000:])
            time.sleep(2)
    status = None
    while time.monotonic() < deadline + 300:
        status = client.get_run_status(run_id).value
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(2)
    assert status == "SUCCESS", log.read_text()[-3000:]
    # The run wrote the database the UI was pointed at (wait for any sensor-launched run to release it).
    for _ in range(60):
        try:
            con = duckdb.connect(str(db_path), read_only=True)
            break
        except duckdb.Error:
            time.sleep(2)
    assert con.execute("SELECT count(*) FROM raw_documents").fetchone() == (5,)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    con.close()
