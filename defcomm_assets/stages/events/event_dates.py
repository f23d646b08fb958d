"""Event date cascade: the date of a contact, or None when the text does not let us know it.

The cascade refuses to guess:

1. ``explicit`` / ``relative`` - the stated day closest to the trigger in the reporting sentence: a calendar
   date found by ``dates.find_dates`` ("on 25 January", "On October 7, 2019", "On 3-6 March"; a date without
   a year takes the year of ``published_date``, none -> unresolvable), or "today", "yesterday", "tomorrow",
   "on Friday", "next week ... Monday" resolved against ``published_date`` (a weekday of a reported past
   contact is the latest such day on or before publication, of a planned contact the next one on or after
   it - what dateparser's ``PREFER_DATES_FROM='current_period'`` does, computed without per-call parsing).
   Days that are only reference points ("since February 24", "the ministry said Friday") are skipped.
2. ``context`` - the same, from the earlier sentences of the paragraph (a lead that dates the day).
3. None. (event_rules adds ``same_occasion`` / ``lead_occasion``: an undated contact reported as part of a
   dated one of the same sides, or on the sidelines of the article's dated lead contact, takes its day.)

A stated but unresolvable day (a weekday with no publication date) stops the cascade. Regexes compiled once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from defcomm_assets.core.dates import find_dates

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_REL = re.compile(r"\b(?P<rel>today|yesterday|tomorrow|tonight|this morning|this evening|this afternoon)\b(?!['’]s\s+visit)", re.I)
_WEEKDAY = re.compile(
    r"\b(?P<pre>(?:last|next|this|on|earlier on|late on|early on)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b",
    re.I)
_NEXT_WEEK = re.compile(r"\bnext\s+week\b", re.I)
# a date that is only a reference point, not the contact's day
_NOT_EVENT_DAY = re.compile(
    r"(?:\b(?:since|until|till|before|after|ahead of|as of|appointment)\b[^.;,]{0,40}|\b(?:through|thru|by)\s+|"
    r"\b(?:said|says|told|announced|reported|stated|wrote|added|noted|confirmed|informed)\s+(?:on\s+|late\s+|early\s+)?)$", re.I)


_DIGIT = re.compile(r"\d")
# a dateline: the place (and agency) before the date at the head of the text, a dash / colon / bracket after it
# ("BERLIN, 14 March 2025 –", "Vientiane [Laos], November 20 (ANI):", "MIAMI (March 14, 2023) --")
_DATELINE_BEFORE = re.compile(r"\W*[A-ZÀ-Þ][\w.'’-]*(?:[ ,/-]+[A-ZÀ-Þ(\[][\w.'’\])-]*){0,4},?\s*[(\[]?\s*$")
_DATELINE_AFTER = re.compile(r"\s*(?:[)\]]|\([\w ./-]{1,30}\)\s*[-–—:]|--|[-–—:])")
# a weekday the stated date follows: "on Thursday, 13 March", "on Friday (March 14)"
_DATE_AFTER_WEEKDAY = re.compile(r"[\s,]*\(?\s*$")


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    value: date | None
    source: str
    span: bool = False  # a range ("from 1 to 4 October", its first day): a stay, less specific than a day


def _mk(y: int | None, m: int, d: int) -> date | None:
    if y is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def explicit_dates(text: str, published: date | None) -> list[DateHit]:
    """Calendar dates in ``text`` (value None when the year is neither stated nor inferable).

    Finding is ``dates.find_dates`` (the cleaning stage's explicit-date finder); here a yearless date takes the
    publication year, or the year before when that would put it more than ~7 months after publication
    ("December 30" in a January article)."""
    if not _DIGIT.search(text):
        return []
    return list(_explicit_dates(text, published))


@lru_cache(maxsize=64)
def _explicit_dates(text: str, published: date | None) -> tuple[DateHit, ...]:
    # the same sentence or paragraph lead is dated for each of its candidates: about half the calls
    out: list[DateHit] = []
    for dm in find_dates(text):
        val = dm.date
        if val is None and not dm.year_stated and published is not None:
            val = _mk(published.year, dm.month, dm.day)
            if val is not None and (val - published).days > 200:
                val = _mk(published.year - 1, dm.month, dm.day)
        out.append(DateHit(dm.start, dm.end, val, "explicit", dm.span))
    return tuple(out)


def relative_dates(text: str, published: date | None, planned: bool) -> list[DateHit]:
    return list(_relative_dates(text, published, planned))


@lru_cache(maxsize=64)
def _relative_dates(text: str, published: date | None, planned: bool) -> tuple[DateHit, ...]:
    # like _explicit_dates: the same sentence or paragraph lead is asked for again and again
    out: list[DateHit] = []
    low = text.lower()
    if "day" not in low and "tomorrow" not in low and "tonight" not in low and "this " not in low:
        return ()
    for m in _REL.finditer(text):
        rel = m["rel"].lower()
        if published is None:
            val = None
        elif rel == "yesterday":
            val = published - timedelta(days=1)
        elif rel == "tomorrow":
            val = published + timedelta(days=1)
        else:
            val = published
        out.append(DateHit(m.start(), m.end(), val, "relative"))
    next_week = _NEXT_WEEK.search(text) is not None
    for m in _WEEKDAY.finditer(text):
        wd = WEEKDAYS[m["wd"].lower()]
        pre = (m["pre"] or "").strip().lower()
        if published is None:
            val = None
        else:
            back = (published.weekday() - wd) % 7
            fwd = (wd - published.weekday()) % 7
            if pre == "next" or next_week:
                val = published + timedelta(days=fwd or 7)
            elif pre == "last":
                val = published - timedelta(days=back or 7)
            elif planned:
                val = published + timedelta(days=fwd)
            else:
                val = published - timedelta(days=back)
        out.append(DateHit(m.start(), m.end(), val, "relative"))
    out.sort(key=lambda h: h.start)
    return tuple(out)


def _usable(text: str, h: DateHit) -> bool:
    return not _NOT_EVENT_DAY.search(text[max(0, h.start - 40):h.start])


def _is_weekday(hit_text: str) -> bool:
    return hit_text.rsplit(None, 1)[-1].lower().rstrip("s") in WEEKDAYS


def _is_dateline(text: str, h: DateHit) -> bool:
    return (h.source == "explicit" and h.start <= 60 and _DATELINE_BEFORE.fullmatch(text, 0, h.start) is not None
            and _DATELINE_AFTER.match(text, h.end) is not None)


def _day_hits(text: str, published: date | None, planned: bool) -> list[DateHit]:
    """The usable dated days of ``text``. The date of a dateline is the day of the report: it gives way to a
    day the text states ("BERLIN, 14 March – ... held a call on Thursday" is Thursday). A weekday followed by
    its full date ("on Thursday (13 March)") is that date."""
    exp = explicit_dates(text, published)
    hits = [h for h in exp + relative_dates(text, published, planned) if _usable(text, h)]
    if len(hits) > 1:
        stated = [h for h in hits if not _is_dateline(text, h)]
        if stated:
            hits = stated
        hits = [h for h in hits if not (h.source == "relative" and _is_weekday(text[h.start:h.end]) and any(
            e.start >= h.end and _DATE_AFTER_WEEKDAY.fullmatch(text, h.end, e.start) for e in exp))]
    return hits


def _closest(hits: list[DateHit], anchor: int) -> DateHit | None:
    if not hits:
        return None
    # a range counts from its far end: "on October 2 ... had talks ... during a visit from 1 to 4 October" dates the
    # talks by the day, the visit (right before the range) still by the range
    return min(hits, key=lambda h: (abs((h.end if h.span else h.start) - anchor), h.start))


def event_date(sentence: str, trigger_pos: int, published: date | None, planned: bool = False,
               context: str | None = None) -> tuple[date | None, str | None]:
    """Date of the contact reported in ``sentence`` (trigger at ``trigger_pos`` inside it).

    Returns ``(date, date_source)``; ``(None, None)`` when the cascade cannot resolve it. A stated but
    unresolvable date (a weekday with no publication date) stops the cascade: the text names a day we
    cannot know, so an earlier sentence must not supply another one.
    """
    hits = _day_hits(sentence, published, planned)
    h = _closest(hits, trigger_pos)
    if h is not None:
        return (h.value, h.source) if h.value else (None, None)
    if context:
        hits = _day_hits(context, published, planned)
        if hits:
            h = min(hits, key=lambda x: x.start)
            return (h.value, "context") if h.value else (None, None)
    return None, None
