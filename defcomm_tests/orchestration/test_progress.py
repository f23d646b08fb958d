"""Long stages say how far they are: documents done of total, rate and time left, after every chunk."""

from __future__ import annotations

import dataclasses
import logging
import shutil

from defcomm_assets.orchestration.stage_engine import progress_line
from defcomm_assets.stages.clean_documents import asset as clean_asset
from defcomm_tests.end_to_end.test_incremental import run_pipeline
from defcomm_tests.paths import SEEDS


def test_a_progress_line_says_done_of_total_rate_and_time_left():
    assert progress_line("entities", 4000, 10000, 5.0) == "entities: 4,000/10,000 documents (800/s, about 8 s left)"
    assert progress_line("events", 10000, 10000, 4.0) == "events: 10,000/10,000 documents (2,500/s)"


def test_a_stage_of_several_chunks_reports_each_chunk(tmp_path, fresh_settings, monkeypatch, caplog):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    monkeypatch.setattr(clean_asset, "CLEAN", dataclasses.replace(clean_asset.CLEAN, chunk_size=2))
    with caplog.at_level(logging.INFO, logger="defcomm.progress"):
        run_pipeline(str(src), str(tmp_path / "db.duckdb"), settings=fresh_settings)
    lines = [r.getMessage() for r in caplog.records if r.name == "defcomm.progress"]
    cleaning = [line for line in lines if line.startswith("clean_documents:")]
    assert [line.split(" documents")[0] for line in cleaning] == [
        "clean_documents: 2/5", "clean_documents: 4/5", "clean_documents: 5/5"]
    assert "s left)" in cleaning[0] and "left" not in cleaning[-1]
    # one chunk (the other stages here): the run's Dagster log has the line, the terminal does not
    assert not [line for line in lines if line.startswith(("entities:", "events:"))]
