"""Logic versions of the stages, derived from the code and data files that make each stage.

A stage's version changes exactly when the files behind it change, so an edited rule
reprocesses the documents it affects on the next run, and nothing else does. The version is
both the asset's Dagster ``code_version`` and the per-row ``stage_version``.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

# Files (globs relative to the package) whose content defines each stage's output.
STAGE_SOURCES: dict[str, tuple[str, ...]] = {
    "raw": ("ingest.py",),
    "cleaned": ("cleaning.py", "charsets.py", "dates.py", "language.py", "data/boilerplate*"),
    "entities": ("nlp/*.py", "data/*.tsv", "data/*.txt", "data/*.jsonl", "data/*.json"),
    "events": ("event_rules.py", "event_dates.py", "topics.py", "dates.py", "data/event*", "data/topic*"),
    "contacts": ("contacts.py", "contact_store.py"),
}


@lru_cache(maxsize=None)
def stage_version(stage: str, extra: str = "") -> str:
    digest = hashlib.sha256(stage.encode())
    for pattern in STAGE_SOURCES[stage]:
        for path in sorted(PACKAGE.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(PACKAGE).as_posix().encode())
                digest.update(path.read_bytes())
    digest.update(extra.encode())
    return digest.hexdigest()[:12]


def fingerprint(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()[:16]
