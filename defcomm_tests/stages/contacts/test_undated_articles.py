"""Undated reports through the whole graph: short articles written for this test, run by Dagster into a temp
database, then one more run adding articles, checked against a full rebuild of the contacts."""
from __future__ import annotations

import duckdb

from defcomm_tests.end_to_end.test_incremental import run_pipeline
from defcomm_tests.stages.contacts.test_store import contact_snapshot, full_rebuild_of_copy

# No publication date anywhere: the call's only evidence is its sentence.
UNDATED_CALL = """Estonian and Latvian defence ministers hold phone call
Estonian Minister of Defence Hanno Pevkur held a phone call with Latvian Minister of Defence Andris Sprūds.
The ministers discussed air defence, ammunition production and support for Ukraine.
"""
REPRINT_LINE = "This story was also carried by the Baltic Defence Review for its readers in the region.\n"
UNDATED_OTHER_WORDS = """Pevkur and Sprūds talk by phone
Latvian Minister of Defence Andris Sprūds spoke by telephone with Estonian Minister of Defence Hanno Pevkur about the air defence of the Baltic states.
They also discussed support for Ukraine.
"""
# Dated articles, undated call: the publication dates place it.
OUTLET_1 = """date 2025-04-02
Lithuania and Poland defence ministers discuss air defence
Lithuanian Minister of National Defence Dovilė Šakalienė held a phone call with Polish Minister of National Defence Władysław Kosiniak-Kamysz.
They discussed air defence and the protection of the Suwałki corridor.
"""
OUTLET_2 = """date 2025-04-04
Šakalienė and Kosiniak-Kamysz talk by phone
Polish Minister of National Defence Władysław Kosiniak-Kamysz and Lithuanian Minister of National Defence Dovilė Šakalienė held a telephone conversation about regional security.
"""
MONTH_LATER = OUTLET_1.replace("2025-04-02", "2025-05-06").replace("air defence and the protection of the Suwałki corridor",
                                                                    "ammunition deliveries")
PLANNED = """date 2025-06-10
Finnish defence minister to visit Tallinn
Finnish Minister of Defence Antti Häkkänen will meet Estonian Minister of Defence Hanno Pevkur in Tallinn.
"""
HELD = """date 2025-06-11
Finnish and Estonian defence ministers meet in Tallinn
Finnish Minister of Defence Antti Häkkänen met Estonian Minister of Defence Hanno Pevkur in Tallinn.
They discussed the protection of undersea cables.
"""


def contacts_by_file(db_path) -> dict[str, str]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute("""SELECT r.source_name, ce.contact_id FROM events e JOIN raw_documents r USING (doc_id)
                              JOIN contact_events ce USING (event_id)""").fetchall()
    finally:
        con.close()
    out: dict[str, str] = {}
    for name, cid in rows:
        assert name not in out, f"{name}: one event expected"
        out[name] = cid
    return out


def test_undated_reports_group_through_the_graph_and_incrementally(tmp_path, fresh_settings):
    src, db_path = tmp_path / "articles", tmp_path / "db.duckdb"
    src.mkdir()
    for name, text in {"a_copy1.txt": UNDATED_CALL, "a_other_words.txt": UNDATED_OTHER_WORDS, "b_outlet1.txt": OUTLET_1,
                       "b_month_later.txt": MONTH_LATER, "c_planned.txt": PLANNED, "c_held.txt": HELD}.items():
        (src / name).write_text(text, encoding="utf-8")
    first = run_pipeline(src, db_path, settings=fresh_settings)
    assert first.success, first.failures
    before = contacts_by_file(db_path)
    assert len(set(before.values())) == len(before) == 6  # nothing to group yet

    (src / "a_copy2.txt").write_text(UNDATED_CALL + REPRINT_LINE, encoding="utf-8")
    (src / "a_copy3.txt").write_text(UNDATED_CALL + "Copy 3\n", encoding="utf-8")
    (src / "b_outlet2.txt").write_text(OUTLET_2, encoding="utf-8")
    second = run_pipeline(src, db_path, settings=fresh_settings)
    assert second.success, second.failures
    got = contacts_by_file(db_path)
    # copies of the undated article: one contact; the same call in other words, undated: not enough to join
    assert got["a_copy1.txt"] == got["a_copy2.txt"] == got["a_copy3.txt"] != got["a_other_words.txt"]
    # two outlets two days apart: one contact, which keeps the id of its first report
    assert got["b_outlet1.txt"] == got["b_outlet2.txt"] == before["b_outlet1.txt"]
    # the same ministers' call a month later, and the planned meeting vs the meeting held: apart
    assert got["b_month_later.txt"] != got["b_outlet1.txt"]
    assert got["c_planned.txt"] != got["c_held.txt"]
    assert len(set(got.values())) == 6
    # the incremental run wrote what a full rebuild writes
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        incremental = contact_snapshot(con)
        n_reports = con.execute("SELECT n_reports FROM contacts WHERE contact_id = ?", [got["a_copy1.txt"]]).fetchone()[0]
    finally:
        con.close()
    assert incremental == full_rebuild_of_copy(db_path, tmp_path)
    assert n_reports == 3
