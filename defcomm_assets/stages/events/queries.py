"""The SQL the events asset runs after writing: its row checks and its preview (plain DuckDB SQL, no Dagster)."""

# Row checks of the events a run wrote (``{scope}``: a WHERE clause from orchestration.metadata.run_scope; every
# event on a full refresh). $types, $statuses, $cameo, $plover_types and $plover_modes are the vocabulary's closed
# lists, read at run time (a code column is checked on events and on event_participants, where NULL is allowed).
ROW_CHECKS = """
    WITH e AS MATERIALIZED (SELECT event_id, doc_id, evidence, evidence_start, evidence_end FROM events {scope}),
         c AS MATERIALIZED (SELECT doc_id, clean_text FROM clean_documents {scope}),
         sides AS MATERIALIZED (SELECT p.event_id, count(DISTINCT p.country_code) AS n_countries
                                FROM event_participants p SEMI JOIN e USING (event_id) GROUP BY p.event_id)
    SELECT
      (SELECT count(*) FROM e JOIN c USING (doc_id)
         WHERE substr(c.clean_text, e.evidence_start + 1, e.evidence_end - e.evidence_start) <> e.evidence),
      (SELECT count(*) FROM e LEFT JOIN sides s USING (event_id) WHERE coalesce(s.n_countries, 0) < 2),
      (SELECT count(*) FROM events WHERE NOT list_contains($types, event_type)
                                      OR NOT list_contains($statuses, status)
                                      OR NOT list_contains($cameo, cameo_code)
                                      OR NOT list_contains($plover_types, plover_type)
                                      OR plover_mode IS NOT NULL AND NOT list_contains($plover_modes, plover_mode))
      + (SELECT count(*) FROM event_participants
         WHERE cameo_code IS NOT NULL AND NOT list_contains($cameo, cameo_code)
            OR plover_type IS NOT NULL AND NOT list_contains($plover_types, plover_type)
            OR plover_mode IS NOT NULL AND NOT list_contains($plover_modes, plover_mode))"""

# The first events of the given documents, one line each with its sides.
PREVIEW = """
    SELECT e.event_type, e.status, e.event_date, string_agg(p.name || ' (' || p.country_code || ')', ' – '
           ORDER BY p.position) AS sides, e.evidence
    FROM events e JOIN event_participants p USING (event_id)
    WHERE e.doc_id IN (SELECT unnest(?))
    GROUP BY e.event_id, e.event_type, e.status, e.event_date, e.evidence, e.doc_id, e.evidence_start
    ORDER BY e.doc_id, e.evidence_start LIMIT 15"""
