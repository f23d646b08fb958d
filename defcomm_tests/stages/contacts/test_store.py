"""contact_store: an incremental contacts refresh gives exactly the rows of a full rebuild, and the full
rebuild (read unit by unit) gives exactly what grouping every report at once gives."""
from __future__ import annotations

import random
import shutil
from datetime import date, timedelta

import duckdb

from defcomm_assets.core import db
from defcomm_assets.stages.contacts import store as contact_store
from defcomm_assets.stages.contacts.grouping import ContactReport, contact_id, group_contacts
from defcomm_assets.stages.contacts.store import refresh_contacts
from defcomm_tests.end_to_end.test_incremental import EXTRA_ARTICLE, run_pipeline, workdir  # noqa: F401 (workdir is a fixture)

CONTACT_TABLES = {"contacts": "SELECT * FROM contacts", "contact_events": "SELECT * FROM contact_events"}


def contact_snapshot(con) -> dict[str, list[str]]:
    return {t: sorted(map(repr, con.execute(sql).fetchall())) for t, sql in CONTACT_TABLES.items()}


def full_rebuild_snapshot(con) -> dict[str, list[str]]:
    """What a full rebuild writes, without keeping it."""
    con.execute("BEGIN TRANSACTION")
    try:
        refresh_contacts(con, None)
        return contact_snapshot(con)
    finally:
        con.execute("ROLLBACK")


def expected_partition(con) -> dict[str, frozenset[str]]:
    """contact_id -> event ids, grouping every report of the database in one call (the pre-store way)."""
    sides: dict[str, list] = {}
    names: dict[str, list] = {}
    for eid, cc, ent, name in con.execute(
            "SELECT event_id, country_code, entity_id, name FROM event_participants ORDER BY event_id, position").fetchall():
        sides.setdefault(eid, []).append((cc, ent))
        names.setdefault(eid, []).append(name)
    reports = [ContactReport(event_id=r[0], doc_id=r[1], event_type=r[2], status=r[3], sides=tuple(sides.get(r[0], [])),
                             event_date=r[4], published_date=r[5], evidence=r[6], names=tuple(names.get(r[0], [])))
               for r in con.execute("""SELECT e.event_id, e.doc_id, e.event_type, e.status, e.event_date, c.published_date,
                                              e.evidence
                                       FROM events e LEFT JOIN clean_documents c USING (doc_id)""").fetchall()]
    out = {}
    for g in group_contacts(reports):
        members = [reports[i] for i in g]
        out[contact_id(members)] = frozenset(r.event_id for r in members)
    return out


def stored_partition(con) -> dict[str, frozenset[str]]:
    out: dict[str, set] = {}
    for cid, eid in con.execute("SELECT contact_id, event_id FROM contact_events").fetchall():
        out.setdefault(cid, set()).add(eid)
    return {k: frozenset(v) for k, v in out.items()}


# ---- synthetic reports inserted directly -------------------------------------------------------------------------

class Corpus:
    """Documents with events written straight into the tables the events stage writes."""

    def __init__(self):
        self.con = duckdb.connect()
        db.ensure_schema(self.con)

    def add_doc(self, doc_id: str, published: date | None, events: list[dict]) -> str:
        con = self.con
        db.insert(con, "raw_documents", [{"doc_id": doc_id, "source_name": f"{doc_id}.txt"}])
        db.insert(con, "clean_documents", [{"doc_id": doc_id, "published_date": published}])
        self.write_events(doc_id, events)
        return doc_id

    def write_events(self, doc_id: str, events: list[dict]) -> None:
        """Replace the document's events (as the events stage does when it reprocesses a document)."""
        self.delete_events(doc_id)
        ev_rows, parts = [], []
        for k, e in enumerate(events):
            eid = e.get("id", f"{doc_id}-e{k}")
            ev_rows.append({"event_id": eid, "doc_id": doc_id, "event_type": e.get("type", "meeting"),
                            "status": e.get("status", "occurred"), "event_date": e.get("date"),
                            "topics": e.get("topics", []), "evidence": e.get("evidence", f"evidence of {eid}")})
            for pos, (cc, ent) in enumerate(e.get("sides", [("UA", None), ("PL", None)])):
                parts.append({"event_id": eid, "entity_id": ent, "name": ent or cc, "country_code": cc, "position": pos})
        db.insert(self.con, "events", ev_rows)
        db.insert(self.con, "event_participants", parts)

    def delete_events(self, doc_id: str) -> None:
        self.con.execute("""DELETE FROM event_participants WHERE event_id IN
                            (SELECT event_id FROM events WHERE doc_id = ?)""", [doc_id])
        self.con.execute("DELETE FROM events WHERE doc_id = ?", [doc_id])

    def refresh(self, touched: list[str] | None):
        """Incremental refresh, checked against a full rebuild and against grouping everything at once."""
        result = refresh_contacts(self.con, touched)
        assert contact_snapshot(self.con) == full_rebuild_snapshot(self.con)
        assert stored_partition(self.con) == expected_partition(self.con)
        return result

    def groups(self) -> set[frozenset[str]]:
        return set(stored_partition(self.con).values())


