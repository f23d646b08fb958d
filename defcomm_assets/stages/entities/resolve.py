"""Corpus-level entity resolution: one ``entity_id`` per real person, however outlets spell the name.

Per document the mention rules already give every person one ``key`` ("per:<surname key>") and the fullest
name, country and office. Across documents:

1. **Block** on the normalised surname key (``names.surname_key``: Zelensky/Zelenskyy/Zelenskiy -> "zelensky",
   Shoigu/Schoigu -> "shoigu", Kosiniak-Kamysz/KosiniakKamysz -> one key, Hasanov/Həsənov -> "hasanov").
2. **Confirm** with the country (and the first initial when both sides have a given name): the same surname key
   in two countries is two people; a different given-name initial is a different person.
3. **Fuzzy candidates** (rapidfuzz) only inside (country, first two letters) buckets, confirmed by country and
   initial and never across a feminine/masculine pair (Zelensky is not Zelenska): no merge on similarity alone.
4. A document person without a country joins the one cluster with its surname key (the biggest when several).

The id is derived from the cluster's canonical key (smallest surname key, country, initial), never from row
order, so the same corpus in any order gives the same ids; ``known`` entities (incremental runs) keep theirs.
Non-person mentions: ``gpe:<CC>`` for a country and its demonym, ``gpe:<CC>:<place>`` for capitals/metonyms,
``org:...`` and ``role:...`` from their normalised names.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from defcomm_assets.core.records import Entity, Mention
from defcomm_assets.stages.entities import gazetteers as gz
from defcomm_assets.stages.entities.names import (
    first_initial,
    fold,
    gendered_pair,
    name_tokens,
    normalise_surname,
    surname_key,
)


def _h(s: str, n: int = 12) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:n]


class _Person:
    """One person in one document (or a known entity)."""

    __slots__ = ("skey", "country", "fi", "names", "roles", "aliases", "known_id", "slots")

    def __init__(self, skey: str, country: str | None, fi: str, known_id: str | None = None):
        self.skey, self.country, self.fi, self.known_id = skey, country, fi, known_id
        self.names: dict[str, int] = {}  # canonical names seen (weighted by documents)
        self.roles: dict[str, int] = {}
        self.aliases: set[str] = set()
        self.slots: list[tuple[int, int]] = []  # (doc index, mention index)


def _add(counter: dict, key, n: int = 1) -> None:
    counter[key] = counter.get(key, 0) + n


class _UF:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, x):
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.p[rb] = ra
            else:
                self.p[ra] = rb


def _skey_of(m: Mention) -> str:
    if m.key.startswith("per:") and len(m.key) > 4:
        return m.key[4:]
    return surname_key(m.canonical_name or m.text)


def _close_surnames(a: str, b: str, same_initial: bool) -> bool:
    """Spelling variants of one surname: few edits for its length (Kosiniak-Kamish / Kosiniak-Kamysz: 2 of 13),
    a looser bound only when the given-name initial agrees."""
    n = min(len(a), len(b))
    d = Levenshtein.distance(a, b)
    limit = 1 if n < 8 else 2 if n < 12 else 3
    if not same_initial:
        limit = min(limit, 1) if n < 12 else 2
    return d <= limit and fuzz.ratio(a, b) >= 80


def _first_name(p: _Person) -> str:
    name = max(p.names, key=lambda nm: p.names[nm]) if p.names else ""
    toks = name_tokens(name)
    return normalise_surname(toks[0]) if len(toks) >= 2 else ""


def _name_score(name: str, count: int):
    return (count, sum(ord(c) > 127 for c in name), "-" in name, len(name.split()), len(name), name)


def _compatible(a: str, b: str) -> bool:
    return not a or not b or a == b


def resolve_entities(doc_mentions: Sequence[tuple[str, Sequence[Mention]]],
                     known: Sequence[Entity] = ()) -> tuple[list[Entity], list[list[str]]]:
    """Entities to upsert and, per document, the entity_id of each mention (same order as given)."""
    ids: list[list[str | None]] = [[None] * len(ms) for _, ms in doc_mentions]
    others: dict[str, Entity] = {}
    known_by_id = {e.entity_id: e for e in known}

    # ---- people per document
    people: list[_Person] = []
    # only the known people this batch can touch (same surname key or same fuzzy bucket): incremental runs
    # stay linear in the batch, not in the size of the entities table
    wanted_keys: set[str] = set()
    wanted_buckets: set[tuple[str | None, str]] = set()
    for _doc_id, ms in doc_mentions:
        for m in ms:
            if m.label == "PERSON":
                sk = _skey_of(m)
                wanted_keys.add(sk)
                wanted_buckets.add((m.country_code, sk[:2]))
    for k in known:
        if k.label != "PERSON":
            continue
        ksk = surname_key(k.canonical_name)
        if ksk not in wanted_keys and (k.country_code, ksk[:2]) not in wanted_buckets:
            continue
        p = _Person(ksk, k.country_code, first_initial(k.canonical_name), known_id=k.entity_id)
        p.names[k.canonical_name] = 1_000_000  # a known entity keeps its name
        if k.role:
            p.roles[k.role] = 1
        p.aliases.update(k.aliases)
        people.append(p)
    for di, (_doc_id, ms) in enumerate(doc_mentions):
        local: dict[str, _Person] = {}
        for mi, m in enumerate(ms):
            if m.label != "PERSON":
                ids[di][mi] = _other_id(m, others)
                continue
            key = m.key or ("per:" + _skey_of(m))
            p = local.get(key)
            if p is None:
                p = local[key] = _Person(_skey_of(m), m.country_code, first_initial(m.canonical_name or m.text))
                p.names[m.canonical_name or m.text] = 1
                if m.role:
                    p.roles[m.role] = 1
            p.aliases.add(m.text)
            p.slots.append((di, mi))
        people.extend(local.values())

    # ---- clustering
    n = len(people)
    uf = _UF(n)
    by_block: dict[tuple[str, str], list[int]] = defaultdict(list)
    no_country: list[int] = []
    for i, p in enumerate(people):
        if p.country:
            by_block[(p.skey, p.country)].append(i)
        else:
            no_country.append(i)
    # (a) same surname key + same country: split by first initial; initial-less mentions join the biggest
    heads: dict[tuple[str, str, str], int] = {}
    for (skey, cc), idx in sorted(by_block.items()):
        by_fi: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            by_fi[people[i].fi].append(i)
        named = sorted((fi for fi in by_fi if fi), key=lambda f: (-len(by_fi[f]), f))
        for fi in named:
            for i in by_fi[fi][1:]:
                uf.union(by_fi[fi][0], i)
            heads[(skey, cc, fi)] = by_fi[fi][0]
        if "" in by_fi:
            anchor = by_fi[named[0]][0] if named else by_fi[""][0]
            for i in by_fi[""]:
                uf.union(anchor, i)
            if not named:
                heads[(skey, cc, "")] = anchor
    # (b) fuzzy surname keys inside (country, first two letters) buckets, confirmed by country + initial
    buckets: dict[tuple[str, str], list[tuple[str, str, int]]] = defaultdict(list)
    for (skey, cc, fi), i in heads.items():
        if len(skey) >= 5:
            buckets[(cc, skey[:2])].append((skey, fi, i))
    firsts = {i: _first_name(people[i]) for _, _, i in (e for es in buckets.values() for e in es)}
    for entries in buckets.values():
        if len(entries) < 2:
            continue
        entries.sort()
        for a in range(len(entries)):
            ska, fia, ia = entries[a]
            for b in range(a + 1, len(entries)):
                skb, fib, ib = entries[b]
                if ska == skb:
                    if fia and fib and fia != fib:
                        continue
                else:
                    if gendered_pair(ska, skb):
                        continue
                    same_fi = bool(fia) and fia == fib
                    if not same_fi and fia and fib:
                        continue
                    if not _close_surnames(ska, skb, same_fi):
                        continue
                    fa, fb = firsts.get(ia, ""), firsts.get(ib, "")
                    if fa and fb and fa != fb and fuzz.ratio(fa, fb) < 70:
                        continue  # John Healey is not James Heappey
                uf.union(ia, ib)
    # (c) documents that name a person without a country: the cluster with the same key (the biggest)
    size: dict[int, int] = {}
    for i in range(n):
        _add(size, uf.find(i))
    by_skey: dict[str, list[int]] = defaultdict(list)
    for (skey, _cc, _fi), i in heads.items():
        by_skey[skey].append(i)
    for i in no_country:
        p = people[i]
        cands = [j for j in by_skey.get(p.skey, ()) if _compatible(p.fi, people[j].fi)]
        if cands:
            best = max(cands, key=lambda j: (size[uf.find(j)], people[j].country or "", people[j].fi))
            uf.union(best, i)
        else:
            by_skey.setdefault(p.skey, []).append(i)
            heads[(p.skey, "", p.fi)] = i

    # ---- one entity per cluster
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        clusters[uf.find(i)].append(i)
    out: dict[str, Entity] = {}
    for members in clusters.values():
        ps = [people[i] for i in members]
        if len(ps) == 1:
            p0 = ps[0]
            known_ids = [p0.known_id] if p0.known_id else []
            country, fi = p0.country, p0.fi
            names, roles, aliases = p0.names, p0.roles, set(p0.aliases)
        else:
            known_ids = sorted({p.known_id for p in ps if p.known_id})
            countries: dict = {}
            fis: dict = {}
            names, roles, aliases = {}, {}, set()
            for p in ps:
                if p.country:
                    _add(countries, p.country)
                if p.fi:
                    _add(fis, p.fi)
                for k2, v in p.names.items():
                    _add(names, k2, v)
                for k2, v in p.roles.items():
                    _add(roles, k2, v)
                aliases.update(p.aliases)
            country = min(countries, key=lambda c: (-countries[c], c)) if countries else None
            fi = min(fis, key=lambda f: (-fis[f], f)) if fis else ""
        canonical = max(names, key=lambda nm: _name_score(nm, names[nm])) if names else ""
        role = min(roles, key=lambda r: (-roles[r], r)) if roles else None
        if known_ids:
            eid = known_ids[0]
            k = known_by_id[eid]
            aliases.update(k.aliases)
            ent = Entity(eid, k.canonical_name, "PERSON", k.country_code or country, k.role or role,
                         tuple(sorted(aliases)))
            changed = ent != k
        else:
            ckey = min(p.skey for p in ps)
            eid = "per:" + _h(f"{ckey}|{country or ''}|{fi}")
            ent = Entity(eid, canonical, "PERSON", country, role, tuple(sorted(aliases)))
            changed = True
        for p in ps:
            for di, mi in p.slots:
                ids[di][mi] = eid
        if changed:
            out[eid] = ent

    # ---- non-person entities: new or gaining aliases
    for eid, ent in others.items():
        k = known_by_id.get(eid)
        if k is not None:
            merged = tuple(sorted(set(k.aliases) | set(ent.aliases)))
            if merged != tuple(k.aliases):
                out[eid] = Entity(eid, k.canonical_name, k.label, k.country_code, k.role, merged)
        else:
            out[eid] = ent
    entities = sorted(out.values(), key=lambda e: e.entity_id)
    return entities, [[x or "" for x in row] for row in ids]


@lru_cache(maxsize=65536)
def _other_key(label: str, cc: str | None, canonical: str) -> tuple[str, str, str]:
    """(entity_id, name, label) of a non-person mention: countries and their demonyms share one entity; places,
    bodies and offices get a key from their name. Cached: the same few thousand names recur in every document."""
    names = gz.country_names()
    if label in ("GPE", "NORP") and cc and (label == "NORP" or canonical == names.get(cc)):
        return f"gpe:{cc}", names.get(cc, cc), "GPE"
    if label == "GPE":
        return f"gpe:{cc or '-'}:{_h(fold(canonical), 8)}", canonical, "GPE"
    if label == "ROLE":
        return "role:" + _h(fold(canonical), 8), canonical, "ROLE"
    return f"{label.lower()}:{cc or '-'}:{_h(fold(canonical), 8)}", canonical, label


def _other_id(m: Mention, acc: dict[str, Entity]) -> str:
    label = m.label
    cc = m.country_code
    eid, ename, elabel = _other_key(label, cc, m.canonical_name)
    e = acc.get(eid)
    if e is None:
        acc[eid] = Entity(eid, ename, elabel, cc if label != "ROLE" else None, m.role if label == "ROLE" else None,
                          (m.text,))
    elif m.text not in e.aliases:
        aliases = tuple(sorted(set(e.aliases) | {m.text}))
        acc[eid] = Entity(eid, e.canonical_name, e.label, e.country_code, e.role, aliases)
    return eid
