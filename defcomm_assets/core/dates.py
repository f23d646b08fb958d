"""Explicit calendar dates in running text (no Dagster, no third-party parsers).

``find_dates(text)`` returns every explicit day-level date the text writes out:

* ``25 January 2024``, ``25th of January, 2024``, ``25 Jan. 2024``, ``3-6 March``, ``1 to 4 October`` (a range: its
  first day)
* ``January 25, 2024``, ``Jan 25 2024``, ``January 25th``, ``October 7``
* ``2024-01-25``, ``2024/01/25``, ``2024.01.25`` (``2024.1.25`` only after punctuation or at the start)
* ``05.12.2025``, ``5/12/2025`` (day first, as most of the world writes it; month first only when the
  day-first reading is impossible, e.g. ``03.14.2023``)
* day-month-year in the region's other press languages: ``5 марта 2024``, ``5 березня``, ``5 marca 2024 r.``,
  ``5. März 2024``, ``5 mars 2024``, ``5 de marzo de 2024``, ``5 Mart 2024`` (in pure-ASCII text only with a year)
* CJK: ``2017年8月30日``, ``平成29年8月30日`` (a Japanese era year), ``8月30日``, ``2024년 3월 5일``

A date without a year (``25 January``) is returned with ``date=None`` and ``year_stated=False``: the caller
decides how to resolve it (e.g. against a publication date); this module never guesses a year.
Weekday names and relative expressions ("on Friday", "yesterday") are not dates here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = ["DateMatch", "find_dates", "MONTHS"]


@dataclass(frozen=True)
class DateMatch:
    start: int  # offsets into the text given to find_dates
    end: int
    date: date | None  # None when the year is not stated (or the stated date is impossible)
    year_stated: bool
    month: int
    day: int
    text: str  # == text[start:end]
    span: bool = False  # a day-first range ("3-6 March", "1 to 4 October"); ``day`` is its first day


MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

# Day-month-year in other languages of the region's press (bylines of non-English pages): genitive forms
# where the language inflects ("5 марта 2024", "5 marca 2024 r.", "5. März 2024", "5 de marzo de 2024").
INTL_MONTHS: dict[str, int] = {}
# Then the short forms of wire datelines ("Athènes, 24 fév 2020 (AFP)", "3 janv. 2021", "5 dic 2022") that are
# not English words.
for _i, _names in enumerate(
    (
        "января січня stycznia ledna januar janvier enero gennaio ianuarie ocak janeiro janv ene",
        "февраля лютого lutego února februar février febrero febbraio februarie şubat subat fevereiro févr fév fevr",
        "марта березня marca března märz maerz mars marzo martie mart março",
        "апреля квітня kwietnia dubna avril abril aprile aprilie nisan avr abr",
        "мая травня maja května mai mayo maggio mayıs mayis maio",
        "июня червня czerwca června juni juin junio giugno iunie haziran junho giu",
        "июля липня lipca července juli juillet julio luglio iulie temmuz julho juil lug",
        "августа серпня sierpnia srpna août aout agosto ağustos agustos",
        "сентября вересня września wrzesnia září septembre septiembre settembre septembrie eylül eylul setembro",
        "октября жовтня października pazdziernika října oktober octobre octubre ottobre octombrie ekim outubro ott",
        "ноября листопада listopada listopadu novembre noviembre noiembrie kasım kasim novembro",
        "декабря грудня grudnia prosince dezember décembre diciembre dicembre decembrie aralık aralik dezembro "
        "déc dic",
    ),
    start=1,
):
    for _n in _names.split():
        INTL_MONTHS[_n] = _i

_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Month words that are also ordinary English words: only accepted when capitalised.
_AMBIGUOUS_LOWER = {"may", "march", "mar", "jan", "dec", "sep", "oct", "jun", "jul", "aug", "apr", "nov", "feb"}

_MONTH_RE = (
    r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)(?![\d])"

# 25 January 2024 / 25th of January, 2024 / 3-6 March 2024 / 25 January
_DMY = re.compile(
    r"(?<![\w.])(?P<d>[0-3]?\d)" + _ORD
    + r"(?P<span>(?:\s*[-–]\s*|\s+(?:to|and|until|till)\s+)[0-3]?\d" + _ORD + r")?\s+(?:of\s+)?"
    + _MONTH_RE.format(g="m")
    + r"(?:,?\s+" + _YEAR.format(g="y") + r")?(?![\w])",
    re.IGNORECASE,
)
# January 25, 2024 / Jan 25 2024 / January 25th / October 7
_MDY = re.compile(
    r"(?<![\w])" + _MONTH_RE.format(g="m") + r"\s+(?P<d>[0-3]?\d)" + _ORD + r"(?![\d:])"
    + r"(?:\s*[-–]\s*[0-3]?\d" + _ORD + r"(?![\d:]))?"
    + r"(?:,?\s+" + _YEAR.format(g="y") + r")?(?![\w])",
    re.IGNORECASE,
)
_DMY_INTL = re.compile(
    r"(?<![\w.])(?P<d>[0-3]?\d)\.?\s+(?:de\s+)?(?P<m>"
    + "|".join(sorted(INTL_MONTHS, key=len, reverse=True))
    + r")\.?(?:,?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)(?!\d))?(?![\w])",
    re.IGNORECASE,
)
# 2024-01-25 / 2024/01/25
_ISO = re.compile(r"(?<![\d.\-/])(?P<y>(?:19|20)\d\d)([-/.])(?P<m>[01]?\d)\2(?P<d>[0-3]?\d)(?![\d\-/]|\.\d)")
# 05.12.2025 / 5/12/2025 / 03.14.2023
_NUM = re.compile(r"(?<![\d.\-/])(?P<a>[0-3]?\d)([./])(?P<b>[0-3]?\d)\2(?P<y>(?:19|20)\d\d)(?![\d])")

# 2017年8月30日 / 平成29年8月30日 (Japanese era year: Heisei 1 = 1989) / 8月30日 / 2024년 3월 5일
_CJK_YMD = re.compile(
    r"(?<!\d)(?:(?:(?P<era>昭和|平成|令和)\s*(?P<ey>元|\d{1,2})|(?P<y>(?:19|20)\d\d))\s*[年년]\s*)?"
    r"(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]"
)
_ERA_START = {"昭和": 1925, "平成": 1988, "令和": 2018}  # + the era year


def _mk(start, end, text, y, m, d, span: bool = False) -> DateMatch | None:
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    if y is None:
        try:
            date(2000, m, d)  # leap year: 29 February is possible
        except ValueError:
            return None
        return DateMatch(start, end, None, False, m, d, text[start:end], span)
    try:
        dt = date(y, m, d)
    except ValueError:
        return None
    return DateMatch(start, end, dt, True, m, d, text[start:end], span)


def _month_ok(word: str) -> bool:
    w = word.rstrip(".")
    return not (w.islower() and w.lower() in _AMBIGUOUS_LOWER)


def _month_number(table: dict[str, int], word: str) -> int | None:
    """The month a matched month word names. The regexes match case-insensitively, so a word can match whose
    ``lower()`` is not in the table ("MAİ" -> "mai̇" with a combining dot): compare without accents then."""
    w = word.lower()
    n = table.get(w)
    if n is None:
        n = table.get("".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c)))
    return n


def find_dates(text: str) -> list[DateMatch]:
    """All explicit dates in ``text``, in order of position, non-overlapping (the longer match wins)."""
    if not text:
        return []
    found: list[DateMatch] = []
    # (the numeric forms need their separator character: most texts lack one, and a test is cheaper than a scan)
    slash = "/" in text
    dot = "." in text
    for mt in _ISO.finditer(text) if slash or dot or "-" in text else ():
        if mt[2] == "." and (len(mt["m"]) != 2 or len(mt["d"]) != 2):
            before = text[:mt.start()].rstrip()
            if before and before[-1].isalnum():
                continue  # "2024.09.13" and "News - 2024.9.13" are dates, "version 2024.1.15" is not
        r = _mk(mt.start(), mt.end(), text, int(mt["y"]), int(mt["m"]), int(mt["d"]))
        if r:
            found.append(r)
    for mt in _NUM.finditer(text) if slash or dot else ():
        a, b, y = int(mt["a"]), int(mt["b"]), int(mt["y"])
        day, month = (a, b) if b <= 12 else (b, a)  # day first unless impossible
        r = _mk(mt.start(), mt.end(), text, y, month, day)
        if r:
            found.append(r)
    ascii_text = text.isascii()
    # every English month name starts with one of _MONTH_PREFIXES: in ASCII text (no other character can
    # case-fold to an ASCII letter) a text without any has no day-month date to scan for
    month_named = not ascii_text or any(map(text.lower().__contains__, _MONTH_PREFIXES))
    for rx in (_DMY, _MDY) if month_named else ():
        for mt in rx.finditer(text):
            if not _month_ok(mt["m"]):
                continue
            y = int(mt["y"]) if mt["y"] else None
            month = _month_number(MONTHS, mt["m"].rstrip("."))
            r = month and _mk(mt.start(), mt.end(), text, y, month, int(mt["d"]), rx is _DMY and mt["span"] is not None)
            if r:
                found.append(r)
    for mt in _DMY_INTL.finditer(text):
        if ascii_text and not mt["y"]:
            continue  # in English text a bare "5 mars" / "2 mai" is too weak to call a date
        y = int(mt["y"]) if mt["y"] else None
        month = _month_number(INTL_MONTHS, mt["m"])
        r = month and _mk(mt.start(), mt.end(), text, y, month, int(mt["d"]))
        if r:
            found.append(r)
    for mt in _CJK_YMD.finditer(text) if not ascii_text and ("月" in text or "월" in text) else ():
        y = int(mt["y"]) if mt["y"] else None
        if mt["era"]:
            y = _ERA_START[mt["era"]] + (1 if mt["ey"] == "元" else int(mt["ey"]))
        r = _mk(mt.start(), mt.end(), text, y, int(mt["m"]), int(mt["d"]))
        if r:
            found.append(r)
    if len(found) <= 1:
        return found
    # resolve overlaps: prefer the longer match, then the earlier one
    found.sort(key=lambda r: (-(r.end - r.start), r.start))
    taken: list[DateMatch] = []
    for r in found:
        if all(r.end <= t.start or r.start >= t.end for t in taken):
            taken.append(r)
    taken.sort(key=lambda r: r.start)
    return taken
