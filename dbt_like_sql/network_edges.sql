-- Country-to-country edges of the contact network, weighted by unique contacts, with counts per type.
WITH by_type AS (
    SELECT
        country_a,
        country_b,
        event_type,
        sum(n_contacts)::BIGINT AS n
    FROM contacts_by_country_pair_month
    GROUP BY country_a, country_b, event_type
)

SELECT
    country_a,
    country_b,
    sum(n)::BIGINT AS n_contacts,
    coalesce(sum(n) FILTER (WHERE event_type = 'call'), 0)::BIGINT AS n_call,
    coalesce(sum(n) FILTER (WHERE event_type = 'video_call'), 0)::BIGINT AS n_video_call,
    coalesce(sum(n) FILTER (WHERE event_type = 'meeting'), 0)::BIGINT AS n_meeting,
    coalesce(sum(n) FILTER (WHERE event_type = 'visit'), 0)::BIGINT AS n_visit,
    coalesce(sum(n) FILTER (WHERE event_type = 'negotiation'), 0)::BIGINT AS n_negotiation,
    coalesce(sum(n) FILTER (WHERE event_type = 'agreement'), 0)::BIGINT AS n_agreement,
    coalesce(sum(n) FILTER (WHERE event_type = 'invitation'), 0)::BIGINT AS n_invitation,
    arg_max(event_type, n) AS dominant_type
FROM by_type
GROUP BY country_a, country_b
ORDER BY n_contacts DESC, country_a, country_b