D0 = date(2025, 3, 10)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def test_a_chain_across_the_window_forms_and_splits_when_its_middle_report_goes():
    c = Corpus()
    # A..D one day apart: a chain; A and D are 3 days apart and would never match directly.
    for n, doc in enumerate("ABCD"):
        c.add_doc(doc, day(n), [{"id": doc, "date": day(n)}])
    c.add_doc("X", day(1), [{"id": "X", "date": day(1), "sides": [("DE", None), ("FR", None)]}])  # another block
    assert c.refresh(None).full
    assert frozenset("ABCD") in c.groups()
    c.delete_events("B")  # B's file changed: its events are gone
    r = c.refresh(["B"])
    assert not r.full and r.regrouped == 3  # A, C, D; X (another block) is left alone
    assert c.groups() == {frozenset("A"), frozenset("CD"), frozenset("X")}
    c.write_events("B", [{"id": "B2", "date": day(1)}])  # B comes back under a new event id
    c.refresh(["B"])
    assert frozenset({"A", "B2", "C", "D"}) in c.groups()


def test_a_new_report_bridges_two_contacts_and_a_rewritten_one_leaves():
    c = Corpus()
    c.add_doc("A", day(0), [{"id": "A", "date": day(0)}])
    c.add_doc("C", day(2), [{"id": "C", "date": day(2)}])
    c.add_doc("F", day(20), [{"id": "F", "date": day(20)}])  # far away in the same block: untouched
    c.refresh(None)
    assert c.groups() == {frozenset("A"), frozenset("C"), frozenset("F")}
    c.add_doc("B", day(1), [{"id": "B", "date": day(1)}])
    r = c.refresh(["B"])
    assert r.regrouped == 3 and c.groups() == {frozenset("ABC"), frozenset("F")}
    # B's document is reprocessed and its event keeps its id but moves a week: the contact splits again.
    c.write_events("B", [{"id": "B", "date": day(8)}])
    c.refresh(["B"])
    assert c.groups() == {frozenset("A"), frozenset("B"), frozenset("C"), frozenset("F")}
    # G joins F, then loses its date (same id) in a document without a publication date: no anchor, alone.
    c.add_doc("G", None, [{"id": "G", "date": day(21)}])
    c.refresh(["G"])
    assert frozenset("FG") in c.groups()
    c.write_events("G", [{"id": "G"}])
    c.refresh(["G"])
    assert {frozenset("F"), frozenset("G")} <= c.groups()


def test_undated_single_country_and_planned_reports():
    c = Corpus()
    c.add_doc("P", day(0), [{"id": "P", "status": "planned", "date": day(3)}])
    c.add_doc("Q", day(3), [{"id": "Q", "date": day(3)}])  # the planned meeting took place: one contact
    c.add_doc("U", None, [{"id": "U"}])  # neither event nor publication date: never merged
    c.add_doc("S", day(3), [{"id": "S", "date": day(3), "sides": [("UA", None)]}])  # one country
    c.add_doc("N", day(3), [{"id": "N", "date": day(3), "sides": []}])  # no participants
    c.refresh(None)
    assert frozenset("PQ") in c.groups()
    c.delete_events("Q")
    c.refresh(["Q"])
    assert c.groups() == {frozenset(x) for x in "PUSN"}


