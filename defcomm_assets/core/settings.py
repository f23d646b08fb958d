"""One settings object: where the articles are, where the database is, and the limits.

Read from the environment so the command line, `dagster dev` and the tests agree; the
Dagster resources (``resources.py``) start from these values and can be overridden in the
UI launchpad.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
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
    # the analysts' snapshot each run publishes (see core/snapshot.py); None: beside db_path, see read_path
    read_db_path: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def read_path(self) -> str:
        """Where readers (analysts, ``defcomm sql/export/report``) open the last published state."""
        return self.read_db_path or default_read_path(self.db_path)

    def with_db_path(self, db_path: str | os.PathLike) -> Settings:
        """Another database; a configured snapshot path stays only with the database it was configured for, so a
        run on a scratch database never overwrites the analysts' snapshot of the real one."""
        db_path = str(db_path)
        return replace(self, db_path=db_path, read_db_path=self.read_db_path if db_path == self.db_path else None)

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
            read_db_path=os.environ.get("DEFCOMM_READ_DB_PATH") or None,
        )


def default_read_path(db_path: str | os.PathLike) -> str:
    """``data/defcomm.duckdb`` -> ``data/defcomm.read.duckdb`` (the snapshot sits beside the database)."""
    p = Path(db_path)
    return str(p.with_name(f"{p.stem if p.suffix else p.name}.read{p.suffix or '.duckdb'}"))


def resolve_path(path: str | os.PathLike) -> Path:
    """Paths in settings are relative to the working directory, as users type them."""
    return Path(path).expanduser()
