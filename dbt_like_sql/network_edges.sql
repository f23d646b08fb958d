-- Country-to-country edges of the contact network, weighted by unique contacts, with one count column per type:
-- n_call, n_meeting, ... are pivoted over the rows of vocabulary_event_types (written from
-- defcomm_assets/core/vocabulary.py before the models run), so every type has its column, in vocabulary order,
-- even when no contact has it, and a new type needs no edit here.
WITH by_type AS (
    SELECT
        country_a,
        country_b,
        event_type,
        sum(n_contacts)::BIGINT AS n
    FROM contacts_by_country_pair_month
    GROUP BY country_a, country_b, event_type
),

edges AS (
    SELECT
        country_a,
        country_b,
        sum(n)::BIGINT AS n_contacts,
        -- ties go to the type listed first in the vocabulary (arg_max alone picks any of them)
        arg_max(event_type, (n, -coalesce(v.position, 1000))) AS dominant_type
    FROM by_type
    LEFT JOIN vocabulary_event_types AS v ON v.name = by_type.event_type
    GROUP BY country_a, country_b
),

per_type AS (
    PIVOT (SELECT country_a, country_b, 'n_' || event_type AS type_column, n FROM by_type)
    ON type_column IN (SELECT 'n_' || name FROM vocabulary_event_types ORDER BY position)
    USING sum(n)
    GROUP BY country_a, country_b
)

SELECT
    edges.country_a,
    edges.country_b,
    edges.n_contacts,
    coalesce(COLUMNS(per_type.* EXCLUDE (country_a, country_b)), 0)::BIGINT,
    edges.dominant_type
FROM edges
LEFT JOIN per_type USING (country_a, country_b)
ORDER BY n_contacts DESC, country_a, country_b
