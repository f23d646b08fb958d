"""Materialize the project's own Definitions in-process: what ``defcomm run`` and the benchmark call."""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from dagster import AssetKey, DagsterInstance

from defcomm_assets.core.settings import Settings


@dataclass
class RunSummary:
    success: bool
    elapsed_s: float
    stage_metadata: dict[str, dict] = field(default_factory=dict)  # asset name -> metadata as plain values
    failures: list[str] = field(default_factory=list)  # one line per failed step
    failed_checks: list[str] = field(default_factory=list)
    run_id: str = ""


def _plain(value):
    inner = getattr(value, "value", value)
    if hasattr(inner, "to_dict") and not isinstance(inner, dict):
        return str(inner)
    return inner


def instance_for_cli() -> DagsterInstance:
    """The persistent instance when DAGSTER_HOME is set (runs show in the UI history), else an ephemeral one."""
    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    return DagsterInstance.ephemeral()


def run_pipeline(source_dir: str | Path, db_path: str | Path, *, full_refresh: bool = False,
                 selection: list[str] | None = None, settings: Settings | None = None,
                 instance: DagsterInstance | None = None, log_level: str = "CRITICAL") -> RunSummary:
    # lazy: importing definitions builds the whole graph (every asset module, the SQL models, resources from the
    # environment); importing this module for RunSummary or instance_for_cli should not
    from defcomm_assets.definitions import build_definitions
    from defcomm_assets.orchestration.automation import MAIN_JOB

    base = settings or Settings.from_env()
    s = replace(base, source_dir=str(source_dir)).with_db_path(db_path)  # the snapshot goes beside db_path
    defs = build_definitions(s, full_refresh=full_refresh)
    job = defs.resolve_job_def(MAIN_JOB)
    started = time.perf_counter()
    kwargs = {"asset_selection": [AssetKey(k) for k in selection]} if selection else {}
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    result = job.execute_in_process(run_config=run_config, instance=instance or instance_for_cli(),
                                    raise_on_error=False, tags={"defcomm/source_dir": str(source_dir)}, **kwargs)
    elapsed = time.perf_counter() - started
    meta: dict[str, dict] = {}
    for ev in result.get_asset_materialization_events():
        mat = ev.event_specific_data.materialization
        meta[mat.asset_key.to_user_string()] = {k: _plain(v) for k, v in mat.metadata.items()}
    failures = []
    for ev in result.all_events:
        if ev.is_step_failure:
            err = ev.step_failure_data.error
            while err is not None and err.cause is not None and "DagsterExecutionStepExecutionError" in err.cls_name:
                err = err.cause  # the user code's own exception, not Dagster's wrapper
            msg = (err.message if err else "failed").strip().splitlines()
            # pkg.mod.Error: -> Error:
            first = re.sub(r"^(?:[a-z_][\w]*\.)+(?=[A-Z]\w*:)", "", msg[0]) if msg else "failed"
            failures.append(f"{ev.step_key}: {first}")
    failed_checks = []
    for ev in result.all_events:
        if ev.event_type_value == "ASSET_CHECK_EVALUATION":
            data = ev.event_specific_data
            if not data.passed:
                failed_checks.append(f"{data.asset_key.to_user_string()}:{data.check_name} ({data.severity.value})")
    return RunSummary(success=result.success, elapsed_s=round(elapsed, 3), stage_metadata=meta, failures=failures,
                      failed_checks=failed_checks, run_id=result.run_id)
