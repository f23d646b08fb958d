"""Cleaning stage: keep the article, drop the page (no Dagster).

``clean_document(raw_text, source_name, template_keys)`` -> ``records.CleanedDocument``

Plain text / Markdown path (what the corpus mostly is: captures of news pages), line by line:

1. normalise: NFC, newlines, horizontal whitespace collapsed; a ``date YYYY-MM-DD`` header is taken off the
   first line; Markdown images removed, Markdown links reduced to their text; hard-wrapped sentences rejoined.
2. classify every line from the evidence it carries, jusText-style: length, terminal punctuation, stop-word
   density (English only; other languages use length and punctuation), page-furniture vocabulary
   (``data/boilerplate_*.txt``), the publisher's own appeals, timestamps / date-only lines, related-link prefixes ("Read also: ..."),
   repetition inside the page, and the corpus (``template_keys``: lines repeated across many documents of the
   same source folder) -> GOOD / NEAR / SHORT / BAD.
3. context: the body starts at the first GOOD paragraph; section cut-offs ("Related Posts", "MORE ABOUT",
   "Tags:", "Leave a Reply", ...) end it; a "READ ALSO" marker drops the headline lines after it; runs of
   headline-like lines (lists of other articles, with or without timestamps) are dropped; a NEAR sentence is
   kept next to article text; a single short line (sub-heading, one-line quote) only between article text.
4. title: the headline-like line before the body (preferring one followed by a byline/date or repeated).
5. published date, an ordered cascade that refuses to guess (``published_date_source`` says which fired):
   ``byline`` (a date line between the headline and the body, or right above the headline, or right after a
   standfirst that opens the body; "Published" preferred to "Updated"), ``dateline`` ("MIAMI (March 14, 2023) --" at
   the start of the first paragraph), ``header`` (``date YYYY-MM-DD``), for HTML ``html_meta``; else None.
   Never a capture date above the headline, never a date inside a related-links list, never a year guessed.

HTML (``.html``/``.htm`` or text that clearly is an HTML document) goes through trafilatura first.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path

from defcomm_assets.stages.clean_documents.charsets import FEW_CHARS, ascii_fold, non_ascii_chars
from defcomm_assets.core.dates import DateMatch, find_dates
from defcomm_assets.stages.clean_documents.language import detect_language
from defcomm_assets.core.records import CleanedDocument

__all__ = [
    "clean_document",
    "explain",
    "template_line_keys",
    "select_template_keys",
    "body_fingerprint",
    "line_key",
]

_DATA = Path(__file__).parent / "data"

# ---------------------------------------------------------------------------------------------- vocabulary


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
        alt = lambda rs: "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in sorted(rs, key=len, reverse=True))
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


_EN_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself yourselves said says
    since who also its into upon amid within without toward towards per via""".split()
)

