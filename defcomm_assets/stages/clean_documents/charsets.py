"""Byte-table helpers for the text scans of cleaning and language detection (no Dagster import).

Python's ``re`` looks up the Unicode category of every character it scans; most of our text is ASCII, and an
ASCII byte never occurs inside a UTF-8 multi-byte character, so the ASCII characters can be folded with one
``bytes.translate`` and only the few others need a regex or a ``str.replace``.
"""
from __future__ import annotations

ASCII_BYTES = bytes(range(128))
FEW_CHARS = 16  # distinct characters to replace one by one; more (a page of symbols), and the regex is cheaper


def ascii_fold(text: str, table: bytes) -> str:
    """``text`` with its ASCII characters mapped through a byte table, the others unchanged."""
    return text.encode("utf-8", "surrogatepass").translate(table).decode("utf-8", "surrogatepass")


def non_ascii_chars(text: str) -> str:
    """The non-ASCII characters of ``text``: its UTF-8 bytes without the ASCII ones. A line has few (quotes,
    dashes), so a str.replace per distinct one is much cheaper than a regex looking at every character."""
    return text.encode("utf-8", "surrogatepass").translate(None, ASCII_BYTES).decode("utf-8", "surrogatepass")
