"""The raw_documents asset through ``dagster.materialize``: its rows, its metadata and its checks."""
from __future__ import annotations

from defcomm_assets.core.db import TABLES
from defcomm_assets.stages.raw_documents.asset import raw_documents
from defcomm_tests.stages.conftest import (
    DUPLICATE,
    FRENCH,
    SEEDS,
    build_source,
    materialize_stage,
    query,
    stage_settings,
)


def test_every_file_becomes_a_row_and_the_metadata_says_so(staged):
    run = staged["runs"]["raw_documents"]
    names = [r[0] for r in query(staged["db"], "SELECT source_name FROM raw_documents ORDER BY 1")]
    assert names == sorted([p.name for p in SEEDS.glob("*.txt")] + [DUPLICATE, FRENCH])
    m = run.metadata
    assert m["dagster/row_count"] == m["files_listed"] == m["processed_docs"] == m["new_docs"] == 7
    assert m["rejected_this_run"] == m["rejected_total"] == m["changed_docs"] == m["missing_docs"] == 0
    assert [c.name for c in m["dagster/column_schema"].columns] == [c.name for c in TABLES["raw_documents"]]
    assert "| source_name | doc_id |" in m["preview"] and "**Rejected files**" not in m["preview"]
    assert {name: c.passed for name, c in run.checks.items()} == {"no_rejected_files": True, "doc_id_unique": True}


def test_a_rejected_file_warns_and_an_unchanged_folder_is_not_read_again(tmp_path):
    source = build_source(tmp_path / "src")
    (source / "empty.txt").write_text("  \n", encoding="utf-8")
    settings = stage_settings(tmp_path, source)
    first = materialize_stage(raw_documents, settings)
    assert first.metadata["processed_docs"] == 7 and first.metadata["rejected_by_reason"] == {"empty": 1}
    check = first.checks["no_rejected_files"]
    assert not check.passed and check.severity.value == "WARN" and check.metadata["rejected"].value == 1
    assert query(settings.db_path, "SELECT source_name, reason FROM rejected_documents") == [("empty.txt", "empty")]
    assert "**Rejected files**" in first.metadata["preview"]

    second = materialize_stage(raw_documents, settings)
    assert second.metadata["processed_docs"] == second.metadata["new_docs"] == 0
    assert second.metadata["unchanged_docs"] == 7 and second.metadata["dagster/row_count"] == 7
