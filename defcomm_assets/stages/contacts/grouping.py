"""Cross-article deduplication: event reports of the same real-world contact become one contact.

Two reports are the same contact when

* their sides are the same: the same set of country codes, and for every country where both reports name
  resolved persons (entity ids), a common person;
* their types are compatible: equal, or both remote (``EventType.remote`` in ``core.vocabulary``, a phone
  call and a video call: outlets disagree on the medium);
* their dates fit: both dated and at most ``DATE_TOLERANCE_DAYS`` apart; or one dated and the other published
  within ``PUBLISH_LAG_DAYS`` after that date; or both undated and published at most ``PUBLISH_LAG_DAYS`` apart.
  A report with neither an event date nor a publication date is never merged (nothing to compare);
* their status is the same, unless both carry the same event date (the announced meeting that then took place).

Grouping is transitive (union-find), deterministic and independent of input order. It blocks on the sorted
country set and, inside a block, compares each report only with the reports whose anchor date lies within the
tolerance window, so it is near-linear in the number of reports.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from defcomm_assets.core.vocabulary import EVENT_TYPE_RECORDS

DATE_TOLERANCE_DAYS = 1
PUBLISH_LAG_DAYS = 2
# Reports further apart than this (anchor dates, in days) are never compared, so never directly merged.
MATCH_WINDOW_DAYS = max(DATE_TOLERANCE_DAYS, PUBLISH_LAG_DAYS) + 1
# Types held at a distance: two reports of them may be one contact whatever medium each outlet names.
_REMOTE = frozenset(t.name for t in EVENT_TYPE_RECORDS if t.remote)


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

    @cached_property  # the blocking key, read in every comparison
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({c for c, _ in self.sides if c}))

    @property
    def anchor(self) -> date | None:
        return self.event_date or self.published_date


def _types_ok(a: str, b: str) -> bool:
    return a == b or (a in _REMOTE and b in _REMOTE)


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


def same_contact(a: ContactReport, b: ContactReport) -> bool:
    return (a.doc_id != b.doc_id and a.countries == b.countries and len(a.countries) >= 2
            and _types_ok(a.event_type, b.event_type) and _status_ok(a, b) and _dates_ok(a, b) and _sides_ok(a, b))


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
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def contact_id(reports: Sequence[ContactReport]) -> str:
    """Stable id of a contact: derived from its first report (earliest published, then smallest event id), never
    from row order. Articles published later that report the same contact join it without changing its id, so
    an analyst's saved contact_id survives the daily runs; it changes only when an earlier report turns up, or
    when two known contacts turn out to be one."""
    first = min(reports, key=lambda r: (r.published_date is None, r.published_date or date.min, r.event_id))
    return hashlib.sha256(first.event_id.encode()).hexdigest()[:16]
