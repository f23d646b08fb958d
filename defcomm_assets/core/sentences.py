"""Sentences of a clean text: where they start and end, which paragraph (line) they are in, whether they report.

``split_sentences(text) -> list[Sentence]`` (the event rules) and ``sentence_starts(text) -> list[int]`` (the
entities stage, and the spaCy component that sets ``SENT_START`` from it): one splitter, one abbreviation list.

* A clean text keeps one paragraph or headline per line: a line break always ends a sentence, and each non-blank
  line is one paragraph (``Sentence.para``, counted from 1).
* Inside a line a sentence ends at ``.``, ``!``, ``?`` or ``…`` (closing quotes and brackets stay with it) followed
  by whitespace and a capital, a digit or an opening quote - unless the word before the full stop is an
  abbreviation (``ABBREVIATIONS``: "Gen.", "Mr.", "Oct.", "Inc."; a dotted run of letters: "U.S.", "a.m.") or an
  initial ("Lloyd J. Austin", "S. Korea"; an initial after a lower-case word ends the sentence: "talks on X. He
  said").
* A line without closing punctuation (a headline, a related-links list, a timestamp) or a "Read also"/"Tags:"
  line is not ``reportable``: the event rules read nothing from it (a long unpunctuated line is body text cut
  off, and reportable).

Pure module: regexes compiled at import; linear in the text.
"""
from __future__ import annotations

import re
from typing import NamedTuple

# Words that a full stop does not end a sentence after (lower case, inner dots kept: "u.s" for "U.S."): titles and
# ranks, months, company and reference abbreviations. A dotted run of single letters ("U.S.", "N.A.T.O.") is one too.
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "messrs", "prof", "rev", "hon", "rt",
    "gen", "gens", "lt", "lieut", "col", "adm", "maj", "capt", "sgt", "brig", "cmdr", "cdr", "cpl", "pvt",
    "gov", "sen", "rep", "amb", "sec", "st", "mt", "jr", "sr",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "etc", "dept", "corp", "inc", "ltd", "co", "fig", "approx", "vol", "art", "para", "pp", "s",
})
_DOTTED_LETTERS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
# ... or with no space, when a lower-case word runs into a capitalised one ("announced it.The minister"): checked below
_SENT_BREAK = re.compile(
    r"[.!?…]+[\"'”’)\]]*(?:\s+(?=[\"'“‘(\[]?[A-Z0-9\u0400-\u04FF])|(?=[A-Z\u0410-\u042F][a-z\u0430-\u044F]))")
_OPENER = re.compile(
    r"(?:The|This|These|That|Those|A|An|In|On|At|During|After|Before|While|When|As|Earlier|Later|Meanwhile|However|"
    r"He|She|It|They|We|I|His|Her|Their|Its|According|Both|Following|Speaking|Also)\b")
_NEXT_WORD = re.compile(r"[A-Z][a-z]+ ")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w.]*)$")
_SKIP_LINE = re.compile(
    r"^\W*(?:read (?:also|more)|see also|also read|related|more about|latest|tags?:|share|advertis|subscribe|"
    r"photo(?:graph)?:|©|follow us|sign up)", re.I)
_CLOSERS = frozenset(".!?…:;,\"'”’)]»")


class Sentence(NamedTuple):  # a tuple: built ~35 times an article, several times cheaper than a frozen dataclass
    start: int
    end: int
    para: int
    reportable: bool  # False for headline-like lines (no closing punctuation) and link lines


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    para = 0
    for line in text.split("\n"):
        lstart, lend = pos, pos + len(line)
        pos = lend + 1
        stripped = line.strip()
        if not stripped:
            continue
        para += 1
        reportable = stripped[-1] in _CLOSERS and not _SKIP_LINE.match(stripped)
        if not reportable and len(stripped.split()) > 30:
            reportable = not _SKIP_LINE.match(stripped)  # long unpunctuated body text (cut-off paragraph)
        s = lstart + (len(line) - len(line.lstrip()))
        for m in _SENT_BREAK.finditer(line):
            cut = lstart + m.start()
            lo = max(0, m.start() - 40)  # bounded look-behind: linear in the line
            # the word cannot reach back over a space: start there (sre tries every start position)
            lo = max(lo, line.rfind(" ", lo, m.start()) + 1)
            w = _WORD_BEFORE.search(line, lo, m.start())
            if not line[m.end() - 1].isspace():
                # no space: only after a whole lower-case word ("cooperation.In"), not a name or site ("Mirage.News",
                # "U.S.Army", "No.5", "gov.uk")
                # ("on Monday.On the sidelines" ends one too: a capitalised word before a sentence-opening word)
                # or a closing bracket ("(2024-2027).Kao also"); an initial ("on X.On") is judged as one, below
                raw = w.group(1) if w and w.start() == lo else ""
                if line[m.start() - 1:m.start()] == ")":
                    if not _NEXT_WORD.match(line, m.end()):
                        continue
                elif not raw.isalpha() or not (
                        len(raw) > 1 and raw.islower()
                        or _OPENER.match(line, m.end()) and (raw[1:].islower() or len(raw) == 1)):
                    continue
            word = (w.group(1) if w else "").lower().strip(".")
            if word in ABBREVIATIONS or ("." in word and _DOTTED_LETTERS.fullmatch(word)):
                continue
            if len(word) == 1 and w is not None and w.group(1)[0].isupper():
                # an initial ("Lloyd J. Austin", "S. Korea") unless a lowercase word precedes it ("on X. He ...")
                head = line[max(0, w.start() - 40): w.start()]
                prev = head.rstrip().rsplit(" ", 1)[-1] if head.strip() else ""
                if not prev or prev[:1].isupper() or not prev[:1].isalpha():
                    continue
            e = lstart + m.end()
            seg_end = cut + len(m.group(0).rstrip())
            if seg_end > s:
                out.append(Sentence(s, seg_end, para, reportable))
            s = e
        e = lend - (len(line) - len(line.rstrip()))
        if e > s:
            out.append(Sentence(s, e, para, reportable))
    return out


def sentence_starts(text: str) -> list[int]:
    """Char offsets where sentences start (those of ``split_sentences``), 0 first."""
    return [0, *(x.start for x in split_sentences(text) if x.start > 0)]
