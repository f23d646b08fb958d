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
