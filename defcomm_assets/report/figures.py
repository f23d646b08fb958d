"""Plotly figures of the HTML report (graph_objects only: no pandas needed)."""
from __future__ import annotations

import math
from datetime import date

from defcomm_assets.report.data import ReportData
from defcomm_assets.report.palette import NODE_COLOR, country_name, event_color, event_label, ordered_types

FONT = dict(family="Segoe UI, Helvetica, Arial, sans-serif", size=13)


def _base_layout(**kw) -> dict:
    layout = dict(
        template="plotly_white",
        font=FONT,
        margin=dict(l=60, r=20, t=30, b=50),
        hoverlabel=dict(namelength=-1),
    )
    layout.update(kw)
    return layout


def month_label(m: date) -> str:
    return m.strftime("%Y-%m")


def node_size(n: int, max_n: int, lo: float = 28.0, hi: float = 60.0) -> float:
    if max_n <= 0:
        return lo
    return lo + (hi - lo) * math.sqrt(max(n, 0) / max_n)


def edge_width(n: int, max_n: int, lo: int = 1, hi: int = 9) -> int:
    """Integer widths so edges can be grouped into few traces (one per type and width)."""
    if max_n <= 0:
        return lo
    return int(round(lo + (hi - lo) * math.sqrt(n / max_n)))


def edge_hover(e) -> str:
    parts = ", ".join(f"{event_label(t).lower()} {n}" for t, n in e.by_type.items())
    return (
        f"<b>{country_name(e.a)} – {country_name(e.b)}</b><br>{e.n_contacts} unique contact"
        f"{'s' if e.n_contacts != 1 else ''}" + (f"<br>{parts}" if parts else "")
    )


def network_figure(data: ReportData, pos: dict[str, tuple[float, float]]):
    import plotly.graph_objects as go  # lazy: loads when a report is built (see report/__init__.py)

    fig = go.Figure()
    max_e = max((e.n_contacts for e in data.edges), default=0)
    groups: dict[tuple[str, int], list] = {}
    for e in data.edges:
        if e.a not in pos or e.b not in pos:
            continue
        groups.setdefault((e.dominant_type or "other", edge_width(e.n_contacts, max_e)), []).append(e)
    types = ordered_types({t for t, _ in groups})
    shown: set[str] = set()
    for t in types:
        for (gt, w), es in sorted(groups.items(), key=lambda kv: kv[0][1]):
            if gt != t:
                continue
            xs, ys = [], []
            for e in es:
                xs += [pos[e.a][0], pos[e.b][0], None]
                ys += [pos[e.a][1], pos[e.b][1], None]
            fig.add_trace(
                go.Scatter(
                    x=xs, y=ys, mode="lines", line=dict(width=w, color=event_color(t)),
                    opacity=0.75, hoverinfo="skip", name=event_label(t), legendgroup=t,
                    showlegend=t not in shown,
                )
            )
            shown.add(t)
    # invisible midpoints carry the edge hover text
    mids = [e for e in data.edges if e.a in pos and e.b in pos]
    if mids:
        fig.add_trace(
            go.Scatter(
                x=[(pos[e.a][0] + pos[e.b][0]) / 2 for e in mids],
                y=[(pos[e.a][1] + pos[e.b][1]) / 2 for e in mids],
                mode="markers", marker=dict(size=10, color="rgba(0,0,0,0)"),
                hovertext=[edge_hover(e) for e in mids], hoverinfo="text", showlegend=False,
            )
        )
    nodes = sorted(pos)
    max_n = max((data.country_activity.get(n, 0) for n in nodes), default=0)
    fig.add_trace(
        go.Scatter(
            x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes],
            mode="markers+text", text=nodes, textposition="middle center",
            textfont=dict(color="white", size=10),
            marker=dict(
                size=[node_size(data.country_activity.get(n, 0), max_n) for n in nodes],
                color=NODE_COLOR, opacity=1.0, line=dict(width=1, color="white"),
            ),
            hovertext=[
                f"<b>{country_name(n)}</b> ({n})<br>{data.country_activity.get(n, 0)} contacts"
                for n in nodes
            ],
            hoverinfo="text", showlegend=False,
        )
    )
    fig.update_layout(
        **_base_layout(
            height=620,
            margin=dict(l=10, r=10, t=10, b=10),
            xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"),
            legend=dict(title=dict(text="Most frequent type"), orientation="v", x=0.0, xanchor="left",
                        y=0.0, yanchor="bottom", bgcolor="rgba(255,255,255,0.8)"),
            hovermode="closest",
        )
    )
    return fig


