-- One row per real-world contact, newest first, with the evidence sentence and the source file of its first report.
SELECT
    contact_id,
    contact_date,
    date_trunc('month', coalesce(contact_date, first_published))::DATE AS month,
    event_type,
    status,
    countries,
    participants,
    topics,
    evidence,
    source_name,
    n_reports
FROM contacts
ORDER BY coalesce(contact_date, first_published) DESC NULLS LAST, contact_id
