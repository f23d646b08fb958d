"""Synthetic aggregate tables in the contract shape: for tests, previews and demos.

The rows are generated (deterministically) from a handful of well-known
defence officials; evidence sentences are templates, not quotes from articles.
"""
from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from datetime import date

from defcomm_assets.core import vocabulary

_DDL: dict[str, str] = {
    "contact_timeline": (
        "contact_id VARCHAR, contact_date DATE, month DATE, event_type VARCHAR, status VARCHAR,"
        " countries VARCHAR[], participants VARCHAR[], topics VARCHAR[], evidence VARCHAR,"
        " source_name VARCHAR, n_reports BIGINT"
    ),
    "network_edges": "country_a VARCHAR, country_b VARCHAR, n_contacts BIGINT, {type_columns}, dominant_type VARCHAR",
    "official_activity": (
        "entity_id VARCHAR, canonical_name VARCHAR, country_code VARCHAR, role VARCHAR,"
        " n_contacts BIGINT, n_counterpart_countries BIGINT, counterpart_countries VARCHAR[],"
        " counterparts VARCHAR[], first_date DATE, last_date DATE"
    ),
    "topic_trends_month": "month DATE, topic VARCHAR, n_contacts BIGINT",
    "contacts_by_country_pair_month": (
        "month DATE, country_a VARCHAR, country_b VARCHAR, event_type VARCHAR, n_contacts BIGINT,"
        " n_reports BIGINT"
    ),
    "data_quality": "metric VARCHAR, value BIGINT",
}


def ddl() -> dict[str, str]:
    """Columns of each table; network_edges has one n_<type> column per type of the vocabulary (as the model)."""
    type_columns = ", ".join(f"n_{t} BIGINT" for t in vocabulary.EVENT_TYPES)
    return {name: cols.replace("{type_columns}", type_columns) for name, cols in _DDL.items()}

OFFICIALS: tuple[tuple[str, str, str], ...] = (
    ("Rustem Umerov", "UA", "Minister of Defence"),
    ("Oleksandr Syrskyi", "UA", "Commander-in-Chief of the Armed Forces"),
    ("Volodymyr Zelenskyy", "UA", "President"),
    ("Władysław Kosiniak-Kamysz", "PL", "Minister of National Defence"),
    ("Wiesław Kukuła", "PL", "Chief of the General Staff"),
    ("Angel Tîlvăr", "RO", "Minister of National Defence"),
    ("Lloyd Austin", "US", "Secretary of Defense"),
    ("Pete Hegseth", "US", "Secretary of Defense"),
    ("John Healey", "GB", "Secretary of State for Defence"),
    ("Mark Rutte", "NATO", "Secretary General"),
    ("Boris Pistorius", "DE", "Minister of Defence"),
    ("Sébastien Lecornu", "FR", "Minister of the Armed Forces"),
)

TOPICS = (  # the demo's topics, a subset of vocabulary.TOPICS
    "air_defense", "drones", "training", "military_aid", "defense_industry", "frontline_situation",
    "airspace_incident", "regional_security", "peace_process", "nato_cooperation", "bilateral_cooperation",
)

# how often each type comes up, in vocabulary order (a type added later weighs 1), and the types a sample contact
# may be planned for
_TYPE_WEIGHTS = (5, 2, 6, 3, 1, 1, 1)
_PLANNABLE = ("visit", "invitation", "meeting")


def _phrase(event_type: str) -> str:
    t = vocabulary.EVENT_TYPE_BY_NAME[event_type]
    return t.phrase or f"had a {t.label.lower()}"


def _insert(con, table: str, rows: list[tuple]) -> None:
    """Bulk insert through Arrow (executemany is slow in DuckDB)."""
    if not rows:
        return
    import pyarrow as pa  # lazy: only the sample-table path of the report tests needs Arrow

    cols = [c.strip().split()[0] for c in ddl()[table].split(",")]
    arrow = pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})
    con.register("_defcomm_sample_rows", arrow)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _defcomm_sample_rows")
    finally:
        con.unregister("_defcomm_sample_rows")


def create_tables(con) -> None:
    for name, cols in ddl().items():
        con.execute(f"CREATE OR REPLACE TABLE {name} ({cols})")


def _month(d: date) -> date:
    return date(d.year, d.month, 1)


