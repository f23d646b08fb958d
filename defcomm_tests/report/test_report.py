"""The report package: HTML page, PNGs and markdown from the aggregate tables (no browser here)."""
from __future__ import annotations

import base64
import json
import re
import struct
from datetime import date
from pathlib import Path

import duckdb
import pytest

from defcomm_assets.core.vocabulary import EVENT_TYPE_RECORDS
from defcomm_assets.report import build_report, load_report_data
from defcomm_assets.report.data import MAX_EDGES, MAX_LATEST, month_axis
from defcomm_assets.report.figures import network_figure, timeline_figure
from defcomm_assets.report.layout import network_layout
from defcomm_assets.report.page import SECTIONS
from defcomm_assets.report.sample import (
    OFFICIALS,
    create_sample_tables,
    create_tables,
    create_tables_from_contacts,
)
from defcomm_tests.paths import FIXTURES

PNG_SIG = b"\x89PNG\r\n\x1a\n"


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIG
    return struct.unpack(">II", png[16:24])


def _sample_con(n: int = 40) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_sample_tables(con, n_contacts=n)
    return con


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    con = _sample_con()
    out = tmp_path_factory.mktemp("report")
    res = build_report(con, out)
    return con, res, res.html_path.read_text(encoding="utf-8")


def _page_without_plotly_js(html: str) -> str:
    """The page minus the inlined plotly.min.js (which mentions URLs in its own code)."""
    start = html.index("<script>", html.index("</style>"))
    end = html.index("</script>", start)
    return html[:start] + html[end:]


def test_writes_html_and_pngs_and_counts(built):
    con, res, html = built
    assert res.html_path.name == "index.html" and res.html_path.exists()
    assert (res.html_path.parent / "network.png").read_bytes() == res.network_png
    assert (res.html_path.parent / "timeline.png").read_bytes() == res.timeline_png
    assert res.n_contacts == con.execute("SELECT count(*) FROM contact_timeline").fetchone()[0] == 40
    n_countries = con.execute(
        "SELECT count(DISTINCT c) FROM (SELECT unnest(countries) AS c FROM contact_timeline)"
    ).fetchone()[0]
    assert res.n_countries == n_countries
    w, h = _png_size(res.network_png)
    assert w >= 800 and h >= 500
    w, h = _png_size(res.timeline_png)
    assert w >= 800 and h >= 350


def test_html_is_self_contained(built):
    _con, _res, html = built
    import plotly

    # plotly.js is inlined (its version banner is in the page), not fetched
    assert f"plotly.js v{plotly.__version__}" in html or "plotly.js v" in html
    assert "Plotly.newPlot" in html
    rest = _page_without_plotly_js(html)
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", rest, re.I)
    assert "cdn." not in rest.lower()


def test_html_has_five_parts_with_real_data(built):
    con, _res, html = built
    for sid, title in SECTIONS:
        assert f'<section id="{sid}"' in html
        assert f"<h2>{title}</h2>" in html
    for cid in ("chart-network", "chart-timeline", "chart-officials", "chart-topics"):
        assert f'<div id="{cid}"' in html
    # latest contact: its evidence and source file are shown (HTML-escaped)
    ev, src = con.execute(
        "SELECT evidence, source_name FROM contact_timeline ORDER BY contact_date DESC NULLS LAST LIMIT 1"
    ).fetchone()
    from html import escape

    assert escape(ev) in html and escape(src) in html
    # most active official with counterparts
    name, cps = con.execute(
        "SELECT canonical_name, counterparts FROM official_activity ORDER BY n_contacts DESC LIMIT 1"
    ).fetchone()
    assert escape(name) in html and escape(cps[0]) in html
    assert "documents raw" in html  # data quality table


def test_chart_specs_carry_the_data(built):
    con, _res, html = built
    specs = json.loads(re.search(r"var specs=(\{.*?\});var cfg=", html, re.S).group(1))
    timeline = specs["chart-timeline"]["data"]
    total = sum(sum(t["y"]) for t in timeline)
    assert total == con.execute("SELECT count(*) FROM contact_timeline WHERE month IS NOT NULL").fetchone()[0]
    heat = specs["chart-topics"]["data"][0]
    assert sum(map(sum, heat["z"])) == con.execute("SELECT sum(n_contacts) FROM topic_trends_month").fetchone()[0]
    nodes = specs["chart-network"]["data"][-1]
    assert sorted(nodes["text"]) == sorted(
        r[0] for r in con.execute("SELECT DISTINCT unnest(countries) FROM contact_timeline").fetchall()
    )
    bars = specs["chart-officials"]["data"][0]
    assert len(bars["y"]) == len(OFFICIALS)
    assert max(bars["x"]) == con.execute("SELECT max(n_contacts) FROM official_activity").fetchone()[0]


