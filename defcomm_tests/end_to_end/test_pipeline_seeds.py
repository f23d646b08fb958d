"""End to end through Dagster: the seeds materialized into a temporary DuckDB, checked against facts."""
from __future__ import annotations

import duckdb
import pytest

CONTRACT = {
    "raw_documents": ["doc_id", "source_name", "raw_text", "n_bytes", "ingested_at"],
    "clean_documents": ["doc_id", "title", "published_date", "language", "clean_text"],
    "entity_mentions": ["doc_id", "entity_id", "label", "text", "start_char", "end_char"],
    "entities": ["entity_id", "canonical_name", "label", "country_code", "role"],
    "events": ["event_id", "doc_id", "event_type", "status", "event_date", "topics", "evidence"],
    "event_participants": ["event_id", "entity_id", "name", "country_code", "role"],
}


@pytest.fixture(scope="module")
def con(seeds_db):
    c = duckdb.connect(str(seeds_db), read_only=True)
    yield c
    c.close()


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_contract_tables_and_columns(con):
    for table, columns in CONTRACT.items():
        have = [r[0] for r in q(con, "SELECT column_name FROM information_schema.columns WHERE table_name = ?", table)]
        assert set(columns) <= set(have), (table, set(columns) - set(have))


def test_every_seed_is_read_once_with_stable_ids(con):
    rows = q(con, "SELECT source_name, doc_id, n_bytes FROM raw_documents ORDER BY source_name")
    assert [r[0] for r in rows] == ["000_6b69322693f17578.txt", "001_89fa92b31013e9c2.txt", "002_42757a187e0b100f.txt",
                                    "003_b0d32f2951f9f7ee.txt", "004_b794f22e8554c6f4.txt"]
    assert len({r[1] for r in rows}) == 5
    assert q(con, "SELECT count(*) FROM rejected_documents") == [(0,)]


def test_cleaning_drops_related_links_and_keeps_the_body(con, seeds_gold):
    texts = dict(q(con, "SELECT r.source_name, c.clean_text FROM clean_documents c JOIN raw_documents r USING (doc_id)"))
    norm = lambda s: " ".join(s.split())  # noqa: E731
    for name, gold in seeds_gold.items():
        body = norm(texts[name])
        for s in gold["must_keep"]:
            assert norm(s) in body, (name, s)
        for s in gold["must_drop"]:
            assert norm(s) not in body, (name, s)
    assert "Umerov and Hnatov to meet with USA side in Florida" not in texts["000_6b69322693f17578.txt"]


def test_publication_dates_and_language(con, seeds_gold):
    rows = dict((r[0], r[1:]) for r in q(con, """
        SELECT r.source_name, cast(c.published_date AS VARCHAR), c.language
        FROM clean_documents c JOIN raw_documents r USING (doc_id)"""))
    for name, gold in seeds_gold.items():
        assert rows[name][0] == gold["published"], name  # never the page-capture date (2025-05-13 in 003)
        assert rows[name][1] == gold["language"]


def _events(con, source_name):
    return q(con, """
        SELECT e.event_type, e.status, cast(e.event_date AS VARCHAR), list_sort(list(p.country_code)), e.evidence
        FROM events e JOIN event_participants p USING (event_id) JOIN raw_documents r USING (doc_id)
        WHERE r.source_name = ? GROUP BY e.event_id, e.event_type, e.status, e.event_date, e.evidence""", source_name)


def test_zaluzhnyi_kukula_call_of_25_january_2024(con):
    events = _events(con, "001_89fa92b31013e9c2.txt")
    calls = [e for e in events if e[0] == "call" and e[3] == ["PL", "UA"] and e[2] == "2024-01-25"
             and "Zaluzhnyi" in e[4] and "Kukuła" in e[4]]
    assert calls, events
    persons = {r[0] for r in q(con, """
        SELECT e.canonical_name FROM events ev JOIN event_participants p USING (event_id)
        JOIN entities e ON e.entity_id = p.entity_id WHERE ev.event_type = 'call' AND ev.event_date = DATE '2024-01-25'""")}
    assert any("Zaluzhn" in n for n in persons) and any("Kukuła" in n for n in persons)


