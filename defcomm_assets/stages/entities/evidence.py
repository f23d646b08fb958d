"""Spans of evidence around a name: offices, ranks, places and "counterpart" cues found in a text, and the chains
of them right before a name ("Defense Minister of Ukraine ▮") or in an apposition after it ("▮, Chief of the
General Staff of Poland"), read into (country, role, has_title).

The gazetteer phrase lists are compiled into character tries (``trie_regex``) once per process.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from defcomm_assets.stages.entities import gazetteers as gz
from defcomm_assets.stages.entities.lexicon import (
    APPOS_START,
    CONNECT,
    CONNECT_NO_AND,
    COUNTERPART_WORDS,
    GENERIC_ROLES,
)

_LOOSE_GAP = re.compile(r"(?:'s|’s)?[ \u00a0]+(?:[a-z][a-z-]+[ \u00a0]+){1,3}")


# --------------------------------------------------------------------------------------------- compiled gazetteers
def trie_regex(words, word_re=None) -> str:
    """One alternation-free pattern for many literal phrases (a character trie): Python's regex engine tries a
    plain alternation branch by branch at every position, a trie only follows matching prefixes."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node) -> str:
        alts, opt = [], False
        for ch in sorted(node):
            if ch == "":
                opt = True
                continue
            piece = word_re(ch) if word_re else re.escape(ch)
            alts.append(piece + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not opt else "(?:" + "|".join(alts) + ")"
        if opt:
            body = ("(?:" + "|".join(alts) + ")?") if len(alts) > 1 else f"(?:{alts[0]})?"
        return body

    return emit(trie)


def _space_or(ch):
    if ch == " ":
        return r"[\s\u00a0]+"
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


@lru_cache(maxsize=1)
def _role_re() -> re.Pattern:
    # case variants instead of re.IGNORECASE (about twice as fast): "defence minister", "Defence minister",
    # "Defence Minister", "Minister of Defence", "DEFENCE MINISTER"
    small = {"of", "the", "for", "and", "in", "on", "to", "at"}
    forms = set()
    for f in list(gz.roles()) + sorted(COUNTERPART_WORDS):
        f = f.replace("’", "'")
        low = f.lower()
        forms.update({f, low, low[:1].upper() + low[1:], low.upper(),
                      " ".join(w if w in small else w[:1].upper() + w[1:] for w in low.split(" "))})
    return re.compile(rf"(?<![\w-])(?:{trie_regex(forms, _space_or)})(?![\w-])")


@lru_cache(maxsize=1)
def _rank_re() -> re.Pattern:
    # ranks ending in "." end there; others need a word end
    forms = gz.ranks()
    dotted = trie_regex([f for f in forms if not f[-1].isalnum()], _space_or)
    plain = trie_regex([f for f in forms if f[-1].isalnum()], _space_or)
    return re.compile(rf"(?<![\w-])(?:{dotted}|{plain}(?![\w]))")


@lru_cache(maxsize=1)
def place_re() -> re.Pattern:
    """Regex twin of the PhraseMatcher, used when a Doc comes without gazetteer matches (e.g. a foreign model)."""
    return re.compile(rf"(?<![\w-])(?:{trie_regex({p.text for p in gz.places()})})(?![\w-])")


@lru_cache(maxsize=4096)
def _norm_role(surface: str) -> str:
    s = re.sub(r"\s+", " ", surface.lower()).replace("’", "'")
    return gz.roles().get(s, surface)


# --------------------------------------------------------------------------------------------- spans of evidence
class Item:
    __slots__ = ("start", "end", "kind", "code", "value", "text")

    def __init__(self, start, end, kind, code=None, value=None, text=""):
        self.start, self.end, self.kind, self.code, self.value, self.text = start, end, kind, code, value, text


def evidence_items(text: str, places: list[tuple[int, int, str]]) -> list[Item]:
    """Roles, ranks, places, 'counterpart' cues; sorted, overlaps resolved longest-first."""
    idx = gz.place_index()
    raw: list[Item] = []
    for s, e, t in places:
        p = idx.get(t)
        if p is not None:
            raw.append(Item(s, e, p.label.lower(), p.code, p.canonical, t))
    for m in _role_re().finditer(text):
        t = m.group(0)
        lt = t.lower()
        if lt in COUNTERPART_WORDS:
            raw.append(Item(m.start(), m.end(), "cp", None, lt, t))
        else:
            raw.append(Item(m.start(), m.end(), "role", None, _norm_role(t), t))
    for m in _rank_re().finditer(text):
        raw.append(Item(m.start(), m.end(), "rank", None, m.group(0), m.group(0)))
    raw.sort(key=lambda i: (i.start, -(i.end - i.start)))
    out: list[Item] = []
    last_end = -1
    for it in raw:
        if it.start >= last_end:
            out.append(it)
            last_end = it.end
        elif out and it.end > out[-1].end and it.start == out[-1].start:
            out[-1] = it
            last_end = it.end
    return out


def left_chain(text, items, ends, pos, limit=6):
    """Evidence items chained right before `pos` by connector words ("Defense Minister of Ukraine ▮")."""
    chain = []
    while len(chain) < limit:
        j = bisect_right(ends, pos) - 1
        if j < 0:
            break
        it = items[j]
        gap = text[it.end:pos]
        conn = CONNECT if chain else CONNECT_NO_AND
        if len(gap) > 40 or conn.fullmatch(gap) is None:
            # "EU foreign policy chief ▮", "Ukraine's military intelligence chief ▮": a state or body, a few
            # lower-case words, then the office already in the chain
            if not (chain and chain[-1][0].kind in ("role", "cp") and it.kind in ("gpe", "norp", "org")
                    and len(gap) <= 40 and _LOOSE_GAP.fullmatch(gap)):
                break
        if not chain and it.kind in ("gpe", "norp", "org") and ("'s" in gap or "’s" in gap):
            chain.append((it, "poss"))
        else:
            chain.append((it, gap))
        pos = it.start
    return chain


def right_chain(text, items, starts, pos, limit=6):
    """Evidence items in an apposition right after `pos` ("▮, Chief of the General Staff of Poland")."""
    m = APPOS_START.match(text, pos)
    if m is not None:
        p = m.end()
    elif text.startswith(" of ", pos):
        p = pos
    else:
        return []
    chain = []
    k = bisect_left(starts, p)
    while k < len(items) and len(chain) < limit:
        it = items[k]
        gap = text[p:it.start]
        if len(gap) > 40 or CONNECT_NO_AND.fullmatch(gap) is None:
            break
        chain.append(it)
        p = it.end
        k += 1
    return chain


_HOST_GAP = re.compile(r"^\s+(?:in|to|at)\s+(?:the\s+)?$", re.I)
_AND_GAP = re.compile(r"^\s*(?:,\s*)?and\s+(?:the\s+)?$", re.I)


def chain_evidence(text, chain, coordinated_first: bool):
    """(country, role, has_title) from a left chain; nearest state wins, a host country ("in Nigeria") does not."""
    states, orgs = [], []
    for k, (it, _gap) in enumerate(chain):
        if it.kind not in ("gpe", "norp", "org") or not it.code:
            continue
        before = chain[k + 1][1] if k + 1 < len(chain) else ""
        if it.kind == "org":
            orgs.append(it)
        elif not _HOST_GAP.match(before):
            states.append((k, it))
    country = None
    if states:
        country = states[0][1].code
        if coordinated_first and len(states) >= 2 and states[1][0] == states[0][0] + 1 \
                and _AND_GAP.match(chain[states[1][0]][1]):
            country = states[1][1].code  # "his Latvian and Lithuanian counterparts A and B": A is Latvian
    elif orgs:
        country = orgs[0].code
    roles_ = [it.value for it, _ in chain if it.kind == "role"]
    role = next((r for r in roles_ if r.lower() not in GENERIC_ROLES), roles_[0] if roles_ else None)
    has_title = any(it.kind in ("role", "rank", "cp") for it, _ in chain)
    return country, role, has_title
