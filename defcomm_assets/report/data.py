"""Read the aggregate tables the report shows into plain Python structures.

Only aggregates are read (bounded by LIMITs where a table can grow with the
corpus), so building the report costs the same for 5 or 100,000 articles.
A missing table is treated as empty and reported in ``ReportData.warnings``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TABLES: tuple[str, ...] = (
    "contact_timeline",
    "network_edges",
    "official_activity",
    "topic_trends_month",
    "contacts_by_country_pair_month",
    "data_quality",
)

MAX_EDGES = 250  # the network shows the strongest pairs; more is an unreadable hairball
MAX_OFFICIALS = 15
MAX_LATEST = 50
MAX_PAIRS = 15
MAX_MONTH_SPAN = 120  # fill gaps between months only when the range is sane


@dataclass
class Edge:
    a: str
    b: str
    n_contacts: int
    by_type: dict[str, int]
    dominant_type: str | None


@dataclass
class Official:
    name: str
    country: str | None
    role: str | None
    n_contacts: int
    n_counterpart_countries: int
    counterpart_countries: list[str]
    counterparts: list[str]
    first_date: date | None
    last_date: date | None


@dataclass
class LatestContact:
    contact_id: str
    contact_date: date | None
    month: date | None
    event_type: str | None
    status: str | None
    countries: list[str]
    participants: list[str]
    topics: list[str]
    evidence: str | None
    source_name: str | None
    n_reports: int


@dataclass
class Pair:
    a: str
    b: str
    n_contacts: int
    n_reports: int
    last_month: date | None


@dataclass
class ReportData:
    n_contacts: int = 0
    n_undated: int = 0
    n_planned: int = 0
    n_countries: int = 0
    n_officials: int = 0
    country_activity: dict[str, int] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    n_edges_total: int = 0
    months: list[date] = field(default_factory=list)  # x axis of timeline and heatmap
    timeline: dict[str, dict[date, int]] = field(default_factory=dict)  # type -> month -> n
    topic_months: list[date] = field(default_factory=list)
    topics: dict[str, dict[date, int]] = field(default_factory=dict)  # topic -> month -> n
    officials: list[Official] = field(default_factory=list)
    latest: list[LatestContact] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    quality: list[tuple[str, int | None]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def first_month(self) -> date | None:
        return self.months[0] if self.months else None

    @property
    def last_month(self) -> date | None:
        return self.months[-1] if self.months else None


def _existing_tables(con) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchall()
    return {r[0] for r in rows}


def _add_month(d: date, n: int = 1) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def month_axis(present: set[date]) -> list[date]:
    """Sorted months; gaps between first and last are filled (so a quiet month shows as zero)."""
    present = {date(d.year, d.month, 1) for d in present if d is not None}
    if not present:
        return []
    lo, hi = min(present), max(present)
    span = (hi.year - lo.year) * 12 + hi.month - lo.month
    if span > MAX_MONTH_SPAN:
        return sorted(present)
    out, d = [], lo
    while d <= hi:
        out.append(d)
        d = _add_month(d)
    return out


def _strs(xs) -> list[str]:
    """A VARCHAR[] as a list of strings, NULL list and NULL elements dropped."""
    return [str(x) for x in (xs or []) if x is not None]


def _as_month(d) -> date | None:
    if d is None:
        return None
    return date(d.year, d.month, 1)


def load_report_data(con) -> ReportData:
    data = ReportData()
    have = _existing_tables(con)
    for t in TABLES:
        if t not in have:
            data.warnings.append(f"table {t} does not exist (yet); its part of the report is empty")

    if "contact_timeline" in have:
        data.n_contacts, data.n_undated, data.n_planned = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE month IS NULL),"
            " count(*) FILTER (WHERE status = 'planned') FROM contact_timeline"
        ).fetchone()
        rows = con.execute(
            "SELECT c, count(*) FROM ("
            "  SELECT unnest(list_distinct(countries)) AS c FROM contact_timeline"
            ") WHERE c IS NOT NULL GROUP BY c ORDER BY c"
        ).fetchall()
        data.country_activity = {c: int(n) for c, n in rows}
        rows = con.execute(
            "SELECT month, event_type, count(*) FROM contact_timeline"
            " WHERE month IS NOT NULL GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
        for m, t, n in rows:
            data.timeline.setdefault(t or "unknown", {})[_as_month(m)] = int(n)
        rows = con.execute(
            "SELECT contact_id, contact_date, month, event_type, status, countries, participants,"
            " topics, evidence, source_name, n_reports FROM contact_timeline"
            " ORDER BY coalesce(contact_date, month) DESC NULLS LAST, contact_date DESC NULLS LAST,"
            f" contact_id LIMIT {MAX_LATEST}"
        ).fetchall()
        data.latest = [
            LatestContact(
                contact_id=r[0], contact_date=r[1], month=r[2], event_type=r[3], status=r[4],
                countries=_strs(r[5]), participants=_strs(r[6]), topics=_strs(r[7]),
                evidence=r[8], source_name=r[9], n_reports=int(r[10] or 0),
            )
            for r in rows
        ]

    if "network_edges" in have:
        data.n_edges_total = con.execute("SELECT count(*) FROM network_edges").fetchone()[0]
        # one n_<type> column per event type (the model pivots over the vocabulary): read whichever the table has
        columns = [d[0] for d in con.execute("SELECT * FROM network_edges LIMIT 0").description]
        type_columns = [c for c in columns if c.startswith("n_") and c != "n_contacts"]
        rows = con.execute(
            "SELECT country_a, country_b, n_contacts, dominant_type"
            + "".join(f', "{c}"' for c in type_columns) + " FROM network_edges"
            " WHERE country_a IS NOT NULL AND country_b IS NOT NULL AND n_contacts > 0"
            f" ORDER BY n_contacts DESC, country_a, country_b LIMIT {MAX_EDGES}"
        ).fetchall()
        for r in rows:
            by_type = {c[2:]: int(n or 0) for c, n in zip(type_columns, r[4:]) if n}
            data.edges.append(Edge(r[0], r[1], int(r[2]), by_type, r[3]))
        # sort for a deterministic layout regardless of ties in the LIMIT ordering
        data.edges.sort(key=lambda e: (e.a, e.b))

    countries = set(data.country_activity)
    for e in data.edges:
        countries.update((e.a, e.b))
        # a country only seen in edges still needs a size
        for c in (e.a, e.b):
            data.country_activity.setdefault(c, 0)
    if not data.n_contacts:
        # no timeline table: fall back to edges for the activity of a node
        for e in data.edges:
            data.country_activity[e.a] += e.n_contacts
            data.country_activity[e.b] += e.n_contacts
    data.n_countries = len(countries)

    if "official_activity" in have:
        data.n_officials = con.execute(
            "SELECT count(*) FROM official_activity WHERE n_contacts > 0"
        ).fetchone()[0]
        rows = con.execute(
            "SELECT canonical_name, country_code, role, n_contacts, n_counterpart_countries,"
            " counterpart_countries, counterparts, first_date, last_date FROM official_activity"
            " WHERE n_contacts > 0"
            " ORDER BY n_contacts DESC, n_counterpart_countries DESC, canonical_name, entity_id"
            f" LIMIT {MAX_OFFICIALS}"
        ).fetchall()
        data.officials = [
            Official(
                name=r[0] or "?", country=r[1], role=r[2], n_contacts=int(r[3] or 0),
                n_counterpart_countries=int(r[4] or 0), counterpart_countries=_strs(r[5]),
                counterparts=_strs(r[6]), first_date=r[7], last_date=r[8],
            )
            for r in rows
        ]

    if "topic_trends_month" in have:
        rows = con.execute(
            "SELECT month, topic, sum(n_contacts) FROM topic_trends_month"
            " WHERE month IS NOT NULL AND topic IS NOT NULL GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
        for m, t, n in rows:
            if n:
                data.topics.setdefault(t, {})[_as_month(m)] = int(n)
        data.topic_months = month_axis({m for per in data.topics.values() for m in per})

    if "contacts_by_country_pair_month" in have:
        rows = con.execute(
            "SELECT country_a, country_b, sum(n_contacts), sum(n_reports), max(month)"
            " FROM contacts_by_country_pair_month GROUP BY ALL"
            f" ORDER BY 3 DESC, 1, 2 LIMIT {MAX_PAIRS}"
        ).fetchall()
        data.pairs = [Pair(r[0], r[1], int(r[2] or 0), int(r[3] or 0), r[4]) for r in rows]

    if "data_quality" in have:
        data.quality = [
            (str(m), None if v is None else int(v))
            for m, v in con.execute("SELECT metric, value FROM data_quality").fetchall()
        ]

    data.months = month_axis({m for per in data.timeline.values() for m in per})
    return data