def test_event_type_colours_are_the_same_in_network_and_timeline():
    con = _sample_con(80)
    data = load_report_data(con)
    pos = network_layout(data.country_activity, data.edges)
    seen = {}
    for fig in (network_figure(data, pos), timeline_figure(data)):
        for tr in fig.data:
            if tr.type == "bar":
                seen.setdefault(tr.name, set()).add(tr.marker.color)
            elif tr.mode == "lines":
                seen.setdefault(tr.name, set()).add(tr.line.color)
    assert len({t.color for t in EVENT_TYPE_RECORDS}) == len(EVENT_TYPE_RECORDS)
    from defcomm_assets.report.palette import event_color, event_label

    for t in EVENT_TYPE_RECORDS:
        assert event_color(t.name) == t.color and event_label(t.name) == t.label
        if t.label in seen:
            assert seen[t.label] == {t.color}
    assert len(seen) >= 5


def test_markdown_embeds_both_pngs(built):
    _con, res, _html = built
    uris = re.findall(r"!\[(network|timeline)\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", res.markdown)
    assert [u[0] for u in uris] == ["network", "timeline"]
    assert base64.b64decode(uris[0][1]) == res.network_png
    assert base64.b64decode(uris[1][1]) == res.timeline_png
    assert "**40** unique contacts" in res.markdown
    assert len(res.markdown) < 400_000  # stored in Dagster's event log with every materialization
    # the link works from the UI, whatever folder the report was written to relative to
    link = re.search(r"Full report: \[index\.html\]\((file://[^)]+)\)", res.markdown)
    assert link and link.group(1) == Path(res.html_path).resolve().as_uri()


def test_output_is_deterministic(built, tmp_path):
    _con, a, _html = built
    b = build_report(_sample_con(), tmp_path / "b")  # a fresh database with the same rows
    assert a.network_png == b.network_png
    assert a.timeline_png == b.timeline_png
    assert a.html_path.read_bytes() == b.html_path.read_bytes()


def test_empty_tables_say_so(tmp_path):
    con = duckdb.connect()
    create_tables(con)
    res = build_report(con, tmp_path)
    html = res.html_path.read_text(encoding="utf-8")
    assert res.n_contacts == 0 and res.n_countries == 0
    assert html.count("No contacts yet") >= 5
    assert 'class="chart plotly-chart"' not in html
    for sid, _ in SECTIONS:
        assert f'<section id="{sid}"' in html
    assert _png_size(res.network_png)[0] > 0 and _png_size(res.timeline_png)[0] > 0
    assert "No contacts yet" in res.markdown and "data:image/png;base64," in res.markdown


def test_missing_tables_are_reported_not_fatal(tmp_path):
    con = duckdb.connect()
    res = build_report(con, tmp_path)
    assert res.n_contacts == 0
    assert any("contact_timeline" in w for w in res.warnings)
    assert "does not exist" in res.html_path.read_text(encoding="utf-8")


def test_read_only_connection(tmp_path):
    db = tmp_path / "x.duckdb"
    con = duckdb.connect(str(db))
    create_sample_tables(con, n_contacts=10)
    con.close()
    ro = duckdb.connect(str(db), read_only=True)
    res = build_report(ro, tmp_path / "out")
    assert res.n_contacts == 10


def test_untrusted_text_is_escaped(tmp_path):
    con = duckdb.connect()
    rows = [
        ("c1", date(2025, 3, 4), date(2025, 3, 1), "call", "occurred", ["PL", "UA"],
         ["Jan </script><script>alert(1)</script>", "Olena <b>Bold</b>"], ["drones"],
         "They spoke </script><img src=x onerror=alert(2)> about drones & more.", "a<b>.txt", 1),
    ]
    create_tables_from_contacts(con, rows, {"Olena <b>Bold</b>": ("UA", "Minister </script>")})
    res = build_report(con, tmp_path)
    html = res.html_path.read_text(encoding="utf-8")
    rest = _page_without_plotly_js(html)
    assert "<script>alert(1)" not in rest
    assert "<img src=x" not in rest
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; about drones &amp; more." in rest
    # inside the chart JSON "</" is escaped so the script element cannot be closed early
    specs = re.search(r"var specs=(\{.*?\});var cfg=", html, re.S).group(1)
    assert "<" not in specs and json.loads(specs)["chart-network"]["data"]


def test_unknown_event_type_and_codes_do_not_crash(tmp_path):
    con = duckdb.connect()
    rows = [
        ("c1", None, date(2024, 2, 1), "hotline", "occurred", ["XK", "ZZ"], ["A", "B"], [], "x", "s.txt", 1),
        ("c2", None, None, None, None, [], [], [], None, None, 0),
    ]
    create_tables_from_contacts(con, rows, {})
    # NULL inside lists and a NULL count: shown without the NULLs
    con.execute(
        "INSERT INTO contact_timeline VALUES ('c3', DATE '2024-03-02', DATE '2024-03-01', 'call', 'occurred',"
        " ['UA', NULL], [NULL, 'Cora Null'], [NULL], 'y', 't.txt', NULL)"
    )
    res = build_report(con, tmp_path)
    assert res.n_contacts == 3 and res.n_countries == 3
    html = res.html_path.read_text(encoding="utf-8")
    assert "1 contact without any date" in html
    assert "Cora Null</td>" in html and "None" not in _page_without_plotly_js(html)


