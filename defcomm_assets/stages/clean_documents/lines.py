"""A page as lines (cleaning step 1): Unicode and whitespace normalisation, Markdown tidying, hard-wrapped
sentences rejoined, the per-line record ``_Line`` the later steps fill in, and the small text tests they share
(sentence end, label, words). No Dagster import.
"""
from __future__ import annotations

import re
import unicodedata

from defcomm_assets.core.dates import DateMatch
from defcomm_assets.stages.clean_documents.charsets import FEW_CHARS, ascii_fold, non_ascii_chars

_EN_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself yourselves said says
    since who also its into upon amid within without toward towards per via""".split()
)


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
# a flattened page: the "Source: <outlet> <date> | <time>" bar (and its share buttons) glued between two sentences
_GLUED_SOURCE_BAR = re.compile(
    r"(?<=[.!?\"”’]) (Source: [^\n.!?]{0,60}?\b\d{1,2}:\d{2}\b(?: (?:Tweet|Share|Email|Print|Comments?))*)(?: |$)")
_WORD = re.compile(r"[^\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_WRAPPED = re.compile(r"[\w,;–-]$")
_LABEL_STRIP = re.compile(r"[^\w\s']+|\d+")


# re's \w is str.isalnum() plus "_" (checked over every code point), so [\W_]+ matches exactly the
# non-alphanumerics; on text whose ASCII characters are all alphanumeric that is this (the range spares sre
# the category look-up of every ASCII character)
_NON_ASCII_NOT_ALNUM = re.compile(r"[^\x00-\x7f\w]+")
_WORD_CHAR = re.compile(r"\w")
_OPEN_Q = "\"“„«‘'‹"
_CLOSERS = "\"'”’»)]"
_TERMINALS = ".!?…:;。！？"  # (the last three: full-width, CJK sentences)
_CLOSE_Q = "\"”»’'›"
# CJK scripts write no spaces: a run of ideographs/kana is one "word"; two characters count as one word instead
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# a byline, also in the other press languages ("Par X", "Rédaction X avec Y", "Redacción X")
_BY_LINE = re.compile(r"^(?:by|par|r[ée]daction|redacci[óo]n|redaktion|redazione)\s+\w", re.IGNORECASE)


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
    if "Source: " in text:
        text = _GLUED_SOURCE_BAR.sub("\n\\1\n", text)  # on a line of its own, where furniture rules see it
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