# ---------------------------------------------------------------------------------------------- regexes

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# the characters str.split() splits on but " " and "\n" (no code point above U+3000 is whitespace)
_ODD_SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace() and ch not in " \n")
_ODD_SPACE = re.compile("[" + re.escape(_ODD_SPACES) + "]")
_ODD_NEWLINE_CHARS = "\r\u2028\u2029\x85\x0b\x0c"  # every string _NEWLINES can match starts with one of these
_ZERO_WIDTH = re.compile(r"\ufeff")  # BOMs; other invisible characters stay (sentences are kept verbatim)
_HEADER = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|/|www\.)[^)\n]*\)")
_MD_HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)  # (on tidied whitespace: a single " " is all \s+ can match)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
_SHORTCODE = re.compile(r"\[\w+(?:\s+\w+=[^\]]*)+\]|\[/?\w+_\w+\]")
_BULLET = re.compile(r"^(?:[•·▪●◦■□►▶\-–—*+]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"[^\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_WRAPPED = re.compile(r"[\w,;–-]$")
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
_LABEL_STRIP = re.compile(r"[^\w\s']+|\d+")
# re's \w is str.isalnum() plus "_" (checked over every code point), so [\W_]+ matches exactly the
# non-alphanumerics; on text whose ASCII characters are all alphanumeric that is this (the range spares sre
# the category look-up of every ASCII character)
_NON_ASCII_NOT_ALNUM = re.compile(r"[^\x00-\x7f\w]+")
_NON_WORD_SPACE = re.compile(r"[^a-z0-9 \w\s]")  # == [^\w\s]; the ranges first spare sre most category look-ups
_WORD_CHAR = re.compile(r"\w")

_OPEN_Q = "\"“„«‘'‹"
_CLOSERS = "\"'”’»)]"
_TERMINALS = ".!?…:;"
_CLOSE_Q = "\"”»’'›"
_TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?![\d.])|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)", re.IGNORECASE
)
_DATE_FILLER = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\b|"
    r"\b(?:published|updated|posted|last|modified|created|date|on|at|am|pm|gmt|utc|est|edt|cet|cest|eet|eest|"
    r"ist|msk|kst|jst|pst|pdt|bst|aest|local|time|update)\b|"
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
_GLUED_BYLINE = re.compile(r"(?<=[a-z0-9])By [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\s*$")
_UPDATED = re.compile(r"\b(?:updated|modified|edited)\b", re.IGNORECASE)
_BY_LINE = re.compile(r"^by\s+\w", re.IGNORECASE)
_DATELINE_BAD_PREFIX = re.compile(r"^\W*(?:on|in|since|by|from|until|as|at|before|after|during|for|of)\b", re.I)
_HTML_SNIFF = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_HTML_TAGS = re.compile(r"</?(?:html|head|body|div|p|span|a|article|section|nav|script|meta|br)\b[^>]*>", re.I)

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"


# ---------------------------------------------------------------------------------------------- helpers


def _label(s: str) -> str:
    """Lower-cased line without punctuation, bullets and digits: compares menu items and markers."""
    lo = s.lower().replace("’", "'")
    if lo.isascii():  # same folding as _LABEL_STRIP below, one byte-table pass
        return b" ".join(lo.encode("ascii").translate(_ASCII_LABEL_FOLD).split()).decode("ascii").strip("' ")
    return " ".join(_LABEL_STRIP.sub(" ", lo).split()).strip("' ")


def _ascii_label_fold() -> bytes:
    """``_label``'s folding of an ASCII character: what _LABEL_STRIP removes (digits, punctuation but the
    apostrophe) and whitespace -> space (``split`` then folds the spaces), anything else kept."""
    table = bytearray(range(256))
    for c in range(128):
        ch = chr(c)
        if _LABEL_STRIP.match(ch) or ch.isspace():
            table[c] = ord(" ")
    return bytes(table)


_ASCII_LABEL_FOLD = _ascii_label_fold()


def _has_label(s: str, label: str) -> bool:
    """``_label(s) == label``. Every word of a label is a substring of the lower-cased text it comes from, so
    a paragraph without the label's longest word is told apart without folding the whole paragraph."""
    if label and max(label.split(), key=len) not in s.lower().replace("’", "'"):
        return False
    return _label(s) == label


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


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw or "")
    # substring tests are much cheaper than a regex scan, and most texts have neither
    if "\ufeff" in text:
        text = _ZERO_WIDTH.sub("", text)
    if any(ch in text for ch in _ODD_NEWLINE_CHARS):
        text = _NEWLINES.sub("\n", text)
    return text


def _tidy_lines(text: str) -> list[str]:
    """The lines of a normalised text, each tidied: Markdown images removed and links reduced to their text,
    whitespace folded (``" ".join(line.split())``), a Markdown heading's marks removed.

    Every rule stays inside a line (no pattern or replaced string spans a newline, the heading's ^ matches at
    line starts), so each runs once over the whole text, and only when the text has something for it to change."""
    # (a one-character test first: it runs at memchr speed, a two-character one does not)
    if "]" in text and "](" in text:
        text = _MD_IMAGE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
    # " ".join(line.split()) of every line: whitespace -> " ", runs of spaces folded, none at a line's ends
    if any(map(text.__contains__, _ODD_SPACES)):  # (one memchr-like scan per character: twice as fast as sre)
        text = _ODD_SPACE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    if " \n" in text or "\n " in text:
        text = text.replace("\n ", "\n").replace(" \n", "\n")
    if text[:1] == " ":
        text = text[1:]
    if text[-1:] == " ":
        text = text[:-1]
    if "#" in text and (text[:1] == "#" or "\n#" in text):
        text = _MD_HEADING.sub("", text)
    return text.split("\n")


