"""A SQL model asset through ``dagster.materialize`` on the seeds database: its table, metadata and schema.yml checks."""
from __future__ import annotations

import shutil
from dataclasses import replace

import duckdb
from dagster import DagsterInstance, materialize

from defcomm_assets.core.settings import Settings
from defcomm_assets.orchestration.resources import make_resources
from defcomm_assets.sql_models.asset import build_sql_model_assets


def test_a_model_asset_rebuilds_its_table_and_runs_its_schema_tests(seeds_db, tmp_path):
    db_path = tmp_path / "seeds.duckdb"
    shutil.copy(seeds_db, db_path)
    con = duckdb.connect(str(db_path))
    expected = sorted(map(repr, con.execute("SELECT * FROM contacts_by_country_pair_month").fetchall()))
    con.execute("DROP TABLE contacts_by_country_pair_month")
    con.close()
    model = next(a for a in build_sql_model_assets() if a.key.path[-1] == "contacts_by_country_pair_month")
    settings = replace(Settings(report_dir=str(tmp_path / "report")), db_path=str(db_path))
    result = materialize([model], resources=make_resources(settings), instance=DagsterInstance.ephemeral())
    assert result.success
    (mat,) = result.asset_materializations_for_node("contacts_by_country_pair_month")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert sorted(map(repr, con.execute("SELECT * FROM contacts_by_country_pair_month").fetchall())) == expected
        columns = [r[0] for r in con.execute("DESCRIBE contacts_by_country_pair_month").fetchall()]
    finally:
        con.close()
    assert expected and mat.metadata["dagster/row_count"].value == len(expected)
    assert [c.name for c in mat.metadata["dagster/column_schema"].schema.columns] == columns
    assert "dagster/column_lineage" in mat.metadata and mat.metadata["preview"].value.startswith("| ")
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks)
    assert {c.check_name for c in checks} == {s.name for s in model.check_specs}