def sample_contacts(n: int = 40, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    start = date(2024, 1, 1).toordinal()
    end = date(2025, 9, 30).toordinal()
    # weights: Ukraine's minister and NATO are in most contacts, like in real coverage
    weights = [6, 2, 3, 4, 2, 2, 3, 2, 3, 3, 2, 1]
    types = vocabulary.EVENT_TYPES
    type_weights = [_TYPE_WEIGHTS[k] if k < len(_TYPE_WEIGHTS) else 1 for k in range(len(types))]
    rows = []
    for i in range(n):
        first = rng.choices(OFFICIALS, weights)[0]
        others = [o for o in OFFICIALS if o[1] != first[1]]
        second = rng.choices(others, [weights[OFFICIALS.index(o)] for o in others])[0]
        people = [first, second]
        if rng.random() < 0.12:
            third = [o for o in OFFICIALS if o[1] not in (first[1], second[1])]
            people.append(rng.choice(third))
        etype = rng.choices(types, type_weights)[0]
        status = "planned" if etype in _PLANNABLE and rng.random() < 0.2 else "occurred"
        d = date.fromordinal(rng.randint(start, end))
        contact_date: date | None = d
        month: date | None = _month(d)
        r = rng.random()
        if r < 0.15:
            contact_date = None  # only the article date is known
        elif r < 0.18:
            contact_date = month = None  # nothing is dated
        topics = sorted(rng.sample(TOPICS, rng.choice([0, 1, 1, 2, 2, 3])))
        names = " and ".join(f"{p[2]} {p[0]}" for p in people)
        evidence = f"{names} {_phrase(etype)}" + (f" on {d:%d %B %Y}." if contact_date else ".")
        rows.append(
            (
                f"c{i:04d}", contact_date, month, etype, status,
                sorted({p[1] for p in people}), [p[0] for p in people], topics, evidence,
                f"{i:03d}_sample.txt", rng.choice([1, 1, 1, 2, 3]),
            )
        )
    return rows


def create_sample_tables(con, n_contacts: int = 40, seed: int = 7) -> None:
    """Create the six aggregate tables and fill them consistently from ``n_contacts`` synthetic contacts
    (``n_contacts=0`` gives the empty tables of a corpus without events)."""
    create_tables_from_contacts(con, sample_contacts(n_contacts, seed), {o[0]: (o[1], o[2]) for o in OFFICIALS})


def create_tables_from_contacts(con, rows: list[tuple], persons: dict[str, tuple[str, str | None]]) -> None:
    """Create the six aggregate tables from ``contact_timeline`` rows (in column order); ``persons`` maps a
    participant name to (country_code, role) for the officials table (other participants are not persons)."""
    create_tables(con)
    _insert(con, "contact_timeline", rows)
    role = {name: (name, cc, r) for name, (cc, r) in persons.items()}

    pair_types: dict[tuple[str, str], Counter] = defaultdict(Counter)
    pair_month: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    topic_month: Counter = Counter()
    per_official: dict[str, dict] = {}
    for (_cid, cdate, month, etype, _st, countries, people, topics, _ev, _src, n_rep) in rows:
        for a, b in itertools.combinations(sorted(countries), 2):
            pair_types[(a, b)][etype] += 1
            if month is not None:
                pm = pair_month[(month, a, b, etype)]
                pm[0] += 1
                pm[1] += n_rep
        if month is not None:
            for t in topics:
                topic_month[(month, t)] += 1
        when = cdate or month
        for p in people:
            if p not in role:
                continue
            st = per_official.setdefault(p, {"n": 0, "cc": set(), "cp": set(), "dates": []})
            st["n"] += 1
            st["cc"].update(c for c in countries if c != role[p][1])
            st["cp"].update(q for q in people if q != p)
            if when:
                st["dates"].append(when)

    types = vocabulary.EVENT_TYPES
    edges = []
    for (a, b), cnt in sorted(pair_types.items()):
        dominant = max(types, key=lambda t: (cnt[t], -types.index(t)))
        edges.append((a, b, sum(cnt.values()), *[cnt[t] for t in types], dominant))
    _insert(con, "network_edges", edges)
    offs = [
        (
            f"person:{name.lower().replace(' ', '-')}", name, role[name][1], role[name][2], st["n"],
            len(st["cc"]), sorted(st["cc"]), sorted(st["cp"]),
            min(st["dates"]) if st["dates"] else None, max(st["dates"]) if st["dates"] else None,
        )
        for name, st in sorted(per_official.items())
    ]
    _insert(con, "official_activity", offs)
    _insert(con, "topic_trends_month", [(m, t, n) for (m, t), n in sorted(topic_month.items())])
    _insert(
        con, "contacts_by_country_pair_month", [(*k, v[0], v[1]) for k, v in sorted(pair_month.items())]
    )
    n_docs = sum(r[10] for r in rows)
    _insert(
        con,
        "data_quality",
        [
            ("documents_raw", n_docs + 3), ("documents_clean", n_docs + 1), ("documents_rejected", 2),
            ("documents_non_english", 1), ("events", n_docs + len(rows) // 3), ("contacts", len(rows)),
        ],
    )
