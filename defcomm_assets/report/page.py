"""Assemble the self-contained HTML page (plotly.js inlined, no external URL)."""
from __future__ import annotations

import json
from html import escape

from defcomm_assets.report.data import MAX_EDGES, ReportData
from defcomm_assets.report.figures import month_label
from defcomm_assets.report.palette import country_name, event_color, event_label, event_types

SECTIONS: tuple[tuple[str, str], ...] = (
    ("network", "Country contact network"),
    ("timeline", "Contacts per month"),
    ("officials", "Most active officials"),
    ("topics", "Topics by month"),
    ("latest", "Latest contacts"),
)

CSS = """
:root { --fg:#1d2433; --muted:#5b6475; --line:#e3e6ec; --bg:#f6f7f9; }
* { box-sizing: border-box; }
body { margin:0; font-family:"Segoe UI",Helvetica,Arial,sans-serif; color:var(--fg); background:var(--bg); \
font-size:14px; }
header { background:#1d2433; color:#fff; padding:18px 28px; }
header h1 { margin:0 0 4px; font-size:22px; }
header p { margin:0; color:#c8cdd8; }
nav { position:sticky; top:0; z-index:10; background:#fff; border-bottom:1px solid var(--line); padding:8px 28px; }
nav a { margin-right:18px; color:#0b5cad; text-decoration:none; font-weight:600; }
main { max-width:1280px; margin:0 auto; padding:16px 28px 40px; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin:18px 0; }
section h2 { margin:0 0 6px; font-size:18px; }
p.note { color:var(--muted); margin:4px 0 10px; }
p.empty { color:var(--muted); font-style:italic; padding:24px 0; }
.kpis { display:flex; flex-wrap:wrap; gap:12px; margin:0; }
.kpi { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 16px; min-width:140px; }
.kpi b { display:block; font-size:24px; }
.kpi span { color:var(--muted); font-size:12px; }
.grid2 { display:grid; grid-template-columns: 1fr 1fr; gap:18px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; vertical-align:top; padding:5px 8px; border-bottom:1px solid var(--line); }
th { background:#f0f2f6; font-weight:600; }
td.num, th.num { text-align:right; white-space:nowrap; }
td.nowrap { white-space:nowrap; }
td.evidence { max-width:520px; }
.badge { display:inline-block; padding:1px 7px; border-radius:10px; color:#fff; font-size:12px; white-space:nowrap; }
.planned { color:var(--muted); font-style:italic; }
.warn { background:#fff6e0; border:1px solid #f0d58a; border-radius:6px; padding:6px 10px; margin:6px 0; }
.chart { width:100%; }
code { font-size:12px; }
"""


def _e(x) -> str:
    return escape("" if x is None else str(x))


