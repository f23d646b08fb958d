"""Checks that a rule's gate is not narrower than its pattern (shared by the trigger and topic tests)."""
from __future__ import annotations

from collections.abc import Callable

from defcomm_tests.regex_examples import regex_examples


def gate_misses(pattern: str, matches: Callable[[str], bool], opens: Callable[[str], bool]) -> list[str]:
    """The alternatives of ``pattern``, each written out on its own inside a sentence, that the pattern matches
    (``matches(text)``) but that do not open the gate (``opens(text.lower())``)."""
    missed = []
    for ex in regex_examples(pattern):
        # ("^" alternatives only match at the start)
        text = next((t for t in (f"they said {ex} today", f"{ex} today") if matches(t)), None)
        assert text is not None, ex  # the example is right
        if not opens(text.lower()):
            missed.append(ex)
    return missed
