"""The three resources: the database, the settings, the NLP pipeline.

Each can be configured in the UI launchpad; defaults come from the environment
(``settings.Settings.from_env``).
"""
from __future__ import annotations

import contextlib

from dagster import ConfigurableResource, get_dagster_logger
from dagster_duckdb import DuckDBResource
from pydantic import Field

from defcomm_assets.core.db import connect, ensure_schema
from defcomm_assets.core.settings import Settings, default_read_path


class DefcommDatabase(DuckDBResource):
    """The one DuckDB file every stage writes (``DEFCOMM_DB_PATH``).

    DuckDB allows one writing process per file. Writers are serialised by the ``duckdb`` pool
    (limit 1, dagster.yaml); a writer from outside Dagster's queue (a second ``defcomm run``) is
    waited for up to ``lock_wait_s`` seconds instead of failing on the file lock. Readers open the snapshot
    that ``analyst_snapshot`` publishes at ``read_database``, never this file (see core/snapshot.py).
    """

    lock_wait_s: float = Field(default=900.0, description="How long a stage waits for another process's write lock.")
    aggregate_memory_limit: str | None = Field(default=None, description=(
        "DuckDB memory_limit for the SQL models, which run after the document stages' workers have exited (their "
        "joins at 100,000 articles take half the time with 1GB than with 256MB); None keeps the connection's. "
        "Env: DEFCOMM_DUCKDB_AGGREGATE_MEMORY_LIMIT."))
    read_database: str = Field(default="", description=(
        "The read-only snapshot the run publishes for analysts and `defcomm sql/export/report`; '' : beside the "
        "database (data/defcomm.read.duckdb for data/defcomm.duckdb). Env: DEFCOMM_READ_DB_PATH."))

    @property
    def read_path(self) -> str:
        return self.read_database or default_read_path(self.database)

    @contextlib.contextmanager
    def connect(self):
        """A connection with the stage tables in place; the parent folder is created on first use."""
        con = connect(self.database, wait_s=self.lock_wait_s,
                      config={"custom_user_agent": "dagster", **self.connection_config},
                      on_wait=lambda msg: get_dagster_logger().info(f"waiting: {msg}"))
        try:
            ensure_schema(con)
            yield con
        finally:
            con.close()


class DefcommSettings(ConfigurableResource):
    """Where the articles are and how to read them."""

    source_dir: str = Field(description="Folder of article files (read recursively). Env: DEFCOMM_SOURCE_DIR.")
    max_file_bytes: int = Field(description="Larger files are rejected as too_large. Env: DEFCOMM_MAX_FILE_BYTES.")
    report_dir: str = Field(description="Where the HTML report is written. Env: DEFCOMM_REPORT_DIR.")
    full_refresh: bool = Field(default=False,
                               description="Reprocess every document instead of only new or changed ones.")
    workers: int = Field(default=0, description=(
        "Worker processes of the document stages (cleaning, event rules); 0: every core for large workloads, "
        "1: in-process. Env: DEFCOMM_WORKERS."))

    @classmethod
    def from_settings(cls, s: Settings, full_refresh: bool = False) -> DefcommSettings:
        return cls(source_dir=s.source_dir, max_file_bytes=s.max_file_bytes, report_dir=s.report_dir,
                   full_refresh=full_refresh, workers=s.workers)


class NlpPipeline(ConfigurableResource):
    """The spaCy pipeline, loaded once per process (see ``nlp.pipeline.get_pipeline``)."""

    spacy_model: str | None = Field(default=None, description=(
        "None: the built-in rule pipeline (spacy.blank('en') + gazetteers). The name of an installed "
        "statistical model (e.g. en_core_web_sm) to add the rules on top of it. Env: DEFCOMM_SPACY_MODEL."))
    batch_size: int = Field(default=200, description="Documents per nlp.pipe batch.")
    n_process: int = Field(default=0, description=(
        "Worker processes for the NLP pipeline; 0 chooses by workload (every core for large workloads). "
        "Env: DEFCOMM_NLP_N_PROCESS, else DEFCOMM_WORKERS."))

    def get(self):
        # lazy: spaCy (~3 s) and the pipeline load only when the entities stage asks for it, not when Dagster
        # loads the code location
        from defcomm_assets.stages.entities.pipeline import get_pipeline

        return get_pipeline(self.spacy_model)


def make_resources(settings: Settings | None = None, full_refresh: bool = False) -> dict:
    s = settings or Settings.from_env()
    return {
        "database": DefcommDatabase(database=s.db_path, connection_config={"memory_limit": s.duckdb_memory_limit},
                                    aggregate_memory_limit=s.duckdb_aggregate_memory_limit, read_database=s.read_path),
        "settings": DefcommSettings.from_settings(s, full_refresh=full_refresh),
        "nlp": NlpPipeline(spacy_model=s.spacy_model, batch_size=s.nlp_batch_size,
                           n_process=s.nlp_n_process or s.workers),
    }