def _script_json(obj) -> str:
    """JSON safe inside a <script> element."""
    # <, > and & only occur inside JSON strings, where \uXXXX escapes are equivalent
    return (
        json.dumps(obj, separators=(",", ":"), default=str)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _badge(event_type: str | None) -> str:
    return (
        f'<span class="badge" style="background:{event_color(event_type)}">'
        f"{_e(event_label(event_type))}</span>"
    )


def _countries(codes) -> str:
    return ", ".join(f'<span title="{_e(country_name(c))}">{_e(c)}</span>' for c in codes)


def _kpis(data: ReportData) -> str:
    items = [
        (data.n_contacts, "unique contacts"),
        (data.n_countries, "countries / organisations"),
        (data.n_officials, "officials in contact"),
        (data.n_planned, "planned (not yet held)"),
    ]
    if data.months:
        items.append((f"{month_label(data.months[0])} – {month_label(data.months[-1])}", "months covered"))
    return '<div class="kpis">' + "".join(
        f'<div class="kpi"><b>{_e(v)}</b><span>{_e(lbl)}</span></div>' for v, lbl in items
    ) + "</div>"


def _quality_table(data: ReportData) -> str:
    if not data.quality:
        return '<p class="note">No data-quality metrics available.</p>'
    rows = "".join(
        f'<tr><td>{_e(m.replace("_", " "))}</td><td class="num">{_e(v)}</td></tr>' for m, v in data.quality
    )
    return (
        '<table id="data-quality"><thead><tr><th>metric</th><th class="num">value</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _pairs_table(data: ReportData) -> str:
    if not data.pairs:
        return ""
    rows = "".join(
        f"<tr><td>{_countries([p.a])} – {_countries([p.b])}</td>"
        f'<td class="num">{p.n_contacts}</td><td class="num">{p.n_reports}</td>'
        f'<td class="nowrap">{_e(month_label(p.last_month) if p.last_month else "–")}</td></tr>'
        for p in data.pairs
    )
    return (
        "<h3>Busiest country pairs</h3><table><thead><tr><th>pair</th><th class=\"num\">contacts</th>"
        "<th class=\"num\">reports</th><th>last month</th></tr></thead><tbody>" + rows + "</tbody></table>"
    )


def _officials_table(data: ReportData) -> str:
    rows = []
    for o in data.officials:
        span = " – ".join(d.isoformat() for d in (o.first_date, o.last_date) if d)
        rows.append(
            f"<tr><td><b>{_e(o.name)}</b></td><td>{_countries([o.country] if o.country else [])}</td>"
            f"<td>{_e(o.role or '')}</td><td class=\"num\">{o.n_contacts}</td>"
            f"<td>{_countries(o.counterpart_countries)}</td><td>{_e(', '.join(o.counterparts))}</td>"
            f'<td class="nowrap">{_e(span)}</td></tr>'
        )
    return (
        '<table id="officials-table"><thead><tr><th>official</th><th>country</th><th>role</th>'
        '<th class="num">contacts</th><th>counterpart countries</th><th>counterparts</th><th>period</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _latest_table(data: ReportData) -> str:
    rows = []
    for c in data.latest:
        when = c.contact_date.isoformat() if c.contact_date else (
            f"{month_label(c.month)} (reported)" if c.month else "undated"
        )
        status = "" if c.status in (None, "occurred") else f' <span class="planned">{_e(c.status)}</span>'
        rows.append(
            f'<tr><td class="nowrap">{_e(when)}</td><td>{_badge(c.event_type)}{status}</td>'
            f"<td>{_countries(c.countries)}</td><td>{_e(', '.join(c.participants))}</td>"
            f"<td>{_e(', '.join(t.replace('_', ' ') for t in c.topics))}</td>"
            f'<td class="evidence">{_e(c.evidence)}</td>'
            f"<td><code>{_e(c.source_name)}</code>"
            + (f" <span class=\"note\">+{c.n_reports - 1} more</span>" if c.n_reports > 1 else "")
            + "</td></tr>"
        )
    return (
        '<table id="latest-table"><thead><tr><th>date</th><th>type</th><th>countries</th>'
        "<th>participants</th><th>topics</th><th>evidence</th><th>source</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>"
    )


def _legend() -> str:
    return " ".join(_badge(t) for t in event_types())


def render_page(data: ReportData, figures: dict[str, object], plotly_js: str) -> str:
    """figures: chart id -> plotly Figure; charts missing from it are shown as 'no data'."""
    empty = data.n_contacts == 0 and not data.edges
    chart_ids = []

    def chart(cid: str, fig) -> str:
        chart_ids.append(cid)
        h = int(fig.layout.height or 450)
        return f'<div id="{cid}" class="chart plotly-chart" style="height:{h}px"></div>'

    def body_or_empty(cid: str, msg: str) -> str:
        fig = figures.get(cid)
        return chart(cid, fig) if fig is not None else f'<p class="empty">{_e(msg)}</p>'

    no_contacts = "No contacts yet: the corpus has no events between officials of different countries."
    warn = "".join(f'<div class="warn">{_e(w)}</div>' for w in data.warnings)

    parts: dict[str, str] = {}
    edge_note = (
        f" Showing the {len(data.edges)} strongest of {data.n_edges_total} country pairs."
        if data.n_edges_total > MAX_EDGES else ""
    )
    parts["network"] = (
        '<p class="note">Nodes: countries and organisations, sized by the number of unique contacts they took part in. '
        "Edges: unique contacts between the pair (width), coloured by the most frequent contact type."
        + _e(edge_note) + " Hover for details; drag to zoom.</p>"
        + body_or_empty("chart-network", no_contacts)
        + _pairs_table(data)
    )
    undated = (
        f" {data.n_undated} contact{'s' if data.n_undated != 1 else ''} without any date "
        f"(neither the event nor the article is dated) {'is' if data.n_undated == 1 else 'are'} not shown."
        if data.n_undated else ""
    )
    parts["timeline"] = (
        '<p class="note">Unique contacts per month (month of the contact, else of the first article reporting it), '
        "stacked by event type." + _e(undated) + "</p>"
        + body_or_empty("chart-timeline", no_contacts if empty else "No dated contacts yet.")
    )
    parts["officials"] = (
        '<p class="note">Persons with the most unique contacts; '
        "bar labels list the countries of their counterparts.</p>"
        + (
            chart("chart-officials", figures["chart-officials"]) + _officials_table(data)
            if figures.get("chart-officials") is not None
            else f'<p class="empty">{_e(no_contacts if empty else "No officials linked to contacts yet.")}</p>'
        )
    )
    parts["topics"] = (
        '<p class="note">Unique contacts per topic and month (a contact can have several topics).</p>'
        + body_or_empty("chart-topics", no_contacts if empty else "No topics assigned yet.")
    )
    parts["latest"] = (
        (
            f'<p class="note">The {len(data.latest)} most recent contacts, with the sentence that reports them '
            "and the file it comes from. Colours: " + _legend() + "</p>" + _latest_table(data)
        )
        if data.latest
        else f'<p class="empty">{_e(no_contacts)}</p>'
    )

    nav = (
        "".join(f'<a href="#{sid}">{_e(title)}</a>' for sid, title in SECTIONS)
        + '<a href="#quality">Data quality</a>'
    )
    sections = "".join(
        f'<section id="{sid}" data-section="{sid}"><h2>{_e(title)}</h2>{parts[sid]}</section>'
        for sid, title in SECTIONS
    )
    sub = (
        f"{data.n_contacts} unique contacts between {data.n_countries} countries and organisations"
        if not empty else "No contacts yet"
    )
    specs = {
        cid: json.loads(figures[cid].to_json()) for cid in chart_ids  # plotly's own encoder
    }
    script = (
        "(function(){var specs=" + _script_json(specs) + ";"
        "var cfg={displaylogo:false,responsive:true,modeBarButtonsToRemove:['select2d','lasso2d']};"
        "Object.keys(specs).forEach(function(id){var s=specs[id];"
        "Plotly.newPlot(id,s.data,s.layout,cfg);});})();"
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        "<title>defcomm – contacts between defence officials</title>"
        f"<style>{CSS}</style>"
        f"<script>{plotly_js}</script>"
        "</head><body>"
        f"<header><h1>Contacts between defence officials</h1><p>{_e(sub)}</p></header>"
        f"<nav>{nav}</nav><main>{warn}"
        f'<section id="summary" data-section="summary"><h2>Summary</h2>{_kpis(data)}</section>'
        f"{sections}"
        f'<section id="quality" data-section="quality"><h2>Data quality</h2>{_quality_table(data)}</section>'
        f"</main><script>{script}</script></body></html>\n"
    )
