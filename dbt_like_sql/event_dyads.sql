-- Directed dyads, as event datasets (GDELT, ICEWS, POLECAT) lay events out: one row per ordered pair of sides of
-- different countries, source -> target, with the source side's CAMEO code and PLOVER type and mode.
-- The codes are computed once, by the events stage from core/vocabulary.py (event_participants.cameo_code: what
-- that side did); this model only pairs the sides: a visit gives visitor -> host (042) and host -> visitor (043),
-- a call or meeting both directions with one code, an invitation inviter -> invitee only (an invitee has no code).
-- Countries are ISO 3166-1 alpha-3 (CAMEO's actor codes) through vocabulary_countries; NATO, EU, UN and OSCE keep
-- their codes. Decisions: docs/EVENT_CODES.md.
SELECT
    e.event_date,
    d.published_date,
    coalesce(sc.alpha3, s.country_code) AS source_country,
    s.name AS source_actor,
    s.role AS source_role,
    coalesce(tc.alpha3, t.country_code) AS target_country,
    t.name AS target_actor,
    t.role AS target_role,
    s.cameo_code,
    s.plover_type,
    s.plover_mode,
    e.event_type,
    e.status,
    ce.contact_id,
    e.event_id,
    s.position AS source_position,
    t.position AS target_position,
    s.country_code AS source_country_code,
    t.country_code AS target_country_code,
    s.entity_id AS source_entity_id,
    t.entity_id AS target_entity_id,
    e.location,
    e.evidence,
    d.source_name
FROM event_participants AS s
INNER JOIN event_participants AS t
    ON
        s.event_id = t.event_id
        AND s.country_code <> t.country_code
        -- a visit pairs visitors with hosts only (two visiting delegations did not visit each other)
        AND (s.is_host IS NULL OR s.is_host <> t.is_host)
INNER JOIN events AS e ON s.event_id = e.event_id
INNER JOIN clean_documents AS d ON e.doc_id = d.doc_id
LEFT JOIN contact_events AS ce ON e.event_id = ce.event_id
LEFT JOIN vocabulary_countries AS sc ON s.country_code = sc.code
LEFT JOIN vocabulary_countries AS tc ON t.country_code = tc.code
WHERE s.cameo_code IS NOT NULL
ORDER BY e.event_date NULLS LAST, e.event_id, s.position, t.position
