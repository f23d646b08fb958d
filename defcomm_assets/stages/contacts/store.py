"""The DuckDB side of contact grouping: which event reports to regroup, reading them, writing contacts.

``contacts.py`` decides which reports are one real-world contact; this module feeds it from the database
and writes ``contacts`` + ``contact_events``. No Dagster import.

Memory: reports are never all in Python at once. They are split into *units* that no contact can cross -
one country-set block (``contacts`` blocks on it), cut where two consecutive anchor dates are more than
``MATCH_WINDOW_DAYS`` apart (reports are only ever compared inside that window); the unanchored reports of a
block (no event date, no publication date) one unit per evidence key, as they only ever match on it - and
read, grouped and written a few units (``BATCH_REPORTS`` reports) at a time.

Incremental refresh (``touched_doc_ids`` given): grouping is connected components of the ``same_contact``
graph, and an edge only joins two reports of one block at most ``MATCH_WINDOW_DAYS`` apart. So the contacts
that can change are
  * the stored contacts of reports that no longer exist (``contact_events`` rows whose event is gone) or
    that belong to a touched document (its events may have been rewritten under the same ids),
  * the stored contacts with a report in the block of a touched event within ``MATCH_WINDOW_DAYS`` of it;
  * for a touched unanchored event, the stored contacts with an unanchored report of its block and evidence key;
every other stored contact keeps all its reports, unchanged, and no new edge reaches it, so it is still a
whole component. Those contacts are deleted and their remaining reports plus the touched events are
regrouped; the set is closed under the new edges in one pass (old edges stay inside old contacts, new ones
start at a touched event), so no iteration is needed. The result is identical to a full rebuild.

The grouping logic's version is kept as the comment of the ``contact_events`` table: when it differs
(``contacts.py`` or this file changed, or a database from before this module), the refresh is full.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl
import pyarrow as pa

from defcomm_assets.core import db
from defcomm_assets.core.versions import stage_version
from defcomm_assets.stages.contacts.grouping import (
    MATCH_WINDOW_DAYS,
    ContactReport,
    contact_id,
    evidence_key_sql,
    group_contacts,
)

BATCH_REPORTS = 20_000  # reports read, grouped and written per step (a larger unit is read whole)
_VERSION_PREFIX = "defcomm contacts logic "


@dataclass(frozen=True)
class ContactRefresh:
    contacts: int  # contacts in the table afterwards
    regrouped: int  # event reports regrouped in this refresh
    written: int  # contacts (re)written
    removed: int  # stored contacts deleted before regrouping
    full: bool  # every report was regrouped


def logic_version() -> str:
    """Changes when the grouping or how it is stored changes (the contacts stage's folder)."""
    return stage_version("contacts")


def stored_version(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("""SELECT comment FROM duckdb_tables()
                          WHERE database_name = current_database() AND schema_name = 'main'
                            AND table_name = 'contact_events'""").fetchall()
    comment = rows[0][0] if rows else None
    if not comment or not comment.startswith(_VERSION_PREFIX):
        return None
    return comment[len(_VERSION_PREFIX):]


def refresh_contacts(con: duckdb.DuckDBPyConnection, touched_doc_ids: Sequence[str] | None) -> ContactRefresh:
    """Bring ``contacts`` / ``contact_events`` up to date with ``events``.

    ``touched_doc_ids``: the documents whose events were written or deleted since the last refresh (None:
    regroup everything). Events that have no contact yet and contacts of deleted events are found on their
    own. Runs inside the caller's transaction.
    """
    version = logic_version()
    stored = stored_version(con)
    full = touched_doc_ids is None or stored != version
    if full:
        removed = db.row_count(con, "contacts")
        con.execute("DELETE FROM contact_events")
        con.execute("DELETE FROM contacts")
        regrouped, written = _regroup(con, scoped=False)
    else:
        removed = _select_scope(con, list(touched_doc_ids))
        regrouped, written = _regroup(con, scoped=True) if db.row_count(con, "_cs_scope") else (0, 0)
    # On an error the caller's ROLLBACK drops these with everything else.
    for t in ("_cs_touched_events", "_cs_affected", "_cs_scope", "_cs_units"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    if stored != version:
        con.execute(f"COMMENT ON TABLE contact_events IS '{_VERSION_PREFIX}{version}'")
    return ContactRefresh(contacts=db.row_count(con, "contacts"), regrouped=regrouped, written=written,
                          removed=removed, full=full)


# Block key of a report, as contacts.ContactReport.countries: sorted distinct non-empty country codes.
_KEY = "coalesce(list_sort(list_distinct(list_filter(list(p.country_code), lambda x: x <> ''))), [])"
# Evidence key of an unanchored report of a block of two countries or more ('' for any other report).
_EKEY = f"CASE WHEN anchor IS NULL AND len(k) >= 2 THEN {evidence_key_sql('evidence')} ELSE '' END"


def _select_scope(con: duckdb.DuckDBPyConnection, touched: list[str]) -> int:
    """Fill ``_cs_scope`` (event ids to regroup), delete the contacts they come from; returns that count."""
    w = int(MATCH_WINDOW_DAYS)
    con.register("_cs_touched_docs", pl.DataFrame({"doc_id": touched}, schema={"doc_id": pl.Utf8}).to_arrow())
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _cs_touched_events AS
            SELECT *, {_EKEY} AS ekey FROM (
                SELECT e.event_id, any_value(e.evidence) AS evidence,
                       coalesce(e.event_date, c.published_date) AS anchor,
                       {_KEY} AS k
                FROM (SELECT event_id, doc_id, event_date, evidence FROM events
                      WHERE doc_id IN (SELECT doc_id FROM _cs_touched_docs)
                         OR event_id NOT IN (SELECT event_id FROM contact_events)) e
                LEFT JOIN clean_documents c USING (doc_id)
                LEFT JOIN event_participants p USING (event_id)
                GROUP BY e.event_id, anchor)""")
    finally:
        con.unregister("_cs_touched_docs")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _cs_affected AS
        WITH days AS (
            SELECT DISTINCT t.k, t.anchor + d.range::INTEGER AS day
            FROM _cs_touched_events t, range(-{w}, {w} + 1) d
            WHERE len(t.k) >= 2 AND t.anchor IS NOT NULL),
        blocks AS (SELECT DISTINCT k FROM days),
        block_reports AS (
            SELECT ce.contact_id, ct.countries AS k, coalesce(e.event_date, c.published_date) AS day
            FROM contacts ct JOIN blocks b ON ct.countries = b.k
            JOIN contact_events ce ON ce.contact_id = ct.contact_id
            JOIN events e ON e.event_id = ce.event_id
            LEFT JOIN clean_documents c ON c.doc_id = e.doc_id),
        unanchored AS (
            SELECT ce.contact_id, ct.countries AS k, {evidence_key_sql('e.evidence')} AS ekey
            FROM contacts ct
            JOIN (SELECT DISTINCT k FROM _cs_touched_events WHERE ekey <> '') b ON ct.countries = b.k
            JOIN contact_events ce ON ce.contact_id = ct.contact_id
            JOIN events e ON e.event_id = ce.event_id
            LEFT JOIN clean_documents c ON c.doc_id = e.doc_id
            WHERE e.event_date IS NULL AND c.published_date IS NULL)
        SELECT contact_id FROM contact_events WHERE event_id NOT IN (SELECT event_id FROM events)
        UNION SELECT contact_id FROM contact_events WHERE event_id IN (SELECT event_id FROM _cs_touched_events)
        UNION SELECT br.contact_id FROM block_reports br JOIN days ON br.k = days.k AND br.day = days.day
        UNION SELECT u.contact_id FROM unanchored u JOIN _cs_touched_events t
              ON t.ekey <> '' AND u.k = t.k AND u.ekey = t.ekey
        UNION SELECT contact_id FROM contacts WHERE contact_id NOT IN (SELECT contact_id FROM contact_events)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _cs_scope AS
        SELECT event_id FROM _cs_touched_events
        UNION SELECT ce.event_id FROM contact_events ce
              WHERE ce.contact_id IN (SELECT contact_id FROM _cs_affected)
                AND ce.event_id IN (SELECT event_id FROM events)""")
    removed = con.execute("SELECT count(*) FROM contacts WHERE contact_id IN (SELECT contact_id FROM _cs_affected)"
                          ).fetchall()[0][0]
    con.execute("DELETE FROM contacts WHERE contact_id IN (SELECT contact_id FROM _cs_affected)")
    con.execute("DELETE FROM contact_events WHERE contact_id IN (SELECT contact_id FROM _cs_affected)")
    return int(removed)


def _regroup(con: duckdb.DuckDBPyConnection, scoped: bool) -> tuple[int, int]:
    """Group the reports (all, or those in ``_cs_scope``) unit by unit and insert their contacts."""
    w = int(MATCH_WINDOW_DAYS)
    where = "WHERE event_id IN (SELECT event_id FROM _cs_scope)" if scoped else ""
    # Units: a new one starts at each block and where the next anchor is more than the window away.
    # Unanchored reports: one unit per block and evidence key (ekey '': never merged, one unit per block).
    # Blocks of fewer than two countries are never merged: one unit per block will do.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _cs_units AS
        WITH r0 AS (
            SELECT e.event_id, any_value(e.evidence) AS evidence, coalesce(e.event_date, c.published_date) AS anchor,
                   {_KEY} AS k
            FROM (SELECT event_id, doc_id, event_date, evidence FROM events {where}) e
            LEFT JOIN clean_documents c USING (doc_id)
            LEFT JOIN event_participants p USING (event_id)
            GROUP BY e.event_id, anchor),
        r AS (SELECT event_id, anchor, k, {_EKEY} AS ekey FROM r0),
        starts AS (
            SELECT event_id, k, anchor, ekey,
                   CASE WHEN len(k) < 2 OR anchor IS NULL THEN 0
                        WHEN lag(anchor) OVER w IS NULL OR anchor - lag(anchor) OVER w > {w} THEN 1
                        ELSE 0 END AS new_seg
            FROM r WINDOW w AS (PARTITION BY k, len(k) < 2 OR anchor IS NULL ORDER BY anchor, event_id)),
        segs AS (
            SELECT event_id, k, ekey, anchor IS NULL OR len(k) < 2 AS single,
                   sum(new_seg) OVER (PARTITION BY k, len(k) < 2 OR anchor IS NULL ORDER BY anchor, event_id
                                      ROWS UNBOUNDED PRECEDING) AS seg
            FROM starts)
        SELECT event_id, dense_rank() OVER (ORDER BY k, single, ekey, seg) AS unit FROM segs
        ORDER BY unit""")
    sizes = con.execute("SELECT unit, count(*) FROM _cs_units GROUP BY unit ORDER BY unit").fetchall()
    regrouped = written = 0
    lo = n = 0
    for i, (unit, size) in enumerate(sizes):
        if n == 0:
            lo = unit
        n += size
        if n >= BATCH_REPORTS or i == len(sizes) - 1:
            r, c = _group_units(con, lo, unit)
            regrouped += r
            written += c
            n = 0
    return regrouped, written


def _group_units(con: duckdb.DuckDBPyConnection, lo: int, hi: int) -> tuple[int, int]:
    rows = db.named_rows(con.execute("""
        WITH u AS (SELECT event_id FROM _cs_units WHERE unit BETWEEN ? AND ?),
        p AS (SELECT event_id, list(country_code ORDER BY position) AS country_codes,
                     list(entity_id ORDER BY position) AS entity_ids, list(name ORDER BY position) AS names
              FROM event_participants WHERE event_id IN (SELECT event_id FROM u) GROUP BY event_id)
        SELECT e.event_id, e.doc_id, e.event_type, e.status, e.event_date, c.published_date, r.source_name,
               e.topics, e.evidence, p.country_codes, p.entity_ids, p.names
        FROM events e LEFT JOIN clean_documents c USING (doc_id) LEFT JOIN raw_documents r USING (doc_id)
        LEFT JOIN p USING (event_id)
        WHERE e.event_id IN (SELECT event_id FROM u)
        ORDER BY e.event_id""", [lo, hi]))
    contacts, links = contact_rows(rows)
    db.insert(con, "contacts", _frame("contacts", contacts))
    db.insert(con, "contact_events", _frame("contact_events", links))
    return len(rows), len(contacts)


_ARROW_TYPES = {"VARCHAR": pa.string(), "DATE": pa.date32(), "BIGINT": pa.int64(), "VARCHAR[]": pa.list_(pa.string())}


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    """Like ``db.frame`` but through Arrow: polars builds list columns from Python lists one row at a time."""
    arrays = {c.name: pa.array([r[c.name] for r in rows], type=_ARROW_TYPES[c.type]) for c in db.TABLES[table]}
    return pl.from_arrow(pa.table(arrays))


def contact_rows(rows: Sequence[tuple]) -> tuple[list[dict], list[dict]]:
    """``contacts`` and ``contact_events`` rows of these reports (which must hold every report of their contacts).

    A row (read by name: ``db.named_rows``): event_id, doc_id, event_type, status, event_date, published_date,
    source_name, topics, evidence, and the participants' country_codes, entity_ids and names in position order
    (lists, or None for none).
    """
    sides = {r.event_id: list(zip(r.country_codes or [], r.entity_ids or [], r.names or [])) for r in rows}
    reports = [ContactReport(event_id=r.event_id, doc_id=r.doc_id, event_type=r.event_type, status=r.status,
                             sides=tuple((c, e) for c, e, _ in sides[r.event_id]), event_date=r.event_date,
                             published_date=r.published_date, source_name=r.source_name, evidence=r.evidence,
                             names=tuple(n for _, _, n in sides[r.event_id]))
               for r in rows]
    contacts, links = [], []
    for group in group_contacts(reports):
        if len(group) == 1:  # most contacts have one report: the same row, without the merging
            r, rep = rows[group[0]], reports[group[0]]
            cid = contact_id([rep])
            s = sides[r.event_id]
            contacts.append({
                "contact_id": cid, "event_type": r.event_type,
                "status": "occurred" if r.status == "occurred" else "planned",
                "contact_date": r.event_date, "countries": list(rep.countries),
                "participants": sorted({n for n in dict(((c, e or n), n) for c, e, n in reversed(s)).values()}),
                "participant_entity_ids": sorted({e for _, e, _ in s if e}), "topics": sorted(set(r.topics or [])),
                "n_reports": 1, "n_sources": 1, "first_published": r.published_date or None, "evidence": r.evidence,
                "source_name": r.source_name})
            links.append({"contact_id": cid, "event_id": r.event_id})
            continue
        members = sorted(group, key=lambda i: (rows[i].published_date is None, rows[i].published_date,
                                               rows[i].source_name or "", rows[i].event_id))
        first = rows[members[0]]
        cid = contact_id([reports[i] for i in group])
        dates = sorted(rows[i].event_date for i in group if rows[i].event_date is not None)
        names: dict[tuple, str] = {}
        for i in members:
            for country, entity_id, name in sides[rows[i].event_id]:
                names.setdefault((country, entity_id or name), name)
        contacts.append({
            "contact_id": cid, "event_type": first.event_type,
            "status": "occurred" if any(rows[i].status == "occurred" for i in group) else "planned",
            "contact_date": dates[0] if dates else None,
            "countries": list(reports[members[0]].countries),
            "participants": sorted(set(names.values())),
            "participant_entity_ids": sorted({e for i in group for _, e, _ in sides[rows[i].event_id] if e}),
            "topics": sorted({t for i in group for t in (rows[i].topics or [])}),
            "n_reports": len(group), "n_sources": len({rows[i].source_name for i in group}),
            "first_published": min((rows[i].published_date for i in group if rows[i].published_date), default=None),
            "evidence": first.evidence, "source_name": first.source_name})
        links.extend({"contact_id": cid, "event_id": rows[i].event_id} for i in group)
    return contacts, links
