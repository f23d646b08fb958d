-- Documents at each stage and what was set aside: rejected files, undated, non-English, duplicates, stage errors.
SELECT 'documents_raw' AS metric, count(*)::BIGINT AS value FROM raw_documents
UNION ALL
SELECT 'documents_missing_from_source', count(*) FILTER (WHERE missing_since IS NOT NULL) FROM raw_documents
UNION ALL
SELECT 'documents_rejected', count(*) FROM rejected_documents
UNION ALL
SELECT 'documents_clean', count(*) FROM clean_documents
UNION ALL
SELECT 'documents_undated', count(*) FILTER (WHERE published_date IS NULL) FROM clean_documents
UNION ALL
SELECT 'documents_non_english', count(*) FILTER (WHERE nlp_mode <> 'english') FROM clean_documents
UNION ALL
SELECT 'documents_duplicate', count(*) FILTER (WHERE duplicate_of IS NOT NULL) FROM clean_documents
UNION ALL
SELECT 'documents_with_events', count(DISTINCT doc_id) FROM events
UNION ALL
SELECT 'stage_errors', count(*) FROM stage_errors
UNION ALL
SELECT 'entities_persons', count(*) FILTER (WHERE label = 'PERSON') FROM entities
UNION ALL
SELECT 'events', count(*) FROM events
UNION ALL
SELECT 'events_undated', count(*) FILTER (WHERE event_date IS NULL) FROM events
UNION ALL
SELECT 'contacts', count(*) FROM contacts
