"""The clean_documents asset through ``dagster.materialize``: rows, duplicates, errors, metadata and checks."""
from __future__ import annotations

import pytest

from defcomm_assets.core.db import TABLES
from defcomm_assets.stages.clean_documents import asset as cleaned
from defcomm_assets.stages.raw_documents.asset import raw_documents
from defcomm_tests.stages.conftest import DUPLICATE, FRENCH, build_source, materialize_stage, query, stage_settings


def test_every_document_is_cleaned_once_and_the_copy_points_to_the_original(staged):
    db = staged["db"]
    rows = dict((r[0], r[1:]) for r in query(db, """
        SELECT r.source_name, c.language, c.nlp_mode, o.source_name, c.n_words
        FROM clean_documents c JOIN raw_documents r USING (doc_id) LEFT JOIN raw_documents o ON o.doc_id = c.duplicate_of"""))
    assert len(rows) == 7
    assert rows[FRENCH][:2] == ("fr", "skipped_non_english")
    # the original is the earliest ingested copy; both were ingested in one run, so the smaller doc_id wins
    original = query(db, """SELECT first(source_name ORDER BY ingested_at, doc_id) FROM raw_documents
                            WHERE source_name IN ('000_6b69322693f17578.txt', ?)""", DUPLICATE)[0][0]
    copy = DUPLICATE if original != DUPLICATE else "000_6b69322693f17578.txt"
    assert rows[copy][2] == original and rows[original][2] is None
    assert sum(1 for r in rows.values() if r[2] is not None) == 1
    assert all(r[3] > 50 for name, r in rows.items() if name != FRENCH)
    statuses = query(db, "SELECT status, count(*) FROM doc_stage_status WHERE stage = 'clean_documents' GROUP BY 1")
    assert statuses == [("ok", 7)]
    assert query(db, "SELECT count(DISTINCT folder) FROM line_counted_docs") == [(3,)]  # '', copies, fr


def test_metadata_and_checks(staged):
    run = staged["runs"]["clean_documents"]
    m = run.metadata
    assert m["dagster/row_count"] == m["processed_docs"] == 7
    assert (m["error_docs"], m["duplicate_docs"], m["non_english_docs"]) == (0, 1, 1)
    assert m["undated_docs"] == query(staged["db"], "SELECT count(*) FROM clean_documents WHERE published_date IS NULL")[0][0]
    words = query(staged["db"], "SELECT sum(n_words), sum(chars_removed) FROM clean_documents")[0]
    assert (m["words"], m["chars_removed"]) == words
    assert m["stage_version"] == cleaned.stage_version("clean_documents") and m["elapsed_s"] > 0
    assert [c.name for c in m["dagster/column_schema"].columns] == [c.name for c in TABLES["clean_documents"]]
    assert m["preview"].startswith("| source_name | title | published_date | date_rule |")
    assert list(run.checks) == ["no_stage_errors", "doc_id_unique", "language_set"]
    assert all(c.passed for c in run.checks.values())
    assert run.checks["no_stage_errors"].metadata["errors"].value == 0


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "two-workers"])
def test_a_document_that_makes_the_cleaner_raise_is_recorded_and_the_rest_written(tmp_path, monkeypatch, workers):
    source = build_source(tmp_path / "src")
    (source / "poison.txt").write_text("POISONCLEAN\nThe ministers met in Riga on Monday.\n", encoding="utf-8")
    settings = stage_settings(tmp_path, source, workers=workers)
    materialize_stage(raw_documents, settings)
    real = cleaned.clean_document

    def clean_document(raw_text, *args, **kwargs):
        if "POISONCLEAN" in raw_text:
            raise ValueError("injected fault in cleaning")
        return real(raw_text, *args, **kwargs)

    monkeypatch.setattr(cleaned, "clean_document", clean_document)
    run = materialize_stage(cleaned.clean_documents, settings)
    assert (run.metadata["processed_docs"], run.metadata["error_docs"], run.metadata["dagster/row_count"]) == (7, 1, 7)
    check = run.checks["no_stage_errors"]
    assert not check.passed and check.metadata["errors"].value == 1
    assert run.checks["doc_id_unique"].passed and run.checks["language_set"].passed
    assert query(settings.db_path, "SELECT source_name, error_type, message FROM stage_errors") == [
        ("poison.txt", "ValueError", "injected fault in cleaning")]
    assert query(settings.db_path, """SELECT s.status, count(*) FROM doc_stage_status s WHERE stage = 'clean_documents'
                                      GROUP BY 1 ORDER BY 1""") == [("error", 1), ("ok", 7)]

    again = materialize_stage(cleaned.clean_documents, settings)  # nothing new: nothing processed, the error stays
    assert (again.metadata["processed_docs"], again.metadata["error_docs"]) == (0, 0)
    assert not again.checks["no_stage_errors"].passed