def test_random_incremental_steps_equal_a_full_rebuild(monkeypatch):
    monkeypatch.setattr(contact_store, "BATCH_REPORTS", 7)  # many small read/group/write steps
    rng = random.Random(1234)
    blocks = [[("UA", "umerov"), ("PL", "kosiniak")], [("UA", None), ("PL", None)], [("UA", "zelensky"), ("PL", "duda")],
              [("US", None), ("UA", None)], [("US", "austin"), ("UA", "umerov"), ("GB", None)]]

    def random_events(doc: str, published: date | None) -> list[dict]:
        out = []
        for k in range(rng.randint(0, 3)):
            ed = None if rng.random() < (0.25 if published else 0.8) else (published or day(20)) - timedelta(days=rng.randint(0, 2))
            out.append({"id": f"{doc}-{k}-{rng.randint(0, 2)}", "date": ed, "type": rng.choice(["call", "video_call", "meeting"]),
                        "status": rng.choice(["occurred", "occurred", "planned"]), "sides": rng.choice(blocks),
                        "topics": rng.sample(["air_defence", "ammunition", "training"], rng.randint(0, 2)),
                        "evidence": rng.choice(SENTENCES[:1] * 3 + SENTENCES)})  # undated ones in undated documents match on it
        return out

    c = Corpus()
    docs: dict[str, date | None] = {}
    for n in range(40):
        pub = None if rng.random() < 0.3 else day(rng.randint(0, 40))
        docs[f"d{n}"] = pub
        c.add_doc(f"d{n}", pub, random_events(f"d{n}", pub))
    c.refresh(None)
    n_doc = 40
    for _step in range(12):
        touched = []
        for _ in range(rng.randint(1, 4)):  # new documents
            doc, pub = f"d{n_doc}", None if rng.random() < 0.3 else day(rng.randint(0, 40))
            n_doc += 1
            docs[doc] = pub
            c.add_doc(doc, pub, random_events(doc, pub))
            touched.append(doc)
        for doc in rng.sample(sorted(docs), 2):  # reprocessed: same or different events, some ids kept
            c.write_events(doc, random_events(doc, docs[doc]))
            touched.append(doc)
        gone = rng.choice(sorted(docs))  # forgotten (its file changed)
        c.delete_events(gone)
        touched.append(gone)
        result = c.refresh(touched)
        assert not result.full
    total = c.con.execute("SELECT count(*) FROM events").fetchone()[0]
    assert result.regrouped < total
    # the steps did exercise undated reports of undated documents grouped on their sentence
    assert c.con.execute("""SELECT count(*) FROM (
        SELECT ce.contact_id FROM contact_events ce JOIN events e USING (event_id) JOIN clean_documents d USING (doc_id)
        WHERE e.event_date IS NULL AND d.published_date IS NULL GROUP BY ALL HAVING count(*) > 1)""").fetchone()[0] > 0


SENTENCES = ["The two defence ministers held a phone call on air defence.", "The ministers met to discuss ammunition.",
             "evidence too short"]
COPY = "The Ukrainian and Polish defence ministers discussed air defence by phone."


