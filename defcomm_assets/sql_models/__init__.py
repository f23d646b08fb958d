"""The dbt-like SQL models of dbt_like_sql/: loading, dependencies, schema.yml tests, lineage (models) and their
assets (asset)."""
