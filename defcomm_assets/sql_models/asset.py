"""One Dagster asset per ``dbt_like_sql/*.sql`` file: adding a file adds an asset, with no Python."""

import time

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AutomationCondition,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableColumnDep,
    TableColumnLineage,
    TableSchema,
    asset,
)

from defcomm_assets.core import db
from defcomm_assets.orchestration.metadata import POOL, preview
from defcomm_assets.orchestration.resources import DefcommDatabase
from defcomm_assets.sql_models.models import DEFAULT_SQL_DIR, SqlModel, column_lineage, load_models

# Which asset writes each stage table.
STAGE_TABLE_ASSET = {
    "raw_documents": "raw_documents",
    "rejected_documents": "raw_documents",
    "clean_documents": "clean_documents",
    "line_counts": "clean_documents",
    "line_counted_docs": "clean_documents",
    "entities": "entities",
    "entity_mentions": "entities",
    "events": "events",
    "event_participants": "events",
    "contacts": "events",
    "contact_events": "events",
    "doc_stage_status": "events",
    "stage_errors": "events",
}


def _asset_key_for_table(table: str) -> AssetKey:
    return AssetKey(STAGE_TABLE_ASSET.get(table, table))


def _schemas(con, tables) -> dict[str, dict[str, str]]:
    out = {}
    for t in tables:
        rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                           "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [t]).fetchall()
        if rows:
            out[t] = dict(rows)
    return out


def build_sql_model_asset(model: SqlModel) -> AssetsDefinition:
    deps = sorted({_asset_key_for_table(t) for t in model.upstream}, key=lambda k: k.to_user_string())
    check_specs = [AssetCheckSpec(t.name, asset=model.name, blocking=t.blocking,
                                  description=f"schema.yml {t.kind}: {t.description}") for t in model.tests]

    @asset(
        name=model.name,
        group_name="aggregates",
        kinds={"duckdb", "sql"},
        pool=POOL,
        deps=deps,
        check_specs=check_specs,
        automation_condition=AutomationCondition.eager(),
        description=(
            (model.description or f"SQL model {model.path.name}") + f"\n\nSQL: `dbt_like_sql/{model.path.name}`"
        ),
        metadata={"sql_file": f"dbt_like_sql/{model.path.name}", "upstream_tables": ", ".join(model.upstream),
                  **({"vocabulary_tables": ", ".join(model.vocabulary_tables)} if model.vocabulary_tables else {})},
    )
    def _sql_model(context: AssetExecutionContext, database: DefcommDatabase) -> MaterializeResult:
        started = time.perf_counter()
        with database.connect() as con:
            if database.aggregate_memory_limit:
                con.execute("SET memory_limit = ?", [database.aggregate_memory_limit])
            with db.transaction(con):
                model.build(con)  # the vocabulary tables it reads, then its table
                failures = {t.name: int(con.execute(t.sql, list(t.params)).fetchone()[0]) for t in model.tests}
            n = con.execute(f"SELECT count(*) FROM {model.name}").fetchone()[0]
            cols = con.execute(f"DESCRIBE {model.name}").fetchall()
            schema = TableSchema(columns=[TableColumn(c[0], c[1], description=model.column_descriptions.get(c[0]))
                                          for c in cols])
            lineage = column_lineage(model, _schemas(con, model.upstream), [c[0] for c in cols])
            md = preview(con, f"SELECT * FROM {model.name} LIMIT 15", width=60)
        meta = {
            "dagster/row_count": int(n),
            "dagster/column_schema": schema,
            "preview": MetadataValue.md(md),
            "elapsed_s": round(time.perf_counter() - started, 3),
        }
        if lineage:
            meta["dagster/column_lineage"] = TableColumnLineage(deps_by_column={
                col: [TableColumnDep(asset_key=_asset_key_for_table(t), column_name=c) for t, c in deps]
                for col, deps in lineage.items()})
        checks = [AssetCheckResult(check_name=t.name, passed=failures[t.name] == 0,
                                   severity=AssetCheckSeverity.ERROR if t.blocking else AssetCheckSeverity.WARN,
                                   metadata={"failing_rows": failures[t.name], "sql": t.sql})
                  for t in model.tests]
        return MaterializeResult(metadata=meta, check_results=checks)

    return _sql_model


def build_sql_model_assets(sql_dir=DEFAULT_SQL_DIR) -> list[AssetsDefinition]:
    return [build_sql_model_asset(m) for m in load_models(sql_dir)]
