"""defcomm: defence-diplomacy contacts from news articles, as Dagster assets over DuckDB.

This package holds both the Dagster code location (``defcomm_assets.definitions``) and the
pure domain logic the assets call (cleaning, NLP, event rules). The pure modules never
import Dagster, so importing this package stays cheap and the logic is unit-testable.
"""

import os

# polars' allocator (jemalloc; it reads this when polars is first imported) keeps freed pages for seconds; the
# document stages fork worker processes, which then map those pages too. Give them back at once unless the
# user configured it (measured at 20k articles: the parent at the events fork 499 -> 381 MB, same run time).
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")

__version__ = "0.1.0"