def test_undated_copies_in_undated_documents_join_and_leave_incrementally():
    c = Corpus()
    c.add_doc("A", None, [{"id": "A", "type": "call", "evidence": COPY}])
    c.add_doc("B", None, [{"id": "B", "type": "call", "evidence": COPY}])
    c.add_doc("W", None, [{"id": "W", "type": "call", "evidence": "Kyiv and Warsaw's ministers talked about air defence."}])
    c.add_doc("P", None, [{"id": "P", "type": "call", "status": "planned", "evidence": COPY}])
    c.add_doc("D", day(0), [{"id": "D", "type": "call", "evidence": COPY}])  # dated: never joins them
    c.add_doc("F", None, [{"id": "F", "type": "call", "evidence": COPY, "sides": [("DE", None), ("FR", None)]}])
    assert c.refresh(None).full
    assert c.groups() == {frozenset("AB"), frozenset("W"), frozenset("P"), frozenset("D"), frozenset("F")}
    c.add_doc("C", None, [{"id": "C", "type": "video_call", "evidence": COPY}])
    r = c.refresh(["C"])
    assert r.regrouped == 4  # A, B, C and P (same block and sentence); W, D and F have another key, an anchor, a block
    assert frozenset("ABC") in c.groups()
    c.write_events("B", [{"id": "B", "type": "call", "evidence": "Reworded: ministers of Ukraine and Poland spoke."}])
    c.refresh(["B"])
    assert {frozenset("AC"), frozenset("B")} <= c.groups()
    c.delete_events("A")
    c.refresh(["A"])
    assert {frozenset("C"), frozenset("B")} <= c.groups()


def test_a_changed_grouping_logic_regroups_everything(monkeypatch):
    c = Corpus()
    c.add_doc("A", day(0), [{"id": "A", "date": day(0)}])
    c.add_doc("B", day(0), [{"id": "B", "date": day(0)}])
    assert c.refresh(None).full
    assert not c.refresh([]).full
    monkeypatch.setattr(contact_store, "logic_version", lambda: "another")
    r = c.refresh([])
    assert r.full and r.regrouped == 2
    assert not c.refresh([]).full


# ---- the real pipeline ---------------------------------------------------------------------------------------------

MEETING_B = """Finnish defence minister in Vilnius
date 2025-03-15
Finnish Minister of Defence Antti Häkkänen met Lithuanian Minister of National Defence Dovilė Šakalienė in Vilnius on Thursday.
They discussed air defence and the Baltic Sea.
"""
MEETING_B_CHANGED = MEETING_B.replace("on Thursday", "on Tuesday")
CALL_C = """Lithuania and Finland defence chiefs talk by phone
date 2025-03-20
Lithuanian Minister of National Defence Dovilė Šakalienė held a phone call with Finnish Minister of Defence Antti Häkkänen on Wednesday.
They discussed support for Ukraine.
"""


def full_rebuild_of_copy(db_path, tmp_path) -> dict[str, list[str]]:
    copy = tmp_path / "full_copy.duckdb"
    shutil.copy(db_path, copy)
    con = duckdb.connect(str(copy))
    try:
        return full_rebuild_snapshot(con)
    finally:
        con.close()


def test_pipeline_runs_keep_contacts_equal_to_a_full_rebuild(workdir, tmp_path):  # noqa: F811
    src, db_path, settings = workdir
    extra = src / "extra"
    extra.mkdir()
    (extra / "a.txt").write_text(EXTRA_ARTICLE, encoding="utf-8")
    steps = [
        ("first run", lambda: None),
        ("add two articles", lambda: ((extra / "b.txt").write_text(MEETING_B, encoding="utf-8"),
                                      (extra / "c.txt").write_text(CALL_C, encoding="utf-8"))),
        ("change one", lambda: (extra / "b.txt").write_text(MEETING_B_CHANGED, encoding="utf-8")),
        ("delete one", lambda: (extra / "c.txt").unlink()),
        ("change a seed", lambda: (src / "001_89fa92b31013e9c2.txt").write_text(
            (src / "001_89fa92b31013e9c2.txt").read_text(encoding="utf-8") + "\nThe call lasted an hour.\n",
            encoding="utf-8")),
    ]
    regrouped = []
    for name, change in steps:
        change()
        summary = run_pipeline(src, db_path, settings=settings)
        assert summary.success, (name, summary.failures)
        regrouped.append(summary.stage_metadata["events"]["contacts_regrouped"])
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            got = contact_snapshot(con)
            n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            con.close()
        assert got == full_rebuild_of_copy(db_path, tmp_path), name
        assert len(got["contact_events"]) == n_events
    # the first run groups every report; the later ones only the neighbourhood of their documents
    assert regrouped[0] > 0 and max(regrouped[1:]) < regrouped[0], regrouped
    assert regrouped[3] == 0  # a deleted file keeps its rows: nothing to regroup
