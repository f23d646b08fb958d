"""The entities asset through ``dagster.materialize``: mentions, corpus-wide entities, skipped documents, metadata
and checks."""
from __future__ import annotations

from defcomm_assets.core.db import TABLES
from defcomm_assets.stages.clean_documents.asset import clean_documents
from defcomm_assets.stages.entities.asset import entities
from defcomm_assets.stages.raw_documents.asset import raw_documents
from defcomm_tests.stages.conftest import FRENCH, build_source, materialize_stage, query, stage_settings


def test_mentions_resolve_to_one_entity_per_person_across_documents(staged):
    db = staged["db"]
    per_doc = dict(query(db, """SELECT r.source_name, count(m.doc_id) FROM raw_documents r
                                LEFT JOIN entity_mentions m USING (doc_id) GROUP BY 1"""))
    assert per_doc[FRENCH] == 0 and all(n > 0 for name, n in per_doc.items() if name != FRENCH)
    umerov = query(db, "SELECT entity_id, country_code FROM entities WHERE canonical_name = 'Rustem Umerov'")
    assert len(umerov) == 1 and umerov[0][1] == "UA"
    docs = query(db, "SELECT count(DISTINCT doc_id) FROM entity_mentions WHERE entity_id = ?", umerov[0][0])[0][0]
    assert docs >= 2  # the seed and its copy at least: one entity for both
    assert query(db, """SELECT count(*) FROM entity_mentions m ANTI JOIN entities e USING (entity_id)""") == [(0,)]
    assert query(db, """SELECT count(*) FROM entities e ANTI JOIN entity_mentions m USING (entity_id)""") == [(0,)]
    statuses = dict(query(db, "SELECT status, count(*) FROM doc_stage_status WHERE stage = 'entities' GROUP BY 1"))
    assert statuses == {"ok": 6, "skipped_non_english": 1}


def test_metadata_and_checks(staged):
    run = staged["runs"]["entities"]
    m = run.metadata
    db = staged["db"]
    assert (m["processed_docs"], m["skipped_non_english_docs"], m["error_docs"]) == (6, 1, 0)
    assert m["dagster/row_count"] == query(db, "SELECT count(*) FROM entities")[0][0] > 0
    assert m["mentions_written"] == m["entity_mentions_rows"] == query(db, "SELECT count(*) FROM entity_mentions")[0][0]
    assert m["persons"] == query(db, "SELECT count(*) FROM entities WHERE label = 'PERSON'")[0][0] > 0
    assert m["words"] == query(db, "SELECT sum(n_words) FROM clean_documents WHERE language = 'en'")[0][0]
    assert (m["n_process"], m["spacy_model"]) == (1, "built-in rules")
    assert [c.name for c in m["dagster/column_schema"].columns] == [c.name for c in TABLES["entities"]]
    assert m["preview"].startswith("**Persons** (most mentioned in the documents of this run)")
    assert "Rustem Umerov" in m["preview"]
    assert list(run.checks) == ["no_stage_errors", "entity_id_unique", "mentions_resolve"]
    assert all(c.passed for c in run.checks.values())
    assert run.checks["mentions_resolve"].metadata["checked"].value == "documents of this run"


def test_a_new_document_is_resolved_against_the_entities_already_known(tmp_path):
    source = build_source(tmp_path / "src")
    settings = stage_settings(tmp_path, source, workers=1)
    for asset in (raw_documents, clean_documents, entities):
        materialize_stage(asset, settings)
    before = dict(query(settings.db_path, "SELECT canonical_name, entity_id FROM entities WHERE label = 'PERSON'"))
    (source / "new.txt").write_text(
        "Umerov meets Polish counterpart in Warsaw\ndate 2025-03-14\n"
        "Defense Minister of Ukraine Rustem Umerov met Polish Defense Minister Władysław Kosiniak-Kamysz in Warsaw on "
        "Friday.\nThe ministers discussed air defence, the production of ammunition and support for Ukraine.\n",
        encoding="utf-8")
    for asset in (raw_documents, clean_documents):
        materialize_stage(asset, settings)
    run = materialize_stage(entities, settings)
    assert (run.metadata["processed_docs"], run.metadata["skipped_non_english_docs"]) == (1, 0)
    assert "in the documents of this run" in run.metadata["preview"] and "Rustem Umerov" in run.metadata["preview"]
    assert all(c.passed for c in run.checks.values())
    new_ids = {r[0] for r in query(settings.db_path, """SELECT m.entity_id FROM entity_mentions m JOIN raw_documents r
                                                        USING (doc_id) WHERE r.source_name = 'new.txt'""")}
    assert before["Rustem Umerov"] in new_ids  # the same entity as in the earlier documents, not a new one


def test_a_model_with_compiled_components_runs_in_worker_processes(tmp_path):
    """spaCy's parser and NER are compiled classes that take no ``set_error_handler``: the stage must not call it
    (it crashed with any statistical model). An untrained NER saved to disk stands in for an installed model."""
    import spacy

    model = spacy.blank("en")
    model.add_pipe("ner").add_label("PERSON")
    model.initialize()
    model.to_disk(tmp_path / "model")
    source = build_source(tmp_path / "src")
    settings = stage_settings(tmp_path, source, workers=1, spacy_model=str(tmp_path / "model"), nlp_n_process=2)
    for asset in (raw_documents, clean_documents):
        materialize_stage(asset, settings)
    run = materialize_stage(entities, settings)
    m = run.metadata
    model_path = str(tmp_path / "model")
    assert (m["spacy_model"], m["n_process"], m["processed_docs"], m["error_docs"]) == (model_path, 2, 6, 0)
    assert all(c.passed for c in run.checks.values())
    assert "Rustem Umerov" in m["preview"]
