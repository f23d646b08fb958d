"""The code location: ``dagster dev`` loads ``defs`` from here (see workspace.yaml and pyproject.toml)."""

from dagster import Definitions, in_process_executor

from defcomm_assets.core.settings import Settings
from defcomm_assets.orchestration.automation import (
    automation_sensor,
    daily_schedule,
    defcomm_all_job,
    source_folder_sensor,
)
from defcomm_assets.orchestration.resources import make_resources
from defcomm_assets.report.asset import report
from defcomm_assets.snapshot.asset import build_snapshot_asset
from defcomm_assets.sql_models.asset import build_sql_model_assets
from defcomm_assets.stages.clean_documents.asset import clean_documents
from defcomm_assets.stages.entities.asset import entities
from defcomm_assets.stages.events.asset import events
from defcomm_assets.stages.raw_documents.asset import raw_documents


def build_definitions(settings: Settings | None = None, full_refresh: bool = False) -> Definitions:
    """The whole graph with resources for these settings (default: from the environment)."""
    tables = [raw_documents, clean_documents, entities, events, *build_sql_model_assets()]
    return Definitions(
        assets=[*tables, report, build_snapshot_asset(tables)],
        resources=make_resources(settings, full_refresh=full_refresh),
        jobs=[defcomm_all_job],
        schedules=[daily_schedule],
        sensors=[source_folder_sensor, automation_sensor],
        # A few small steps: in-process avoids ~20 s of process start-up. See README to switch to multiprocess.
        executor=in_process_executor,
    )


defs = build_definitions()
