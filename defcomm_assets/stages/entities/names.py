"""Name folding and blocking keys (pure, no spaCy).

``fold`` turns any spelling into lower-case ASCII letters and spaces (anyascii does the hard part: diacritics,
Cyrillic); ``surname_key`` additionally normalises the transliteration variants outlets disagree on
(Zelensky / Zelenskyy / Zelenskiy, Shoigu / Schoigu, Kosiniak-Kamysz / KosiniakKamysz, Hasanov / Həsənov)
while keeping what tells people apart (the gendered ending: Zelensky is not Zelenska).
"""
from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

# letters anyascii folds differently from how English news transliterates them
_PRE = str.maketrans({"ə": "a", "Ə": "A", "ı": "i", "ł": "l", "Ł": "L", "’": "'", "ʼ": "'"})
_NON_LETTER = re.compile(r"[^a-z ]+")
_JOINERS = re.compile(r"[-‐‑'`]")
_SPACES = re.compile(r"\s+")
_DOUBLE = re.compile(r"([a-z])\1+")
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "dos", "das", "du", "bin", "ibn", "al", "el", "la", "le",
                       "di", "del", "ter", "ten", "zu"})

# (pattern, replacement) applied to a folded surname, in order
_TRANSLIT = [
    (re.compile(r"tsch"), "ch"),
    (re.compile(r"sch"), "sh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"w"), "v"),
    (re.compile(r"(?:yy|iy|yi|ii|ij|yj)$"), "y"),
    (re.compile(r"(?<=[bcdfghklmnprstvz])i$"), "y"),
]


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Lower-case ASCII letters and single spaces; hyphens/apostrophes inside names vanish (O'Hara = OHara)."""
    s = anyascii((s or "").translate(_PRE)).lower()
    s = _JOINERS.sub("", s)
    s = _NON_LETTER.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


def name_tokens(name: str) -> list[str]:
    return [t for t in fold(name).split() if t not in SUFFIXES and (len(t) > 1)]


@lru_cache(maxsize=65536)
def normalise_surname(folded: str) -> str:
    s = folded.replace(" ", "")
    for pat, rep in _TRANSLIT:
        s = pat.sub(rep, s)
    return _DOUBLE.sub(r"\1", s)


@lru_cache(maxsize=65536)
def surname_of(name: str) -> str:
    """Folded surname: last token that is not a suffix; particles before it are kept (von der Leyen -> vonderleyen)."""
    toks = name_tokens(name)
    if not toks:
        return ""
    # "Khalid bin Salman" style patronymic chains: the family-ish part is everything after the first particle
    i = len(toks) - 1
    while i > 0 and toks[i - 1] in PARTICLES and toks[i - 1] not in {"bin", "ibn"}:
        i -= 1
    return "".join(toks[i:])


@lru_cache(maxsize=65536)
def surname_key(name: str) -> str:
    return normalise_surname(surname_of(name))


@lru_cache(maxsize=65536)
def first_initial(name: str) -> str:
    """Phonetic first initial of the given name ('' when only a surname is known)."""
    toks = name_tokens(name)
    if len(toks) < 2:
        return ""
    c = toks[0][0]
    return {"c": "k", "q": "k", "y": "i", "j": "i", "w": "v"}.get(c, c)


def gendered_pair(a: str, b: str) -> bool:
    """Surname keys that differ only by a feminine ending (zelensky / zelenska, kovalenko / kovalenka)."""
    if a == b:
        return False
    for x, y in ((a, b), (b, a)):
        if x.endswith("a") and (y.startswith(x[:-1]) and len(y) - len(x) <= 2):
            return True
        if x.endswith(("ova", "eva", "ina", "aya")) and y.startswith(x[:-1]):
            return True
    return False
