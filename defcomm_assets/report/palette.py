"""One palette for event types, shared by the HTML charts and the PNG renderings.

Types, their order, labels and colours come from ``core.vocabulary`` (read at each call, so a type added there
shows up in the legend and charts): a call is the same blue on the network, the timeline and in the
latest-contacts table.
"""
from __future__ import annotations

from functools import lru_cache

from defcomm_assets.core import vocabulary

OTHER_COLOR = "#999999"
NODE_COLOR = "#33415c"


def event_types() -> tuple[str, ...]:
    """The known types in legend order."""
    return vocabulary.EVENT_TYPES


def event_color(event_type: str | None) -> str:
    t = vocabulary.EVENT_TYPE_BY_NAME.get(event_type or "")
    return t.color if t else OTHER_COLOR


def event_label(event_type: str | None) -> str:
    if not event_type:
        return "Unknown"
    t = vocabulary.EVENT_TYPE_BY_NAME.get(event_type)
    return t.label if t else event_type.replace("_", " ").capitalize()


def ordered_types(present) -> list[str]:
    """The known types in vocabulary order, then any unknown ones alphabetically."""
    present = {t for t in present if t}
    known = [t for t in event_types() if t in present]
    return known + sorted(present - set(known))


@lru_cache(maxsize=4096)
def country_name(code: str | None) -> str:
    """Human name for an ISO 3166-1 alpha-2 code or an organisation code; the code itself if unknown."""
    if not code:
        return "unknown"
    if code in vocabulary.ORGANISATION_NAMES:
        return vocabulary.ORGANISATION_NAMES[code]
    try:
        import pycountry  # lazy: ~0.3 s of ISO tables, only for a code the vocabulary does not name

        c = pycountry.countries.get(alpha_2=code.upper())
    except Exception:  # pragma: no cover - pycountry is a dependency, be safe anyway
        c = None
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name
