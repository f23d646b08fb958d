-- Unique contacts per topic and month (a contact with several topics counts once for each).
WITH contact_topics AS (
    SELECT
        contact_id,
        date_trunc('month', coalesce(contact_date, first_published))::DATE AS month,
        unnest(topics) AS topic
    FROM contacts
)

SELECT
    month,
    topic,
    count(DISTINCT contact_id) AS n_contacts
FROM contact_topics
GROUP BY month, topic
ORDER BY month NULLS LAST, n_contacts DESC, topic
