"""The HTML report and PNG charts (pure: no Dagster import).

``build_report(con, out_dir)`` reads the aggregate tables from an open DuckDB
connection and writes ``out_dir/index.html`` (self-contained: plotly.js is
inlined, no network needed to view it), ``out_dir/network.png`` and
``out_dir/timeline.png``; it returns a ``ReportResult`` whose ``markdown``
embeds both PNGs for the Dagster UI.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from defcomm_assets.report.data import ReportData, load_report_data
from defcomm_assets.report.figures import month_label
from defcomm_assets.report.palette import country_name, event_color

__all__ = [
    "ReportData",
    "ReportResult",
    "build_report",
    "country_name",
    "event_color",
    "load_report_data",
    "render_markdown",
]


@dataclass
class ReportResult:
    html_path: Path
    network_png: bytes
    timeline_png: bytes
    n_contacts: int
    n_countries: int
    markdown: str  # headline numbers + both PNGs as data URIs, for MetadataValue.md
    network_png_path: Path | None = None
    timeline_png_path: Path | None = None
    n_officials: int = 0
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    """The plotly.min.js shipped with the installed plotly package (read once per process)."""
    from plotly.offline import get_plotlyjs  # lazy: plotly loads only when a report is built

    return get_plotlyjs()


def _write_atomic(path: Path, data: bytes) -> None:
    """Write then rename: a reader (or a killed run) never leaves a half-written file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_markdown(data: ReportData, network_png: bytes, timeline_png: bytes, html_path: Path | None = None) -> str:
    lines = []
    if data.n_contacts or data.edges:
        lines.append(
            f"**{data.n_contacts}** unique contacts between **{data.n_countries}** countries/organisations, "
            f"**{data.n_officials}** officials"
            + (f", {month_label(data.months[0])} – {month_label(data.months[-1])}" if data.months else "")
            + "."
        )
        if data.officials:
            top = data.officials[0]
            lines.append(f"Most active official: **{top.name}** ({top.country or '?'}), {top.n_contacts} contacts.")
        if data.edges:
            e = max(data.edges, key=lambda e: (e.n_contacts, e.a, e.b))
            lines.append(f"Busiest pair: **{e.a}–{e.b}**, {e.n_contacts} contacts.")
    else:
        lines.append("**No contacts yet**: the corpus has no events between officials of different countries.")
    for w in data.warnings:
        lines.append(f"⚠ {w}")
    if html_path is not None:
        # an absolute file:// link: the UI has no working folder to resolve a relative one against
        lines.append(f"Full report: [{html_path.name}]({Path(html_path).resolve().as_uri()})")
    lines.append(f"![network]({_data_uri(network_png)})")
    lines.append(f"![timeline]({_data_uri(timeline_png)})")
    return "\n\n".join(lines) + "\n"


def build_report(con, out_dir: str | Path) -> ReportResult:
    """Read the aggregates through ``con`` (read-only is fine) and write the report into ``out_dir``."""
    # lazy: these modules import plotly, matplotlib and networkx (≈ 1.2 s), which load when a report is built, not
    # when Dagster loads the code location (report/asset.py imports this package)
    from defcomm_assets.report.figures import network_figure, officials_figure, timeline_figure, topics_figure
    from defcomm_assets.report.layout import network_layout
    from defcomm_assets.report.page import render_page
    from defcomm_assets.report.png import network_png, timeline_png

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = load_report_data(con)
    pos = network_layout(data.country_activity, data.edges)

    figures = {}
    if pos:
        figures["chart-network"] = network_figure(data, pos)
    if data.months:
        figures["chart-timeline"] = timeline_figure(data)
    if data.officials:
        figures["chart-officials"] = officials_figure(data)
    if data.topics:
        figures["chart-topics"] = topics_figure(data)

    html = render_page(data, figures, _plotly_js())
    html_path = out / "index.html"
    _write_atomic(html_path, html.encode("utf-8"))

    net = network_png(data, pos)
    tl = timeline_png(data)
    net_path, tl_path = out / "network.png", out / "timeline.png"
    _write_atomic(net_path, net)
    _write_atomic(tl_path, tl)
    return ReportResult(
        html_path=html_path,
        network_png=net,
        timeline_png=tl,
        n_contacts=data.n_contacts,
        n_countries=data.n_countries,
        markdown=render_markdown(data, net, tl, html_path),
        network_png_path=net_path,
        timeline_png_path=tl_path,
        n_officials=data.n_officials,
        warnings=list(data.warnings),
    )