def test_network_is_capped_and_layout_deterministic():
    con = duckdb.connect()
    create_tables(con)
    codes = [f"{a}{b}" for a in "ABCDEFGH" for b in "ABCDEFGH"]  # 64 nodes -> 2016 pairs
    edges = []
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            n = (i * 7 + len(edges)) % 9 + 1
            edges.append((a, b, n, n, 0, 0, 0, 0, 0, 0, "call"))
    from defcomm_assets.report.sample import _insert

    _insert(con, "network_edges", edges)
    data = load_report_data(con)
    assert data.n_edges_total == len(edges)
    assert len(data.edges) == MAX_EDGES
    kept = {(x.a, x.b) for x in data.edges}
    assert min(e.n_contacts for e in data.edges) >= max(e[2] for e in edges if (e[0], e[1]) not in kept)
    p1 = network_layout(data.country_activity, data.edges)
    p2 = network_layout(dict(reversed(list(data.country_activity.items()))), list(reversed(data.edges)))
    assert p1 == p2
    assert set(p1) == {c for e in data.edges for c in (e.a, e.b)}


def test_latest_contacts_are_capped_and_newest_first():
    con = _sample_con(120)
    data = load_report_data(con)
    assert len(data.latest) == MAX_LATEST
    keys = [c.contact_date or c.month for c in data.latest]
    assert all(k is not None for k in keys)
    assert keys == sorted(keys, reverse=True)


def test_month_axis_fills_gaps_but_not_absurd_spans():
    assert month_axis({date(2024, 11, 5), date(2025, 2, 1)}) == [
        date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)
    ]
    assert month_axis(set()) == []
    far = month_axis({date(1990, 1, 1), date(2025, 1, 1)})
    assert far == [date(1990, 1, 1), date(2025, 1, 1)]


def _seed_contacts() -> tuple[list[tuple], dict]:
    rows, persons = [], {}
    path = FIXTURES / "seeds_gold.jsonl"
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        g = json.loads(line)
        for p in g["persons"]:
            persons[p["name"]] = (p["country"], p["role"])
        pub = date.fromisoformat(g["published"]) if g["published"] else None
        for j, e in enumerate(g["events"]):
            d = date.fromisoformat(e["date"]) if e["date"] else None
            m = d or pub
            rows.append((
                f"s{i}{j}", d, date(m.year, m.month, 1) if m else None, e["type"], e["status"],
                sorted({p["country"] for p in e["participants"]}), [p["name"] for p in e["participants"]],
                e["topics"], e["evidence"], g["doc"], 1,
            ))
    return rows, persons


def test_report_from_the_seeds_gold_contacts(tmp_path):
    rows, persons = _seed_contacts()
    con = duckdb.connect()
    create_tables_from_contacts(con, rows, persons)
    res = build_report(con, tmp_path)
    html = res.html_path.read_text(encoding="utf-8")
    assert res.n_contacts == len(rows)
    assert {"UA", "PL", "RO", "GB", "NATO"} <= set(load_report_data(con).country_activity)
    data = load_report_data(con)
    ua_pl = next(e for e in data.edges if (e.a, e.b) == ("PL", "UA"))
    assert ua_pl.n_contacts == sum(1 for r in rows if set(r[5]) >= {"PL", "UA"})
    assert "Władysław Kosiniak-Kamysz" in html  # diacritics survive
    assert "000_6b69322693f17578.txt" in html
    assert data.officials[0].name == "Volodymyr Zelenskyy"
    assert "planned" in html


def test_report_from_the_seeds_pipeline(seeds_db, tmp_path):
    """`make run` on the seeds: the tables the pipeline writes are what build_report reads."""
    con = duckdb.connect(str(seeds_db), read_only=True)
    try:
        res = build_report(con, tmp_path)
        n = con.execute("SELECT count(*) FROM contact_timeline").fetchone()[0]
        top = con.execute(
            "SELECT canonical_name FROM official_activity ORDER BY n_contacts DESC, canonical_name LIMIT 1"
        ).fetchone()[0]
        src = con.execute("SELECT source_name FROM contact_timeline LIMIT 1").fetchone()[0]
        data = load_report_data(con)
    finally:
        con.close()
    assert res.n_contacts == n > 0
    assert not res.warnings
    assert {"PL", "UA"} <= set(data.country_activity)
    html = res.html_path.read_text(encoding="utf-8")
    from html import escape

    for cid in ("chart-network", "chart-timeline", "chart-officials", "chart-topics"):
        assert f'<div id="{cid}"' in html
    assert escape(top) in html and escape(src) in html
    assert 'id="data-quality"' in html