def _continues(prev: str, t: str) -> bool:
    """``t`` continues a sentence hard-wrapped at the end of ``prev`` (no blank line between them)."""
    # [...]$ can only match at the last two positions (the second-last before a final newline): search
    # from there, not along the whole line
    if len(prev) < 40 or not _WRAPPED.search(prev, len(prev) - 2) or _BY_LINE.match(t):
        return False
    if t[0].islower() and t.count(" ") >= 2:  # not a lower-case label ("politics") under a headline
        return True
    last = prev.rsplit(" ", 1)[-1].lower()
    return prev.endswith(",") or last in _EN_STOP


def _is_term(t: str) -> bool:
    """Ends like a sentence: terminal punctuation (before closing quotes/brackets), also when a
    parenthetical credit follows ("... in Ukraine. (Photo: AFP)"), or is a complete quotation."""
    if not t:
        return False
    core = t.rstrip(_CLOSERS)
    if core and core[-1] in _TERMINALS:
        return True
    if t[-1] == ")" and "(" in t:
        before = t[: t.rfind("(")].rstrip().rstrip(_CLOSERS)
        if before and before[-1] in ".!?…":
            return True
    # a complete quotation on its own line: “Together we will win”
    return len(t) > 2 and t[0] in _OPEN_Q and t[-1] in _CLOSE_Q


class _Line:
    __slots__ = ("i", "text", "gap", "words", "n", "term", "cls", "kind", "date", "label", "keep", "key")

    def __init__(self, i: int, text: str, gap: bool):
        self.i = i  # position among non-empty lines
        self.text = text
        self.gap = gap  # a blank line precedes it
        self.kind = ""  # why it is BAD / special: date, cut, soft, related, vocab, dup, template, run, ...
        self.date: DateMatch | None = None
        self.keep = False
        self.key = ""


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
    if len(words) <= 2 or (_BY_LINE.match(rest.strip(" |-–—•,:")) and len(words) <= 5):
        return next((m for m in ms if m.year_stated), ms[0])
    return None


# ---------------------------------------------------------------------------------------------- classification


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
        if n >= 120 or (term and nw >= 6):
            cls = GOOD
        elif (term and nw >= 3) or nw >= 8:
            cls = NEAR
        else:
            cls = SHORT
    return words, term, label, cls, "", None


def _words(text: str) -> list[str]:
    """``_WORD.findall(text)`` (runs of alphanumerics): the ASCII punctuation and spaces become spaces in one
    byte-table pass, the regex only replaces the other non-alphanumerics (sparing sre most category look-ups)."""
    folded = ascii_fold(text, _ASCII_ALNUM_OR_SPACE)
    if not folded.isascii():
        folded = _replace_non_ascii_not_alnum(folded, " ")
    return folded.split()


def _replace_non_ascii_not_alnum(text: str, repl: str) -> str:
    """``_NON_ASCII_NOT_ALNUM.sub(repl, text)``: with str.replace for the few distinct such characters of most
    texts (curly quotes, dashes), the regex (which looks at every character) only when there are many."""
    others = [c for c in set(non_ascii_chars(text)) if not c.isalnum()]
    if len(others) > FEW_CHARS:
        return _NON_ASCII_NOT_ALNUM.sub(repl, text)
    for c in others:
        text = text.replace(c, repl)
    return text


_ASCII_ALNUM_OR_SPACE = bytes(c if c >= 128 or chr(c).isalnum() else ord(" ") for c in range(256))


