"""Shared fixtures: the seeds, their gold, and a materialized seeds database (built once per session)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Tests never touch the user's DAGSTER_HOME or database.
os.environ.pop("DAGSTER_HOME", None)


@pytest.fixture(scope="session")
def seeds_gold() -> dict[str, dict]:
    rows = [json.loads(line) for line in (FIXTURES / "seeds_gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return {r["doc"]: r for r in rows}


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """The whole graph materialized from seeds/ into a temporary DuckDB, through Dagster, once."""
    from defcomm_assets.orchestration.runner import run_pipeline

    tmp = tmp_path_factory.mktemp("seeds_run")
    src = tmp / "seeds"
    shutil.copytree(SEEDS, src)
    db_path = tmp / "seeds.duckdb"
    summary = run_pipeline(src, db_path, settings=_settings(tmp))
    assert summary.success, summary.failures
    return db_path


def _settings(tmp: Path):
    from defcomm_assets.core.settings import Settings

    return Settings(report_dir=str(tmp / "report"))


@pytest.fixture
def fresh_settings(tmp_path):
    return _settings(tmp_path)
