"""Shared, Dagster-free foundations: settings, table declarations (db), records, incremental status, stage versions,
worker pool, dates."""
