"""What the events stage's workers compute per document: its events and participants as table rows, with stable ids.

Pure (no database, no Dagster): ``events_batch`` is the function the stage's worker processes run on a batch of
documents. The rules are looked up as ``rules.extract_events`` at call time, so a replaced function (the fault
tests) is the one that runs.
"""
from __future__ import annotations

from defcomm_assets.core.records import Mention
from defcomm_assets.core.versions import fingerprint
from defcomm_assets.core.workers import WorkerError
from defcomm_assets.stages.events import rules


def event_rows(doc_id: str, records) -> tuple[list[dict], list[dict]]:
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
        events.append({"event_id": event_id, "doc_id": doc_id, "event_type": rec.event_type, "status": rec.status,
                       "event_date": rec.event_date, "topics": list(rec.topics), "evidence": rec.evidence,
                       "date_source": rec.date_source, "location": rec.location, "evidence_start": rec.evidence_start,
                       "evidence_end": rec.evidence_end, "rule": rec.rule, "is_main": rec.is_main})
        for i, p in enumerate(rec.participants):
            parts.append({"event_id": event_id, "entity_id": p.entity_id, "name": p.name, "country_code": p.country_code,
                          "role": p.role, "is_initiator": p.is_initiator, "position": i})
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
        evs, parts = event_rows(doc_id, records)
        out.append((evs, parts, fingerprint([e["event_id"] for e in evs])))
    return out