def test_kosiniak_kamysz_miruta_video_conference(con):
    events = _events(con, "004_b794f22e8554c6f4.txt")
    assert any(e[0] == "video_call" and e[3] == ["PL", "RO"] for e in events), events


def test_related_link_headlines_do_not_become_events(con):
    events = _events(con, "000_6b69322693f17578.txt")
    assert not any("US" in e[3] for e in events), events


def test_kosiniak_kamysz_is_one_entity_across_spellings(con):
    rows = q(con, """SELECT DISTINCT e.entity_id, e.canonical_name FROM entity_mentions m JOIN entities e USING (entity_id)
                     WHERE e.label = 'PERSON' AND (m.text ILIKE '%kosiniak%' OR m.text ILIKE '%kamish%')""")
    assert len(rows) == 1, rows
    assert rows[0][1] == "Władysław Kosiniak-Kamysz"


def test_aggregates_count_contacts(con):
    n_contacts = q(con, "SELECT count(*) FROM contacts")[0][0]
    assert n_contacts >= 3
    assert q(con, "SELECT sum(n_contacts) FROM network_edges")[0][0] >= n_contacts
    dq = dict(q(con, "SELECT metric, value FROM data_quality"))
    assert dq["documents_raw"] == 5 and dq["documents_clean"] == 5 and dq["documents_rejected"] == 0
    assert dq["contacts"] == n_contacts


def test_evidence_is_verbatim_in_clean_text(con):
    bad = q(con, """SELECT e.event_id FROM events e JOIN clean_documents c USING (doc_id)
                    WHERE strpos(c.clean_text, e.evidence) = 0
                       OR substr(c.clean_text, e.evidence_start + 1, e.evidence_end - e.evidence_start) <> e.evidence""")
    assert bad == []


def test_mention_offsets_point_at_their_text(con):
    bad = q(con, """SELECT m.text FROM entity_mentions m JOIN clean_documents c USING (doc_id)
                    WHERE substr(c.clean_text, m.start_char + 1, m.end_char - m.start_char) <> m.text""")
    assert bad == []


# Hand-computed from the seeds' gold events (defcomm_tests/fixtures/seeds_gold.jsonl): one contact per gold
# event, month = the event's date, else the article's publication date, else NULL; pairs of a three-sided
# meeting (PL-RO-TR) counted once each.
EXPECTED_PAIR_MONTHS = sorted([
    ("2024-01-01", "PL", "UA", "call", 2),  # Zaluzhnyi-Kukuła (25 Jan), Zelenskyy-Duda (undated, published 25 Jan)
    ("2024-01-01", "PL", "UA", "invitation", 1),
    ("2024-05-01", "PL", "UA", "negotiation", 1),
    ("2025-09-01", "GB", "UA", "call", 1),
    ("2025-09-01", "IT", "UA", "call", 1),
    ("2025-09-01", "NATO", "UA", "call", 1),
    ("2025-09-01", "PL", "UA", "call", 1),
    ("2025-09-01", "PL", "UA", "meeting", 1),
    (None, "PL", "RO", "meeting", 1),
    (None, "PL", "RO", "video_call", 1),
    (None, "PL", "TR", "meeting", 1),
    (None, "PL", "UA", "call", 1),
    (None, "PL", "UA", "invitation", 1),
    (None, "RO", "TR", "meeting", 1),
], key=repr)


def test_models_match_hand_computed_counts(con):
    rows = q(con, """SELECT cast(month AS VARCHAR), country_a, country_b, event_type, n_contacts
                     FROM contacts_by_country_pair_month""")
    assert sorted(rows, key=repr) == EXPECTED_PAIR_MONTHS
    edge = q(con, """SELECT n_contacts, n_call, n_invitation, n_meeting, n_negotiation, dominant_type
                     FROM network_edges WHERE country_a = 'PL' AND country_b = 'UA'""")
    assert edge == [(8, 4, 2, 1, 1, "call")]
    zaluzhnyi = q(con, """SELECT n_contacts, counterpart_countries, cast(first_date AS VARCHAR), cast(last_date AS VARCHAR)
                          FROM official_activity WHERE canonical_name LIKE '%Zaluzhn%'""")
    assert zaluzhnyi == [(2, ["PL"], "2024-01-25", "2024-01-25")]
    assert q(con, "SELECT value FROM data_quality WHERE metric = 'contacts'") == [(13,)]
