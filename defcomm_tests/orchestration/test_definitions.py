"""The code location loads, with the whole graph, checks, job, schedule and sensors."""
from __future__ import annotations

import subprocess
import sys

from dagster import AssetKey

from defcomm_tests.paths import ROOT


def test_definitions_load_with_the_whole_graph():
    from defcomm_assets.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw_documents", "clean_documents", "entities", "events", "contacts_by_country_pair_month",
            "official_activity", "topic_trends_month", "network_edges", "contact_timeline", "data_quality",
            "report"} <= keys
    parents = lambda k: {p.to_user_string() for p in graph.get(AssetKey(k)).parent_keys}  # noqa: E731
    assert parents("clean_documents") == {"raw_documents"}
    assert parents("entities") == {"clean_documents"}
    assert parents("events") == {"entities"}
    assert parents("network_edges") == {"contacts_by_country_pair_month"}
    assert "events" in parents("contact_timeline")
    assert defs.resolve_job_def("defcomm_all") is not None
    assert defs.resolve_schedule_def("defcomm_daily").cron_schedule == "0 6 * * *"
    sensors = {s.name for s in defs.sensors}
    assert {"defcomm_source_folder", "defcomm_automation"} <= sensors


def test_every_writing_asset_is_in_the_duckdb_pool():
    from defcomm_assets.definitions import defs

    for a in defs.assets:
        for spec in a.specs:
            assert a.get_op_def_for_asset_key(spec.key).pool == "duckdb", spec.key


def test_checks_are_declared():
    from defcomm_assets.definitions import defs

    checks = {(k.asset_key.to_user_string(), k.name) for k in defs.resolve_asset_graph().asset_check_keys}
    assert ("raw_documents", "no_rejected_files") in checks
    assert ("events", "evidence_in_clean_text") in checks
    assert ("contact_timeline", "unique_contact_id") in checks


def test_dagster_definitions_validate():
    proc = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
