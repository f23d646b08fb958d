"""event_dyads: one row per ordered pair of sides of different countries, source -> target, with the codes."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest

from defcomm_assets.core import db
from defcomm_assets.core.records import EventRecord, Participant
from defcomm_assets.sql_models.models import load_models
from defcomm_assets.stages.events.rows import event_rows


def _rec(event_type, sides, status="occurred", n=0):
    evidence = f"Sentence {n} about a {event_type}."
    return EventRecord(event_type=event_type, status=status, evidence=evidence, evidence_start=100 * n,
                       evidence_end=100 * n + len(evidence), event_date=date(2025, 3, 1 + n),
                       participants=tuple(Participant(name=name, country_code=cc, role="Minister of Defence",
                                                      is_initiator=event_type == "invitation" and i == 0)
                                          for i, (name, cc) in enumerate(sides)))


@pytest.fixture
def dyads():
    """The model built on four events of one article; returns a query function over its rows."""
    con = duckdb.connect(":memory:")
    db.ensure_schema(con)
    records = [_rec("visit", [("Kosiniak-Kamysz", "PL"), ("Umerov", "UA")], n=0),
               _rec("meeting", [("Kosiniak-Kamysz", "PL"), ("Umerov", "UA"), ("Miruța", "RO")], n=1),
               _rec("invitation", [("Umerov", "UA"), ("Healey", "GB")], n=2),
               _rec("call", [("Hegseth", "US"), ("Rutte", "NATO")], status="planned", n=3)]
    events, parts = event_rows("doc1", records)
    db.insert(con, "clean_documents", [{"doc_id": "doc1", "source_name": "a/article.txt",
                                        "published_date": date(2025, 3, 9)}])
    db.insert(con, "events", events)
    db.insert(con, "event_participants", parts)
    db.insert(con, "contact_events", [{"contact_id": f"c-{e['event_type']}", "event_id": e["event_id"]}
                                      for e in events])
    db.insert(con, "contacts", [{"contact_id": f"c-{e['event_type']}", "event_type": e["event_type"]} for e in events])
    model = next(m for m in load_models() if m.name == "event_dyads")
    model.build(con)
    for t in model.tests:
        assert con.execute(t.sql, list(t.params)).fetchone()[0] == 0, t.name
    return lambda sql: con.execute(sql).fetchall()


def test_a_visit_makes_042_and_043_in_the_right_directions(dyads):
    rows = dyads("SELECT source_country, source_actor, target_country, target_actor, cameo_code, plover_type, "
                 "plover_mode FROM event_dyads WHERE event_type = 'visit' ORDER BY cameo_code")
    assert rows == [("POL", "Kosiniak-Kamysz", "UKR", "Umerov", "042", "CONSULT", "visit"),
                    ("UKR", "Umerov", "POL", "Kosiniak-Kamysz", "043", "CONSULT", "host")]


def test_a_three_country_meeting_makes_six_directed_rows(dyads):
    rows = dyads("SELECT source_country, target_country, cameo_code, plover_mode FROM event_dyads "
                 "WHERE event_type = 'meeting' ORDER BY 1, 2")
    assert [(s, t) for s, t, _, _ in rows] == [("POL", "ROU"), ("POL", "UKR"), ("ROU", "POL"), ("ROU", "UKR"),
                                               ("UKR", "POL"), ("UKR", "ROU")]
    assert {(c, m) for _, _, c, m in rows} == {("040", "multilateral")}


def test_an_invitation_is_one_way_and_a_planned_contact_is_036_both_ways(dyads):
    assert dyads("SELECT source_country, target_country, cameo_code FROM event_dyads WHERE event_type = 'invitation'") \
        == [("UKR", "GBR", "036")]
    assert dyads("SELECT source_country, target_country, cameo_code, plover_type, plover_mode, status FROM event_dyads "
                 "WHERE event_type = 'call' ORDER BY 1") == [("NATO", "USA", "036", "AGREE", None, "planned"),
                                                             ("USA", "NATO", "036", "AGREE", None, "planned")]


def test_the_rows_carry_the_event_the_contact_the_evidence_and_the_article(dyads):
    rows = dyads("""SELECT d.event_date, d.published_date, d.contact_id, d.evidence, d.source_name, d.status,
                           d.source_role, d.source_country_code, e.event_date, e.evidence
                    FROM event_dyads d JOIN events e USING (event_id) WHERE d.event_type = 'visit'""")
    for row in rows:
        assert row[0] == row[8] == date(2025, 3, 1) and row[1] == date(2025, 3, 9)
        assert (row[2], row[4], row[5], row[6]) == ("c-visit", "a/article.txt", "occurred", "Minister of Defence")
        assert row[3] == row[9] == "Sentence 0 about a visit."
    assert dyads("SELECT count(*) FROM event_dyads")[0][0] == 2 + 6 + 1 + 2
