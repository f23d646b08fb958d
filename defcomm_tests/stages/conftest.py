"""The document stages materialized one asset at a time through ``dagster.materialize``, on the seeds plus a few
snippets: an exact duplicate of a seed (other bytes, same body) and a French article (not run through the English
rules). The session fixture runs raw_documents, clean_documents, entities and events in that order, once, on one
DuckDB file; each stage's ``test_asset.py`` reads its run's result and its rows."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pytest
from dagster import AssetsDefinition, DagsterInstance, materialize

from defcomm_assets.core.settings import Settings
from defcomm_assets.orchestration.resources import make_resources
from defcomm_tests.paths import ROOT

SEEDS = ROOT / "seeds"
DUPLICATE = "copies/000_again.txt"  # seed 000 with other line endings: other bytes, the same clean body
FRENCH = "fr/ministres.txt"
FRENCH_TEXT = """Les ministres de la Défense de la France et de l'Allemagne se rencontrent à Paris
date 2025-03-14
Le ministre des Armées a rencontré son homologue allemand à Paris pour discuter de la coopération militaire et du
soutien à l'Ukraine. Les deux ministres ont signé un accord sur la production de munitions.
"""


@dataclass
class StageRun:
    """One asset materialized: its MaterializeResult metadata (plain values) and its check results by name."""

    metadata: dict
    checks: dict  # check name -> AssetCheckEvaluation


def build_source(dest: Path) -> Path:
    shutil.copytree(SEEDS, dest)
    (dest / DUPLICATE).parent.mkdir()
    (dest / DUPLICATE).write_bytes((SEEDS / "000_6b69322693f17578.txt").read_bytes().replace(b"\n", b"\r\n"))
    (dest / FRENCH).parent.mkdir()
    (dest / FRENCH).write_text(FRENCH_TEXT, encoding="utf-8")
    return dest


def stage_settings(tmp: Path, source: Path, **overrides) -> Settings:
    return replace(Settings(report_dir=str(tmp / "report")), source_dir=str(source), db_path=str(tmp / "stages.duckdb"),
                   **overrides)


def materialize_stage(asset: AssetsDefinition, settings: Settings, full_refresh: bool = False,
                      expect_success: bool = True) -> StageRun:
    """``dagster.materialize`` of this one asset with the project's resources (upstream tables must be there)."""
    result = materialize([asset], resources=make_resources(settings, full_refresh=full_refresh),
                         instance=DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success is expect_success
    (mat,) = result.asset_materializations_for_node(asset.key.path[-1])
    metadata = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
    return StageRun(metadata, {e.check_name: e for e in result.get_asset_check_evaluations()})


@pytest.fixture(scope="session")
def staged(tmp_path_factory) -> dict:
    """Each document stage materialized once, in order, on the seeds and the snippets."""
    from defcomm_assets.stages.clean_documents.asset import clean_documents
    from defcomm_assets.stages.entities.asset import entities
    from defcomm_assets.stages.events.asset import events
    from defcomm_assets.stages.raw_documents.asset import raw_documents

    tmp = tmp_path_factory.mktemp("stages")
    settings = stage_settings(tmp, build_source(tmp / "src"), workers=1)
    runs = {a.key.path[-1]: materialize_stage(a, settings) for a in (raw_documents, clean_documents, entities, events)}
    return {"runs": runs, "settings": settings, "db": Path(settings.db_path)}


def query(db: Path, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()