def _headline_like(ln: _Line) -> bool:
    return ln.cls in (NEAR, SHORT) and not ln.term


# ---------------------------------------------------------------------------------------------- public API


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


def body_fingerprint(clean_text: str) -> str:
    """Exact-duplicate fingerprint of a cleaned body: case, whitespace and punctuation folded."""
    norm = unicodedata.normalize("NFKC", clean_text or "").casefold()
    # keep exactly the characters for which str.isalnum() is true (what re.sub(r"[\W_]+", "", norm) keeps): the
    # ASCII ones go in one byte-table pass (an ASCII byte never occurs inside a UTF-8 multi-byte character);
    # the regex then only looks at what is left, mostly letters, with few matches (curly quotes, dashes)
    data = norm.encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_ALNUM_BYTES)
    if not data.isascii():
        rest = data.decode("utf-8", "surrogatepass")
        if not rest.isalnum():
            data = _replace_non_ascii_not_alnum(rest, "").encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_ASCII_NOT_ALNUM_BYTES = bytes(c for c in range(128) if not chr(c).isalnum())


def is_html(raw_text: str, source_name: str = "") -> bool:
    name = source_name.lower()
    if name.endswith((".html", ".htm", ".xhtml")):
        return True
    head = (raw_text or "")[:2000]
    if _HTML_SNIFF.match(head):
        return True
    return len(_HTML_TAGS.findall(head)) >= 8


def clean_document(raw_text: str, source_name: str = "", template_keys: frozenset[str] = frozenset()) -> CleanedDocument:
    """Article body (sentences verbatim, NFC, whitespace tidied, paragraphs separated by a blank line, the
    headline as first paragraph), title, published date (+ which rule found it) and language of a raw page."""
    raw_text = raw_text or ""
    if is_html(raw_text, source_name):
        return _clean_html(raw_text, template_keys)
    return _clean_text(raw_text, template_keys)


# ---------------------------------------------------------------------------------------------- text path


def _prose_sample(lines: list[_Line]) -> str:
    parts, size, seen = [], 0, set()
    for ln in lines:
        t = ln.text
        if (len(t) >= 60 or (_is_term(t) and len(t) >= 25)) and t not in seen:
            seen.add(t)  # a block repeated on the page weighs once
            parts.append(t)
            size += len(t)
            if size >= 1000:
                break
    return " ".join(parts) if parts else " ".join(ln.text for ln in lines)[:1000]


def explain(raw_text: str, template_keys: frozenset[str] = frozenset()) -> list[tuple[str, str, str, bool]]:
    """Why each line of a plain-text page was kept or dropped: (line, class, rule, kept), for debugging and
    for per-rule statistics. ``class`` is good/near/short/bad, ``rule`` the rule that decided a drop
    (vocab, date, cut, run, dup, related, soft, template, ...) or "" (classification and context)."""
    trace: list = []
    _clean_text(raw_text, template_keys, trace=trace)
    return [(ln.text, ln.cls, ln.kind, ln.keep) for ln in trace]


