-- Per official (person entity): unique contacts, counterpart countries and names, first and last date.
WITH person_contacts AS (
    SELECT DISTINCT
        ce.contact_id,
        p.entity_id
    FROM event_participants AS p
    INNER JOIN contact_events AS ce ON p.event_id = ce.event_id
    WHERE p.entity_id IS NOT NULL
),

counterparts AS (
    SELECT DISTINCT
        pc.entity_id,
        pc.contact_id,
        other.country_code,
        other.name
    FROM person_contacts AS pc
    INNER JOIN contact_events AS ce ON pc.contact_id = ce.contact_id
    INNER JOIN event_participants AS other ON ce.event_id = other.event_id
    INNER JOIN entities AS me ON pc.entity_id = me.entity_id
    WHERE other.country_code IS DISTINCT FROM me.country_code
)

SELECT
    e.entity_id,
    e.canonical_name,
    e.country_code,
    e.role,
    count(DISTINCT pc.contact_id) AS n_contacts,
    count(DISTINCT cp.country_code) AS n_counterpart_countries,
    coalesce(list_sort(list(DISTINCT cp.country_code) FILTER (WHERE cp.country_code IS NOT NULL)), []) AS counterpart_countries,
    coalesce(list_sort(list(DISTINCT cp.name) FILTER (WHERE cp.name IS NOT NULL)), []) AS counterparts,
    min(coalesce(c.contact_date, c.first_published)) AS first_date,
    max(coalesce(c.contact_date, c.first_published)) AS last_date
FROM entities AS e
INNER JOIN person_contacts AS pc ON e.entity_id = pc.entity_id
INNER JOIN contacts AS c ON pc.contact_id = c.contact_id
LEFT JOIN counterparts AS cp ON e.entity_id = cp.entity_id AND pc.contact_id = cp.contact_id
WHERE e.label = 'PERSON'
GROUP BY e.entity_id, e.canonical_name, e.country_code, e.role
ORDER BY n_contacts DESC, e.canonical_name, e.entity_id
