"""Cross-article deduplication: event reports of the same real-world contact become one contact.

Two reports are the same contact when

* their sides are the same: the same set of country codes, and for every country where both reports name
  resolved persons (entity ids), a common person;
* their types are compatible: equal, or both remote (``EventType.remote`` in ``core.vocabulary``, a phone
  call and a video call: outlets disagree on the medium);
* their dates fit: both dated and at most ``DATE_TOLERANCE_DAYS`` apart; or one dated and the other published
  from ``DATE_TOLERANCE_DAYS`` before to ``PUBLISH_LAG_DAYS`` after that date; or both undated and published at
  most ``PUBLISH_LAG_DAYS`` apart (an undated report's contact lies in the days before its publication, so two
  reports of one contact are published at most that lag apart);
* their status is the same, unless both carry the same event date (the announced meeting that then took place).

A report with neither an event date nor a publication date (*unanchored*: an undated event in an article with
no publication date) has no date to compare, so it joins only on stronger evidence, and only another unanchored
report: the same countries, the same status, compatible types, the same participants (country and entity id,
or name where unresolved) and the same evidence sentence (``evidence_key``: ASCII punctuation, spaces and
common typographic punctuation dropped, at least ``MIN_EVIDENCE_KEY`` characters left). That is what copies and
syndicated reprints of one article share; two outlets' own wordings of an undated call in undated articles stay
two contacts (nothing says they are one). It never joins a dated report: the same sentence in dated articles
of different weeks would otherwise chain two contacts through it.

Grouping is transitive (union-find), deterministic and independent of input order. It blocks on the sorted
country set and, inside a block, compares each report only with the reports whose anchor date lies within the
tolerance window, and unanchored reports only with those of the same evidence key, so it is near-linear in the
number of reports.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from defcomm_assets.core.vocabulary import REMOTE_TYPES

DATE_TOLERANCE_DAYS = 1
PUBLISH_LAG_DAYS = 2
# Reports further apart than this (anchor dates, in days) are never compared, so never directly merged.
MATCH_WINDOW_DAYS = max(DATE_TOLERANCE_DAYS, PUBLISH_LAG_DAYS) + 1
# Unanchored reports merge only when their evidence sentences agree to this many key characters at least.
MIN_EVIDENCE_KEY = 30
# What evidence_key drops: ASCII characters other than letters and digits, no-break space, the General
# Punctuation block (typographic quotes, dashes, spaces), guillemets and CJK punctuation. No case folding: the
# store computes the same key in SQL (EVIDENCE_KEY_SQL) and the two must agree on every string.
_DROP_RANGES = ((0x00, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7F), (0xA0, 0xA0), (0xAB, 0xAB), (0xBB, 0xBB),
                (0x2000, 0x206F), (0x3000, 0x303F))
_DROP = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _DROP_RANGES) + "]+")
_DROP_RE2 = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in _DROP_RANGES) + "]"


def evidence_key(evidence: str | None) -> str:
    """The evidence sentence as compared between unanchored reports ('' when too short to count)."""
    key = _DROP.sub("", evidence or "")
    return key if len(key) >= MIN_EVIDENCE_KEY else ""


def evidence_key_sql(column: str) -> str:
    """The SQL (DuckDB, RE2) expression of ``evidence_key`` for ``column``: the same string for every input."""
    key = f"regexp_replace(coalesce({column}, ''), '{_DROP_RE2}', '', 'g')"
    return f"CASE WHEN length({key}) >= {MIN_EVIDENCE_KEY} THEN {key} ELSE '' END"


@dataclass(frozen=True)
class ContactReport:
    event_id: str
    doc_id: str
    event_type: str
    status: str
    sides: tuple[tuple[str, str | None], ...]  # (country_code, entity_id or None), one per participant
    event_date: date | None = None
    published_date: date | None = None
    source_name: str | None = None
    evidence: str | None = None  # the sentence the event was read from
    names: tuple[str | None, ...] = ()  # the participants' names, parallel to sides (for unresolved ones)

    @cached_property  # the blocking key, read in every comparison
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({c for c, _ in self.sides if c}))

    @property
    def participants(self) -> str:
        """Who takes part, as compared between unanchored reports: the distinct (country, entity id, or else
        casefolded name) pairs, sorted, as one string (strings cost the garbage collector nothing)."""
        names = self.names or (None,) * len(self.sides)
        return "\x1f".join(
            sorted({f"{c or ''}\x1e{e or (n or '').casefold()}" for (c, e), n in zip(self.sides, names)})
        )

    @property
    def anchor(self) -> date | None:
        return self.event_date or self.published_date


def _types_ok(a: str, b: str) -> bool:
    return a == b or (a in REMOTE_TYPES and b in REMOTE_TYPES)


def _sides_ok(a: ContactReport, b: ContactReport) -> bool:
    for cc in a.countries:
        ea = {e for c, e in a.sides if c == cc and e}
        eb = {e for c, e in b.sides if c == cc and e}
        if ea and eb and not (ea & eb):
            return False
    return True


def _dates_ok(a: ContactReport, b: ContactReport) -> bool:
    if a.event_date and b.event_date:
        return abs((a.event_date - b.event_date).days) <= DATE_TOLERANCE_DAYS
    if a.event_date or b.event_date:
        dated, other = (a, b) if a.event_date else (b, a)
        if other.published_date is None:
            return False
        lag = (other.published_date - dated.event_date).days
        return -DATE_TOLERANCE_DAYS <= lag <= PUBLISH_LAG_DAYS
    if a.published_date and b.published_date:
        return abs((a.published_date - b.published_date).days) <= PUBLISH_LAG_DAYS
    return False


def _status_ok(a: ContactReport, b: ContactReport) -> bool:
    return a.status == b.status or (a.event_date is not None and a.event_date == b.event_date)


def _strong_ok(a: ContactReport, b: ContactReport) -> bool:
    """Two unanchored reports: the same status, participants and evidence sentence."""
    if a.anchor is not None or b.anchor is not None or a.status != b.status:
        return False
    key = evidence_key(a.evidence)
    return key != "" and key == evidence_key(b.evidence) and a.participants == b.participants


def same_contact(a: ContactReport, b: ContactReport) -> bool:
    if a.doc_id == b.doc_id or a.countries != b.countries or len(a.countries) < 2:
        return False
    if not _types_ok(a.event_type, b.event_type):
        return False
    if (a.event_date or a.published_date) is None or (b.event_date or b.published_date) is None:
        return _strong_ok(a, b)
    return _status_ok(a, b) and _dates_ok(a, b) and _sides_ok(a, b)


def group_contacts(reports: Sequence[ContactReport]) -> list[list[int]]:
    """Groups of indices into ``reports`` that are one real-world contact (every report is in one group).

    Groups are sorted by their smallest index, indices inside a group ascending. Two reports from the same
    document are never merged here: the events stage already merged what one article reports twice.
    """
    n = len(reports)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            if ri < rj:
                parent[rj] = ri
            else:
                parent[ri] = rj

    blocks: dict[tuple[str, ...], list[int]] = {}
    for i, r in enumerate(reports):
        blocks.setdefault(r.countries, []).append(i)
    window = MATCH_WINDOW_DAYS
    for key, idx in blocks.items():
        if len(key) < 2 or len(idx) < 2:
            continue
        dated = sorted((i for i in idx if reports[i].anchor is not None),
                       key=lambda i: (reports[i].anchor, reports[i].event_id))
        lo = 0
        for hi in range(len(dated)):
            ihi = dated[hi]
            ahi = reports[ihi].anchor
            while (ahi - reports[dated[lo]].anchor).days > window:
                lo += 1
            for k in range(lo, hi):
                ik = dated[k]
                if same_contact(reports[ik], reports[ihi]):
                    union(ik, ihi)
    # Unanchored reports: only those of one block, evidence key, status and participants can match; inside
    # such a bucket, the reports of one type are all pairwise matches (the same doc aside), so linking each to
    # the first of its type and of every compatible type makes the same components as comparing all pairs.
    buckets: dict[str, dict[str, list[int]]] = {}
    for i, r in enumerate(reports):
        if r.event_date is None and r.published_date is None and len(r.countries) >= 2:
            ekey = evidence_key(r.evidence)
            if ekey:
                key = "\x1d".join((*r.countries, r.status, r.participants, ekey))
                buckets.setdefault(key, {}).setdefault(r.event_type, []).append(i)
    for by_type in buckets.values():
        for t, idx in by_type.items():
            _link_bucket(reports, idx, union)
            for u, other in by_type.items():
                if u < t and _types_ok(u, t):
                    _link_bucket(reports, idx + other, union)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _link_bucket(reports: Sequence[ContactReport], idx: list[int], union) -> None:
    """Union reports that are pairwise matches except within one document: per document, each report joins
    the first report of any other document, which matches them all."""
    docs: dict[str, int] = {}
    for i in idx:
        docs.setdefault(reports[i].doc_id, i)
    if len(docs) < 2:
        return
    firsts = sorted(docs.values())
    a, b = firsts[0], firsts[1]
    for i in idx:
        union(i, b if reports[i].doc_id == reports[a].doc_id else a)


def contact_id(reports: Sequence[ContactReport]) -> str:
    """Stable id of a contact: derived from its first report (earliest published, then smallest event id), never
    from row order. Articles published later that report the same contact join it without changing its id, so
    an analyst's saved contact_id survives the daily runs; it changes only when an earlier report turns up, or
    when two known contacts turn out to be one."""
    first = min(reports, key=lambda r: (r.published_date is None, r.published_date or date.min, r.event_id))
    return hashlib.sha256(first.event_id.encode()).hexdigest()[:16]