def _clean_text(raw_text: str, template_keys: frozenset[str], meta_date: date | None = None,
                meta_title: str | None = None, trace: list | None = None) -> CleanedDocument:
    voc = _vocab()
    text = _normalise(raw_text)
    header_date = None
    hm = _HEADER.match(text)
    if hm:
        try:
            header_date = date(int(hm[1]), int(hm[2]), int(hm[3]))
        except ValueError:
            header_date = None
        text = text[hm.end():]

    lines: list[_Line] = []
    gap = False
    n_wrapped = 0
    for t in _tidy_lines(text):
        if not t:
            gap = True
            continue
        if lines and not gap and _continues(lines[-1].text, t):
            lines[-1].text += " " + t  # a hard-wrapped sentence continues on this line
            n_wrapped += 1
            continue
        lines.append(_Line(len(lines), t, gap))
        gap = False
    n_total = len(lines) + n_wrapped
    if not lines:
        return CleanedDocument("", None, header_date, "header" if header_date else None, "und", 0, 0, 0)

    language = detect_language(_prose_sample(lines))
    english = language == "en"
    _classify(lines, english, voc)

    # repeated lines inside the page (captions shown twice, newsletter blocks, the headline twice)
    counts: dict[str, int] = {}
    for ln in lines:
        ln.key = ln.label or ln.text.lower()
        counts[ln.key] = counts.get(ln.key, 0) + 1
    seen: set[str] = set()
    for ln in lines:
        if counts[ln.key] > 1 and ln.cls != BAD:
            if ln.cls != GOOD or ln.key in seen:
                ln.cls, ln.kind = BAD, "dup"
        seen.add(ln.key)

    # lines that the corpus says are template for this folder
    if template_keys:
        tmpl = [ln for ln in lines if ln.cls != BAD and _classified_line_key(ln) in template_keys]
        if tmpl:
            good_total = sum(ln.n for ln in lines if ln.cls == GOOD)
            good_tmpl = sum(ln.n for ln in tmpl if ln.cls == GOOD)
            spare_good = good_total and (good_total - good_tmpl) < 0.3 * good_total  # a syndicated copy
            for ln in tmpl:
                if ln.cls == GOOD and (spare_good or (ln.term and len(ln.words) < 25)):
                    continue  # a syndicated copy / a stock sentence ("The ministry gave no details.")
                ln.cls, ln.kind = BAD, "template"

    # a headline immediately followed by a date/timestamp line is an item of a list of articles
    for a, b in zip(lines, lines[1:]):
        if (b.kind == "date" and a.cls in (GOOD, NEAR, SHORT) and not a.term and a.n < 200
                and not _BY_LINE.match(a.text)):
            a.kind = "headline+date"

    # before the article: a list of other articles (headline, date, headline, date) is neither headline nor byline
    first_body = next((ln.i for ln in lines if ln.cls == GOOD and ln.kind != "headline+date"), len(lines))
    heads = [ln.i for ln in lines[:first_body] if ln.kind == "headline+date"]
    for a, b in zip(heads, heads[1:]):
        if b - a <= 3:
            for j in (a, a + 1, b, b + 1):
                if lines[j].kind in ("headline+date", "date"):
                    lines[j].kind = "list"

    def is_body(ln: _Line) -> bool:
        return ln.cls == GOOD and ln.kind != "headline+date"

    body_start = next((ln.i for ln in lines if is_body(ln)), None)
    if body_start is None:
        # a short item without any long paragraph: its sentences are the body
        for ln in lines:
            if ln.cls == NEAR and ln.term:
                ln.cls = GOOD
        body_start = next((ln.i for ln in lines if is_body(ln)), None)

    title_ln = _pick_title(lines, body_start if body_start is not None else len(lines), counts)

    if body_start is not None:
        _select_body(lines, body_start, is_body)

    kept = [ln for ln in lines if ln.keep]
    title = meta_title or (title_ln.text if title_ln is not None else None)
    if title is None and kept and not kept[0].term and kept[0].n <= 250 and len(kept) > 1:
        title = kept[0].text  # the page opens with its headline, long enough to pass for a paragraph
    if title:
        title = _GLUED_BYLINE.sub("", title).strip() or title

    paragraphs = _paragraphs(kept)
    if title:
        title_label = _label(title)  # once, not once per comparison
        if not any(_has_label(p, title_label) for p in paragraphs[:3]):  # (this covers the first paragraph too)
            paragraphs.insert(0, title)
    clean_text = "\n\n".join(paragraphs)

    pub, src = _published(lines, title_ln, body_start, header_date)
    if pub is None and meta_date is not None:
        pub, src = meta_date, "html_meta"

    removed = [ln for ln in lines if not ln.keep and ln is not title_ln]
    if trace is not None:
        trace.extend(lines)
    return CleanedDocument(
        clean_text=clean_text,
        title=title,
        published_date=pub,
        published_date_source=src,
        language=language,
        lines_total=n_total,
        lines_removed=len(removed),
        chars_removed=sum(ln.n for ln in removed),
    )


