"""What the events stage's workers compute per document: its events and participants as table rows, with stable ids.

Pure (no database, no Dagster): ``events_batch`` is the function the stage's worker processes run on a batch of
documents. The rules are looked up as ``rules.extract_events`` at call time, so a replaced function (the fault
tests) is the one that runs.

Each event and side also gets event data's codes (``vocabulary.event_codes``, decisions in docs/EVENT_CODES.md):
the event's own code is what its first side does (the visitor's 042, the inviter's 036); a side's code is what it
does to the sides of other countries (the host's 043), NULL for a side that only receives (an invitee).
"""
from __future__ import annotations

from defcomm_assets.core import vocabulary
from defcomm_assets.core.records import Mention
from defcomm_assets.core.versions import fingerprint
from defcomm_assets.core.workers import WorkerError
from defcomm_assets.stages.events import rules


def location_country(rec, mentions) -> str | None:
    """The country of the event's location: the code the document gives a mention of that place (one in the evidence
    sentence first, else the first in the document); None when the location is unstated or has no country."""
    if not rec.location:
        return None
    found = [m for m in mentions if m.text == rec.location and m.country_code]
    inside = [m for m in found if rec.evidence_start <= m.start_char < rec.evidence_end]
    best = inside or found
    return best[0].country_code if best else None


def hosts(rec, place: str | None) -> frozenset[str]:
    """A visit's (a hosted type's) host countries: the side at home where it took place when the location says so
    for exactly one side; else every country but the first side's (the rules list the visitor first, then the host)."""
    ccs = list(dict.fromkeys(p.country_code for p in rec.participants))
    home = [cc for cc in ccs if vocabulary.at_home(cc, place)]
    if len(home) == 1 and len(ccs) >= 2:
        return frozenset(home)
    return frozenset(ccs[1:])


def codes(rec, place: str | None) -> tuple[dict, list[dict]]:
    """The event's code columns and, per participant in order, its is_host and code columns."""
    ccs = list(dict.fromkeys(p.country_code for p in rec.participants))
    third = place is not None and not any(vocabulary.at_home(cc, place) for cc in ccs)
    forward, reverse = vocabulary.event_codes(rec.event_type, rec.status, len(ccs), third)
    host = hosts(rec, place) if vocabulary.EVENT_TYPE_BY_NAME[rec.event_type].hosted else None
    first = ccs[0] if ccs else None

    def cols(c):
        return {"cameo_code": c and c.cameo_code, "plover_type": c and c.plover_type,
                "plover_mode": c and c.plover_mode}

    parts = []
    for p in rec.participants:
        is_host = None if host is None else p.country_code in host
        acts_first = not is_host if host is not None else p.country_code == first
        parts.append({"is_host": is_host, **cols(forward if acts_first else reverse)})
    return {"location_country": place, **cols(forward)}, parts


def event_rows(doc_id: str, records, mentions=()) -> tuple[list[dict], list[dict]]:
    events, parts = [], []
    seen: set[str] = set()
    for rec in records:
        sides = sorted((p.entity_id or "", p.country_code, p.name) for p in rec.participants)
        event_id = fingerprint(doc_id, rec.event_type, sides, rec.evidence_start)
        n = 1
        while event_id in seen:  # two events of one type, sides and sentence: keep both, ids stay stable
            n += 1
            event_id = fingerprint(doc_id, rec.event_type, sides, rec.evidence_start, n)
        seen.add(event_id)
        event_codes, side_codes = codes(rec, location_country(rec, mentions))
        events.append({"event_id": event_id, "doc_id": doc_id, "event_type": rec.event_type, "status": rec.status,
                       "event_date": rec.event_date, "topics": list(rec.topics), "evidence": rec.evidence,
                       "date_source": rec.date_source, "location": rec.location, "evidence_start": rec.evidence_start,
                       "evidence_end": rec.evidence_end, "rule": rec.rule, "is_main": rec.is_main, **event_codes})
        for i, (p, c) in enumerate(zip(rec.participants, side_codes, strict=True)):
            parts.append({"event_id": event_id, "entity_id": p.entity_id, "name": p.name,
                          "country_code": p.country_code, "role": p.role, "is_initiator": p.is_initiator,
                          "position": i, **c})
    return events, parts


def events_batch(items: list[tuple]) -> list:
    """Per document (doc_id, text, published, title, mention field names, mention tuples): (events rows,
    participant rows, output hash), or the ``WorkerError`` it raised. Mentions are built by field name, so the
    SELECT that read them may list its columns in any order."""
    out: list = []
    for doc_id, text, published, title, fields, mention_rows in items:
        try:
            mentions = [Mention(**dict(zip(fields, r, strict=True))) for r in mention_rows]
            records = rules.extract_events(text, mentions, published, title)
        except Exception as exc:  # one bad document must not stop the others
            out.append(WorkerError.of(exc))
            continue
        evs, parts = event_rows(doc_id, records, mentions)
        out.append((evs, parts, fingerprint([e["event_id"] for e in evs])))
    return out
