"""Cheap substring gates in front of regex rules: a rule's regex runs only when one of its anchors occurs.

A rule record carries its ``anchors``: lower-case substrings such that every text its pattern matches contains one
of them (tests write out every alternative of every pattern and check it opens its gate). ``RecordGate(records)``
answers which records' anchors occur in a lower-cased text, in declaration order; each module builds the gate of
its own records (triggers, topics), so no module reads another's bits.

``GateSet(*gates)`` answers several gates with one pass over the text's tokens (each gate's records apart): the
event rules ask the trigger, screen and topic gates of a sentence at once.

``AnchorGate`` is the mechanism: the groups of anchors that occur, as a bit mask, with one pass over the text's
tokens; its bits never leave this module. Pure module: no Dagster, no spaCy.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import reduce
from operator import or_
from typing import Generic, TypeVar

R = TypeVar("R")


class AnchorGate:
    """Which groups of anchors (lower-case substrings) occur in a lower-cased text, as a bit mask (bit k: group k).

    The same answer as ``any(a in low for a in groups[k])`` for every k, for a fraction of the cost: an anchor
    without whitespace can only occur inside one whitespace-separated token, so each distinct token is tested
    once and its groups remembered. An anchor with a space ("black sea") is looked for in the whole text only when
    its first word ends a token (the space follows it).
    """

    _MEMO_MAX = 1 << 16  # tokens remembered (a few MB at most); the memo starts over when full

    def __init__(self, groups: Sequence[Sequence[str]]):
        def needed(group: Sequence[str]) -> tuple[str, ...]:
            # an anchor containing another anchor of its group never decides anything ("level talks" / "talks")
            return tuple(a for a in group if not any(b != a and b in a for b in group))
        kept = [needed(g) for g in groups]
        spaced = [(k, a) for k, g in enumerate(kept) for a in g if _has_space(a)]
        first_words = sorted({_first_word(a) for _, a in spaced})
        # bit i of a token's mask above the groups' bits: the token ends with first_words[i]
        self._spaced_by_first_word = tuple(tuple((k, a) for k, a in spaced if _first_word(a) == w) for w in first_words)
        self._n_groups = len(kept)
        self._token_bits = _TokenBits(tuple(tuple(a for a in g if not _has_space(a)) for g in kept),
                                      tuple(first_words), self._MEMO_MAX)

    def mask(self, low: str) -> int:
        mask = reduce(or_, map(self._token_bits.__getitem__, low.split()), 0)
        first_words = mask >> self._n_groups
        if first_words:
            mask &= (1 << self._n_groups) - 1
            while first_words:
                i = (first_words & -first_words).bit_length() - 1
                first_words &= first_words - 1
                for k, anchor in self._spaced_by_first_word[i]:
                    if not mask >> k & 1 and anchor in low:
                        mask |= 1 << k
        return mask


class RecordGate(Generic[R]):
    """The records whose anchors occur in a lower-cased text, in declaration order (``open(low)``)."""

    _MEMO_MAX = 1 << 12  # distinct answers remembered

    def __init__(self, records: Iterable[R], anchors: Callable[[R], Sequence[str]] = lambda r: r.anchors):
        self.records = tuple(records)
        self.anchor_groups = tuple(tuple(anchors(r)) for r in self.records)
        self._gate = AnchorGate(self.anchor_groups)
        self._by_mask: dict[int, tuple[R, ...]] = {}

    def open(self, low: str) -> tuple[R, ...]:
        return self._of_mask(self._gate.mask(low))

    def _of_mask(self, mask: int) -> tuple[R, ...]:
        """The records of the bits set in ``mask`` (bit k: records[k])."""
        try:
            return self._by_mask[mask]
        except KeyError:
            if len(self._by_mask) >= self._MEMO_MAX:
                self._by_mask.clear()
            out = self._by_mask[mask] = tuple(r for k, r in enumerate(self.records) if mask >> k & 1)
            return out


class GateSet:
    """Several RecordGates' ``open(low)`` from one pass over the text's tokens: a tuple with each gate's records."""

    _MEMO_MAX = 1 << 12  # distinct answers remembered

    def __init__(self, *gates: RecordGate):
        self._gates = gates
        self._gate = AnchorGate([g for gate in gates for g in gate.anchor_groups])
        self._by_mask: dict[int, tuple[tuple, ...]] = {}

    def open(self, low: str) -> tuple[tuple, ...]:
        mask = self._gate.mask(low)
        try:
            return self._by_mask[mask]
        except KeyError:
            if len(self._by_mask) >= self._MEMO_MAX:
                self._by_mask.clear()
            parts = []
            rest = mask
            for gate in self._gates:
                n = len(gate.records)
                parts.append(gate._of_mask(rest & ((1 << n) - 1)))
                rest >>= n
            out = self._by_mask[mask] = tuple(parts)
            return out


class _TokenBits(dict):
    """token -> bit mask of the groups with an anchor inside the token, and above those, of the first words of
    spaced anchors that the token ends with; computed on first use."""

    def __init__(self, token_anchors: tuple[tuple[str, ...], ...], first_words: tuple[str, ...], max_size: int):
        super().__init__()
        self.token_anchors = token_anchors
        self.first_words = first_words
        self.max_size = max_size

    def __missing__(self, token: str) -> int:
        bits = 0
        for k, anchors in enumerate(self.token_anchors):
            for a in anchors:
                if a in token:
                    bits |= 1 << k
                    break
        for i, word in enumerate(self.first_words, len(self.token_anchors)):
            if token.endswith(word):
                bits |= 1 << i
        if len(self) >= self.max_size:
            self.clear()
        self[token] = bits
        return bits


def _has_space(s: str) -> bool:
    return any(c.isspace() for c in s)


def _first_word(s: str) -> str:
    """What precedes the first whitespace character."""
    return next((s[:i] for i, c in enumerate(s) if c.isspace()), s)
