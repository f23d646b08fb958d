"""The publication date of a page (cleaning step 5), an ordered cascade that refuses to guess: ``byline`` (a
date line between the headline and the body, right above the headline, or right after a standfirst that opens
the body; "Published" preferred to "Updated"), ``dateline`` ("MIAMI (March 14, 2023) --" at the start of the first
paragraph), ``header`` (``date YYYY-MM-DD``); the HTML path adds ``html_meta``. No Dagster import.
"""
from __future__ import annotations

import re
from datetime import date

from defcomm_assets.core.dates import find_dates
from defcomm_assets.stages.clean_documents.boilerplate import GOOD
from defcomm_assets.stages.clean_documents.lines import _WORD, _Line

_UPDATED = re.compile(r"\b(?:updated|modified|edited)\b", re.IGNORECASE)
# a wire agency in brackets and a dash after the date; a place name and a comma before it
_WIRE_AFTER = re.compile(r"\s*\((?:[A-Z]{2,5}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\)\s*(?:--|[-–—])\s")
_PLACE_BEFORE = re.compile(r"(?:^|[\s=:)\]])[A-ZÀ-ÖØ-Þ][\w'’.-]*(?: [A-ZÀ-ÖØ-Þ][\w'’.-]*){0,2},\s*$")
_DATELINE_BAD_PREFIX = re.compile(r"^\W*(?:on|in|since|by|from|until|as|at|before|after|during|for|of)\b", re.I)


def _published(lines: list[_Line], title_ln: _Line | None, body_start: int | None,
               header_date: date | None) -> tuple[date | None, str | None]:
    if body_start is not None:
        # the article may open with a shorter paragraph kept beside the first long one (a dateline, the intro of
        # a readout): the article starts there
        lo = title_ln.i + 1 if title_ln is not None and title_ln.i < body_start else 0
        body_start = next((ln.i for ln in lines[lo:body_start] if ln.keep), body_start)
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
        # ... or a wire dateline further in, after a headline run into the paragraph: "Place, 24 Feb 2020 (AFP) -"
        for m in find_dates(first[:400]):
            if m.year_stated and _WIRE_AFTER.match(first, m.end) and _PLACE_BEFORE.search(first, 0, m.start):
                return m.date, "dateline"
    # 3. a `date YYYY-MM-DD` header
    if header_date is not None:
        return header_date, "header"
    return None, None
