"""Language of a text, offline (no Dagster).

``detect_language(text)`` returns an ISO 639-1 code ("en", "tr", "ru", ...), or ``"und"`` when the text has
no letters to judge by.

Two steps, for speed on 100,000 articles:

1. English fast path: when at least ``_EN_MIN_RATIO`` of the words of the sample are English function words
   that no other major language uses as words ("the", "of", "and", "which", ...), the text is English.
   This decides most of an English-language news corpus in microseconds.
2. Otherwise lingua-language-detector (its models ship in its wheel; loaded lazily once per process, in
   low-accuracy mode: trigram models, ~80 MB) on a bounded sample of the text.
"""
from __future__ import annotations

import re
import threading

from lingua import LanguageDetectorBuilder

from defcomm_assets.stages.clean_documents.charsets import FEW_CHARS, ascii_fold, non_ascii_chars

__all__ = ["detect_language", "SAMPLE_CHARS"]

SAMPLE_CHARS = 1000
LINGUA_CHARS = 400  # lingua is accurate on a few sentences; its cost grows with the sample

# English function words that are not words (or are rare words) in other languages written in Latin script.
_EN_MARKERS = frozenset(
    """the of and that with which from their this these those would should could been were has have
    they them there where when what who whom whose said says about after into than then also its
    his our your are it by for not but she you how why""".split()
)
_EN_MIN_RATIO = 0.10
_EN_MIN_WORDS = 12
_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
# the ASCII characters are folded with byte tables (an ASCII byte never occurs inside a UTF-8 multi-byte
# character); these regexes then only look at the others (sre looks up the category of every character it scans)
_ASCII_LETTER_OR_SPACE = bytes(c if c >= 128 or chr(c).isalpha() else ord(" ") for c in range(256))
_NON_ASCII_NOT_WORD = re.compile(r"[^\x00-\x7f\w]+")
_NON_ASCII_DIGIT = re.compile(r"[^\x00-\x7f\D]")

_detector = None
_lock = threading.Lock()


def _get_detector():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                # low-accuracy mode = trigram models only: ~80 MB and ~1 ms per call; the high-accuracy models
                # of all languages take ~1 GB of memory and ~40 s to load, for no gain on paragraph-long samples
                _detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
    return _detector


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, SAMPLE_CHARS)
    return text[: cut if cut > SAMPLE_CHARS // 2 else SAMPLE_CHARS]


def english_ratio(text: str) -> tuple[float, int]:
    """Share of words that are English function words, and the number of words."""
    # words = _WORD.findall(text.lower()), the runs of letters: everything else becomes a space
    low = ascii_fold(text.lower(), _ASCII_LETTER_OR_SPACE)
    if not low.isascii():
        # the non-ASCII characters that are not letters (re's \w outside ASCII is str.isalnum(), its \d
        # str.isdecimal()): a sample has few distinct ones (quotes, dashes), one str.replace each
        others = [c for c in set(non_ascii_chars(low)) if not c.isalnum() or c.isdecimal()]
        if len(others) > FEW_CHARS:
            low = _NON_ASCII_NOT_WORD.sub(" ", low)
            low = _NON_ASCII_DIGIT.sub(" ", low)
        else:
            for c in others:
                low = low.replace(c, " ")
    words = low.split()
    if not words:
        return 0.0, 0
    return sum(map(_EN_MARKERS.__contains__, words)) / len(words), len(words)


def _count_non_latin(text: str) -> int:
    """``len(_NON_LATIN.findall(text))``, counted over the non-ASCII characters only (ASCII has no non-Latin letter)."""
    return len(_NON_LATIN.findall(non_ascii_chars(text)))


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` (judged on its first ~1000 characters); ``"und"`` if undeterminable."""
    sample = _sample(text or "")
    if not _WORD.search(sample):
        return "und"
    ratio, n = english_ratio(sample)
    if n >= _EN_MIN_WORDS and ratio >= _EN_MIN_RATIO:
        # the words must also be mostly Latin script (an English menu over a Cyrillic article is not English)
        if sample.isascii() or _count_non_latin(sample) <= 0.2 * len(sample):
            return "en"
    lang = _get_detector().detect_language_of(sample[:LINGUA_CHARS])
    if lang is None:
        return "und"
    return lang.iso_code_639_1.name.lower()
