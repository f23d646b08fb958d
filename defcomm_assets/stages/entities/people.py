"""One person across the mentions of a document: variant spellings grouped, the canonical name, the gazetteer
official a name denotes, and the nearest country when the context names none.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz

from defcomm_assets.stages.entities import gazetteers as gz
from defcomm_assets.stages.entities.lexicon import STOP
from defcomm_assets.stages.entities.names import PARTICLES, first_initial, fold, gendered_pair, name_tokens, surname_key


def fuzzy_group(groups: dict, p: dict, full: bool):
    """Same person spelled two ways in one text (Millie / Milli, Hulqvist / Hultqvist): close surname keys,
    compatible first initial, and never a feminine/masculine pair."""
    sk = p["sk"]
    if len(sk) < 4 or not groups:
        return None
    best = None
    for k, g in groups.items():
        if k[:1] != sk[:1] and not p["ok"]:
            continue
        if abs(len(k) - len(sk)) > 3 or gendered_pair(sk, k):
            continue
        if full and g["first"] and p["first"]:
            if first_initial(g["names"][0]) != p["fi"] or (
                    g["first"] != p["first"] and fuzz.ratio(g["first"], p["first"]) < 70):
                continue
        r = max(fuzz.ratio(sk, k), fuzz.ratio(p["fs"], g["fs"]))
        if r >= 80 and (best is None or r > best[0]):
            best = (r, g)
    return best[1] if best else None




def looks_like_name(words: list[str]) -> bool:
    """Capitalised words that are not common English words (crude: no all-lowercase dictionary available)."""
    return all(w[:1].isupper() and not w.isupper() for w in words if w.lower() not in PARTICLES)


def canonical_name(names: list[str]) -> str:
    """Fullest form: most name tokens, then diacritics kept, then hyphenated, then most frequent."""
    cnt = Counter(names)

    def score(n):
        return (len(name_tokens(n)), sum(ord(c) > 127 for c in n), "-" in n, cnt[n], len(n))

    return max(cnt, key=score)


def surname_close(a: str, b: str) -> bool:
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    return fuzz.ratio(surname_key(a), surname_key(b)) >= 70


@lru_cache(maxsize=1)
def _officials_by_first() -> dict[str, tuple]:
    idx: dict[str, list] = {}
    for o in gz.officials():
        for n in (o.name,) + o.aliases:
            t = name_tokens(n)
            if len(t) >= 2:
                idx.setdefault(t[0], []).append((surname_key(n), o))
    return {k: tuple(v) for k, v in idx.items()}


@lru_cache(maxsize=1)
def _stop_words_in_official_names() -> frozenset[str]:
    """The common words (STOP) that occur in some gazetteer official's name: "jun", "to", "no", ..."""
    return frozenset(t for key in gz.officials_by_fullname() for t in key.split() if t in STOP)


def gazetteer_name_tokens(toks: list[tuple[int, int, str]], blocked: bytearray, full_idx) -> frozenset[int]:
    """Indices of the run's tokens that belong to a gazetteer official's full name containing a common word.

    Runs are split at common words (STOP: months, "No", "To"), which would cut "Dong Jun" to "Dong" and "To Lam"
    to "Lam"; a window of 2-4 tokens that is a known official's name keeps them. Checked only around such a word.
    """
    n = len(toks)
    out: set[int] = set()
    in_names = _stop_words_in_official_names()
    for k in range(n):
        w = toks[k][2]
        if w.lower() not in in_names or blocked[toks[k][0]]:
            continue
        for size in (4, 3, 2):
            for a in range(max(0, k - size + 1), min(k, n - size) + 1):
                win = toks[a:a + size]
                if any(blocked[t[0]] for t in win):
                    continue
                if fold(" ".join(t[2] for t in win)) in full_idx:
                    out.update(range(a, a + size))
                    break
            if k in out:
                break
    return frozenset(out)


def match_official(name: str, country: str | None, offs_lists) -> gz.Official | None:
    """The gazetteer official this name denotes, when unambiguous and consistent with the country found."""
    cands = {o for offs in offs_lists for o in offs}
    if not cands:
        toks = name_tokens(name)
        sk = surname_key(name)
        by_sur = gz.officials_by_surname().get(sk, ())
        if len(toks) >= 2:
            fi = first_initial(name)
            cands = {o for o in by_sur if first_initial(o.name) == fi}
            if not cands:
                # garbled surname, same given name: "Colin Kaly" -> Colin Kahl (needs the country to agree)
                cands = {o for s2, o in _officials_by_first().get(toks[0], ())
                         if (country is not None and o.country == country and fuzz.ratio(sk, s2) >= 70)
                         or (country is None and fuzz.ratio(sk, s2) >= 80)}
        else:
            cands = set(by_sur)
            if len(cands) > 1:
                # a surname alone: an official whose own name ends in it, before one who has it in an alias only
                # ("Robles": Margarita Robles, not a president whose long form ends in "Robles")
                cands = {o for o in cands if surname_key(o.name) == sk} or cands
    if country is not None:
        cands = {o for o in cands if o.country == country} or set()
    if not cands:
        return None
    if len({o.country for o in cands}) > 1 or len({o.name for o in cands}) > 1:
        return None
    return next(iter(cands))


_PLACE_BEFORE = re.compile(r"\b(?:to|in|into|at|from|visit|visits|visited|visiting|toward|towards|across|near|over|"
                           r"through|via|arrived in|left for)\s+(?:the\s+)?$", re.I)


def nearest_country(text, items, starts, sent_starts, mentions) -> str | None:
    """Fallback: the country/demonym closest to the person's first mention in the same sentence (a capital or
    metonym only when no state is named there: "in Brussels" says where, not whom one serves)."""
    names = gz.country_names()
    for p in mentions:
        j = bisect_right(sent_starts, p["s"]) - 1
        lo = sent_starts[j] if j >= 0 else 0
        hi = sent_starts[j + 1] if j + 1 < len(sent_starts) else 1 << 60
        best = None
        for k in range(max(0, bisect_left(starts, lo) - 1), len(items)):
            it = items[k]
            if it.start >= hi:
                break
            if it.end <= lo or not it.code or it.kind not in ("gpe", "norp"):
                continue
            d = p["s"] - it.end if it.end <= p["s"] else it.start - p["e"]
            if it.kind == "gpe" and names.get(it.code) != it.value:
                d += 100_000
            elif it.kind == "gpe" and _PLACE_BEFORE.search(text, max(0, it.start - 24), it.start):
                d += 50_000  # "is to visit the United Kingdom", "talks in Poland": where, not whose
            if best is None or d < best[0]:
                best = (d, it.code)
        if best is not None:
            return best[1]
    return None
