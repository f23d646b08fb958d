"""Line classes (cleaning step 2): what a line says on its own, jusText-style, before context.

Length, terminal punctuation, stop-word density (English), page-furniture vocabulary (``data/boilerplate_*.txt``),
the publisher's own appeals, date-only lines, related-link prefixes -> GOOD / NEAR / SHORT / BAD and the rule
(``kind``) that decided a BAD line. No Dagster import.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from defcomm_assets.core.dates import DateMatch, find_dates
from defcomm_assets.stages.clean_documents.lines import (
    _BY_LINE,
    _CJK,
    _DIGIT,
    _EN_STOP,
    _LETTER,
    _WORD,
    _is_term,
    _label,
    _Line,
    _words,
)

_DATA = Path(__file__).parent / "data"


def _load(name: str) -> list[str]:
    path = _DATA / name
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        raw = raw.strip()
        if raw and not raw.startswith("#"):
            out.append(raw)
    return out


_VOCAB: dict | None = None


def _vocab() -> dict:
    global _VOCAB
    if _VOCAB is None:
        lines = frozenset(_label(x) for x in _load("boilerplate_lines.txt"))
        phrases = tuple(x.lower() for x in _load("boilerplate_phrases.txt") if not x.startswith("^"))
        start_phrases = tuple(x[1:].lower() for x in _load("boilerplate_phrases.txt") if x.startswith("^"))
        cut, cut_prefix = set(), []
        for x in _load("boilerplate_cutoffs.txt"):
            if x.startswith("prefix:"):
                cut_prefix.append(x[len("prefix:"):].lower())
            else:
                cut.add(_label(x))
        related = [_label(x) for x in _load("boilerplate_related.txt")]
        # "Read also: X", "Also Read | X", "See also  X"; a one-word marker ("More", "Watch") only with a
        # separator, else "More than 100 soldiers ..." would be a related link
        multi = [r for r in related if " " in r]
        single = [r for r in related if " " not in r]
        def alt(rs: list[str]) -> str:
            return "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in sorted(rs, key=len, reverse=True))

        rel_prefix = re.compile(
            r"^\W*(?:(?:" + alt(multi) + r")\b\s*(?:[:|»>\-–—]+|\s)|(?:" + alt(single) + r")\s*[:|»>–—]+)\s*\w",
            re.IGNORECASE,
        )
        by_first: dict[str, list[str]] = {}
        for p in phrases:
            first = _WORD.findall(p)
            if first:
                by_first.setdefault(first[0], []).append(p)
        _VOCAB = {
            "lines": lines,
            "phrases_by_first_word": by_first,
            "start_phrases": start_phrases,
            "cut": frozenset(cut),
            "cut_prefix": tuple(cut_prefix),
            "related": frozenset(related),
            "rel_prefix": rel_prefix,
        }
    return _VOCAB


_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
_SHORTCODE = re.compile(r"\[\w+(?:\s+\w+=[^\]]*)+\]|\[/?\w+_\w+\]")
_BULLET = re.compile(r"^(?:[•·▪●◦■□►▶\-–—*+]|\d{1,2}[.)])\s+")
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


_NAV_WORDS = frozenset(
    """facebook twitter x email e mail print share shares tweet whatsapp telegram linkedin reddit pinterest messenger
    viber vk ok copy link url instagram youtube tiktok threads bluesky mastodon flipboard pocket sms home news menu
    search login register subscribe comments comment more next previous prev top back close open rss feed""".split()
)


_PUBLISHER_VOICE = frozenset(
    """journalism journalists reporters reporting newsroom donation donations donate paywall paywalls readers
    subscribers subscription subscriptions membership advertisers""".split()
)


_WE = frozenset("we our us".split())
_BREADCRUMB = re.compile(r"\s[»›>|/]\s")
# a photo caption: a side marker "(R)", "(2nd L)", or a credit glued to it ("... MontanaJane Doe/via AGENCY")
_CAPTION_SIDE = re.compile(r"\((?:[LRC]|left|right|cent(?:er|re)|\d(?:st|nd|rd|th)\s+(?:[LR]|left|right))\)", re.I)
_CAPTION_CREDIT = re.compile(r"[A-Z][\w'’.-]+ [A-Z][\w'’.-]+ ?/ ?(?:via )?[A-Z][\w&.-]*(?: [\w&.-]+){0,2}$")


_TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?![\d.])|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)", re.IGNORECASE
)


_DATE_FILLER = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\b|"
    r"\b(?:published|updated|posted|last|modified|created|date|on|at|am|pm|gmt|utc|est|edt|cet|cest|eet|eest|"
    r"ist|msk|kst|jst|pst|pdt|bst|aest|local|time|update|source|tweet|share)\b|"
    r"\b(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?|\b\d+\s*(?:hours?|hrs?|minutes?|mins?|days?)\s+ago\b|"
    # the Hijri date Gulf agencies write beside the Gregorian one ("Riyadh, Ramadan 09, 1446, March 09, 2025")
    r"\b(?:muharram|safar|rabi[\w'’]*(?:\s+al-\w+)?|jumad[ae][\w'’]*(?:\s+al-\w+)?|rajab|sha['’]?ban|ramadh?an|shawwal|"
    r"dhu[\w'’-]*(?:\s+al-\w+)?)\s+\d{1,2},?\s+14\d\d\b(?:\s*(?:AH|H)\b)?|"
    # "Published" / "Updated" and weekdays in the other languages of the press (bylines of non-English pages)
    r"\b(?:publicado|publicada|actualizado|publié|publie|mis à jour|veröffentlicht|aktualisiert|pubblicato|aggiornato|"
    r"atualizado|em|opublikowano|aktualizacja|опубликовано|обновлено|опубліковано|оновлено|el|le|am|um|il|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|"
    r"segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira)\b",
    re.IGNORECASE,
)


GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"


def _date_line(t: str) -> DateMatch | None:
    """The date of a line that is essentially a date/timestamp ("24 May 2024", "16:56, 05.12.2025",
    "Published : June 8, 2024 - 10:22", "Friday 18 March 2022 10:11 GMT"), else None."""
    if len(t) > 80 or not _DIGIT.search(t):
        return None
    if t.isascii() and not _YEAR_LIKE.search(t) and not any(m in t.lower() for m in _MONTH_PREFIXES):
        # in ASCII text every date find_dates knows has a 19xx/20xx year or an English month name (a
        # foreign month name counts only with a year); non-ASCII text may case-fold, so it is always checked
        return None
    ms = find_dates(t)
    if not ms:
        return None
    rest = t
    for m in reversed(ms):
        rest = rest[: m.start] + " " + rest[m.end:]
    rest = _TIME.sub(" ", rest)
    rest = _DATE_FILLER.sub(" ", rest)
    words = _WORD.findall(rest)
    if not rest.isascii():
        words += ["cjk"] * (len(_CJK.findall(rest)) // 2)  # a CJK sentence after the date is not a timestamp
    if len(words) <= 2 or (_BY_LINE.match(rest.strip(" |-–—•,:")) and len(words) <= 5):
        return next((m for m in ms if m.year_stated), ms[0])
    return None


def _classify(lines: list[_Line], english: bool, voc: dict) -> None:
    for ln in lines:
        t = ln.text
        n = ln.n = len(t)
        ln.words, ln.term, ln.label, ln.cls, ln.kind, ln.date = (
            _cached_line_features(t, english) if n <= _CACHED_LINE_CHARS else _line_features(t, english, voc))


# short lines repeat across the documents of a site (menus, footers, share bars): classify each once
_CACHED_LINE_CHARS = 200


@lru_cache(maxsize=1 << 14)
def _cached_line_features(t: str, english: bool) -> tuple:
    return _line_features(t, english, _vocab())


def _line_features(t: str, english: bool, voc: dict) -> tuple:
    """(words, term, label, cls, kind, date) of a line: what it says on its own, before context."""
    lo = t.lower()
    words = _words(lo)
    n = len(t)
    term = _is_term(t)
    nw = len(words)
    label = _label(_BULLET.sub("", t)) if n <= 100 else ""  # markers and menu items are short

    def bad(kind: str, date: DateMatch | None = None) -> tuple:
        return words, term, label, BAD, kind, date

    if not _LETTER.search(t):
        d = _date_line(t)
        return bad("date" if d else "nonword", d)
    d = _date_line(t)
    if d is not None:
        return bad("date", d)
    if _URL_ONLY.match(t) or nw <= 25 and _SHORTCODE.search(t):
        return bad("link")
    if nw <= 12 and all(w in _NAV_WORDS for w in words):
        return bad("vocab")  # "Facebook | Twitter | Email", "Share Tweet Email"
    if nw <= 12 and len(_BREADCRUMB.findall(t)) >= 2:
        return bad("breadcrumb")
    if label in voc["cut"] or lo.startswith(voc["cut_prefix"]):
        return bad("cut")
    if label in voc["related"]:
        return bad("soft")
    if label in voc["lines"]:
        return bad("vocab")
    if voc["rel_prefix"].match(t) and nw <= 40:
        return bad("related")
    if "©" in t or "copyright" in lo and nw <= 25:
        return bad("vocab")
    by_first = voc["phrases_by_first_word"]
    hits = {p for w in by_first.keys() & words for p in by_first[w] if p in lo}
    if lo.lstrip("•·-–—*([ ").startswith(voc["start_phrases"]):
        hits.add("^")
    if hits and (nw <= 40 or len(hits) >= 2):
        return bad("vocab")
    if (t[0] == "(" and t[-1] == ")" and t.count("(") == 1) or (t[0] == "[" and t[-1] == "]"):
        return bad("aside")
    if nw <= 40 and (not term or t[-1] == ")") and ("(" in t and _CAPTION_SIDE.search(t) or "/" in t
                                                    and _CAPTION_CREDIT.search(t)):
        return bad("caption")
    if english and nw >= 12:
        # the publisher speaking about itself: "we need reporters on the ground; your donation ..."
        # (isdisjoint: most lines have no publisher word at all, found without counting)
        pub = 0 if _PUBLISHER_VOICE.isdisjoint(words) else sum(map(_PUBLISHER_VOICE.__contains__, words))
        if pub >= 2 and sum(map(_WE.__contains__, words)) >= 2:
            return bad("appeal")
    if english:
        # stop-word density (counted here, not for the lines found BAD above: it decides nothing else)
        sw = (sum(map(_EN_STOP.__contains__, words)) / nw) if nw else 0.0
        if (n >= 120 and sw >= 0.25) or (term and nw >= 8 and sw >= 0.2) or (n >= 250 and sw >= 0.15):
            cls = GOOD
        elif (term and nw >= 3) or (nw >= 8 and sw >= 0.2):
            cls = NEAR
        else:
            cls = SHORT
    else:
        if not t.isascii():
            cjk = len(_CJK.findall(t))
            if cjk:
                nw += cjk // 2
        if n >= 120 or (term and nw >= 6):
            cls = GOOD
        elif (term and nw >= 3) or nw >= 8:
            cls = NEAR
        else:
            cls = SHORT
    return words, term, label, cls, "", None


def _headline_like(ln: _Line) -> bool:
    return ln.cls in (NEAR, SHORT) and not ln.term
