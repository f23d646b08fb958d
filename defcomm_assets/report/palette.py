"""One palette for event types, shared by the HTML charts and the PNG renderings.

Colours are the Okabe-Ito colour-blind-safe set (plus a brown), so a call is the
same blue on the network, the timeline and in the latest-contacts table.
"""
from __future__ import annotations

from functools import lru_cache

EVENT_TYPES: tuple[str, ...] = (
    "call",
    "video_call",
    "meeting",
    "visit",
    "negotiation",
    "agreement",
    "invitation",
)

EVENT_COLORS: dict[str, str] = {
    "call": "#0072B2",
    "video_call": "#56B4E9",
    "meeting": "#D55E00",
    "visit": "#009E73",
    "negotiation": "#CC79A7",
    "agreement": "#E69F00",
    "invitation": "#8C564B",
}
OTHER_COLOR = "#999999"
NODE_COLOR = "#33415c"

EVENT_LABELS: dict[str, str] = {
    "call": "Phone call",
    "video_call": "Video call",
    "meeting": "Meeting",
    "visit": "Visit",
    "negotiation": "Negotiation",
    "agreement": "Agreement",
    "invitation": "Invitation",
}

_ORG_NAMES = {
    "NATO": "NATO",
    "EU": "European Union",
    "UN": "United Nations",
    "OSCE": "OSCE",
}


def event_color(event_type: str | None) -> str:
    return EVENT_COLORS.get(event_type or "", OTHER_COLOR)


def event_label(event_type: str | None) -> str:
    if not event_type:
        return "Unknown"
    return EVENT_LABELS.get(event_type, event_type.replace("_", " ").capitalize())


def ordered_types(present) -> list[str]:
    """The known types in palette order, then any unknown ones alphabetically."""
    present = {t for t in present if t}
    known = [t for t in EVENT_TYPES if t in present]
    return known + sorted(present - set(EVENT_TYPES))


@lru_cache(maxsize=4096)
def country_name(code: str | None) -> str:
    """Human name for an ISO 3166-1 alpha-2 code or an organisation code; the code itself if unknown."""
    if not code:
        return "unknown"
    if code in _ORG_NAMES:
        return _ORG_NAMES[code]
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code.upper())
    except Exception:  # pragma: no cover - pycountry is a dependency, be safe anyway
        c = None
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name
