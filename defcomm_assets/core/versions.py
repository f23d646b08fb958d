"""Logic versions of the stages, derived from what each stage's code and data are.

A stage is a folder, ``defcomm_assets/stages/<stage>/``: its version is a hash of every file in that folder (the
pure logic, its data files, its asset) and of the shared ``core`` modules those files import, followed
transitively. Nothing is listed by hand: a new rule file or gazetteer is part of its stage's version as soon as it
is in the folder, and editing one stage's data reprocesses that stage only. Imports of the Dagster plumbing
(``orchestration``) and of other stages are not followed: they do not decide a stage's rows (the events asset
calls the contacts stage, which has a version of its own).

The version is both the asset's Dagster ``code_version`` and the per-row ``doc_stage_status.stage_version``.
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
STAGES_DIR = PACKAGE / "stages"
STAGES = ("raw_documents", "clean_documents", "entities", "events", "contacts")
_FOLLOWED = "defcomm_assets.core"


def _imported_core_modules(path: Path) -> set[Path]:
    """The ``core`` module files one Python file imports (absolute imports: the package uses no relative ones)."""
    out: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if name == _FOLLOWED or name.startswith(_FOLLOWED + "."):
                file = PACKAGE.parent.joinpath(*name.split(".")).with_suffix(".py")
                if file.is_file():
                    out.add(file)
    return out


@cache
def stage_files(stage: str) -> tuple[Path, ...]:
    """Every file that defines ``stage``: its folder, and the core modules its Python files import (transitively)."""
    if stage not in STAGES:
        raise KeyError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    own = [p for p in (STAGES_DIR / stage).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    seen: set[Path] = set()
    todo = [p for p in own if p.suffix == ".py"]
    while todo:
        for dep in _imported_core_modules(todo.pop()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return tuple(sorted(set(own) | seen))


@cache
def stage_version(stage: str, extra: str = "") -> str:
    digest = hashlib.sha256(stage.encode())
    for path in stage_files(stage):
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
