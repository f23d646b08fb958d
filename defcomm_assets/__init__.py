"""defcomm: defence-diplomacy contacts from news articles, as Dagster assets over DuckDB.

This package holds both the Dagster code location (``defcomm_assets.definitions``) and the
pure domain logic the assets call (cleaning, NLP, event rules). The pure modules never
import Dagster, so importing this package stays cheap and the logic is unit-testable.
"""

__version__ = "0.1.0"
