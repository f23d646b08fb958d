"""Gazetteers shipped in ``defcomm_assets/data`` (loaded once per process, lazily).

Everything here is general knowledge: ISO countries (pycountry, see ``build_gazetteers``), demonyms, capitals and
metonyms ("the Kremlin"), international bodies and defence institutions, offices, ranks, common given names and a
list of well-known officials since 2014. The lists are aids; people are found from context (see ``entities``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from defcomm_assets.stages.entities.names import fold, surname_key

DATA = Path(__file__).resolve().parent / "data"
# hand list first (its spellings win), then the broader general-knowledge list when present
# Built from general knowledge only, never from evaluation articles (see docs/QUALITY.md for how that is checked).
OFFICIALS_FILES = ("officials_general.jsonl",)


def _rows(name: str):
    with (DATA / name).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield line.split("\t")


@dataclass(frozen=True)
class Place:
    text: str
    label: str  # GPE, NORP, ORG
    code: str | None  # ISO alpha-2 / an organisation code; None for a national body whose country comes from context
    canonical: str


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """code -> preferred English name."""
    return {r[0]: r[1] for r in _rows("countries.tsv")}


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Every surface form the gazetteer matcher looks for (case-sensitive)."""
    names = country_names()
    out: dict[str, Place] = {}
    for r in _rows("countries.tsv"):
        code = r[0]
        for n in [r[1]] + [a for a in (r[2].split("|") if len(r) > 2 else []) if a]:
            out.setdefault(n, Place(n, "GPE", code, names[code]))
    for r in _rows("capitals_metonyms.tsv"):
        out.setdefault(r[0], Place(r[0], "GPE", r[1], r[0]))
    for r in _rows("demonyms.tsv"):
        if r[0] not in out:
            out[r[0]] = Place(r[0], "NORP", r[1], names.get(r[1], r[1]))
    for r in _rows("organisations.tsv"):
        code = None if r[1] == "-" else r[1]
        out.setdefault(r[0], Place(r[0], "ORG", code, r[2]))
    return tuple(out.values())


@lru_cache(maxsize=1)
def place_index() -> dict[str, Place]:
    return {p.text: p for p in places()}


@lru_cache(maxsize=1)
def roles() -> dict[str, str]:
    """lower-cased surface form -> normalised office."""
    return {r[0].lower(): r[1] for r in _rows("roles.tsv")}


@lru_cache(maxsize=1)
def ranks() -> tuple[str, ...]:
    return tuple(r[0] for r in _rows("ranks.txt"))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    out = set()
    for r in _rows("first_names.txt"):
        out.update(fold(w) for w in r[0].split())
    return frozenset(out)


@dataclass(frozen=True)
class Official:
    name: str
    country: str
    role: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def officials() -> tuple[Official, ...]:
    out, seen = [], set()
    for fname in OFFICIALS_FILES:
        path = DATA / fname
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    d = json.loads(line)
                    if (d["name"], d["country"]) in seen:
                        continue
                    seen.add((d["name"], d["country"]))
                    out.append(Official(d["name"], d["country"], d.get("role") or "", tuple(d.get("aliases") or ())))
    return tuple(out)


@lru_cache(maxsize=1)
def officials_by_surname() -> dict[str, tuple[Official, ...]]:
    """normalised surname key -> officials (an official is reachable from each alias's surname)."""
    idx: dict[str, list[Official]] = {}
    for o in officials():
        keys = {surname_key(o.name)} | {surname_key(a) for a in o.aliases}
        for k in keys:
            if k:
                idx.setdefault(k, []).append(o)
    return {k: tuple(v) for k, v in idx.items()}


@lru_cache(maxsize=1)
def officials_by_fullname() -> dict[str, tuple[Official, ...]]:
    idx: dict[str, list[Official]] = {}
    for o in officials():
        for n in (o.name,) + o.aliases:
            idx.setdefault(fold(n), []).append(o)
    return {k: tuple(v) for k, v in idx.items()}
