"""The code location: ``dagster dev`` loads ``defs`` from here (see workspace.yaml and pyproject.toml)."""

from dagster import Definitions, in_process_executor

from .assets.cleaned import clean_documents
from .assets.entities import entities
from .assets.events import events
from .assets.raw import raw_documents
from .assets.report import report
from .assets.sql_models import build_sql_model_assets
from .automation import automation_sensor, daily_schedule, defcomm_all_job, source_folder_sensor
from .resources import make_resources
from .settings import Settings


def build_definitions(settings: Settings | None = None, full_refresh: bool = False) -> Definitions:
    """The whole graph with resources for these settings (default: from the environment)."""
    return Definitions(
        assets=[raw_documents, clean_documents, entities, events, *build_sql_model_assets(), report],
        resources=make_resources(settings, full_refresh=full_refresh),
        jobs=[defcomm_all_job],
        schedules=[daily_schedule],
        sensors=[source_folder_sensor, automation_sensor],
        # A few small steps: in-process avoids ~20 s of process start-up. See README to switch to multiprocess.
        executor=in_process_executor,
    )


defs = build_definitions()
