"""Any name the file system allows is accounted for: a file or folder whose name is not UTF-8 is ingested with
the rest of the folder (it stopped the whole run before), and its source_name gives the real path back."""

from __future__ import annotations

import os
import shutil

import duckdb

from defcomm_assets.stages.raw_documents.ingest import name_bytes
from defcomm_tests.end_to_end.test_incremental import run_pipeline
from defcomm_tests.paths import SEEDS


def test_a_folder_with_names_that_are_not_utf8_runs_through_the_whole_graph(tmp_path, fresh_settings):
    src = tmp_path / "articles"
    shutil.copytree(SEEDS, src)
    seeds = sorted(p.name for p in SEEDS.iterdir())
    first, second = (src / seeds[0]), (src / seeds[1])
    root = os.fsencode(src)
    os.rename(os.fsencode(first), os.path.join(root, b"caf\xe9 \xff.txt"))  # a Latin-1 name with a byte UTF-8 lacks
    os.mkdir(os.path.join(root, b"\xe0\xf0\xf5\xe8\xe2"))  # a cp1251 folder name
    os.rename(os.fsencode(second), os.path.join(root, b"\xe0\xf0\xf5\xe8\xe2", b"call.txt"))
    db_path = tmp_path / "db.duckdb"

    run_pipeline(str(src), str(db_path), settings=fresh_settings)

    con = duckdb.connect(str(db_path), read_only=True)
    names = sorted(r[0] for r in con.execute("SELECT source_name FROM raw_documents").fetchall())
    assert len(names) == len(seeds) and con.execute("SELECT count(*) FROM rejected_documents").fetchone()[0] == 0
    assert "caf\\xe9 \\xff.txt" in names and "\\xe0\\xf0\\xf5\\xe8\\xe2/call.txt" in names
    for name in names:
        assert os.path.isfile(os.path.join(root, name_bytes(name)))
    # the renamed articles went on to the later stages like the others
    per_doc = dict(con.execute("""SELECT r.source_name, count(e.event_id) FROM raw_documents r
                                  LEFT JOIN events e USING (doc_id) GROUP BY 1""").fetchall())
    assert per_doc["caf\\xe9 \\xff.txt"] > 0 and per_doc["\\xe0\\xf0\\xf5\\xe8\\xe2/call.txt"] > 0
