"""Template lines of a source folder: the lines (menus, footers, newsletter blocks) that recur in many of its
documents. ``template_line_keys`` keys a raw document's lines, the asset counts them per folder,
``select_template_keys`` keeps the frequent ones, and cleaning drops the lines whose key is among them.
No Dagster import.
"""
from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from defcomm_assets.stages.clean_documents.charsets import FEW_CHARS, ascii_fold, non_ascii_chars
from defcomm_assets.stages.clean_documents.lines import (
    _DIGIT,
    _HEADER,
    _LETTER,
    _NON_ASCII_NOT_ALNUM,
    _WORD_CHAR,
    _Line,
    _normalise,
    _tidy_lines,
)


def line_key(line: str) -> str:
    """Short stable hash of a normalised line (case, digits, punctuation, whitespace folded)."""
    if len(line) <= _CACHED_KEY_CHARS:
        return _cached_line_key(line)
    return _line_key(line)


# short lines (a site's menus and footers) repeat in many documents and in template_line_keys + clean_document
_CACHED_KEY_CHARS = 200


@lru_cache(maxsize=1 << 15)
def _cached_line_key(line: str) -> str:
    return _line_key(line)


def _line_key(line: str) -> str:
    if line.isascii():  # most lines: one byte-table pass does the same folding as the regexes below
        folded = line.encode("ascii").translate(_ASCII_KEY_FOLD)
        return hashlib.blake2b(b" ".join(folded.split()), digest_size=8).hexdigest()
    norm = unicodedata.normalize("NFC", line).lower()
    # the byte table folds the ASCII characters (an ASCII byte never occurs inside a UTF-8 multi-byte
    # character); the regexes then fold the other characters the same way: digit -> "0", not \w -> space
    norm = ascii_fold(norm, _ASCII_KEY_FOLD)
    others = set(non_ascii_chars(norm))
    if len(others) > FEW_CHARS:
        norm = _NON_ASCII_NOT_ALNUM.sub(" ", _DIGIT.sub("0", norm))
    else:
        for c in others:  # (re's \d is str.isdecimal(), its \w outside ASCII str.isalnum())
            if c.isdecimal():
                norm = norm.replace(c, "0")
            elif not c.isalnum():
                norm = norm.replace(c, " ")
    norm = " ".join(norm.split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def _ascii_key_fold() -> bytes:
    """``line_key``'s folding of an ASCII character: digit -> "0", word character -> lower case,
    anything else (punctuation, whitespace) -> space (``split`` then folds the spaces)."""
    table = bytearray(range(256))
    for c in range(128):
        ch = chr(c)
        table[c] = ord("0" if _DIGIT.match(ch) else ch.lower() if _WORD_CHAR.match(ch) else " ")
    return bytes(table)


_ASCII_KEY_FOLD = _ascii_key_fold()


def _classified_line_key(ln: _Line) -> str:
    """``line_key(ln.text)`` of a classified line, from the words ``_classify`` found: in an NFC line without
    "_", the key's tokens (runs of \\w in the lower-cased line) are exactly those words (runs of [^\\W_])."""
    t = ln.text
    if len(t) <= _CACHED_KEY_CHARS:
        return _cached_line_key(t)  # (short lines: line_key's cache is cheaper still)
    if "_" in t or not unicodedata.is_normalized("NFC", t):
        return _line_key(t)
    norm = " ".join(ln.words)
    if not norm.isascii() and not all(c.isalpha() for c in set(non_ascii_chars(norm))):  # (a word: letters, digits)
        norm = _DIGIT.sub("0", norm)
    return hashlib.blake2b(norm.encode("utf-8").translate(_ASCII_DIGIT_TO_ZERO), digest_size=8).hexdigest()


_ASCII_DIGIT_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")


def template_line_keys(raw_text: str) -> set[str]:
    """Keys (see ``line_key``) of the lines of a raw document that may be page template: every non-empty line
    of at most 1000 characters. The asset counts per source folder in how many documents each key occurs."""
    text = _normalise(raw_text)
    text = _HEADER.sub("", text, count=1)
    keys = set()
    for t in _tidy_lines(text):
        n = len(t)
        if n and n <= 1000 and _LETTER.search(t):
            keys.add(_cached_line_key(t) if n <= _CACHED_KEY_CHARS else _line_key(t))  # (line_key, inlined)
    return keys


MIN_TEMPLATE_DOCS = 4  # a template line occurs in at least this many documents of its folder


def select_template_keys(key_doc_counts: dict[str, int], n_docs_in_folder: int) -> frozenset[str]:
    """Keys that occur in many documents of one folder: in at least MIN_TEMPLATE_DOCS documents and at least
    0.02 % of them (a site's menu repeats in every page of the site; a sentence of one article does not)."""
    if n_docs_in_folder < MIN_TEMPLATE_DOCS:
        return frozenset()
    need = max(MIN_TEMPLATE_DOCS, -(-n_docs_in_folder * 2 // 10000))
    return frozenset(k for k, c in key_doc_counts.items() if c >= need)
