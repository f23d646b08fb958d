"""One settings object: where the articles are, where the database is, and the limits.

Read from the environment so the command line, `dagster dev` and the tests agree; the
Dagster resources (``resources.py``) start from these values and can be overridden in the
UI launchpad.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SOURCE_DIR = "seeds"
DEFAULT_DB_PATH = "data/defcomm.duckdb"
DEFAULT_REPORT_DIR = "data/report"
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from exc


@dataclass(frozen=True)
class Settings:
    source_dir: str = DEFAULT_SOURCE_DIR
    db_path: str = DEFAULT_DB_PATH
    report_dir: str = DEFAULT_REPORT_DIR
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    spacy_model: str | None = None  # None: the built-in rule pipeline; e.g. "en_core_web_sm" when installed
    nlp_batch_size: int = 200
    nlp_n_process: int = 0  # spaCy worker processes; 0: the same as ``workers``
    workers: int = 0  # worker processes of the document stages; 0: every core for large workloads, 1: in-process
    duckdb_memory_limit: str = "256MB"  # DuckDB's own default is 80% of RAM: a big stage would cache that much
    # the SQL models run alone, after the document stages' worker processes have exited: their joins get more
    duckdb_aggregate_memory_limit: str = "1GB"
    extra: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            source_dir=os.environ.get("DEFCOMM_SOURCE_DIR") or DEFAULT_SOURCE_DIR,
            db_path=os.environ.get("DEFCOMM_DB_PATH") or DEFAULT_DB_PATH,
            report_dir=os.environ.get("DEFCOMM_REPORT_DIR") or DEFAULT_REPORT_DIR,
            max_file_bytes=_env_int("DEFCOMM_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES),
            spacy_model=os.environ.get("DEFCOMM_SPACY_MODEL") or None,
            nlp_batch_size=_env_int("DEFCOMM_NLP_BATCH_SIZE", 200),
            nlp_n_process=_env_int("DEFCOMM_NLP_N_PROCESS", 0),
            workers=_env_int("DEFCOMM_WORKERS", 0),
            duckdb_memory_limit=os.environ.get("DEFCOMM_DUCKDB_MEMORY_LIMIT") or "256MB",
            duckdb_aggregate_memory_limit=os.environ.get("DEFCOMM_DUCKDB_AGGREGATE_MEMORY_LIMIT") or "1GB",
        )


def resolve_path(path: str | os.PathLike) -> Path:
    """Paths in settings are relative to the working directory, as users type them."""
    return Path(path).expanduser()