def _select_body(lines: list[_Line], body_start: int, is_body) -> None:
    n = len(lines)
    # section cut-off once the body has started
    end = n
    for ln in lines[body_start + 1:]:
        if ln.kind == "cut":
            end = ln.i
            break
    # "READ ALSO": the headline lines after it, up to the next paragraph of text, are related links
    dropping = False
    for ln in lines[body_start:end]:
        if ln.kind == "soft":
            dropping = True
            continue
        if dropping:
            if is_body(ln):
                dropping = False
            else:
                ln.cls, ln.kind = BAD, ln.kind or "related"
    # runs of headline-like lines (with their timestamps) are lists of other articles
    run: list[_Line] = []

    def flush():
        if sum(1 for x in run if _headline_like(x) or x.kind == "headline+date") >= 2:
            intro = lines[run[0].i - 1] if run[0].i > 0 else None
            if (intro is not None and intro.text.endswith(":") and intro.cls in (GOOD, NEAR)
                    and all(_BULLET.match(x.text) and not x.kind for x in run)):
                for x in run:  # "The package includes:" + a bulleted list: part of the article
                    x.kind = "item"
                run.clear()
                return
            for x in run:
                if x.cls != BAD:
                    x.cls, x.kind = BAD, "run"
        run.clear()

    for ln in lines[body_start:end]:
        if (_headline_like(ln) or ln.kind in ("date", "headline+date")) and not (ln.cls == GOOD and ln.term):
            run.append(ln)
        else:
            flush()
    flush()

    body = lines[body_start:end]
    good = [ln for ln in body if is_body(ln)]
    if not good:
        return
    for ln in good:
        ln.keep = True
    # NEAR sentences next to article text (propagates through consecutive sentences)
    changed = True
    while changed:
        changed = False
        for ln in lines[:end]:
            if ln.keep or ln.cls != NEAR or not ln.term or ln.kind == "headline+date":
                continue
            prev = _neighbour(lines, ln.i, -1, 0, end)
            nxt = _neighbour(lines, ln.i, +1, 0, end)
            if (prev is not None and prev.keep) or (nxt is not None and nxt.keep):
                ln.keep = True
                changed = True
    # a single short line (sub-heading, one-line quote) between kept text
    last_kept = max(ln.i for ln in lines[:end] if ln.keep)
    for ln in lines[body_start:last_kept]:
        if ln.keep or ln.cls not in (NEAR, SHORT) or ln.kind:
            continue
        p = lines[ln.i - 1] if ln.i > 0 else None
        q = lines[ln.i + 1] if ln.i + 1 < n else None
        if p is not None and q is not None and p.keep and q.cls in (GOOD, NEAR) and (q.keep or q.term):
            ln.keep = True
    # the items of a bulleted list introduced by a kept line
    for ln in lines[body_start:end]:
        if ln.kind == "item" and ln.i > 0 and lines[ln.i - 1].keep:
            ln.keep = True
    # a line that introduces what follows ("Note from the author:") goes when what follows went
    for ln in reversed(lines[:end]):
        if ln.keep and ln.cls != GOOD and ln.text.endswith(":"):
            q = lines[ln.i + 1] if ln.i + 1 < n else None
            if q is None or not q.keep:
                ln.keep = False


def _neighbour(lines: list[_Line], i: int, step: int, lo: int, hi: int) -> _Line | None:
    """Nearest line in direction ``step`` that is not SHORT (jusText: short blocks are transparent)."""
    j = i + step
    while lo <= j < hi:
        if lines[j].cls != SHORT:
            return lines[j]
        j += step
    return None


def _paragraphs(kept: list[_Line]) -> list[str]:
    # hard-wrapped sentences were rejoined before classification (``_continues``); every kept line is a paragraph
    return [ln.text for ln in kept]


