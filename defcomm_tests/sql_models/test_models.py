"""The dbt-like SQL layer: dependencies from parsing, clear errors, schema.yml tests as checks."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from defcomm_assets.core import db
from defcomm_assets.sql_models.models import DEFAULT_SQL_DIR, SqlModelError, load_models, table_references


@pytest.fixture
def sql_dir(tmp_path) -> Path:
    d = tmp_path / "dbt_like_sql"
    shutil.copytree(DEFAULT_SQL_DIR, d)
    return d


def test_table_references_skip_ctes_and_table_functions():
    sql = """WITH x AS (SELECT * FROM events), y AS (SELECT unnest(countries) AS c FROM contacts)
             SELECT * FROM x JOIN y ON true JOIN entities e ON true, range(3) r"""
    assert table_references(sql) == ("contacts", "entities", "events")


def test_models_are_ordered_with_model_dependencies():
    models = load_models()
    names = [m.name for m in models]
    assert {"contacts_by_country_pair_month", "official_activity", "topic_trends_month", "network_edges",
            "contact_timeline", "data_quality"} <= set(names)
    assert names.index("contacts_by_country_pair_month") < names.index("network_edges")
    edges = next(m for m in models if m.name == "network_edges")
    assert edges.upstream == ("contacts_by_country_pair_month",)
    assert edges.vocabulary_tables == ("vocabulary_event_types",)  # written by the model's step, not an asset


def test_a_new_sql_file_becomes_an_asset_with_the_right_upstream(sql_dir):
    from dagster import AssetKey

    from defcomm_assets.sql_models.asset import build_sql_model_assets

    (sql_dir / "calls_per_country.sql").write_text(
        "-- calls per country\nWITH c AS (SELECT * FROM network_edges)\n"
        "SELECT country_a AS country, sum(n_call) AS calls FROM c GROUP BY 1\n"
        "UNION ALL SELECT country_code, count(*) FROM entities GROUP BY 1\n")
    assets = {a.key.to_user_string(): a for a in build_sql_model_assets(sql_dir)}
    new = assets["calls_per_country"]
    deps = {k.to_user_string() for k in new.asset_deps[AssetKey("calls_per_country")]}
    assert deps == {"network_edges", "entities"}
    assert new.group_names_by_key[AssetKey("calls_per_country")] == "aggregates"


@pytest.mark.parametrize("sql,message", [
    ("SELECT * FROM no_such_table", "unknown table no_such_table"),
    ("SELECT * FROM (", "cannot parse SQL"),
    ("DELETE FROM events", "exactly one SELECT"),
])
def test_bad_model_files_name_the_file(sql_dir, sql, message):
    (sql_dir / "broken_model.sql").write_text(sql)
    with pytest.raises(SqlModelError, match=message) as info:
        load_models(sql_dir)
    assert "broken_model.sql" in str(info.value)


def test_a_cycle_is_an_error(sql_dir):
    (sql_dir / "loop_a.sql").write_text("SELECT * FROM loop_b")
    (sql_dir / "loop_b.sql").write_text("SELECT * FROM loop_a")
    with pytest.raises(SqlModelError, match="dependency cycle"):
        load_models(sql_dir)


def test_definitions_fail_to_load_on_a_broken_model(sql_dir):
    from defcomm_assets.sql_models.asset import build_sql_model_assets

    (sql_dir / "oops.sql").write_text("SELECT * FROM evnts")
    with pytest.raises(SqlModelError, match=r"oops\.sql: unknown table evnts"):
        build_sql_model_assets(sql_dir)


def _empty_stage_db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    db.ensure_schema(con)
    return con


def _run_models(con):
    failures = {}
    for m in load_models():
        m.build(con)
        for t in m.tests:
            failures[(m.name, t.name)] = con.execute(t.sql, list(t.params)).fetchone()[0]
    return failures


def test_every_model_runs_on_empty_stage_tables_and_its_tests_pass():
    con = _empty_stage_db()
    failures = _run_models(con)
    assert failures and all(v == 0 for v in failures.values())


def test_the_columns_schema_yml_declares_are_the_columns_each_model_produces():
    """schema.yml documents every column, in order, including network_edges' one n_<type> column per event type
    (declared once with for_each: event_types, pivoted in the SQL over vocabulary_event_types)."""
    from defcomm_assets.core.vocabulary import EVENT_TYPES

    con = _empty_stage_db()
    for m in load_models():
        m.build(con)
        produced = [r[0] for r in con.execute(f"DESCRIBE {m.name}").fetchall()]
        assert list(m.column_descriptions) == produced, m.name
        assert all(m.column_descriptions.values()), m.name
    edges = next(m for m in load_models() if m.name == "network_edges")
    assert [c for c in edges.column_descriptions if c.startswith("n_") and c != "n_contacts"] == \
        [f"n_{t}" for t in EVENT_TYPES]


def test_the_vocabulary_tables_hold_the_closed_lists_and_the_models_run_on_them_in_duckdb_alone():
    """After a build the vocabulary tables are in the database: a model file runs as it is, as in the duckdb shell."""
    from defcomm_assets.core import vocabulary
    from defcomm_assets.sql_models.models import write_vocabulary_tables

    con = _empty_stage_db()
    write_vocabulary_tables(con)
    assert con.execute("SELECT name, label, color, remote FROM vocabulary_event_types ORDER BY position").fetchall() == \
        [(t.name, t.label, t.color, t.remote) for t in vocabulary.EVENT_TYPE_RECORDS]
    assert [r[0] for r in con.execute("SELECT name FROM vocabulary_topics ORDER BY position").fetchall()] == \
        list(vocabulary.TOPICS)
    assert [r[0] for r in con.execute("SELECT name FROM vocabulary_statuses ORDER BY position").fetchall()] == \
        list(vocabulary.EVENT_STATUSES)
    for m in load_models():
        con.execute(f"CREATE TABLE {m.name} AS " + (m.path.read_text(encoding="utf-8").strip().rstrip(";")))


@pytest.mark.parametrize("test_yaml,message", [
    ("values_from: colours", "values_from must be one of event_types, topics, statuses"),
    ("{values_from: topics, values: [a]}", "and no values list"),
])
def test_a_bad_values_from_names_schema_yml(sql_dir, test_yaml, message):
    path = sql_dir / "schema.yml"
    text = path.read_text(encoding="utf-8")
    assert "values_from: statuses" in text
    path.write_text(text.replace("values_from: statuses", test_yaml, 1), encoding="utf-8")
    with pytest.raises(SqlModelError, match=message) as info:
        load_models(sql_dir)
    assert "schema.yml" in str(info.value)


def _insert_contact(con, contact_id, event_type, countries, date, topics=("drones",), n_reports=1):
    db.insert(con, "contacts", [{"contact_id": contact_id, "event_type": event_type, "status": "occurred",
                                 "contact_date": date, "countries": list(countries), "participants": list(countries),
                                 "participant_entity_ids": [], "topics": list(topics), "n_reports": n_reports,
                                 "n_sources": n_reports, "first_published": date, "evidence": "x",
                                 "source_name": "a.txt"}])


def test_schema_tests_fail_when_bad_rows_are_injected():
    import datetime as dt

    con = _empty_stage_db()
    _insert_contact(con, "c1", "call", ["PL", "UA"], dt.date(2024, 1, 25))
    _insert_contact(con, "c2", "teleportation", ["PL", "UA"], dt.date(2024, 1, 26))  # not an accepted type
    _insert_contact(con, "c3", "call", ["PL", "UA"], dt.date(2024, 1, 27), topics=("gossip",))
    failures = _run_models(con)
    assert failures[("contact_timeline", "accepted_values_event_type")] == 1
    assert failures[("contacts_by_country_pair_month", "accepted_values_event_type")] == 1
    assert failures[("topic_trends_month", "accepted_values_topic")] == 1
    assert failures[("contact_timeline", "unique_contact_id")] == 0


def test_models_count_unique_contacts_not_reports():
    import datetime as dt

    con = _empty_stage_db()
    _insert_contact(con, "c1", "call", ["PL", "UA"], dt.date(2024, 1, 25), n_reports=3)
    _insert_contact(con, "c2", "meeting", ["PL", "RO", "TR"], dt.date(2024, 1, 30))
    _insert_contact(con, "c3", "call", ["PL", "UA"], dt.date(2024, 2, 2))
    _run_models(con)
    rows = con.execute("SELECT month, country_a, country_b, event_type, n_contacts, n_reports "
                       "FROM contacts_by_country_pair_month ORDER BY ALL").fetchall()
    jan, feb = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
    assert rows == [(jan, "PL", "RO", "meeting", 1, 1), (jan, "PL", "TR", "meeting", 1, 1),
                    (jan, "PL", "UA", "call", 1, 3), (jan, "RO", "TR", "meeting", 1, 1),
                    (feb, "PL", "UA", "call", 1, 1)]
    edge = con.execute("SELECT n_contacts, n_call, n_meeting, dominant_type FROM network_edges "
                       "WHERE country_a = 'PL' AND country_b = 'UA'").fetchone()
    assert edge == (2, 2, 0, "call")


def test_a_tie_between_types_goes_to_the_type_listed_first_in_the_vocabulary():
    import datetime as dt

    con = _empty_stage_db()
    # inserted visit first: arg_max alone returned either type depending on the scan order
    _insert_contact(con, "c1", "visit", ["IN", "JP"], dt.date(2024, 3, 1))
    _insert_contact(con, "c2", "meeting", ["IN", "JP"], dt.date(2024, 3, 2))
    _insert_contact(con, "c3", "agreement", ["FR", "IN"], dt.date(2024, 3, 3))
    _insert_contact(con, "c4", "negotiation", ["FR", "IN"], dt.date(2024, 3, 4))
    _run_models(con)
    edges = dict(con.execute("SELECT country_a || '-' || country_b, dominant_type FROM network_edges").fetchall())
    assert edges == {"IN-JP": "meeting", "FR-IN": "negotiation"}
