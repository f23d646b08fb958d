"""Dagster assets, one file per stage. Each reads DuckDB, calls pure logic, writes back in one transaction."""
