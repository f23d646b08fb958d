-- Unique real-world contacts per country pair, month and type.
-- A contact with three sides counts once for each of its country pairs.
-- month: the contact's date, else the first report's publication date (NULL when neither is known).
WITH sides AS (
    SELECT DISTINCT
        contact_id,
        unnest(countries) AS country
    FROM contacts
),

pairs AS (
    SELECT
        a.contact_id,
        a.country AS country_a,
        b.country AS country_b
    FROM sides AS a
    INNER JOIN sides AS b
        ON a.contact_id = b.contact_id AND a.country < b.country
)

SELECT
    date_trunc('month', coalesce(c.contact_date, c.first_published))::DATE AS month,
    p.country_a,
    p.country_b,
    c.event_type,
    count(DISTINCT c.contact_id) AS n_contacts,
    sum(c.n_reports)::BIGINT AS n_reports
FROM pairs AS p
INNER JOIN contacts AS c ON p.contact_id = c.contact_id
GROUP BY 1, 2, 3, 4
ORDER BY month NULLS LAST, p.country_a, p.country_b, c.event_type
