"""Where the tests find the project's files, wherever a test module sits in the tree."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "defcomm_tests" / "fixtures"
ENTITY_DATA = ROOT / "defcomm_assets" / "stages" / "entities" / "data"
