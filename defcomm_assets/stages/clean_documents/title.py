"""The headline of a page (cleaning step 4): the headline-like line before the body, preferring one followed by
a byline or date line, or repeated on the page. No Dagster import.
"""
from __future__ import annotations

import re

from defcomm_assets.stages.clean_documents.boilerplate import _NAV_WORDS
from defcomm_assets.stages.clean_documents.lines import _BY_LINE, _WORD, _Line

_GLUED_BYLINE = re.compile(r"(?<=[a-z0-9])By [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\s*$")


def _pick_title(lines: list[_Line], body_start: int, counts: dict[str, int]) -> _Line | None:
    best, best_score = None, -1
    pre = lines[:body_start]
    for k, ln in enumerate(pre):
        if ln.kind in ("date", "cut", "soft", "vocab", "link", "related", "nonword", "aside", "caption", "template",
                       "list", "breadcrumb"):
            continue
        nw = len(ln.words)
        if nw < 3 or nw > 30 or (ln.term and ln.text[-1] not in "?!") or _BY_LINE.match(ln.text):
            continue
        if ln.text.isupper() and (nw < 5 or sum(map(_NAV_WORDS.__contains__, ln.words)) >= 2):
            continue  # a section label, or a menu in capitals ("HOME NEWS BUSINESS SPORTS")
        if ln.text[0].islower():
            continue  # a headline starts with a capital; a lower-case line is a tag list ("defence france greece")
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
