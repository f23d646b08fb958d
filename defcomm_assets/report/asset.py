"""The report: a self-contained HTML page of the contact network, timeline, officials and topics."""

import time
from pathlib import Path

from dagster import AssetExecutionContext, AutomationCondition, MaterializeResult, MetadataValue, asset

from defcomm_assets.orchestration.metadata import POOL
from defcomm_assets.orchestration.resources import DefcommDatabase, DefcommSettings
from defcomm_assets.report import build_report  # the package loads plotly only inside build_report

REPORT_INPUTS = ["contact_timeline", "network_edges", "official_activity", "topic_trends_month",
                 "contacts_by_country_pair_month", "data_quality"]


@asset(
    group_name="report",
    kinds={"html", "plotly"},
    pool=POOL,
    deps=REPORT_INPUTS,
    automation_condition=AutomationCondition.eager(),
    description="Self-contained HTML report (works offline) with the country contact network, a monthly timeline "
                "by type, the most active officials, a topic-by-month heatmap and the latest contacts with their "
                "evidence. The network and timeline PNGs are shown here.",
)
def report(context: AssetExecutionContext, database: DefcommDatabase, settings: DefcommSettings) -> MaterializeResult:
    started = time.perf_counter()
    with database.connect() as con:
        result = build_report(con, Path(settings.report_dir))
    meta = {
        "path": MetadataValue.path(str(Path(result.html_path).resolve())),
        "url": MetadataValue.url(Path(result.html_path).resolve().as_uri()),
        "contacts": result.n_contacts,
        "countries": result.n_countries,
        "pictures": MetadataValue.md(result.markdown),
        "elapsed_s": round(time.perf_counter() - started, 3),
    }
    for name, path in (("network_png", result.network_png_path), ("timeline_png", result.timeline_png_path)):
        if path:
            meta[name] = MetadataValue.path(str(Path(path).resolve()))
    if result.warnings:
        meta["warnings"] = MetadataValue.md("\n".join(f"- {w}" for w in result.warnings))
    return MaterializeResult(metadata=meta)
