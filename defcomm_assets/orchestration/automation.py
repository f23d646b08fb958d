"""How runs start: the main job, a daily schedule, a sensor on the source folder, eager aggregates."""

import hashlib
import json

from dagster import (
    AssetSelection,
    AutomationConditionSensorDefinition,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    sensor,
)

from defcomm_assets.core.settings import Settings
from defcomm_assets.stages.raw_documents.ingest import SourceFolderError, list_source_files

MAIN_JOB = "defcomm_all"

defcomm_all_job = define_asset_job(
    MAIN_JOB,
    selection=AssetSelection.all(),
    description="Materialize every stage (only new or changed documents are processed), the SQL models and the report.",
)

daily_schedule = ScheduleDefinition(
    name="defcomm_daily",
    job=defcomm_all_job,
    cron_schedule="0 6 * * *",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Every morning: pick up what arrived in the source folder.",
)


def folder_fingerprint(source_dir: str) -> tuple[str, int]:
    """A hash of the listing (names, sizes, modification times): changes when any file is new, changed or gone."""
    files = list_source_files(source_dir)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f.source_name}\0{f.n_bytes}\0{f.mtime_ns}\n".encode())
    return digest.hexdigest()[:20], len(files)


@sensor(
    name="defcomm_source_folder",
    job=defcomm_all_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Requests one run when files in the source folder are new, changed or gone (deduplicated by run_key).",
)
def source_folder_sensor(context: SensorEvaluationContext):
    source_dir = Settings.from_env().source_dir
    try:
        key, n = folder_fingerprint(source_dir)
    except SourceFolderError as exc:
        return SkipReason(str(exc))
    previous = json.loads(context.cursor) if context.cursor else {}
    if previous.get("fingerprint") == key:
        return SkipReason(f"no new or changed files in {source_dir} ({n} files)")
    context.update_cursor(json.dumps({"fingerprint": key, "files": n}))
    return RunRequest(run_key=f"source-{key}", tags={"defcomm/source_dir": source_dir, "defcomm/files": str(n)})


automation_sensor = AutomationConditionSensorDefinition(
    "defcomm_automation",
    target=AssetSelection.groups("aggregates", "report", "publish"),
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Keeps the SQL models, the report and the analysts' snapshot up to date when the stages change "
                "(AutomationCondition.eager).",
)
