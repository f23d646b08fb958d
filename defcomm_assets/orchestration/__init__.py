"""Dagster plumbing shared by the stage assets: resources, asset metadata and checks, the stage engine, automation,
the in-process runner."""
