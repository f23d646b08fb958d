"""Event date cascade: the date of a contact, or None when the text does not let us know it.

The cascade refuses to guess:

1. ``explicit``  - a full or partial calendar date in the reporting sentence ("on 25 January",
   "On October 7, 2019", "March 11 this year", "On 3-6 March"); a date without a year takes the
   year of ``published_date`` (none -> unresolvable -> the cascade continues, then None).
2. ``relative``  - "today", "yesterday", "tomorrow", "on Friday", "next week ... Monday" resolved
   against ``published_date`` (a weekday of a reported past contact is the latest such day on or
   before publication; of a planned contact the next one on or after it - the behaviour of
   dateparser's ``PREFER_DATES_FROM='current_period'``, computed here without per-call parsing).
3. ``context``   - the same, from the earlier sentences of the paragraph (a lead that dates the day).
4. None.

Pure Python, regexes compiled once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# "25 January 2024", "3-6 March", "on 25 January"
_DMY = re.compile(r"\b" + _DAY + r"(?:\s*[-–]\s*[0-3]?\d)?\s+(?:of\s+)?" + _MON + r"(?:,?\s+" + _YEAR + r")?\b", re.I)
# "October 7, 2019", "March 11", "June 17"
_MDY = re.compile(r"\b" + _MON + r"\s+" + _DAY2 + r"(?:\s*[-–]\s*[0-3]?\d)?(?:,?\s+" + _YEAR + r")?\b", re.I)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_DOTTED = re.compile(r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b")
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


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    value: date | None
    source: str


def _mk(y: int | None, m: int, d: int) -> date | None:
    if y is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def explicit_dates(text: str, published: date | None) -> list[DateHit]:
    """Calendar dates in ``text`` (value None when the year is neither stated nor inferable)."""
    out: list[DateHit] = []
    if not _DIGIT.search(text):
        return out
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for rx in (_ISO, _DOTTED):
        for m in rx.finditer(text):
            out.append(DateHit(m.start(), m.end(), _mk(int(m["y"]), int(m["m"]), int(m["d"])), "explicit"))
            taken.append(m.span())
    for rx, dkey in ((_DMY, "day"), (_MDY, "day2")):
        for m in rx.finditer(text):
            if not free(*m.span()):
                continue
            mon = MONTHS[m["mon"].lower().rstrip(".")]
            day = int(m[dkey])
            if not 1 <= day <= 31:
                continue
            if m["mon"].lower() == "may" and rx is _MDY and not m["year"]:
                # "may 5" as a modal verb is rare but "May 5" capitalised is a date; require capital
                if not m["mon"][0].isupper():
                    continue
            y = int(m["year"]) if m["year"] else (published.year if published else None)
            val = _mk(y, mon, day)
            # a yearless date far after publication belongs to the previous year ("December 30" in a January article)
            if val and not m["year"] and published and (val - published).days > 200:
                val = _mk(y - 1, mon, day)
            out.append(DateHit(m.start(), m.end(), val, "explicit"))
            taken.append(m.span())
    out.sort(key=lambda h: h.start)
    return out


def relative_dates(text: str, published: date | None, planned: bool) -> list[DateHit]:
    out: list[DateHit] = []
    low = text.lower()
    if "day" not in low and "tomorrow" not in low and "tonight" not in low and "this " not in low:
        return out
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
    return out


def _usable(text: str, h: DateHit) -> bool:
    return not _NOT_EVENT_DAY.search(text[max(0, h.start - 40):h.start])


def _closest(hits: list[DateHit], anchor: int) -> DateHit | None:
    if not hits:
        return None
    return min(hits, key=lambda h: (abs(h.start - anchor), h.start))


def event_date(sentence: str, trigger_pos: int, published: date | None, planned: bool = False,
               context: str | None = None) -> tuple[date | None, str | None]:
    """Date of the contact reported in ``sentence`` (trigger at ``trigger_pos`` inside it).

    Returns ``(date, date_source)``; ``(None, None)`` when the cascade cannot resolve it. A stated but
    unresolvable date (a weekday with no publication date) stops the cascade: the text names a day we
    cannot know, so an earlier sentence must not supply another one.
    """
    hits = [h for h in explicit_dates(sentence, published) + relative_dates(sentence, published, planned)
            if _usable(sentence, h)]
    h = _closest(hits, trigger_pos)
    if h is not None:
        return (h.value, h.source) if h.value else (None, None)
    if context:
        hits = [h for h in explicit_dates(context, published) + relative_dates(context, published, planned)
                if _usable(context, h)]
        if hits:
            h = min(hits, key=lambda x: x.start)
            return (h.value, "context") if h.value else (None, None)
    return None, None