def timeline_figure(data: ReportData):
    import plotly.graph_objects as go  # lazy: loads when a report is built (see report/__init__.py)

    labels = [month_label(m) for m in data.months]
    fig = go.Figure()
    for t in ordered_types(data.timeline):
        per = data.timeline[t]
        fig.add_trace(
            go.Bar(
                x=labels, y=[per.get(m, 0) for m in data.months], name=event_label(t),
                marker_color=event_color(t),
                hovertemplate="%{x}: %{y} " + event_label(t).lower() + "<extra></extra>",
            )
        )
    fig.update_layout(
        **_base_layout(
            height=420, barmode="stack", bargap=0.15,
            xaxis=dict(type="category", title=None, tickangle=-45 if len(labels) > 12 else 0),
            yaxis=dict(title="contacts", rangemode="tozero"),
            legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, traceorder="normal"),
        )
    )
    return fig


def officials_figure(data: ReportData):
    import plotly.graph_objects as go  # lazy: loads when a report is built (see report/__init__.py)

    offs = list(reversed(data.officials))  # largest on top
    labels = [f"{o.name} ({o.country or '?'})" for o in offs]
    fig = go.Figure(
        go.Bar(
            x=[o.n_contacts for o in offs], y=labels, orientation="h", marker_color=NODE_COLOR,
            text=[", ".join(o.counterpart_countries) for o in offs], textposition="auto",
            hovertext=[
                f"<b>{o.name}</b>{' – ' + o.role if o.role else ''}<br>{o.n_contacts} contacts with "
                f"{o.n_counterpart_countries} countries<br>counterparts: "
                + (", ".join(o.counterparts[:8]) or "–")
                for o in offs
            ],
            hoverinfo="text",
        )
    )
    fig.update_layout(
        **_base_layout(
            height=max(260, 60 + 30 * len(offs)), margin=dict(l=20, r=20, t=20, b=40),
            xaxis=dict(title="contacts", rangemode="tozero"), yaxis=dict(automargin=True),
        )
    )
    return fig


def topics_figure(data: ReportData):
    import plotly.graph_objects as go  # lazy: loads when a report is built (see report/__init__.py)

    months = data.topic_months
    topics = sorted(data.topics, key=lambda t: (-sum(data.topics[t].values()), t))
    z = [[data.topics[t].get(m, 0) for m in months] for t in topics]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[month_label(m) for m in months], y=[t.replace("_", " ") for t in topics],
            colorscale="Blues", zmin=0, xgap=2, ygap=2,
            text=[[str(v) if v else "" for v in row] for row in z], texttemplate="%{text}",
            hovertemplate="%{y}, %{x}: %{z} contacts<extra></extra>",
            colorbar=dict(title=dict(text="contacts"), tickformat="d",
                          dtick=1 if max((max(r) for r in z), default=0) <= 8 else None),
        )
    )
    fig.update_layout(
        **_base_layout(
            height=max(260, 110 + 28 * len(topics)), margin=dict(l=20, r=20, t=20, b=60),
            xaxis=dict(type="category", tickangle=-45 if len(months) > 12 else 0),
            yaxis=dict(automargin=True, autorange="reversed"),
        )
    )
    return fig
