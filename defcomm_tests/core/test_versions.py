"""Stage versions are derived from what a stage is: its folder and the core modules it imports."""

from __future__ import annotations

import shutil

import pytest

from defcomm_assets.core import versions
from defcomm_assets.core.versions import STAGES


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the package whose files a test may edit; versions are computed from it."""
    root = tmp_path / "defcomm_assets"
    shutil.copytree(versions.PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(versions, "PACKAGE", root)
    monkeypatch.setattr(versions, "STAGES_DIR", root / "stages")
    versions.stage_files.cache_clear()
    versions.stage_version.cache_clear()
    yield root
    versions.stage_files.cache_clear()
    versions.stage_version.cache_clear()


def _all_versions() -> dict[str, str]:
    versions.stage_files.cache_clear()
    versions.stage_version.cache_clear()
    return {s: versions.stage_version(s) for s in STAGES}


def test_every_stage_is_its_folder_and_the_core_modules_it_imports():
    for stage in STAGES:
        files = [p.relative_to(versions.PACKAGE).as_posix() for p in versions.stage_files(stage)]
        assert stage == "contacts" or f"stages/{stage}/asset.py" in files, stage  # contacts run in the events asset
        assert all(f.startswith((f"stages/{stage}/", "core/")) for f in files), (stage, files)
    entities = [p.name for p in versions.stage_files("entities")]
    assert "officials_general.jsonl" in entities and "boilerplate_lines.txt" not in entities
    cleaning = [p.relative_to(versions.PACKAGE).as_posix() for p in versions.stage_files("clean_documents")]
    assert "core/dates.py" in cleaning and "stages/clean_documents/data/boilerplate_lines.txt" in cleaning


@pytest.mark.parametrize("stage, data_file", [
    ("clean_documents", "boilerplate_lines.txt"),
    ("entities", "organisations.tsv"),
])
def test_editing_one_stages_data_file_changes_that_stages_version_and_no_other(package_copy, stage, data_file):
    before = _all_versions()
    path = package_copy / "stages" / stage / "data" / data_file
    path.write_text(path.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    after = _all_versions()
    assert {s for s in STAGES if before[s] != after[s]} == {stage}


def test_a_new_rule_file_in_a_stage_folder_is_part_of_its_version(package_copy):
    before = _all_versions()
    (package_copy / "stages" / "events" / "new_rules.py").write_text("X = 1\n")
    after = _all_versions()
    assert {s for s in STAGES if before[s] != after[s]} == {"events"}


def test_editing_a_shared_core_module_changes_the_stages_that_import_it(package_copy):
    before = _all_versions()
    dates = package_copy / "core" / "dates.py"
    dates.write_text(dates.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = _all_versions()
    changed = {s for s in STAGES if before[s] != after[s]}
    assert {"clean_documents", "events"} <= changed and "raw_documents" not in changed
