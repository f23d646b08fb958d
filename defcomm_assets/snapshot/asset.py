"""``analyst_snapshot``: publish the read-only copy analysts and ``defcomm sql/export/report`` open."""

from collections.abc import Sequence
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    AutomationCondition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from defcomm_assets.core.snapshot import publish
from defcomm_assets.orchestration.metadata import POOL
from defcomm_assets.orchestration.resources import DefcommDatabase

SNAPSHOT_ASSET = "analyst_snapshot"


def build_snapshot_asset(tables: Sequence[AssetsDefinition]) -> AssetsDefinition:
    """The snapshot, downstream of every asset that writes a table (``tables``)."""
    deps = sorted({key for a in tables for key in a.keys}, key=lambda k: k.to_user_string())

    @asset(
        name=SNAPSHOT_ASSET,
        group_name="publish",
        kinds={"duckdb"},
        pool=POOL,
        deps=deps,
        automation_condition=AutomationCondition.eager(),
        description="Read-only copy of the database for analysts (data/defcomm.read.duckdb; DEFCOMM_READ_DB_PATH), "
                    "replaced atomically once every table is built: readers never wait for the run nor block it, "
                    "and see the last published state until they reconnect.",
    )
    def analyst_snapshot(context: AssetExecutionContext, database: DefcommDatabase) -> MaterializeResult:
        if database.database == ":memory:":
            return MaterializeResult(metadata={"skipped": "in-memory database: nothing to publish"})
        with database.connect() as con:  # held through the copy: no other process writes the file meanwhile
            published = publish(con, database.database, database.read_path)
        return MaterializeResult(metadata={
            "path": MetadataValue.path(str(Path(published.path).resolve())),
            "bytes": published.n_bytes,
            "elapsed_s": published.copy_s,
        })

    return analyst_snapshot
