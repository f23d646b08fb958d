"""Case-insensitive patterns of the event rules, and how they run fast.

``icase(p)`` compiles a case-insensitive pattern. ``Folded(p)`` is one that runs on the lower-cased text where that
is alike: case-insensitive matching is several times slower in `re` than matching lower-cased text with a
lower-cased pattern. Both find the same matches at the same offsets when lower-casing keeps the text's length and
the text has no "ı"/"ſ" (which re.I matches to i/s) - checked over every code point for the characters these
patterns use (ASCII, é, ’, –), [A-Z], \\w, \\W and \\s. ``GatedPattern(p, anchors)`` is a Folded pattern with the
lower-case words one of which every text it matches contains (its gate).

Pure module: no Dagster, no spaCy.
"""
from __future__ import annotations

import re
from collections.abc import Sequence


def icase(p: str) -> re.Pattern:
    return re.compile(p, re.I)


def lower_matches_alike(s: str, low: str) -> bool:
    """Do the lower-cased patterns on ``low`` (``s.lower()``) find what the re.I patterns find on ``s``?"""
    return len(low) == len(s) and "ı" not in low and "ſ" not in low


def lower_pattern(p: str) -> str:
    """Pattern ``p`` for lower-cased text: letters lower-cased, except escapes (\\W stays \\W)."""
    assert not re.search(r"\(\?[^:=!<]", p), p  # no inline flags or named groups
    out = []
    escaped = False
    for ch in p:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)


class Folded:
    """A case-insensitive pattern that runs on the lower-cased text where that is alike (see above).
    ``low``: the text lower-cased if lower_matches_alike, else None (the re.I pattern runs on ``s``)."""

    __slots__ = ("rx", "rx_low")

    def __init__(self, pattern: str):
        self.rx = icase(pattern)
        self.rx_low = re.compile(lower_pattern(pattern))

    def search(self, s: str, low: str | None) -> re.Match | None:
        return self.rx.search(s) if low is None else self.rx_low.search(low)

    def match(self, s: str, low: str | None) -> re.Match | None:
        return self.rx.match(s) if low is None else self.rx_low.match(low)

    def finditer(self, s: str, low: str | None):
        return self.rx.finditer(s) if low is None else self.rx_low.finditer(low)


class GatedPattern(Folded):
    """A Folded pattern and its gate: ``opens(low)`` is False only where the pattern cannot match ``low``."""

    __slots__ = ("anchors",)

    def __init__(self, pattern: str, anchors: Sequence[str]):
        super().__init__(pattern)
        self.anchors = tuple(anchors)

    def opens(self, low: str) -> bool:
        return any(a in low for a in self.anchors)
