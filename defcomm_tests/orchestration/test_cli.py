"""The command line on a materialized seeds database: sql, export, report."""
from __future__ import annotations

import csv
import io
import re

import pyarrow.parquet as pq

from defcomm_assets.cli import main


def test_sql_prints_a_table_and_csv(seeds_db, capsys):
    assert main(["sql", "SELECT source_name FROM raw_documents ORDER BY 1 LIMIT 2", "--db", str(seeds_db)]) == 0
    out = capsys.readouterr().out
    assert "000_6b69322693f17578.txt" in out and "001_89fa92b31013e9c2.txt" in out
    assert main(["sql", "SELECT event_type, count(*) AS n FROM events GROUP BY 1 ORDER BY 1", "--db", str(seeds_db),
                 "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["event_type", "n"]
    assert "call" in {r[0] for r in rows[1:]}


def test_sql_cannot_write(seeds_db, capsys):
    assert main(["sql", "DELETE FROM events", "--db", str(seeds_db)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("defcomm: error:") and "read-only" in err[0].lower()
    assert main(["sql", "SELECT count(*) > 0 AS still_there FROM events", "--db", str(seeds_db), "--csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "True"


def test_sql_without_a_query_says_so_in_one_line(seeds_db, capsys):
    for empty in ("", "   \n"):
        assert main(["sql", empty, "--db", str(seeds_db)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("defcomm: error: no query")


def test_a_run_on_an_empty_folder_warns_and_keeps_what_the_database_holds(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", "--source", str(empty), "--db", str(tmp_path / "db.duckdb")]) == 0
    err = capsys.readouterr().err
    assert "defcomm: warning:" in err and "holds no files" in err


def test_export_writes_every_contract_and_model_table(seeds_db, tmp_path, capsys):
    out = tmp_path / "parquet"
    assert main(["export", "--format", "parquet", str(out), "--db", str(seeds_db)]) == 0
    names = {p.stem for p in out.glob("*.parquet")}
    assert {"raw_documents", "clean_documents", "entities", "entity_mentions", "events", "event_participants",
            "contacts", "network_edges", "contacts_by_country_pair_month", "official_activity", "data_quality"} <= names
    assert pq.read_table(out / "raw_documents.parquet").num_rows == 5


def test_report_command_writes_the_html(seeds_db, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", "--db", str(seeds_db), "--out", str(out)]) == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<script" in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", html)  # nothing fetched from the network
    assert (out / "network.png").read_bytes()[:4] == b"\x89PNG"


DYAD_COLUMNS = {
    "event_date": "DATE", "published_date": "DATE", "source_country": "VARCHAR", "source_actor": "VARCHAR",
    "source_role": "VARCHAR", "target_country": "VARCHAR", "target_actor": "VARCHAR", "target_role": "VARCHAR",
    "cameo_code": "VARCHAR", "plover_type": "VARCHAR", "plover_mode": "VARCHAR", "event_type": "VARCHAR",
    "status": "VARCHAR", "contact_id": "VARCHAR", "event_id": "VARCHAR", "source_position": "INTEGER",
    "target_position": "INTEGER", "source_country_code": "VARCHAR", "target_country_code": "VARCHAR",
    "source_entity_id": "VARCHAR", "target_entity_id": "VARCHAR", "location": "VARCHAR", "evidence": "VARCHAR",
    "source_name": "VARCHAR"}


def _exported(tmp_path, seeds_db, fmt: str):
    out = tmp_path / fmt
    assert main(["export", str(out), "--format", fmt, "--db", str(seeds_db)]) == 0
    return out


def test_export_writes_event_dyads_as_csv_and_parquet_with_its_columns_and_types(seeds_db, tmp_path, capsys):
    import duckdb

    for fmt in ("parquet", "csv"):
        out = _exported(tmp_path, seeds_db, fmt)
        assert {p.stem for p in out.glob(f"*.{fmt}")} >= {"events", "event_participants", "contacts", "event_dyads"}
        cols = duckdb.sql(f"DESCRIBE SELECT * FROM '{out / f'event_dyads.{fmt}'}'").fetchall()
        # CSV has no types: DuckDB's reader finds them again (dates as dates, the codes with their leading 0 as
        # text, not numbers; an integer as BIGINT)
        csv_ints = {"source_position": "BIGINT", "target_position": "BIGINT"} if fmt == "csv" else {}
        assert {c[0]: c[1] for c in cols} == DYAD_COLUMNS | csv_ints, fmt
        assert [c[0] for c in cols] == list(DYAD_COLUMNS)
        codes = {r[0] for r in duckdb.sql(f"SELECT cameo_code FROM '{out / f'event_dyads.{fmt}'}'").fetchall()}
        assert codes and all(len(c) == 3 for c in codes)
    # a list column in CSV is JSON text
    contacts = duckdb.sql(f"SELECT countries FROM '{tmp_path / 'csv' / 'contacts.csv'}'").fetchall()
    assert all(c[0].startswith('["') for c in contacts)


def test_the_seeds_export_matches_the_events_table(seeds_db, tmp_path, capsys):
    import duckdb

    out = _exported(tmp_path, seeds_db, "parquet")
    _exported(tmp_path, seeds_db, "csv")
    con = duckdb.connect(str(seeds_db), read_only=True)
    try:
        events = con.execute("SELECT event_id, event_date, evidence, status, cameo_code FROM events "
                             "ORDER BY event_id").fetchall()
        for path in (out / "event_dyads.parquet", tmp_path / "csv" / "event_dyads.csv"):
            exported = con.execute(f"""SELECT DISTINCT d.event_id, d.event_date, d.evidence, d.status,
                                              first(d.cameo_code ORDER BY d.source_position)
                                       FROM '{path}' d GROUP BY ALL ORDER BY d.event_id""").fetchall()
            assert exported == events, path  # the same events, with their dates, evidence, status and code
            # and the source and target of every row are sides of that event, of different countries
            assert con.execute(f"""SELECT count(*) FROM '{path}' d WHERE d.source_country_code = d.target_country_code
                OR NOT EXISTS (SELECT 1 FROM event_participants p WHERE p.event_id = d.event_id
                               AND p.position = d.source_position AND p.name = d.source_actor)
                OR NOT EXISTS (SELECT 1 FROM event_participants p WHERE p.event_id = d.event_id
                               AND p.position = d.target_position AND p.name = d.target_actor)""").fetchone()[0] == 0
    finally:
        con.close()


def test_the_run_summary_says_what_this_run_found_and_processed(tmp_path, capsys, monkeypatch):
    import shutil

    from defcomm_tests.paths import SEEDS

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    db = str(tmp_path / "db.duckdb")
    assert main(["run", "--source", str(src), "--db", db]) == 0
    first = capsys.readouterr().out
    assert "this run:  5 new, 0 changed, 0 gone, 0 unchanged files" in first
    assert "documents processed: clean_documents 5, entities 5, events 5" in first
    assert main(["run", "--source", str(src), "--db", db]) == 0
    again = capsys.readouterr().out
    assert "this run:  0 new, 0 changed, 0 gone, 5 unchanged files" in again
    assert "documents processed: clean_documents 0, entities 0, events 0" in again
