"""PNG renderings (matplotlib Agg, no pyplot global state) for the Dagster UI."""
from __future__ import annotations

import io

from defcomm_assets.report.data import ReportData
from defcomm_assets.report.figures import edge_width, month_label, node_size
from defcomm_assets.report.palette import NODE_COLOR, event_color, event_label, ordered_types

DPI = 100


def _figure(w: float, h: float):
    # lazy: matplotlib loads when a report is built (see report/__init__.py)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _to_png(fig) -> bytes:
    buf = io.BytesIO()
    # no Software/date chunks: the same data gives byte-identical PNGs
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _empty(fig, ax, title: str, message: str) -> None:
    ax.set_axis_off()
    ax.set_title(title, fontsize=13, loc="left")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=14, color="#555555",
            transform=ax.transAxes)


def network_png(data: ReportData, pos: dict[str, tuple[float, float]]) -> bytes:
    # lazy: matplotlib loads when a report is built (see report/__init__.py)
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    fig = _figure(10, 7)
    ax = fig.add_axes((0.01, 0.01, 0.80, 0.92))
    title = f"Country contact network – {data.n_contacts} contacts, {data.n_countries} countries/organisations"
    edges = [e for e in data.edges if e.a in pos and e.b in pos]
    if not pos:
        _empty(fig, ax, title, "No contacts yet")
        return _to_png(fig)
    max_e = max((e.n_contacts for e in edges), default=0)
    # thin edges first so strong ones are drawn on top
    edges = sorted(edges, key=lambda e: (e.n_contacts, e.a, e.b))
    if edges:
        lc = LineCollection(
            [(pos[e.a], pos[e.b]) for e in edges],
            colors=[event_color(e.dominant_type) for e in edges],
            linewidths=[1.2 * edge_width(e.n_contacts, max_e) for e in edges],
            alpha=0.75, zorder=1,
        )
        ax.add_collection(lc)
    nodes = sorted(pos)
    max_n = max((data.country_activity.get(n, 0) for n in nodes), default=0)
    sizes = [node_size(data.country_activity.get(n, 0), max_n, 26, 50) ** 2 for n in nodes]
    ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=sizes, c=NODE_COLOR,
               edgecolors="white", linewidths=1, zorder=2)
    for n in nodes:
        ax.text(pos[n][0], pos[n][1], n, ha="center", va="center", color="white", fontsize=8,
                fontweight="bold", zorder=3)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad_x = max(0.15, 0.12 * (max(xs) - min(xs)))
    pad_y = max(0.15, 0.12 * (max(ys) - min(ys)))
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    types = ordered_types({e.dominant_type or "other" for e in edges})
    if types:
        handles = [Line2D([0], [0], color=event_color(t), lw=3, label=event_label(t)) for t in types]
        ax.legend(handles=handles, title="Most frequent\ntype", loc="center left",
                  bbox_to_anchor=(1.0, 0.5), fontsize=8, title_fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=12, x=0.01, ha="left")
    return _to_png(fig)


def timeline_png(data: ReportData) -> bytes:
    fig = _figure(10, 4.5)
    ax = fig.add_axes((0.07, 0.16, 0.9, 0.72))
    title = "Contacts per month by event type"
    if not data.months:
        _empty(fig, ax, title, "No dated contacts yet")
        return _to_png(fig)
    xs = list(range(len(data.months)))
    bottom = [0] * len(xs)
    for t in ordered_types(data.timeline):
        per = data.timeline[t]
        ys = [per.get(m, 0) for m in data.months]
        ax.bar(xs, ys, bottom=bottom, color=event_color(t), label=event_label(t), width=0.8)
        bottom = [b + y for b, y in zip(bottom, ys)]
    step = max(1, len(xs) // 24)
    ax.set_xticks(xs[::step])
    ax.set_xticklabels([month_label(m) for m in data.months][::step], rotation=45, ha="right",
                       fontsize=8)
    ax.set_ylabel("contacts")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, ncols=min(7, len(data.timeline)), loc="lower left",
              bbox_to_anchor=(0, 1.0), frameon=False)
    fig.suptitle(title, fontsize=12, x=0.01, ha="left", y=0.99)
    return _to_png(fig)