def _pick_title(lines: list[_Line], body_start: int, counts: dict[str, int]) -> _Line | None:
    best, best_score = None, -1
    pre = lines[:body_start]
    for k, ln in enumerate(pre):
        if ln.kind in ("date", "cut", "soft", "vocab", "link", "related", "nonword", "aside", "template", "list",
                       "breadcrumb"):
            continue
        nw = len(ln.words)
        if nw < 3 or nw > 30 or (ln.term and ln.text[-1] not in "?!") or _BY_LINE.match(ln.text):
            continue
        if ln.text.isupper() and nw < 5:
            continue
        score = 0
        if nw >= 5:
            score += 1
        if counts.get(ln.key, 0) > 1:
            score += 2
        nxt = pre[k + 1:k + 3]
        if any(x.kind == "date" or _BY_LINE.match(x.text) for x in nxt):
            score += 2
        caps = sum(1 for w in _WORD.findall(ln.text) if w[:1].isupper())
        if caps >= 0.7 * nw:
            score += 1
        if score >= best_score:  # a tie goes to the line nearer the body
            best, best_score = ln, score
    return best


def _published(lines: list[_Line], title_ln: _Line | None, body_start: int | None,
               header_date: date | None) -> tuple[date | None, str | None]:
    if body_start is not None:
        # 1. byline: a date line between the headline and the first paragraph
        if title_ln is not None and title_ln.i < body_start:
            # after the headline, or right above it ("By X / 12 May 2024 / Headline"); a date further up is
            # the page's own (capture date, top bar)
            region = [ln for ln in lines[max(0, title_ln.i - 2):body_start] if ln is not title_ln]
        else:
            # no headline found: only a date just above the body; the page's first line, when something stands
            # between it and the body, is a top bar (capture date), not a byline
            region = [ln for ln in lines[max(0, body_start - 3):body_start] if ln.i > 0 or body_start == 1]
        # ... or right after a standfirst that opens the body (before the second paragraph)
        seen_good = 0
        for ln in lines[body_start:body_start + 6]:
            seen_good += ln.cls == GOOD
            if seen_good > 1:
                break
            if ln.i > 0 and lines[ln.i - 1].kind == "headline+date":
                continue  # the date of a related headline inside the article
            region.append(ln)
        cands = [ln for ln in region if ln.kind == "date" and ln.date is not None and ln.date.year_stated]
        if cands:
            published = [ln for ln in cands if not _UPDATED.search(ln.text)]
            if published or header_date is None:  # an "Updated:" line only when nothing better is stated
                return (published or cands)[0].date.date, "byline"
        # 2. dateline: "MIAMI (March 14, 2023) -- ..." at the start of the first paragraph
        first = lines[body_start].text
        for m in find_dates(first[:120]):
            if m.start > 60:
                break
            prefix = first[: m.start]
            after = first[m.end:m.end + 4]
            pw = _WORD.findall(prefix)
            if (
                m.year_stated
                and pw
                and all(w[:1].isupper() for w in pw)
                and not _DATELINE_BAD_PREFIX.match(prefix)
                and re.match(r"\s*(?:\)|--|[-–—:/,|]|\.\s)", after)
            ):
                return m.date, "dateline"
            break
    # 3. a `date YYYY-MM-DD` header
    if header_date is not None:
        return header_date, "header"
    return None, None


# ---------------------------------------------------------------------------------------------- HTML path


def _clean_html(raw_html: str, template_keys: frozenset[str]) -> CleanedDocument:
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            raw_html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # a broken page is cleaned as text rather than lost
        doc = None
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        stripped = re.sub(r"(?is)<(script|style)\b.*?</\1>|<[^>]+>", "\n", raw_html)
        return _clean_text(stripped, template_keys)
    meta_date = None
    if getattr(doc, "date", None):
        try:
            meta_date = date.fromisoformat(str(doc.date)[:10])
        except ValueError:
            meta_date = None
    title = (doc.title or "").strip() or None
    text = doc.text
    if title and not text.lstrip().startswith(title):
        text = title + "\n\n" + text
    res = _clean_text(text, template_keys, meta_date=meta_date, meta_title=title)
    return res
